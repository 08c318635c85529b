// SPDX-License-Identifier: Apache-2.0
/*
 * The ID group trapped by HCR_EL2.TID3 (vm/idregs.h has the policy) and
 * the PMU policy: partitions never count at EL2. Where the CPU has
 * PMUv3p1, MDCR_EL2.HPMD stops every counter at EL2 and the PMU is offered
 * as it is; without it, keeping EL2 out of a partition's counts would mean
 * emulating every PMU register, so the PMU is hidden: MDCR_EL2.TPM makes
 * each access undefined, the ID registers say there is none and the
 * partition's device tree has no PMU node.
 */
#include "umbra/arch.h"
#include "vm/idregs.h"
#include "vm/vm.h"
#include "arch/sysreg.h"

bool arch_pmu_offered(void)
{
	unsigned v = idreg_pmuver(read_sysreg(id_aa64dfr0_el1));

	return v >= IDREG_PMUV3P1 && v != IDREG_PMU_IMPDEF;
}

#define R(c, o) case IDREG_INDEX(c, o): return read_sysreg(s3_0_c0_c##c##_##o)
static u64 read_raw(unsigned crm, unsigned op2)
{
	switch (IDREG_INDEX(crm, op2)) {
	R(1, 0); R(1, 1); R(1, 2); R(1, 3); R(1, 4); R(1, 5); R(1, 6); R(1, 7);
	R(2, 0); R(2, 1); R(2, 2); R(2, 3); R(2, 4); R(2, 5); R(2, 6); R(2, 7);
	R(3, 0); R(3, 1); R(3, 2); R(3, 4); R(3, 5); R(3, 6);
	R(4, 0); R(4, 1); R(4, 4);
	R(5, 0);
	R(6, 0); R(6, 1); R(6, 2);
	R(7, 0); R(7, 1); R(7, 2);
	default: return 0;
	}
}
#undef R

/* The value v's partition sees: the first read by any of its vCPUs
 * fixes it, so every CPU of a partition shows the same. */
u64 arch_idreg_read(struct vcpu *v, unsigned crm, unsigned op2)
{
	struct partition *p = v->part;
	unsigned i = IDREG_INDEX(crm, op2);
	u64 bit = 1UL << i, val;

	if (i >= IDREG_NR)
		return 0;
	if (__atomic_load_n(&p->idreg_known, __ATOMIC_ACQUIRE) & bit)
		return p->idreg[i];
	val = idreg_sanitise(crm, op2, read_raw(crm, op2), arch_pmu_offered());
	p->idreg[i] = val;
	__atomic_fetch_or(&p->idreg_known, bit, __ATOMIC_RELEASE);
	return val;
}
