/* SPDX-License-Identifier: Apache-2.0 */
/* Host unit tests use the real AArch64 descriptor format. */
#include "../../../../hyp/arch/aarch64/include/arch/pte.h"
