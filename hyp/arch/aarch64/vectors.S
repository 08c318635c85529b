// SPDX-License-Identifier: Apache-2.0
/*
 * EL2 exception vectors. Traps from a partition save the guest registers
 * into its vCPU frame (TPIDR_EL2) and call trap_dispatch() in C, which
 * returns the frame to resume. Exceptions taken from EL2 itself are bugs in
 * the monitor: they go to the panic path.
 */
#include "asm.h"
#include "arch/regs.h"
#include "vm/vcpu_offsets.h"

#define KIND_SYNC   0
#define KIND_IRQ    1
#define KIND_FIQ    2
#define KIND_SERROR 3

.macro vector_slot target, kind
	.balign	0x80
9:	stp	x0, x1, [sp, #-16]!
	mov	x1, #\kind
	b	\target
	.if (. - 9b) > 0x80
	.error "vector slot overflows 128 bytes"
	.endif
.endm

/*
 * Synchronous exception from a partition's AArch64 state. The leaf
 * hypercalls, which read no state and change none (UMBRA_HC_VERSION,
 * SMCCC_VERSION), are answered here: only x0..x3 change, as the C path
 * would leave them, and every other register is the guest's own still
 * (SMCCC 1.1+: x4..x17 preserved). Nothing else a trap does is due after
 * them: a stop or an interrupt for this vCPU comes with a physical
 * interrupt, taken to EL2 as soon as the guest runs again. Everything
 * else (another exception class, HVC #imm != 0, another function ID)
 * goes to guest_trap_common as before.
 */
.macro guest_sync_slot
	.balign	0x80
9:	stp	x0, x1, [sp, #-16]!
	mrs	x1, esr_el2
	ror	w1, w1, #12		// HVC #0 from AArch64: the whole ESR matches
	cmp	w1, #(HVC0_ESR_ROR12 >> 12), lsl #12
	b.ne	1f
	movz	w1, #(HVC_LEAF_VERSION >> 16), lsl #16
	cmp	w0, w1
	b.eq	2f
	movz	w1, #(HVC_LEAF_SMCCC_VERSION >> 16), lsl #16
	cmp	w0, w1
	b.ne	hvc_other
	ldr	x1, [sp, #8]		// SMCCC_VERSION: x1..x3 unchanged
	add	sp, sp, #16
	movz	x0, #(HVC_LEAF_SMCCC_X0 >> 16), lsl #16
	movk	x0, #(HVC_LEAF_SMCCC_X0 & 0xffff)
	eret
	dsb	nsh
	isb
2:	add	sp, sp, #16		// UMBRA_HC_VERSION: x0..x3 as the C path
	mov	x0, #0			// UMBRA_OK
	mov	x1, #HVC_LEAF_VERSION_X1
	mov	x2, xzr
	mov	x3, xzr
	eret
	dsb	nsh
	isb
1:	mov	x1, #KIND_SYNC
	b	guest_trap_common
	.if (. - 9b) > 0x80
	.error "vector slot overflows 128 bytes"
	.endif
.endm

	.text
	.balign	0x800
	.globl	el2_vectors
el2_vectors:
	/* current EL, SP_EL0: never used by Umbra */
	vector_slot el2_fault_common, KIND_SYNC
	vector_slot el2_fault_common, KIND_IRQ
	vector_slot el2_fault_common, KIND_FIQ
	vector_slot el2_fault_common, KIND_SERROR
	/* current EL, SP_EL2 */
	vector_slot el2_fault_common, KIND_SYNC
	vector_slot el2_fault_common, KIND_IRQ
	vector_slot el2_fault_common, KIND_FIQ
	vector_slot el2_fault_common, KIND_SERROR
	/* lower EL, AArch64 */
	guest_sync_slot
	vector_slot guest_irq_common, KIND_IRQ
	vector_slot guest_trap_common, KIND_FIQ
	vector_slot guest_trap_common, KIND_SERROR
	/* lower EL, AArch32 (EL0 of a guest): same frame layout */
	vector_slot guest_trap_common, KIND_SYNC
	vector_slot guest_irq_common, KIND_IRQ
	vector_slot guest_trap_common, KIND_FIQ
	vector_slot guest_trap_common, KIND_SERROR

/*
 * The frame at \base, in two halves: what C may clobber (AAPCS64: x2..x18,
 * x30, and ELR/SPSR; the caller does x0/x1) and what it keeps (x19..x29).
 * A trap saves both; an interrupt only the first (guest_irq_common).
 * x19=1: x19 goes with x18 as a pair (the full frame).
 */
/* x2..x17 (op stp: save, ldp: restore) */
.macro caller_pairs op, base
	\op	x2, x3, [\base, #16]
	\op	x4, x5, [\base, #32]
	\op	x6, x7, [\base, #48]
	\op	x8, x9, [\base, #64]
	\op	x10, x11, [\base, #80]
	\op	x12, x13, [\base, #96]
	\op	x14, x15, [\base, #112]
	\op	x16, x17, [\base, #128]
.endm

/* x20..x29, what C keeps (x19 goes with x18: the caller macros' x19=1) */
.macro callee_regs op, base
	\op	x20, x21, [\base, #160]
	\op	x22, x23, [\base, #176]
	\op	x24, x25, [\base, #192]
	\op	x26, x27, [\base, #208]
	\op	x28, x29, [\base, #224]
.endm

.macro save_caller_regs base, x19=0
	caller_pairs stp, \base
	.if	\x19
	stp	x18, x19, [\base, #144]
	.else
	str	x18, [\base, #144]
	.endif
	str	x30, [\base, #240]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [\base, #REGS_ELR]
.endm


/* ELR/SPSR, x2..x18 (x19 too if x19=1) and x30; x0/x1 last, by the caller */
.macro restore_caller_regs base, x19=0
	ldp	x1, x2, [\base, #REGS_ELR]
	msr	elr_el2, x1
	msr	spsr_el2, x2
	caller_pairs ldp, \base
	.if	\x19
	ldp	x18, x19, [\base, #144]
	.else
	ldr	x18, [\base, #144]
	.endif
	ldr	x30, [\base, #240]
.endm


/* HVC #0, not a leaf call (x0: the function ID) */
hvc_other:
	movz	w1, #(HVC_CHANNEL_NOTIFY >> 16), lsl #16
	movk	w1, #(HVC_CHANNEL_NOTIFY & 0xffff)
	cmp	w0, w1
	b.eq	guest_notify
	mov	x1, #KIND_SYNC
	/* fall through */
guest_trap_common:
	mrs	x0, tpidr_el2
	save_caller_regs x0, x19=1
	callee_regs stp, x0
	ldp	x2, x3, [sp], #16	// the guest's x0, x1
	stp	x2, x3, [x0, #0]
	bl	trap_dispatch		// (regs, kind) -> regs to resume
	/* fall through */

/* Enter or re-enter a guest from the frame in x0; never returns. */
FUNC(vcpu_resume)
	ldr	x1, [x0, #REGS_STACK_TOP]
	mov	sp, x1
	msr	tpidr_el2, x0
	callee_regs ldp, x0
	restore_caller_regs x0, x19=1
	ldp	x0, x1, [x0]
	eret
	dsb	nsh			// no speculation past eret
	isb
ENDFUNC(vcpu_resume)

/*
 * A physical interrupt while a partition runs.
 *
 * The fast path (to irq_slow) takes what would have gone through C only
 * to be listed at once (vgic.c, list_at_once): one of the HW-linked PPIs
 * of irq_fast.ppis (the timers), enabled for this vCPU, with every list
 * register empty and nothing else due on the way out (nothing queued or
 * asked of vgic_flush: vgic_flush_needed's word; the vCPU resumable; no
 * console line or SMMU event to poll). The guest then takes it before
 * any instruction of its own (PSTATE.I clear, no active priority,
 * Group 1 enabled, priority above the mask: arch_vgic_taken_at_once),
 * so the level-triggered resample of list() is not due either. It
 * acknowledges, drops the priority (EOImode 1: the guest's EOI of the HW
 * entry deactivates it), writes LR0 as list_at_once would and returns,
 * with x0..x3 saved on the stack. ERET synchronises the system-register
 * writes (Arm ARM D1.4.1, exception return is a context synchronization
 * event). Anything else goes to trap_irq(regs, acked) with acked = 1023
 * before the acknowledge, or the INTID taken, which it handles first.
 */
guest_irq_common:
	stp	x2, x3, [sp, #-16]!
	mrs	x0, tpidr_el2
	ldr	x1, [x0, #VCPU_VGIC_FLUSH]	// pending_map, underflow, ppi_sync, purge
	cbnz	x1, irq_slow
	ldrb	w1, [x0, #VCPU_ON]
	cbz	w1, irq_slow
	ldr	w1, [x0, #VCPU_GEN]
	ldr	w2, [x0, #VCPU_ENTERED_GEN]
	cmp	w1, w2
	b.ne	irq_slow
	adrp	x1, console_queued
	ldr	w1, [x1, :lo12:console_queued]
	cbnz	w1, irq_slow
	adrp	x1, iommu_polled
	ldrb	w1, [x1, :lo12:iommu_polled]
	cbnz	w1, irq_slow
	adrp	x1, irq_fast
	add	x1, x1, :lo12:irq_fast
	ldp	w2, w3, [x1, #IRQ_FAST_PPIS]	// w3: IRQ_FAST_LRS_EMPTY
	mrs	x1, ich_elrsr_el2
	cmp	w1, w3
	b.ne	irq_slow
	mrs	x1, spsr_el2
	tbnz	w1, #7, irq_slow		// PSTATE.I
	mrs	x1, ich_ap1r0_el2
	cbnz	x1, irq_slow			// an active priority: in a handler
	mrs	x3, ich_vmcr_el2
	tbz	w3, #1, irq_slow		// VENG1: Group 1 disabled
	mrs	x1, icc_iar1_el1
	dsb	sy
	and	w1, w1, #0xffffff
	cmp	w1, #32
	b.hs	irq_slow_acked			// not a PPI (or spurious)
	lsr	w2, w2, w1
	tbz	w2, #0, irq_slow_acked
	ldr	w2, [x0, #VCPU_VGIC_ENABLED]
	lsr	w2, w2, w1
	tbz	w2, #0, irq_slow_acked
	add	x2, x0, x1
	ldrb	w2, [x2, #VCPU_VGIC_PRIO]
	cmp	w2, w3, lsr #24			// ICH_VMCR_EL2.VPMR
	b.hs	irq_slow_acked
	msr	icc_eoir1_el1, x1
	orr	w2, w2, #0x7000			// state pending, HW, Group 1
	lsl	x2, x2, #48			// and the priority
	orr	x2, x2, x1			// vINTID
	orr	x2, x2, x1, lsl #32		// pINTID
	msr	ich_lr0_el2, x2
	ldp	x2, x3, [sp], #16
	ldp	x0, x1, [sp], #16
	eret
	dsb	nsh				// no speculation past eret
	isb

/*
 * The C path. trap_irq() reads and writes nothing of the frame but SPSR,
 * so only what C may clobber is saved: x0..x18, x30, ELR, SPSR. x19..x29
 * stay the guest's in the registers (AAPCS: trap_irq preserves them) and
 * are not in the frame: should the vCPU stop, it parks and never resumes
 * from this frame (a vCPU is only started afresh, arch_vcpu_reset). Back
 * the same way, without the frame's x19..x29.
 */
.macro call_light fn
	save_caller_regs x0
	ldp	x2, x3, [sp], #16	// the guest's x0, x1
	stp	x2, x3, [x0, #0]
	bl	\fn			// (regs, x1) -> the same regs; or it parks
	restore_caller_regs x0
	ldp	x0, x1, [x0]
	eret
	dsb	nsh			// no speculation past eret
	isb
.endm

irq_slow:
	mov	w1, #1023			// nothing acknowledged
irq_slow_acked:
	ldp	x2, x3, [sp], #16
	call_light trap_irq

/* UMBRA_HC_CHANNEL_NOTIFY: the same way (trap_channel_notify reads x1
 * and writes x0..x3 of the frame, nothing else) */
guest_notify:
	mrs	x0, tpidr_el2
	call_light trap_channel_notify

el2_fault_common:
	/* x0/x1 are on the stack. A synchronous exception at the AT of
	 * arch_at_s1e1r resumes at its fixup: nothing else is expected */
	cmp	x1, #KIND_SYNC
	b.ne	1f
	mrs	x0, elr_el2
	adr	x1, at_s1e1r_insn
	cmp	x0, x1
	mov	x1, #KIND_SYNC
	b.ne	1f
	adr	x0, at_s1e1r_fixup
	msr	elr_el2, x0
	ldp	x0, x1, [sp], #16
	eret
1:	/* build a full frame below x0/x1 */
	sub	sp, sp, #REGS_SIZE
	save_caller_regs sp, x19=1
	callee_regs stp, sp
	ldp	x2, x3, [sp, #REGS_SIZE]
	stp	x2, x3, [sp, #0]
	mov	x0, sp
	bl	panic_exception		// (regs, kind); never returns
	b	park

/*
 * u64 arch_at_s1e1r(u64 va): PAR_EL1 after AT S1E1R va, with PAR_EL1 itself
 * left as it was (trap.c: it is the guest's). The walk is the guest's
 * stage 1 through its stage 2; a synchronous External abort on it may be
 * taken as an exception instead of reported in PAR_EL1 (IMPLEMENTATION
 * DEFINED; KVM met it on real CPUs): el2_fault_common then resumes at the
 * fixup, which answers a failed translation (F = 1).
 */
FUNC(arch_at_s1e1r)
	mrs	x2, par_el1
at_s1e1r_insn:
	at	s1e1r, x0
	isb
	mrs	x0, par_el1
	msr	par_el1, x2
	ret
at_s1e1r_fixup:
	mov	x0, #1
	msr	par_el1, x2
	ret
ENDFUNC(arch_at_s1e1r)
