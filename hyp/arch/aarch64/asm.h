/* SPDX-License-Identifier: Apache-2.0 */
#ifndef ARCH_ASM_H
#define ARCH_ASM_H

/* PC-relative address of a symbol: the image runs where it was loaded. */
.macro adr_l reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

#define FUNC(name) .globl name; .type name, %function; name:
#define ENDFUNC(name) .size name, . - name

#endif
