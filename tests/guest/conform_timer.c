// SPDX-License-Identifier: Apache-2.0
/* Conformance: the generic timers (EL1 virtual and physical). */
#include "conform.h"

void conform_timer(void)
{
}
