// SPDX-License-Identifier: Apache-2.0
/*
 * RTOS entry, EL1 exception vectors, context save and restore.
 *
 * The image carries an arm64 Image header: a loader (Umbra, QEMU -kernel,
 * U-Boot booti) places it anywhere in RAM (2 MiB aligned + text_offset 0)
 * and enters at EL1h (or EL2h: we drop to EL1) with the MMU off, DAIF
 * masked and x0 = the device tree. It is linked at 0 and position
 * independent: entry applies its R_AARCH64_RELATIVE relocations for the
 * address it actually runs at (the build refuses any other type).
 *
 * Exceptions: tasks run in EL1t, so everything they take arrives at the
 * "current EL with SP_EL0" vectors. Those save the task's registers into
 * rtos_current->ctx (offset 0 of struct rtos_task), run the C handler on
 * SP_EL1 (the exception stack) with interrupts masked, and return into
 * whatever rtos_current is afterwards: that is the context switch. An
 * exception in EL1h (the kernel's own code, the boot) saves a frame on
 * SP_EL1 instead and is fatal unless a probe expects it.
 */
#include "asm.h"
#include "rtos_port.h"

#define R_AARCH64_RELATIVE 1027
#define EXC_STACK_SIZE     16384
#define SCTLR_EL1_RES1     0x30d00800 /* RES1 bits; MMU, caches off */

	/* code0 and code1 of the arm64 Image header; rtos.ld emits the
	 * rest, since only the linker knows the image size. */
	.section .head.text, "ax"
	.globl	_head
_head:
	b	rtos_entry		// code0
	.long	0			// code1

	.text
FUNC(rtos_entry)
	mov	x21, x0			// the device tree, for port_boot

	/* Started at EL2 (no hypervisor below us, e.g. QEMU virtualization=on
	 * or a bootloader at EL2): give EL1 a plain machine and go there. */
	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.ne	1f
	mov	x1, #(1 << 31)		// HCR_EL2.RW: EL1 is AArch64, nothing trapped
	msr	hcr_el2, x1
	mov	x1, #3			// CNTHCTL_EL2: EL1 uses both counters and timers
	msr	cnthctl_el2, x1
	msr	cntvoff_el2, xzr
	mrs	x1, id_aa64pfr0_el1
	ubfx	x1, x1, #24, #4		// GIC system registers implemented?
	cbz	x1, 2f
	mrs	x1, icc_sre_el2
	mov	x2, #0x9		// SRE, and EL1 may use it
	orr	x1, x1, x2
	msr	icc_sre_el2, x1
	isb
2:	mov	x1, #(SCTLR_EL1_RES1 & 0xffff)
	movk	x1, #(SCTLR_EL1_RES1 >> 16), lsl #16
	msr	sctlr_el1, x1
	mov	x1, #0x3c5		// EL1h, DAIF masked
	msr	spsr_el2, x1
	adr	x1, 1f
	msr	elr_el2, x1
	eret

1:	mrs	x1, CurrentEL
	cmp	x1, #(1 << 2)
	b.ne	halt			// EL0 or EL3: nobody to tell

	/* Relocate: each entry is { offset, info, addend }; for RELATIVE,
	 * *(load + offset) = load + addend. */
	adr_l	x9, __rela_start
	adr_l	x10, __rela_end
	adr_l	x11, _head
3:	cmp	x9, x10
	b.hs	4f
	ldp	x12, x13, [x9]
	ldr	x14, [x9, #16]
	add	x9, x9, #24
	cmp	x13, #R_AARCH64_RELATIVE
	b.ne	3b
	add	x14, x14, x11
	str	x14, [x11, x12]
	b	3b

	/* BSS, stacks included, is 16-byte aligned (rtos.ld). */
4:	adr_l	x1, __bss_start
	adr_l	x2, __bss_end
5:	cmp	x1, x2
	b.hs	6f
	stp	xzr, xzr, [x1], #16
	b	5b

6:	adr_l	x1, exc_stack
	add	sp, x1, #EXC_STACK_SIZE
	adr_l	x1, rtos_vectors
	msr	vbar_el1, x1
	isb
	mov	x0, x21
	bl	port_boot		// never returns
halt:
	wfi
	b	halt
ENDFUNC(rtos_entry)

/* Resume rtos_current for the first time, on a fresh exception stack:
 * the boot code's frames are abandoned. */
FUNC(port_start)
	adr_l	x1, exc_stack
	add	sp, x1, #EXC_STACK_SIZE
	b	resume_current
ENDFUNC(port_start)

/* ---- vectors ---------------------------------------------------------- */

/* A task's exception: x0/x1 go to the exception stack for a moment, the
 * kind (0 sync, 1 IRQ, 2 FIQ, 3 SError) into x1. */
.macro task_slot kind
	.balign	0x80
9:	stp	x0, x1, [sp, #-16]!
	mov	x1, #\kind
	b	task_save
	.if (. - 9b) > 0x80
	.error "vector slot overflows 128 bytes"
	.endif
.endm

/* Any other exception: a frame (struct rtos_port_ctx) on SP_EL1; kind is
 * the vector slot, 4..15. */
.macro kern_slot kind
	.balign	0x80
9:	sub	sp, sp, #CTX_SIZE
	stp	x0, x1, [sp]
	mov	x0, #\kind
	b	kern_save
	.if (. - 9b) > 0x80
	.error "vector slot overflows 128 bytes"
	.endif
.endm

	.section .text.vectors, "ax"
	.balign	0x800
rtos_vectors:
	task_slot 0			// current EL, SP_EL0: a task's sync (SVC, fault)
	task_slot 1			//   IRQ
	task_slot 2			//   FIQ
	task_slot 3			//   SError
	kern_slot 4			// current EL, SP_EL1: the kernel's own
	kern_slot 5
	kern_slot 6
	kern_slot 7
	kern_slot 8			// lower EL (there is none)
	kern_slot 9
	kern_slot 10
	kern_slot 11
	kern_slot 12
	kern_slot 13
	kern_slot 14
	kern_slot 15

task_save:
	adr_l	x0, rtos_current
	ldr	x0, [x0]
	stp	x2, x3, [x0, #16]
	stp	x4, x5, [x0, #32]
	stp	x6, x7, [x0, #48]
	stp	x8, x9, [x0, #64]
	stp	x10, x11, [x0, #80]
	stp	x12, x13, [x0, #96]
	stp	x14, x15, [x0, #112]
	stp	x16, x17, [x0, #128]
	stp	x18, x19, [x0, #144]
	stp	x20, x21, [x0, #160]
	stp	x22, x23, [x0, #176]
	stp	x24, x25, [x0, #192]
	stp	x26, x27, [x0, #208]
	stp	x28, x29, [x0, #224]
	ldp	x2, x3, [sp], #16	// the task's x0, x1
	stp	x2, x3, [x0, #CTX_X0]
	mrs	x2, sp_el0
	stp	x30, x2, [x0, #CTX_X30]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [x0, #CTX_ELR]
	mov	x0, x1
	bl	port_task_exception	// may change rtos_current
resume_current:
	adr_l	x0, rtos_current
	ldr	x0, [x0]
	ldp	x2, x3, [x0, #CTX_ELR]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x30, x2, [x0, #CTX_X30]
	msr	sp_el0, x2
	ldp	x2, x3, [x0, #16]
	ldp	x4, x5, [x0, #32]
	ldp	x6, x7, [x0, #48]
	ldp	x8, x9, [x0, #64]
	ldp	x10, x11, [x0, #80]
	ldp	x12, x13, [x0, #96]
	ldp	x14, x15, [x0, #112]
	ldp	x16, x17, [x0, #128]
	ldp	x18, x19, [x0, #144]
	ldp	x20, x21, [x0, #160]
	ldp	x22, x23, [x0, #176]
	ldp	x24, x25, [x0, #192]
	ldp	x26, x27, [x0, #208]
	ldp	x28, x29, [x0, #224]
	ldp	x0, x1, [x0, #CTX_X0]
	clrex				// no exclusive reservation crosses tasks
	eret

kern_save:
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
	add	x1, sp, #CTX_SIZE	// sp before the exception
	stp	x30, x1, [sp, #CTX_X30]
	mrs	x1, elr_el1
	mrs	x2, spsr_el1
	stp	x1, x2, [sp, #CTX_ELR]
	mov	x1, sp
	bl	port_kernel_exception	// returns only for an expected probe fault
	ldp	x1, x2, [sp, #CTX_ELR]
	msr	elr_el1, x1
	msr	spsr_el1, x2
	ldr	x30, [sp, #CTX_X30]
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
	add	sp, sp, #CTX_SIZE
	eret

	.bss
	.balign	16
	.globl	exc_stack
exc_stack:
	.space	EXC_STACK_SIZE
