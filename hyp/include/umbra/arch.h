/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the portable subsystems need from an architecture. hyp/arch/aarch64 implements it
 * for the real monitor; tests/fake_arch implements it for host unit tests.
 */
#ifndef UMBRA_ARCH_H
#define UMBRA_ARCH_H

#include "umbra/types.h"

/* Page-table maintenance (pgtable.c; TLB invalidation: pgtable.h) */
void arch_pt_sync(void);                          /* table writes visible to walkers */

/* Identity mapping at EL2: table pages are addressed by their PA. */
static inline void *pa_to_ptr(paddr_t pa) { return (void *)(uintptr_t)pa_addr(pa); }
static inline paddr_t ptr_to_pa(const void *p) { return pa_init((u64)(uintptr_t)p); }


/* vCPUs (hyp/arch/<arch>/) */
struct vcpu;
struct partition;
void arch_vcpu_reset(struct vcpu *v, u64 entry, u64 x0);
__noreturn void arch_vcpu_enter(struct vcpu *v);
void arch_inject_undef(struct vcpu *v);
/* false: the guest cannot take it (its vectors are not executable) */
bool arch_inject_abort(struct vcpu *v, bool instr, bool write, u64 far);
u64 arch_vcpu_pc(const struct vcpu *v);
/* Do partitions get the PMU (docs/partition-machine.md)? */
bool arch_pmu_offered(void);

/* Machine */
__noreturn void arch_system_off(void);
__noreturn void arch_cpu_idle(void);   /* park this CPU for good */
/* Start a CPU at EL2 on the stack whose top (STACK_SIZE aligned) is given:
 * it ends in secondary_main(logical_cpu). */
int arch_cpu_on(u64 mpidr, unsigned logical_cpu, u64 stack_top);
u64 arch_this_mpidr(void);
/* The system counter (CNTPCT_EL0) and its frequency in Hz. */
u64 arch_counter(void);
u64 arch_counter_freq(void);
void arch_dcache_clean_range(const void *p, u64 len);
void arch_dcache_clean_inval_range(const void *p, u64 len);
void arch_mem_zero(void *p, u64 len);    /* scrub Normal memory */
void arch_cpu_wait(void);                /* until an interrupt is pending */
void arch_cpu_wake(u64 mpidr);           /* make that CPU's arch_cpu_wait return */
void arch_icache_inval_all(void);
/* SHA-256 compression of whole 64-byte blocks (state a..h) with the CPU's
 * own instructions, if arch_has_sha256() */
bool arch_has_sha256(void);
void arch_sha256_blocks(u32 state[8], const void *data, u64 nblocks);

#endif
