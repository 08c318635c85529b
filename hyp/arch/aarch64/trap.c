// SPDX-License-Identifier: Apache-2.0
/* The one C entry for every trap from a partition: decode ESR_EL2 and hand
 * over to hyp/core. Returns the register frame to resume. */
#include "umbra/arch.h"
#include "umbra/console.h"
#include "umbra/partition.h"
#include "arch/sysreg.h"
#include "../../guest/lib/umbra_abi.h"

enum { KIND_SYNC, KIND_IRQ, KIND_FIQ, KIND_SERROR };

#define HCR_VSE BIT(8)
#define ICC_IAR1_SPURIOUS 1020

/* Faulting IPA: HPFAR_EL2.FIPA holds bits [47:12] (D13.2.53). */
static u64 fault_ipa(void)
{
	u64 hpfar = read_sysreg(hpfar_el2), far = read_sysreg(far_el2);

	return ((hpfar & 0xfffffffff0UL) << 8) | (far & 0xfff);
}

static void handle_sync(struct vcpu *v)
{
	u64 esr = read_sysreg(esr_el2);

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
		guest_abort(v, fault_ipa(), read_sysreg(far_el2), false, esr & ISS_DABT_WNR);
		break;
	case EC_IABT_LOW:
		guest_abort(v, fault_ipa(), read_sysreg(far_el2), true, false);
		break;
	default:
		guest_unhandled_trap(v, esr);
		break;
	}
}

static void handle_irq(void)
{
	/* No interrupt is routed to EL2 yet: acknowledge and drop it. */
	u64 iar = read_sysreg(s3_0_c12_c12_0); /* ICC_IAR1_EL1 */

	if (iar >= ICC_IAR1_SPURIOUS)
		return;
	write_sysreg(s3_0_c12_c12_1, iar); /* ICC_EOIR1_EL1 */
	write_sysreg(s3_0_c12_c11_1, iar); /* ICC_DIR_EL1 */
	pr_info("unexpected physical IRQ %lu dropped", iar);
}

struct arch_regs *trap_dispatch(struct arch_regs *regs, u64 kind)
{
	struct vcpu *v = (struct vcpu *)regs; /* regs is the first member */

	switch (kind) {
	case KIND_SYNC:
		handle_sync(v);
		break;
	case KIND_IRQ:
		handle_irq();
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
	if (!v->on)
		arch_cpu_idle();
	return regs;
}
