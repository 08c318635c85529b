// SPDX-License-Identifier: Apache-2.0
/* The fake architecture for host unit tests: see arch/fake.h. */
#include <stdlib.h>

#include "arch/fake.h"
#include "umbra/arch.h"
#include "attest/attest_svc.h"
#include "vm/vm.h"
#include "mm/mmu.h"

#define FAKE_SPSR_EL1H_DAIF 0x3c5UL

struct fake_arch fake_arch;

void fake_arch_reset(void)
{
	memset(&fake_arch, 0, sizeof(fake_arch));
	fake_gic_reset();
}

static __noreturn void halt(enum fake_halt why)
{
	if (fake_arch.halt)
		longjmp(*fake_arch.halt, (int)why);
	abort();
}

void arch_pt_sync(void)
{
	fake_arch.pt_syncs++;
}

void arch_tlb_inval(const struct pgtable *pt, u64 va)
{
	if (fake_arch.tlb_invals < FAKE_TLB_LOG)
		fake_arch.tlb[fake_arch.tlb_invals] = (struct fake_tlb_inval){
			.pt = pt, .regime = pt->regime, .vmid = pt->vmid, .va = va,
			.pt_syncs = fake_arch.pt_syncs,
		};
	fake_arch.tlb_invals++;
}

void arch_tlb_inval_el2(u64 va)
{
	(void)va;
	fake_arch.tlb_inval_el2++;
}

void arch_tlb_inval_s2(u16 vmid, u64 ipa)
{
	(void)vmid;
	(void)ipa;
	fake_arch.tlb_inval_s2++;
}

void arch_tlb_inval_s2_all(u16 vmid)
{
	(void)vmid;
	fake_arch.tlb_inval_s2_all++;
}

void arch_vcpu_reset(struct vcpu *v, u64 entry, u64 x0)
{
	memset(&v->regs, 0, sizeof(v->regs));
	v->regs.x[0] = x0;
	v->regs.elr = entry;
	v->regs.spsr = FAKE_SPSR_EL1H_DAIF;
	fake_arch.vcpu_resets++;
}

__noreturn void arch_vcpu_enter(struct vcpu *v)
{
	fake_arch.entered = v;
	halt(FAKE_HALT_VCPU_ENTER);
}

void arch_inject_undef(struct vcpu *v)
{
	fake_arch.undefs++;
	fake_arch.inject_vcpu = v;
}

bool arch_inject_abort(struct vcpu *v, bool instr, bool write, u64 far)
{
	if (fake_arch.abort_refused)
		return false;
	fake_arch.aborts++;
	fake_arch.inject_vcpu = v;
	fake_arch.inject_instr = instr;
	fake_arch.inject_write = write;
	fake_arch.inject_far = far;
	return true;
}

u64 arch_vcpu_pc(const struct vcpu *v)
{
	return v->regs.elr;
}

__noreturn void arch_system_off(void)
{
	fake_arch.system_offs++;
	halt(FAKE_HALT_SYSTEM_OFF);
}

__noreturn void arch_cpu_idle(void)
{
	fake_arch.cpu_idles++;
	halt(FAKE_HALT_CPU_IDLE);
}

int arch_cpu_on(u64 mpidr, unsigned logical_cpu, u64 stack_top)
{
	(void)stack_top;
	fake_arch.cpu_on_calls++;
	fake_arch.cpu_on_mpidr = mpidr;
	fake_arch.cpu_on_logical = logical_cpu;
	return fake_arch.cpu_on_ret;
}

u64 arch_counter(void)
{
	return fake_arch.counter;
}

u64 arch_counter_freq(void)
{
	return 1000000;
}

u64 arch_this_mpidr(void)
{
	return fake_arch.mpidr;
}

void arch_dcache_clean_range(const void *p, u64 len)
{
	(void)p;
	fake_arch.dcache_cleans++;
	fake_arch.dcache_bytes += len;
}

void arch_dcache_clean_inval_range(const void *p, u64 len)
{
	(void)p;
	fake_arch.dcache_clean_invals++;
	fake_arch.dcache_bytes += len;
}

void arch_cpu_wait(void)
{
	fake_arch.cpu_waits++;
	if (fake_arch.wait_hook)
		fake_arch.wait_hook();
	else if (fake_arch.cpu_waits >= 1000)
		halt(FAKE_HALT_CPU_IDLE);
}

void arch_cpu_wake(u64 mpidr)
{
	(void)mpidr;
	fake_arch.cpu_wakes++;
}

void arch_mem_zero(void *p, u64 len)
{
	memset(p, 0, len);
}

void arch_icache_inval_all(void)
{
	fake_arch.icache_invals++;
}

/* BearSSL runs on the host's own FP state: nothing to keep. */
void arch_fpsimd_save(struct fpsimd_state *s)
{
	(void)s;
}

void arch_fpsimd_restore(const struct fpsimd_state *s)
{
	(void)s;
}

/* mm/mmu.h: the EL2 map is the host's own address space */
int mmu_map_device(u64 base, u64 size)
{
	(void)base;
	(void)size;
	return 0;
}

bool arch_pmu_offered(void)
{
	return fake_arch.pmu_offered;
}
