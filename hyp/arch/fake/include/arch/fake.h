/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fake architecture for host unit tests (fake_arch.c): everything in
 * umbra/arch.h, recording what hyp/core asked of the hardware so tests
 * can assert on it. Halting calls (system off, CPU idle, guest entry)
 * longjmp to fake_arch.halt when a test armed it, and abort() otherwise.
 */
#ifndef ARCH_FAKE_H
#define ARCH_FAKE_H

#include <setjmp.h>

#include "umbra/pgtable.h"

struct vcpu;

#define FAKE_TLB_LOG 64

enum fake_halt {
	FAKE_HALT_SYSTEM_OFF = 1,
	FAKE_HALT_CPU_IDLE,
	FAKE_HALT_VCPU_ENTER,
};

struct fake_tlb_inval {
	const struct pgtable *pt;
	enum pt_regime regime;
	u16 vmid;
	u64 va;
	unsigned pt_syncs;              /* arch_pt_sync() calls before this one */
};

struct fake_arch {
	unsigned pt_syncs;
	/* arch_tlb_inval(): count, and the first FAKE_TLB_LOG calls */
	unsigned tlb_invals;
	struct fake_tlb_inval tlb[FAKE_TLB_LOG];
	unsigned tlb_inval_el2, tlb_inval_s2, tlb_inval_s2_all;
	/* cache maintenance */
	unsigned dcache_cleans;
	u64 dcache_bytes;
	unsigned icache_invals;
	/* exceptions injected into vCPUs */
	unsigned undefs, aborts;
	bool abort_refused;             /* arch_inject_abort() fails (guest can't take it) */
	struct vcpu *inject_vcpu;       /* target of the last injection */
	bool inject_instr, inject_write;
	u64 inject_far;
	/* vCPUs and CPUs */
	unsigned vcpu_resets;
	struct vcpu *entered;           /* last arch_vcpu_enter() */
	unsigned cpu_on_calls;
	u64 cpu_on_mpidr;
	unsigned cpu_on_logical;
	int cpu_on_ret;                 /* what arch_cpu_on() returns */
	u64 mpidr;                      /* what arch_this_mpidr() returns */
	/* halting calls */
	unsigned system_offs, cpu_idles;
	jmp_buf *halt;
};

extern struct fake_arch fake_arch;

/* Zero all records (halt disarmed). */
void fake_arch_reset(void);

#endif
