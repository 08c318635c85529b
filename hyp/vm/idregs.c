// SPDX-License-Identifier: Apache-2.0
/* The partition's view of the ID registers (idregs.h). Field positions:
 * Arm ARM D19.2 (AArch64) and G8.2 (AArch32 ID registers). */
#include "vm/idregs.h"

#define FIELD(shift) (0xfUL << (shift))

u64 idreg_sanitise(unsigned crm, unsigned op2, u64 raw, bool pmu)
{
	switch (IDREG_INDEX(crm, op2)) {
	/* AArch32 views */
	case IDREG_INDEX(1, 0): /* ID_PFR0_EL1: AMU out */
		return raw & ~FIELD(20);
	case IDREG_INDEX(1, 1): /* ID_PFR1_EL1: Security, Virtualization, Sec_frac, Virt_frac out */
		return raw & ~(FIELD(4) | FIELD(12) | FIELD(20) | FIELD(24));
	case IDREG_INDEX(1, 2): /* ID_DFR0_EL1: PerfMon unless offered; secure debug
				 * (CopSDbg), trace (CopTrc, MMapTrc, TraceFilt) out */
		return raw & ~((pmu ? 0 : FIELD(24)) | FIELD(4) | FIELD(12) | FIELD(16) | FIELD(28));
	case IDREG_INDEX(1, 3): case IDREG_INDEX(1, 4): case IDREG_INDEX(1, 5):
	case IDREG_INDEX(1, 6): case IDREG_INDEX(1, 7):
	case IDREG_INDEX(2, 0): case IDREG_INDEX(2, 1): case IDREG_INDEX(2, 2):
	case IDREG_INDEX(2, 3): case IDREG_INDEX(2, 4): case IDREG_INDEX(2, 5):
	case IDREG_INDEX(2, 6): case IDREG_INDEX(2, 7):
	case IDREG_INDEX(3, 0): case IDREG_INDEX(3, 1): case IDREG_INDEX(3, 2):
	case IDREG_INDEX(3, 6):
		return raw; /* AFR0, MMFR0-5, ISAR0-6, MVFR0-2: as the CPU has them */
	case IDREG_INDEX(3, 4): /* ID_PFR2_EL1: CSV3, SSBS only */
		return raw & (FIELD(0) | FIELD(4));
	case IDREG_INDEX(3, 5): /* ID_DFR1_EL1: MTPMU */
		return raw & ~(pmu ? 0 : FIELD(0));
	/* AArch64 */
	case IDREG_INDEX(4, 0): /* ID_AA64PFR0_EL1: EL2, EL3, RAS (as the CPU), SVE kept;
				 * MPAM, AMU out */
		return raw & ~(FIELD(8) | FIELD(12) | FIELD(40) | FIELD(44));
	case IDREG_INDEX(4, 1): /* ID_AA64PFR1_EL1: BT, SSBS, MTE, CSV2_frac kept; SME,
				 * RNDR_trap, MPAM_frac, NMI out */
		return raw & ~(FIELD(24) | FIELD(28) | FIELD(16) | FIELD(36));
	case IDREG_INDEX(4, 4): /* ID_AA64ZFR0_EL1 */
		return raw;
	case IDREG_INDEX(5, 0): /* ID_AA64DFR0_EL1: PMUVer unless offered; TraceVer,
				 * PMSVer (SPE), TraceFilt, TraceBuffer, BRBE, MTPMU out */
		return raw & ~((pmu ? 0 : FIELD(8) | FIELD(48)) | FIELD(4) | FIELD(32) |
			       FIELD(40) | FIELD(44) | FIELD(52));
	case IDREG_INDEX(6, 0): case IDREG_INDEX(6, 1): case IDREG_INDEX(6, 2):
		return raw; /* ID_AA64ISAR0-2_EL1: instructions, as the CPU has them */
	case IDREG_INDEX(7, 0): /* ID_AA64MMFR0_EL1 */
		return raw;
	case IDREG_INDEX(7, 1): /* ID_AA64MMFR1_EL1: VH (no EL2) out */
		return raw & ~FIELD(8);
	case IDREG_INDEX(7, 2): /* ID_AA64MMFR2_EL1: NV (no EL2) out */
		return raw & ~FIELD(24);
	default:
		return 0; /* unknown to Umbra (or reserved): RAZ */
	}
}
