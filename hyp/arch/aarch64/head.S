// SPDX-License-Identifier: Apache-2.0
/*
 * Entry. The image carries an arm64 Image header (Linux
 * Documentation/arch/arm64/booting.rst) so QEMU -kernel and U-Boot booti
 * start it with the MMU off and x0 = the platform DTB. It is linked
 * position-independent and relocates itself; nothing here knows where RAM
 * is.
 */
#include "asm.h"
#include "arch/regs.h"
#include "umbra/limits.h"

#define R_AARCH64_RELATIVE 1027

	/* The rest of the header (sizes, magic) is emitted by umbra.ld:
	 * only the linker knows the image size. */
	.section .head.text, "ax"
	.globl	_head
_head:
	b	primary_entry		// code0
	.long	0			// code1

	.text
FUNC(primary_entry)
	mov	x21, x0

	/* Apply R_AARCH64_RELATIVE relocations: the image is linked at 0. */
	adr_l	x9, __rela_start
	adr_l	x10, __rela_end
	adr_l	x11, _head
1:	cmp	x9, x10
	b.hs	2f
	ldp	x12, x13, [x9]
	ldr	x14, [x9, #16]
	add	x9, x9, #24
	cmp	x13, #R_AARCH64_RELATIVE
	b.ne	1b			// the build refuses other types
	add	x14, x14, x11
	str	x14, [x11, x12]
	b	1b
2:
	adr_l	x1, __bss_start
	adr_l	x2, __bss_end
3:	cmp	x1, x2
	b.hs	4f
	stp	xzr, xzr, [x1], #16
	b	3b
4:
	adr_l	x1, cpu_stacks
	add	sp, x1, #STACK_SIZE

	mrs	x1, CurrentEL
	lsr	x1, x1, #2
	cmp	x1, #2
	b.eq	5f
	mov	x0, x21
	bl	boot_wrong_el		// reports and powers off; never returns
5:
	adr_l	x1, el2_vectors
	msr	vbar_el2, x1
	isb

	mov	x0, x21
	bl	mmu_early_init		// C with the MMU off: builds EL2 tables

	/* Data written with the MMU off went straight to memory; drop any
	 * stale lines for the image before turning caches on (D7.5). */
	adr_l	x0, _head
	adr_l	x1, _end
	mrs	x2, ctr_el0
	ubfx	x2, x2, #16, #4		// DminLine: log2(words)
	mov	x3, #4
	lsl	x3, x3, x2
	sub	x4, x3, #1
	bic	x0, x0, x4
6:	dc	ivac, x0
	add	x0, x0, x3
	cmp	x0, x1
	b.lo	6b
	dsb	sy
	ic	iallu
	dsb	sy
	isb

	bl	mmu_enable
	mov	x0, x21
	bl	umbra_main
	b	park
ENDFUNC(primary_entry)

/* Started by PSCI CPU_ON at EL2 with x0 = the top of its stack (STACK_SIZE
 * aligned, taken after the image: main.c) + its logical CPU index. */
FUNC(secondary_entry)
	and	x19, x0, #(STACK_SIZE - 1)
	and	x1, x0, #~(STACK_SIZE - 1)
	cmp	x19, #MAX_CPUS
	b.hs	park
	cbz	x1, park
	mov	sp, x1
	adr_l	x1, el2_vectors
	msr	vbar_el2, x1
	/* FP/SIMD untrapped at EL2, as on the boot CPU (mmu.c): its image
	 * digests (sha256.S) and restarts use them; the reset value is UNKNOWN */
	mov	x1, #0x33ff		// CPTR_EL2: RES1 bits, TFP clear
	msr	cptr_el2, x1
	isb
	bl	mmu_enable
	mov	x0, x19
	bl	secondary_main
	b	park
ENDFUNC(secondary_entry)

/* Turn on the EL2 MMU with the tables mmu_early_init left in boot_mmu. */
FUNC(mmu_enable)
	adr_l	x0, boot_mmu
	ldp	x1, x2, [x0]		// ttbr, tcr
	ldp	x3, x4, [x0, #16]	// mair, sctlr
	msr	mair_el2, x3
	msr	tcr_el2, x2
	msr	ttbr0_el2, x1
	isb
	tlbi	alle2
	dsb	ish
	isb
	msr	sctlr_el2, x4
	isb
	ret
ENDFUNC(mmu_enable)

FUNC(park)
	wfe
	b	park
ENDFUNC(park)

	/* the boot CPU's; the others' come after the image (main.c). Aligned
	 * to its size, as they are: vcpu.c finds a stack's top from sp. */
	.section .bss.cpu_stacks, "aw", %nobits
	.balign	STACK_SIZE
	.globl	cpu_stacks
cpu_stacks:
	.space	STACK_SIZE
