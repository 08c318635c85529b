// SPDX-License-Identifier: Apache-2.0
/* A minimal guest for the panic-path system test: it asks a test build of
 * Umbra (UMBRA_TEST_HOOKS) to fault at EL2. */
#include "umbra_abi.h"

	.section .text
	.globl	_start
_start:
	b	1f			// code0
	.long	0			// code1
	.quad	0			// text_offset
	.quad	0x1000			// image_size
	.quad	0xa			// flags
	.quad	0, 0, 0
	.ascii	"ARM\x64"
	.long	0
1:	ldr	x0, =UMBRA_HC_TEST_EL2_FAULT
	mov	x1, #0x1234
	hvc	#0
2:	wfi				// not reached: Umbra powers off
	b	2b
