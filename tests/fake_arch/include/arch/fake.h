/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fake architecture for host unit tests (fake_arch.c): everything in
 * umbra/arch.h, recording what the portable code asked of the hardware so tests
 * can assert on it. Halting calls (system off, CPU idle, guest entry)
 * longjmp to fake_arch.halt when a test armed it, and abort() otherwise.
 */
#ifndef ARCH_FAKE_H
#define ARCH_FAKE_H

#include <setjmp.h>

#include "drivers/gic.h"
#include "mm/pgtable.h"

struct vcpu;

#define FAKE_TLB_LOG 64
#define FAKE_CLEAN_LOG 64

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
	/* cache maintenance; the first FAKE_CLEAN_LOG cleans' ranges */
	unsigned dcache_cleans, dcache_clean_invals;
	u64 dcache_bytes;
	struct { const void *p; u64 len; } clean[FAKE_CLEAN_LOG];
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
	u64 counter;                    /* what arch_counter() returns (1 MHz) */
	unsigned cpu_waits, cpu_wakes;
	/* called by arch_cpu_wait(); without it, 1000 waits halt the test */
	void (*wait_hook)(void);
	bool pmu_offered;               /* what arch_pmu_offered() returns */
	bool has_sha256;                /* what arch_has_sha256() returns */
	unsigned sha256_blocks;         /* blocks arch_sha256_blocks() compressed */
	/* halting calls */
	unsigned system_offs, cpu_idles;
	jmp_buf *halt;
};

/* The GIC (drivers/gicv3.c and the arch CPU interface), as state. */
#define FAKE_NR_IRQS 1024
#define FAKE_NR_LRS 4

struct fake_gic {
	bool enabled[FAKE_NR_IRQS], pending[FAKE_NR_IRQS], active[FAKE_NR_IRQS];
	bool edge[FAKE_NR_IRQS];
	u8 prio[FAKE_NR_IRQS];
	u64 route[FAKE_NR_IRQS];
	unsigned nr_spis;               /* what gic_nr_spis() returns */
	/* SGIs sent with arch_gic_send_sgi() */
	unsigned sgis;
	u64 sgi_mpidr;
	unsigned sgi_id;
	void (*sgi_hook)(u64 mpidr, unsigned sgi);
	/* physical interrupts arch_gic_ack() returns, in order (more than
	 * vgic_handle_irqs() takes in one go) */
	u32 ack_queue[32];
	unsigned nr_acks, next_ack;
	unsigned eois, deactivates;
	u32 last_eoi, last_deactivate;
	/* virtual CPU interface */
	u64 lr[FAKE_NR_LRS];
	unsigned nr_lrs;                /* what arch_vgic_nr_lrs() returns */
	bool underflow_irq;
	u32 fast_ppis;             /* arch_vgic_fast_ppis */
	bool trap_group1;               /* arch_vgic_trap_group1() */
	bool taken_at_once;             /* arch_vgic_taken_at_once() */
	unsigned vcpu_if_resets;
};

extern struct fake_arch fake_arch;
extern struct fake_gic fake_gic;

/* Zero all records (halt disarmed), GIC included. */
void fake_arch_reset(void);
void fake_gic_reset(void);      /* (the GIC part only) */

#endif
