// SPDX-License-Identifier: Apache-2.0
/* The one C entry for every trap from a partition: decode ESR_EL2 and hand
 * over to the portable subsystems. Returns the register frame to resume. */
#include "umbra/arch.h"
#include "console/console.h"
#include "console/vuart.h"
#include "devices/channel.h"
#include "devices/iommu.h"
#include "partition/partition.h"
#include "arch/sysreg.h"
#include "umbra_abi.h"

u64 arch_idreg_read(struct vcpu *v, unsigned crm, unsigned op2);

/* the leaf hypercalls vectors.S answers itself (arch/regs.h) */
_Static_assert(HVC0_ESR_ROR12 == ((((u32)EC_HVC64 << ESR_EC_SHIFT) | ESR_IL) >> 12) &&
	       HVC_LEAF_VERSION == UMBRA_HC_VERSION &&
	       HVC_LEAF_VERSION_X1 == ((UMBRA_ABI_MAJOR << 16) | UMBRA_ABI_MINOR) &&
	       HVC_LEAF_SMCCC_VERSION == SMCCC_VERSION && HVC_LEAF_SMCCC_X0 == UMBRA_SMCCC_VERSION &&
	       HVC_CHANNEL_NOTIFY == UMBRA_HC_CHANNEL_NOTIFY &&
	       UMBRA_OK == 0, "leaf hypercalls in vectors.S");

enum { KIND_SYNC, KIND_IRQ, KIND_FIQ, KIND_SERROR };

#define HCR_VSE BIT(8)

/* Abort status codes (ISS.DFSC/IFSC, D13.2.39): any level */
#define FSC_TRANSLATION(esr) (((esr) & 0x3c) == 0x04)
#define FSC_PERMISSION(esr) (((esr) & 0x3c) == 0x0c)
#define ISS_ABT_S1PTW BIT(7)

/* vectors.S: PAR_EL1 after AT S1E1R va, PAR_EL1 itself left as it was (it
 * is the guest's); F (bit 0) set also when the walk took an exception. */
u64 arch_at_s1e1r(u64 va);

/* The IPA of a stage-2 abort. HPFAR_EL2.FIPA holds bits [47:12] for
 * Translation and Access flag faults and for any fault on a stage-1
 * table walk, but not for a Permission fault on the access itself
 * (D13.2.53: UNKNOWN then). That one is found by translating FAR with the
 * guest's stage 1, live in the EL1 registers. False if the guest's tables
 * no longer map FAR (changed by another of its CPUs, or never invalidated
 * after a change): its TLB entries are dropped on this CPU, and the access
 * runs again with its current tables. */
static bool abort_ipa(u64 esr, u64 far, u64 *ipa)
{
	u64 par;

	if (!FSC_PERMISSION(esr) || (esr & ISS_ABT_S1PTW)) {
		*ipa = ((read_sysreg(hpfar_el2) & 0xfffffffff0UL) << 8) | (far & 0xfff);
		return true;
	}
	par = arch_at_s1e1r(far);
	if (par & 1) {
		__asm__ volatile("tlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");
		return false;
	}
	*ipa = (par & 0x0000fffffffff000UL) | (far & 0xfff);
	return true;
}

/* A data abort on an address Umbra emulates (the vGIC, the vUART). Only accesses
 * with a valid syndrome (ISV: single loads/stores, D13.2.39) that missed
 * at stage 2 (Translation) or wrote a read-only page (Permission: the
 * vUART's shadow) can be emulated, never a fault on a stage-1 table walk;
 * anything else is refused like any stray access. */
static bool emulate_mmio(struct vcpu *v, u64 esr, u64 ipa)
{
	unsigned size = 1u << ((esr >> 22) & 3), rt = (esr >> 16) & 0x1f;
	bool write = esr & ISS_DABT_WNR, sign = (esr >> 21) & 1, sf = (esr >> 15) & 1;
	u64 val = (write && rt != 31) ? v->regs.x[rt] : 0;

	if (!((esr >> 24) & 1) || (esr & ISS_ABT_S1PTW) ||
	    !(FSC_TRANSLATION(esr) || FSC_PERMISSION(esr)))
		return false;
	if (size < 8)
		val &= (1UL << (8 * size)) - 1;
	if (!vgic_mmio(v, ipa, size, write, &val) && !vuart_mmio(v->part, ipa, size, write, &val))
		return false;
	if (!write && rt != 31) {
		if (sign && size < 8 && (val >> (8 * size - 1)) & 1)
			val |= ~0UL << (8 * size);
		v->regs.x[rt] = sf ? val : (u32)val;
	}
	v->regs.elr += 4;
	return true;
}

/* MSR/MRS traps (ISS: Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10],
 * Rt [9:5], CRm [4:1], read [0]). With HCR_EL2.IMO set, EL1 writes of the
 * SGI generation registers trap here (GICv3 spec 12.11.25). */
#define SYSREG_ISS(op0, op1, crn, crm, op2) \
	(((op0) << 20) | ((op2) << 17) | ((op1) << 14) | ((crn) << 10) | ((crm) << 1))
#define SYSREG_MASK SYSREG_ISS(3, 7, 15, 15, 7)
#define ICC_SGI1R  SYSREG_ISS(3, 0, 12, 11, 5)
#define ICC_ASGI1R SYSREG_ISS(3, 0, 12, 11, 6)
#define ICC_SGI0R  SYSREG_ISS(3, 0, 12, 11, 7)

/* Group 1 CPU interface registers: ICH_HCR_EL2.TALL1 traps them */
#define ICC_GROUP1_MASK SYSREG_ISS(3, 7, 15, 15, 0)
#define ICC_AP1R   SYSREG_ISS(3, 0, 12, 9, 0)   /* AP1R0..3: op2 0-3 */
#define ICC_IAR1   SYSREG_ISS(3, 0, 12, 12, 0)  /* IAR1, EOIR1, HPPIR1, BPR1, IGRPEN1 */

/* The ID group (HCR_EL2.TID3): op0 3, op1 0, CRn 0, CRm 1-7 */
#define ID_GROUP_MASK SYSREG_ISS(3, 7, 15, 0, 0)
#define ID_GROUP      SYSREG_ISS(3, 0, 0, 0, 0)
#define ISS_CRM(iss)  (((iss) >> 1) & 0xf)
#define ISS_OP2(iss)  (((iss) >> 17) & 0x7)

/* PMU registers (MDCR_EL2.TPM): op0 3 with op1 3, CRn 9, CRm 12-14
 * (PMCR_EL0 ... PMOVSSET_EL0), op1 0, CRn 9, CRm 14 (PMINTEN*, PMMIR) or
 * op1 3, CRn 14, CRm 8-15 (PMEVCNTR<n>, PMEVTYPER<n>, PMCCFILTR) */
static bool is_pmu_reg(u64 reg)
{
	unsigned op1 = (reg >> 14) & 7, crn = (reg >> 10) & 0xf, crm = ISS_CRM(reg);

	if ((reg >> 20) != 3)
		return false;
	return (crn == 9 && op1 == 3 && crm >= 12) || (crn == 9 && op1 == 0 && crm == 14) ||
	       (crn == 14 && op1 == 3 && crm >= 8);
}

/* TLB maintenance at EL1 (op0 1, op1 0, CRn 8; CRn 9: the nXS forms)
 * traps (HCR_EL2.TTLB) only while vCPU 0 is the partition's one vCPU
 * that has run since its last (re)start. Every vCPU entry invalidates
 * the VMID on every CPU first (arch_vcpu_enter), so only this CPU can
 * use entries of the partition: the broadcast asked for is needed here
 * alone, and early boot (Linux patches its ftrace sites, one TLBI each)
 * costs the other CPUs nothing. At EL2 the E1 forms act on the current
 * VMID (VTTBR_EL2). Once another vCPU runs: one broadcast of all, and no
 * more traps. */
#define TLBI_E1_MASK SYSREG_ISS(3, 7, 14, 0, 0)
#define TLBI_E1      SYSREG_ISS(1, 0, 8, 0, 0)
#define TLBI(op) __asm__ volatile("tlbi " #op ", %0" : : "r"(x) : "memory")

static void emulate_tlbi(struct vcpu *v, unsigned crm, unsigned op2, u64 x)
{
	if (!__atomic_load_n(&v->part->tlbi_local, __ATOMIC_ACQUIRE)) {
		__asm__ volatile("tlbi vmalle1is" ::: "memory");
		dsb(ish);
		write_sysreg(hcr_el2, read_sysreg(hcr_el2) & ~HCR_TTLB);
		return;
	}
	/* the base forms, IS or not (and their nXS twins); OS, range: all */
	switch ((crm == 3 || crm == 7) ? op2 : 0) {
	case 1: TLBI(vae1); break;
	case 2: TLBI(aside1); break;
	case 3: TLBI(vaae1); break;
	case 5: TLBI(vale1); break;
	case 7: TLBI(vaale1); break;
	default: __asm__ volatile("tlbi vmalle1" ::: "memory"); break;
	}
	dsb(nsh);
}

static bool emulate_sysreg(struct vcpu *v, u64 esr)
{
	u64 iss = ESR_ISS(esr), reg = iss & SYSREG_MASK;
	unsigned rt = (iss >> 5) & 0x1f;
	bool read = iss & 1;

	if ((reg & ID_GROUP_MASK) == ID_GROUP && ISS_CRM(iss) >= 1 && ISS_CRM(iss) <= 7) {
		if (!read)
			return false; /* ID registers are read-only: undefined */
		if (rt != 31)
			v->regs.x[rt] = arch_idreg_read(v, ISS_CRM(iss), ISS_OP2(iss));
		v->regs.elr += 4;
		return true;
	}
	if ((reg & TLBI_E1_MASK) == TLBI_E1 && !read) {
		emulate_tlbi(v, ISS_CRM(iss), ISS_OP2(iss), rt == 31 ? 0 : v->regs.x[rt]);
		v->regs.elr += 4;
		return true;
	}
	if (is_pmu_reg(reg) && !arch_pmu_offered()) {
		arch_inject_undef(v); /* no PMU here: as on a CPU without one */
		return true;
	}

	if (v->vgic.resample && ((reg & ICC_GROUP1_MASK) == ICC_AP1R ||
				 (reg & ICC_GROUP1_MASK) == ICC_IAR1)) {
		/* the list registers are as the GIC would have them now: the
		 * access runs again, untrapped (ELR unchanged) */
		vgic_resample(v);
		return true;
	}
	if (read || (reg != ICC_SGI1R && reg != ICC_ASGI1R && reg != ICC_SGI0R))
		return false;
	/* Group 0 and the other security state's group: no such thing here */
	if (reg == ICC_SGI1R)
		vgic_sgi_write(v, rt == 31 ? 0 : v->regs.x[rt]);
	v->regs.elr += 4;
	return true;
}

static void handle_sync(struct vcpu *v)
{
	u64 esr = read_sysreg(esr_el2);
	u64 ipa, far;

	switch (ESR_EC(esr)) {
	case EC_HVC64:
		/* ELR already points past the HVC */
		if (ESR_ISS(esr) & 0xffff)
			v->regs.x[0] = (u64)UMBRA_E_NOT_SUPPORTED;
		else
			hypercall_dispatch(v);
		break;
	case EC_SMC64:
		/* a trapped SMC leaves ELR at the SMC itself (D1.11.3) */
		v->regs.elr += 4;
		if (ESR_ISS(esr) & 0xffff)
			v->regs.x[0] = (u64)UMBRA_E_NOT_SUPPORTED;
		else
			hypercall_dispatch(v);
		break;
	case EC_DABT_LOW:
		far = read_sysreg(far_el2);
		if (!abort_ipa(esr, far, &ipa))
			break;
		if (!emulate_mmio(v, esr, ipa))
			guest_abort(v, ipa, far, false, esr & ISS_DABT_WNR);
		break;
	case EC_SYSREG:
		if (!emulate_sysreg(v, esr))
			guest_unhandled_trap(v, esr);
		break;
	case EC_IABT_LOW:
		far = read_sysreg(far_el2);
		if (abort_ipa(esr, far, &ipa))
			guest_abort(v, ipa, far, true, false);
		break;
	default:
		guest_unhandled_trap(v, esr);
		break;
	}
}

/* Every way back to a guest: park v if it was stopped or reset meanwhile,
 * list what is pending for it, and resume it from its frame. */
static struct arch_regs *leave(struct vcpu *v)
{
	if (!vcpu_resumable(v))
		vcpu_park(v);
	if (vgic_flush_needed(&v->vgic))
		vgic_flush(v);
	return &v->regs;
}

struct arch_regs *trap_dispatch(struct arch_regs *regs, u64 kind)
{
	struct vcpu *v = (struct vcpu *)regs; /* regs is the first member */

	switch (kind) {
	case KIND_SYNC:
		handle_sync(v);
		break;
	case KIND_IRQ: /* not from vectors.S (guest_irq_common): kept whole */
		vgic_take_irqs(v, GIC_SPURIOUS);
		console_poll();
		iommu_poll();
		break;
	case KIND_SERROR:
		pr_info("%s: SError from the partition: virtual SError injected",
			v->part->cfg->name);
		write_sysreg(hcr_el2, read_sysreg(hcr_el2) | HCR_VSE);
		break;
	default:
		guest_unhandled_trap(v, kind);
		break;
	}
	return leave(v);
}

/* UMBRA_HC_CHANNEL_NOTIFY by HVC #0 (vectors.S, guest_notify): the
 * doorbell, the one call on a data path. The frame holds what C may
 * clobber only, as for an interrupt: all this reads (x1) or changes
 * (x0..x3, as umbra_call would leave them). */
struct arch_regs *trap_channel_notify(struct arch_regs *regs)
{
	struct vcpu *v = (struct vcpu *)regs;
	u64 ret[4] = { 0, 0, 0, 0 };

	channel_call(v, UMBRA_HC_CHANNEL_NOTIFY, &regs->x[1], ret);
	regs->x[0] = ret[0];
	regs->x[1] = regs->x[2] = regs->x[3] = 0;
	return leave(v);
}

/* A physical interrupt while v runs (vectors.S, guest_irq_common) that
 * its fast path left to C: the frame holds x0..x18, x30, ELR and SPSR
 * only, which is all this path reads (SPSR) or may change. acked: the
 * INTID the entry acknowledged already, or GIC_SPURIOUS or above. */
struct arch_regs *trap_irq(struct arch_regs *regs, u32 acked)
{
	struct vcpu *v = (struct vcpu *)regs;

	vgic_take_irqs(v, acked);
	console_poll(); /* lines a busy UART left queued */
	iommu_poll();   /* an SMMU without a wired interrupt */
	return leave(v); /* a stopped vCPU parks: never back to this frame */
}
