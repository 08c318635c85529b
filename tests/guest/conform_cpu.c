// SPDX-License-Identifier: Apache-2.0
/* Conformance: the PMU policy and the ID registers. */
#include "conform.h"

void conform_cpu(void)
{
}
