// SPDX-License-Identifier: Apache-2.0
/* GICv3 CPU interface at EL2 (system registers) and the virtual CPU
 * interface's list registers (IHI 0069, 12.11 and 12.4). */
#include "drivers/gic.h"
#include "vm/vgic.h"
#include "vm/vm.h"
#include "arch/sysreg.h"

#define ICC_SRE_SRE BIT(0)
#define ICC_SRE_ENABLE BIT(3)
#define ICC_CTLR_EOIMODE BIT(1)
#define ICH_HCR_EN BIT(0)
#define ICH_HCR_UIE BIT(1)
#define ICH_HCR_TALL1 BIT(12)

/* ICH_VTR_EL2.PREbits + 1 <= 5: ICH_AP1R0_EL2 alone holds every active
 * priority (set by arch_gic_cpuif_init, the same on every CPU) */
static bool ap1r0_covers_all;

/* Read by the IRQ entry's fast path (vectors.S, irq_fast): the PPIs it
 * may list, and ICH_ELRSR_EL2 with every list register empty (all ones
 * below ICH_VTR_EL2.ListRegs + 1; ~0, which ELRSR never reads as, while
 * ICH_AP1R0_EL2 alone does not tell whether the guest is in a handler). */
struct irq_fast irq_fast;

void arch_vgic_fast_ppis(u32 ppis)
{
	__atomic_store_n(&irq_fast.ppis, ppis, __ATOMIC_RELAXED);
}

void arch_gic_cpuif_init(void)
{
	write_sysreg(icc_sre_el2, ICC_SRE_SRE | ICC_SRE_ENABLE);
	isb();
	write_sysreg(icc_pmr_el1, 0xff);
	write_sysreg(icc_bpr1_el1, 0);
	/* EOImode 1: EL2 only drops priority; the guest's EOI of a HW
	 * list-register entry deactivates the physical interrupt. */
	write_sysreg(icc_ctlr_el1, ICC_CTLR_EOIMODE);
	write_sysreg(icc_igrpen1_el1, 1);
	write_sysreg(ich_vmcr_el2, 0);
	write_sysreg(ich_hcr_el2, ICH_HCR_EN);
	isb();
	__atomic_store_n(&ap1r0_covers_all, ((read_sysreg(ich_vtr_el2) >> 26) & 7) <= 4,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&irq_fast.lrs_empty,
			 ap1r0_covers_all ? (2u << (read_sysreg(ich_vtr_el2) & 0x1f)) - 1 : ~0u,
			 __ATOMIC_RELAXED);
}

u32 arch_gic_ack(void)
{
	u32 iar = (u32)read_sysreg(icc_iar1_el1);

	dsb(sy);
	return iar & 0xffffff;
}

void arch_gic_eoi(u32 intid)
{
	write_sysreg(icc_eoir1_el1, intid);
	isb();
}

void arch_gic_deactivate(u32 intid)
{
	write_sysreg(icc_dir_el1, intid);
	isb();
}

void arch_gic_send_sgi(u64 mpidr, unsigned sgi)
{
	u64 aff0 = mpidr & 0xf, v;

	/* ICC_SGI1R_EL1: Aff3 [55:48], Aff2 [39:32], Aff1 [23:16],
	 * RS [47:44] (Aff0 / 16), INTID [27:24], TargetList [15:0] */
	v = (((mpidr >> 32) & 0xff) << 48) | (((mpidr >> 16) & 0xff) << 32) |
	    (((mpidr >> 8) & 0xff) << 16) | (((mpidr & 0xff) >> 4) << 44) |
	    ((u64)(sgi & 0xf) << 24) | (1UL << aff0);
	dsb(ishst);
	write_sysreg(icc_sgi1r_el1, v);
	isb();
}

/* ICH_VTR_EL2.ListRegs + 1, the same on every CPU: read once */
static unsigned nr_lrs;

unsigned arch_vgic_nr_lrs(void)
{
	unsigned n = __atomic_load_n(&nr_lrs, __ATOMIC_RELAXED);

	if (!n) {
		n = (unsigned)(read_sysreg(ich_vtr_el2) & 0x1f) + 1;
		__atomic_store_n(&nr_lrs, n, __ATOMIC_RELAXED);
	}
	return n;
}

/* ICH_ELRSR_EL2: bits [31:16] and those of list registers not
 * implemented are RES0 (IHI 0069 12.4.6) */
u32 arch_vgic_empty_lrs(void)
{
	return (u32)read_sysreg(ich_elrsr_el2) & 0xffff;
}

#define LR_CASE(n, c, o) case n: return read_sysreg(s3_4_c12_##c##_##o)
u64 arch_vgic_read_lr(unsigned n)
{
	switch (n) {
	LR_CASE(0, c12, 0); LR_CASE(1, c12, 1); LR_CASE(2, c12, 2); LR_CASE(3, c12, 3);
	LR_CASE(4, c12, 4); LR_CASE(5, c12, 5); LR_CASE(6, c12, 6); LR_CASE(7, c12, 7);
	LR_CASE(8, c13, 0); LR_CASE(9, c13, 1); LR_CASE(10, c13, 2); LR_CASE(11, c13, 3);
	LR_CASE(12, c13, 4); LR_CASE(13, c13, 5); LR_CASE(14, c13, 6); LR_CASE(15, c13, 7);
	default: return 0;
	}
}
#undef LR_CASE

#define LR_CASE(n, c, o) case n: write_sysreg(s3_4_c12_##c##_##o, v); break
void arch_vgic_write_lr(unsigned n, u64 v)
{
	switch (n) {
	LR_CASE(0, c12, 0); LR_CASE(1, c12, 1); LR_CASE(2, c12, 2); LR_CASE(3, c12, 3);
	LR_CASE(4, c12, 4); LR_CASE(5, c12, 5); LR_CASE(6, c12, 6); LR_CASE(7, c12, 7);
	LR_CASE(8, c13, 0); LR_CASE(9, c13, 1); LR_CASE(10, c13, 2); LR_CASE(11, c13, 3);
	LR_CASE(12, c13, 4); LR_CASE(13, c13, 5); LR_CASE(14, c13, 6); LR_CASE(15, c13, 7);
	default: break;
	}
}
#undef LR_CASE

void arch_vgic_underflow_irq(bool on)
{
	u64 hcr = read_sysreg(ich_hcr_el2);

	write_sysreg(ich_hcr_el2, on ? hcr | ICH_HCR_UIE : hcr & ~ICH_HCR_UIE);
}

void arch_vgic_trap_group1(bool on)
{
	u64 hcr = read_sysreg(ich_hcr_el2);

	write_sysreg(ich_hcr_el2, on ? hcr | ICH_HCR_TALL1 : hcr & ~ICH_HCR_TALL1);
}

#define ICH_VMCR_VENG1 BIT(1)
#define ICH_VMCR_VPMR_SHIFT 24
#define PSR_I BIT(7)

bool arch_vgic_taken_at_once(const struct vcpu *v, unsigned prio)
{
	u64 vmcr;

	if (v->regs.spsr & PSR_I)
		return false;
	/* an active virtual priority: the guest is in a handler (AP1R0
	 * covers the 32 preemption levels of 5 priority bits, QEMU's and
	 * most GICs' virtual interface) */
	if (read_sysreg(ich_ap1r0_el2) || !__atomic_load_n(&ap1r0_covers_all, __ATOMIC_RELAXED))
		return false;
	vmcr = read_sysreg(ich_vmcr_el2);
	return (vmcr & ICH_VMCR_VENG1) && prio < (vmcr >> ICH_VMCR_VPMR_SHIFT);
}

void arch_vgic_reset_cpu(void)
{
	unsigned i, n = arch_vgic_nr_lrs();

	for (i = 0; i < n; i++) {
		u64 lr = arch_vgic_read_lr(i);

		/* a HW-linked interrupt the old guest never finished stays
		 * active in the GIC: finish it here */
		if ((lr & LR_HW) && (lr & LR_STATE_MASK))
			arch_gic_deactivate((u32)(lr >> LR_PINTID_SHIFT) & 0x1fff);
		arch_vgic_write_lr(i, 0);
	}
	write_sysreg(ich_vmcr_el2, 0);
	write_sysreg(ich_hcr_el2, ICH_HCR_EN);
	isb();
}
