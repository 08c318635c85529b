// SPDX-License-Identifier: Apache-2.0
/* Entering partitions at EL1 and injecting exceptions into them. */
#include "umbra/arch.h"
#include "partition/partition.h"
#include "arch/sysreg.h"

__noreturn void vcpu_resume(struct arch_regs *regs);
u64 arch_tcr_common(void);

#define HCR_GUEST (HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_IS | \
		   HCR_TSC | HCR_TIDCP | HCR_TACR | HCR_TSW | HCR_RW | HCR_TID3)
#define VTCR_SL0_L1 (1UL << 6)
#define VTCR_RES1 BIT(31)
/* CNTHCTL_EL2 (E2H 0): EL1 reads the physical counter and uses the EL1
 * physical timer without trapping. CPUs are dedicated and Umbra has no
 * timer of its own on them (it reads only the counter; were it to need a
 * timer, it is the EL2 one, CNTHP), so the partition gets the timer as is. */
#define CNTHCTL_EL1PCTEN BIT(0)
#define CNTHCTL_EL1PCEN BIT(1)
#define SCTLR_EL1_RESET 0x30d00800UL   /* RES1 bits, MMU and caches off */
#define MPIDR_AFF_MASK 0xff00ffffffUL

u64 arch_counter(void)
{
	isb(); /* not read early (Arm ARM D12.1.2: reads may be speculative) */
	return read_sysreg(cntpct_el0);
}

u64 arch_counter_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

u64 arch_this_mpidr(void)
{
	return read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
}

void arch_vcpu_reset(struct vcpu *v, u64 entry, u64 x0)
{
	memset(&v->regs, 0, sizeof(v->regs));
	v->regs.x[0] = x0;
	v->regs.elr = entry;
	v->regs.spsr = PSR_MODE_EL1h | PSR_DAIF;
}

u64 arch_vcpu_pc(const struct vcpu *v)
{
	return v->regs.elr;
}

/* Top of the stack this CPU runs on: every EL2 stack is STACK_SIZE long
 * and aligned to it (head.S, main.c). */
static u64 this_stack_top(void)
{
	u64 sp;

	__asm__ volatile("mov %0, sp" : "=r"(sp));
	return ((sp - 1) | (STACK_SIZE - 1)) + 1;
}

__noreturn void arch_vcpu_enter(struct vcpu *v)
{
	struct partition *p = v->part;

	/* HPMN = N: every counter the partition's; EL2 never counted in them,
	 * or no PMU at all (idregs.c) */
	write_sysreg(mdcr_el2, ((read_sysreg(pmcr_el0) >> 11) & 0x1f) |
			       (arch_pmu_offered() ? MDCR_HPMD : MDCR_TPM | MDCR_TPMCR));
	write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN);
	write_sysreg(cntvoff_el2, 0);
	write_sysreg(vtcr_el2, arch_tcr_common() | VTCR_SL0_L1 | VTCR_RES1);
	write_sysreg(vttbr_el2, pa_addr(pgtable_root_pa(&p->s2)) | ((u64)p->s2.vmid << 48));
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	write_sysreg(vmpidr_el2, BIT(31) | p->cfg->cpu_mpidr[v->index]);
	write_sysreg(sctlr_el1, SCTLR_EL1_RESET);
	write_sysreg(cntv_ctl_el0, 0);  /* no timer from a previous life */
	write_sysreg(cntp_ctl_el0, 0);
	/* its TLBIs trapped while only vCPU 0 runs (trap.c, emulate_tlbi) */
	write_sysreg(hcr_el2, HCR_GUEST |
			      (__atomic_load_n(&p->tlbi_local, __ATOMIC_ACQUIRE) ? HCR_TTLB : 0));
	isb();
	/* nothing cached for this VMID from an earlier life may survive */
	__asm__ volatile("tlbi vmalls12e1is" ::: "memory");
	dsb(ish);
	isb();
	arch_vgic_reset_cpu();
	vgic_cpu_enter(v);
	vgic_flush(v);
	v->regs.stack_top = this_stack_top();
	vcpu_resume(&v->regs);
}

/* Exception entry to EL1 (Arm ARM D1.10.2): the vector offset depends on
 * where the guest was. */
static u64 vector_offset(u64 spsr)
{
	if (spsr & PSR_RW_AARCH32)
		return 0x600;
	switch (spsr & PSR_MODE_MASK) {
	case PSR_MODE_EL0t:
		return 0x400;
	case PSR_MODE_EL1t:
		return 0x000;
	default:
		return 0x200;
	}
}

static bool from_el0(u64 spsr)
{
	return (spsr & PSR_RW_AARCH32) || (spsr & PSR_MODE_MASK) == PSR_MODE_EL0t;
}

static void inject_sync(struct vcpu *v, u64 esr, u64 far)
{
	write_sysreg(esr_el1, esr);
	write_sysreg(far_el1, far);
	write_sysreg(elr_el1, v->regs.elr);
	write_sysreg(spsr_el1, v->regs.spsr);
	v->regs.elr = read_sysreg(vbar_el1) + vector_offset(v->regs.spsr);
	v->regs.spsr = PSR_MODE_EL1h | PSR_DAIF;
}

void arch_inject_undef(struct vcpu *v)
{
	inject_sync(v, ((u64)EC_UNKNOWN << ESR_EC_SHIFT) | ESR_IL, 0);
}

bool arch_inject_abort(struct vcpu *v, bool instr, bool write, u64 far)
{
	bool el0 = from_el0(v->regs.spsr);
	u64 vbar = read_sysreg(vbar_el1);

	/* A fetch fault inside the guest's own vector table would be
	 * re-injected forever: the guest cannot handle anything. */
	if (instr && v->regs.elr - vbar < 0x800)
		return false;
	u64 ec = instr ? (el0 ? EC_IABT_LOW : EC_IABT_CUR) : (el0 ? EC_DABT_LOW : EC_DABT_CUR);
	u64 iss = ISS_FSC_SEA | ((write && !instr) ? ISS_DABT_WNR : 0);

	inject_sync(v, (ec << ESR_EC_SHIFT) | ESR_IL | iss, far);
	return true;
}
