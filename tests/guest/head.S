// SPDX-License-Identifier: Apache-2.0
/*
 * Test guest entry, EL1 exception vectors and memory-probe primitives.
 *
 * The image carries an arm64 Image header (Linux booting.rst): the monitor
 * loads it at its RAM base + text_offset (0) and enters at EL1h with the
 * MMU off, DAIF masked and x0 = the IPA of its device tree. It is linked at
 * 0 and position-independent: entry applies its R_AARCH64_RELATIVE
 * relocations for the address it actually runs at (the build refuses any
 * other relocation type).
 */
#include "asm.h"

#define R_AARCH64_RELATIVE 1027
#define STACK_SIZE         16384
#define FRAME_SIZE         272      /* struct exc_frame in guest.h */

	/* code0 and code1 of the arm64 Image header; guest.ld emits the rest,
	 * since only the linker knows the image size. */
	.section .head.text, "ax"
	.globl	_head
_head:
	b	guest_entry		// code0
	.long	0			// code1

	.text
FUNC(guest_entry)
	mov	x21, x0			// the device tree, for guest_main

	/* Only EL1 is supported: without a console there is nobody to tell. */
	mrs	x1, CurrentEL
	cmp	x1, #(1 << 2)
	b.ne	halt

	/* Relocate: each entry is { offset, info, addend }; for RELATIVE,
	 * *(load + offset) = load + addend. */
	adr_l	x9, __rela_start
	adr_l	x10, __rela_end
	adr_l	x11, _head
1:	cmp	x9, x10
	b.hs	2f
	ldp	x12, x13, [x9]
	ldr	x14, [x9, #16]
	add	x9, x9, #24
	cmp	x13, #R_AARCH64_RELATIVE
	b.ne	1b
	add	x14, x14, x11
	str	x14, [x11, x12]
	b	1b

	/* BSS, including the stack, is 16-byte aligned (guest.ld). */
2:	adr_l	x1, __bss_start
	adr_l	x2, __bss_end
3:	cmp	x1, x2
	b.hs	4f
	stp	xzr, xzr, [x1], #16
	b	3b

4:	adr_l	x1, guest_stack
	add	sp, x1, #STACK_SIZE
	adr_l	x1, el1_vectors
	msr	vbar_el1, x1
	isb
	/* Take SErrors (an injected virtual SError is reported, not left
	 * pending); IRQ and FIQ stay masked: the guest has no interrupts. */
	msr	daifclr, #4

	mov	x0, x21
	bl	guest_main		// never returns
halt:
	wfi
	b	halt
ENDFUNC(guest_entry)

/*
 * EL1 vectors. Every slot saves x0/x1, puts its index (0..15, see
 * EXC_KIND_* in guest.h) in x0 and joins exc_entry, which saves the rest of
 * the frame and calls exc_handler(kind, frame). The handler returns only
 * for a fault it expected (after moving ELR past the faulting
 * instruction); the frame is then restored and execution resumes.
 */
.macro vslot kind
	.balign	0x80
9:	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp]
	mov	x0, #\kind
	b	exc_entry
	.if (. - 9b) > 0x80
	.error "vector slot overflows 128 bytes"
	.endif
.endm

	.section .text.vectors, "ax"
	.balign	0x800
el1_vectors:
	vslot	0			// current EL, SP_EL0: sync
	vslot	1			//   IRQ
	vslot	2			//   FIQ
	vslot	3			//   SError
	vslot	4			// current EL, SP_EL1: sync
	vslot	5
	vslot	6
	vslot	7
	vslot	8			// lower EL, AArch64 (never used)
	vslot	9
	vslot	10
	vslot	11
	vslot	12			// lower EL, AArch32 (never used)
	vslot	13
	vslot	14
	vslot	15

exc_entry:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	mrs	x1, elr_el1
	mrs	x2, spsr_el1
	stp	x30, x1, [sp, #240]	// x30, elr
	str	x2, [sp, #256]		// spsr
	mov	x1, sp
	bl	exc_handler
	ldp	x30, x1, [sp, #240]
	ldr	x2, [sp, #256]
	msr	elr_el1, x1
	msr	spsr_el1, x2
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldp	x0, x1, [sp]
	add	sp, sp, #FRAME_SIZE
	eret

/*
 * Probes: exactly one access instruction each, so that a fault skipped by
 * the handler (ELR + 4) lands on the `ret`. A faulting read returns
 * garbage; the caller looks at the recorded fault instead.
 */
	.text
FUNC(probe_read8)
	ldrb	w0, [x0]
	ret
ENDFUNC(probe_read8)
FUNC(probe_read16)
	ldrh	w0, [x0]
	ret
ENDFUNC(probe_read16)
FUNC(probe_read32)
	ldr	w0, [x0]
	ret
ENDFUNC(probe_read32)
FUNC(probe_read64)
	ldr	x0, [x0]
	ret
ENDFUNC(probe_read64)
FUNC(probe_write8)
	strb	w1, [x0]
	ret
ENDFUNC(probe_write8)
FUNC(probe_write16)
	strh	w1, [x0]
	ret
ENDFUNC(probe_write16)
FUNC(probe_write32)
	str	w1, [x0]
	ret
ENDFUNC(probe_write32)
FUNC(probe_write64)
	str	x1, [x0]
	ret
ENDFUNC(probe_write64)

	.bss
	.balign	16
guest_stack:
	.space	STACK_SIZE
