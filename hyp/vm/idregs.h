/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ID registers a partition reads (HCR_EL2.TID3 traps the whole ID
 * group: op0 3, op1 0, CRn 0, CRm 1-7). Each is the CPU's own value with
 * what the partition does not have taken out: no EL2 or EL3, no
 * virtualization or security extensions, no PMU unless it is offered, no
 * trace, statistical profiling, AMU, MPAM or SME; registers Umbra does not
 * know read as zero (as KVM does). docs/partition-machine.md has the table.
 */
#ifndef UMBRA_IDREGS_H
#define UMBRA_IDREGS_H

#include "umbra/types.h"

#define IDREG_NR 56                           /* CRm 1-7, op2 0-7 */
#define IDREG_INDEX(crm, op2) (((crm) - 1) * 8 + (op2))

/* The value a partition sees of ID register (crm, op2), from the CPU's
 * value raw; pmu: the partition has a PMU. */
u64 idreg_sanitise(unsigned crm, unsigned op2, u64 raw, bool pmu);

/* ID_AA64DFR0_EL1.PMUVer: 4 and up is PMUv3p1, which has MDCR_EL2.HPMD */
static inline unsigned idreg_pmuver(u64 dfr0)
{
	return (unsigned)(dfr0 >> 8) & 0xf;
}
#define IDREG_PMUV3P1 4
#define IDREG_PMU_IMPDEF 0xf

#endif
