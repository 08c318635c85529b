// SPDX-License-Identifier: Apache-2.0
/*
 * The partition's view of the ID registers (hyp/vm/idregs.c). On the main
 * of 2026-12-05 the ID group was not trapped: a partition read the CPU's
 * values, EL2 and EL3 implemented and the PMU whatever its policy.
 */
#include "unit.h"
#include "vm/idregs.h"

#define F(v, shift) ((u64)(v) << (shift))

START_TEST(test_pfr0_no_el2_el3)
{
	/* EL0-EL3 AArch64 (1 each, EL0/EL1 also AArch32: 2), FP, AdvSIMD,
	 * GIC sysregs, CSV2, MPAM 1, AMU 1 */
	u64 raw = F(2, 0) | F(2, 4) | F(1, 8) | F(1, 12) | F(1, 24) | F(1, 56) | F(1, 40) | F(1, 44);

	ck_assert_uint_eq(idreg_sanitise(4, 0, raw, false), F(2, 0) | F(2, 4) | F(1, 24) | F(1, 56));
	ck_assert_uint_eq(idreg_sanitise(4, 0, raw, true), F(2, 0) | F(2, 4) | F(1, 24) | F(1, 56));
	/* the AArch32 view: no Security, no Virtualization */
	ck_assert_uint_eq(idreg_sanitise(1, 1, F(1, 0) | F(1, 4) | F(1, 12) | F(1, 16) | F(1, 28), false),
			  F(1, 0) | F(1, 16) | F(1, 28));
	/* no VHE, no nested virtualization */
	ck_assert_uint_eq(idreg_sanitise(7, 1, F(1, 8) | F(2, 0), false), F(2, 0));
	ck_assert_uint_eq(idreg_sanitise(7, 2, F(1, 24) | F(1, 0), false), F(1, 0));
}
END_TEST

START_TEST(test_dfr0_pmu_policy)
{
	/* DebugVer 6, TraceVer 1, PMUVer 4, BRPs 5, WRPs 3, CTX_CMPs 1, PMSVer 1 */
	u64 raw = F(6, 0) | F(1, 4) | F(4, 8) | F(5, 12) | F(3, 20) | F(1, 28) | F(1, 32);
	u64 debug = F(6, 0) | F(5, 12) | F(3, 20) | F(1, 28);

	ck_assert_uint_eq(idreg_sanitise(5, 0, raw, true), debug | F(4, 8));
	ck_assert_uint_eq(idreg_sanitise(5, 0, raw, false), debug);
	/* AArch32 ID_DFR0: PerfMon likewise, no trace, no secure debug */
	raw = F(6, 0) | F(6, 4) | F(1, 12) | F(4, 24);
	ck_assert_uint_eq(idreg_sanitise(1, 2, raw, true), F(6, 0) | F(4, 24));
	ck_assert_uint_eq(idreg_sanitise(1, 2, raw, false), F(6, 0));
	ck_assert_uint_eq(idreg_pmuver(F(4, 8)), IDREG_PMUV3P1);
}
END_TEST

START_TEST(test_instructions_as_is_unknown_raz)
{
	unsigned crm, op2;

	ck_assert_uint_eq(idreg_sanitise(6, 0, 0x1122334455667788ULL, false), 0x1122334455667788ULL);
	ck_assert_uint_eq(idreg_sanitise(2, 3, 0x01234567ULL, false), 0x01234567ULL);
	/* every register Umbra does not know reads as zero */
	for (crm = 1; crm <= 7; crm++)
		for (op2 = 0; op2 < 8; op2++) {
			bool known = crm <= 2 || (crm == 3 && op2 != 3 && op2 != 7) ||
				     (crm == 4 && (op2 <= 1 || op2 == 4)) || (crm == 5 && op2 == 0) ||
				     (crm == 6 && op2 <= 2) || (crm == 7 && op2 <= 2);

			if (!known)
				ck_assert_msg(idreg_sanitise(crm, op2, ~0ULL, true) == 0,
					      "CRm %u op2 %u not RAZ", crm, op2);
		}
	/* SME is not offered */
	ck_assert_uint_eq(idreg_sanitise(4, 1, F(1, 24) | F(1, 0), false), F(1, 0));
}
END_TEST

/* The registers not covered above: the AArch32 PFR0 without AMU, PFR2
 * with only CSV3 and SSBS, DFR1's MTPMU only with a PMU; SVE's features
 * and the AArch64 memory model as the CPU has them. */
START_TEST(test_other_views)
{
	/* ID_PFR0: State0-3 2 each, CSV2 1, AMU 1, DIT 1, RAS 1 */
	u64 pfr0 = F(2, 0) | F(2, 4) | F(2, 8) | F(2, 12) | F(1, 16) | F(1, 20) | F(1, 24) |
		   F(1, 28);

	ck_assert_uint_eq(idreg_sanitise(1, 0, pfr0, true), pfr0 & ~F(0xf, 20));
	ck_assert_uint_eq(idreg_sanitise(1, 0, pfr0, false), pfr0 & ~F(0xf, 20));
	/* ID_PFR2: CSV3 1, SSBS 1, RAS_frac 1, anything above: only the first two */
	ck_assert_uint_eq(idreg_sanitise(3, 4, F(1, 0) | F(1, 4) | F(1, 8) | F(0xf, 28), false),
			  F(1, 0) | F(1, 4));
	/* ID_DFR1: MTPMU with a PMU only; HPMN0 kept */
	ck_assert_uint_eq(idreg_sanitise(3, 5, F(1, 0) | F(1, 4), true), F(1, 0) | F(1, 4));
	ck_assert_uint_eq(idreg_sanitise(3, 5, F(1, 0) | F(1, 4), false), F(1, 4));
	/* ID_AA64ZFR0, ID_AA64MMFR0: unchanged */
	ck_assert_uint_eq(idreg_sanitise(4, 4, 0x0110110000110011ULL, false), 0x0110110000110011ULL);
	ck_assert_uint_eq(idreg_sanitise(7, 0, 0x0000000100e0f125ULL, true), 0x0000000100e0f125ULL);
}
END_TEST

Suite *idregs_suite(void)
{
	Suite *s = suite_create("idregs");
	TCase *tc = tcase_create("idregs");

	tcase_add_test(tc, test_pfr0_no_el2_el3);
	tcase_add_test(tc, test_dfr0_pmu_policy);
	tcase_add_test(tc, test_instructions_as_is_unknown_raz);
	tcase_add_test(tc, test_other_views);
	suite_add_tcase(s, tc);
	return s;
}
