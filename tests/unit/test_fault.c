// SPDX-License-Identifier: Apache-2.0
/*
 * Guest faults (hyp/partition/fault.c): a stage-2 abort or an unhandled trap
 * is refused with an exception injected into the guest and one log line,
 * rate limited per partition.
 */
#include "unit.h"

#define LOG_LIMIT 32 /* fault.c: lines per partition */

static struct test_guest alpha, beta;

static void setup(void)
{
	fake_arch_reset();
	capture_start();
	guest_init(&alpha, "alpha", 1, 2, 1, PAGE_SIZE);
	guest_init(&beta, "beta", 2, 1, 1, PAGE_SIZE);
	alpha.p.vcpu[0].regs.elr = 0x40081234;
	alpha.p.vcpu[1].regs.elr = 0xffff800008010000ULL;
}

static void teardown(void)
{
	unit_free_all();
}

START_TEST(test_abort_write)
{
	struct vcpu *v = &alpha.p.vcpu[0];

	guest_abort(v, 0x9000000, 0xffff000009000010ULL, false, true);
	ck_assert_str_eq(captured(), "umbra: alpha: stage-2 fault: write IPA 0x9000000 "
				     "PC 0x40081234: external abort injected\r\n");
	ck_assert_uint_eq(fake_arch.aborts, 1);
	ck_assert_uint_eq(fake_arch.undefs, 0);
	ck_assert_ptr_eq(fake_arch.inject_vcpu, v);
	ck_assert(!fake_arch.inject_instr);
	ck_assert(fake_arch.inject_write);
	ck_assert_uint_eq(fake_arch.inject_far, 0xffff000009000010ULL);
}
END_TEST

START_TEST(test_abort_read_and_fetch)
{
	struct vcpu *v = &alpha.p.vcpu[1];

	guest_abort(v, 0x8000000, 0x8000004, false, false);
	ck_assert(!fake_arch.inject_instr && !fake_arch.inject_write);
	ck_assert_uint_eq(fake_arch.inject_far, 0x8000004);
	guest_abort(v, 0x80000000, 0x80000000, true, false);
	ck_assert(fake_arch.inject_instr && !fake_arch.inject_write);
	ck_assert_ptr_eq(fake_arch.inject_vcpu, v);
	ck_assert_uint_eq(fake_arch.aborts, 2);
	ck_assert_str_eq(captured(),
			 "umbra: alpha: stage-2 fault: read IPA 0x8000000 PC 0xffff800008010000: "
			 "external abort injected\r\n"
			 "umbra: alpha: stage-2 fault: fetch IPA 0x80000000 PC 0xffff800008010000: "
			 "external abort injected\r\n");
}
END_TEST

START_TEST(test_abort_rate_limited)
{
	struct vcpu *v = &alpha.p.vcpu[0];
	unsigned i;

	for (i = 0; i < LOG_LIMIT + 8; i++)
		guest_abort(v, 0x9000000 + i * 8, 0x9000000 + i * 8, false, true);
	ck_assert_uint_eq(captured_count("stage-2 fault"), LOG_LIMIT);
	ck_assert_uint_eq(captured_count("\n"), LOG_LIMIT + 1);
	ck_assert_uint_eq(captured_count("umbra: alpha: further faults of this partition "
					 "are not logged\r\n"), 1);
	/* every fault is still refused */
	ck_assert_uint_eq(fake_arch.aborts, LOG_LIMIT + 8);
	ck_assert_uint_eq(fake_arch.inject_far, 0x9000000 + (LOG_LIMIT + 7) * 8);
	/* the last logged one, then the notice */
	ck_assert_ptr_nonnull(strstr(captured(), "IPA 0x90000f8 PC"));
	ck_assert_ptr_null(strstr(captured(), "IPA 0x9000100 PC"));
	/* other partitions have their own budget */
	capture_clear();
	guest_abort(&beta.p.vcpu[0], 0x1000, 0x1000, false, false);
	ck_assert_uint_eq(captured_count("umbra: beta: stage-2 fault: read IPA 0x1000"), 1);
	/* unhandled traps share the partition's budget */
	capture_clear();
	guest_unhandled_trap(v, 0x2000000);
	ck_assert_str_eq(captured(), "");
	ck_assert_uint_eq(fake_arch.undefs, 1);
}
END_TEST

START_TEST(test_unhandled_trap)
{
	struct vcpu *v = &alpha.p.vcpu[0];

	guest_unhandled_trap(v, 0x2000000);
	ck_assert_str_eq(captured(), "umbra: alpha: unhandled trap (syndrome 0x2000000) "
				     "PC 0x40081234: undef injected\r\n");
	ck_assert_uint_eq(fake_arch.undefs, 1);
	ck_assert_uint_eq(fake_arch.aborts, 0);
	ck_assert_ptr_eq(fake_arch.inject_vcpu, v);
}
END_TEST

START_TEST(test_faults_go_to_event_log)
{
	struct vcpu *v = &alpha.p.vcpu[0];
	struct event_rec r[2];
	u64 s, next;

	events_read(~0ull, true, 0, r, 1, &s);
	/* past the console's rate limit, every fault is still recorded */
	for (u32 i = 0; i < LOG_LIMIT + 5; i++)
		guest_abort(v, 0x9000000, 0x9000000, false, true);
	guest_unhandled_trap(&beta.p.vcpu[0], 0x02000000);
	ck_assert_uint_eq(events_read(s, false, alpha.p.id, r, 2, &next), 2);
	ck_assert_uint_eq(r[0].type, EV_S2_FAULT);
	ck_assert_uint_eq(r[0].a, 0x9000000);
	ck_assert_uint_eq(r[0].b, 0x40081234);
	ck_assert_uint_eq(r[0].c, 1);
	ck_assert_uint_eq(events_read(s, false, beta.p.id, r, 2, &next), 1);
	ck_assert_uint_eq(r[0].type, EV_TRAP);
	ck_assert_uint_eq(r[0].a, 0x02000000);
	ck_assert_uint_eq(next, s + LOG_LIMIT + 6);
}
END_TEST

START_TEST(test_abort_not_injectable)
{
	struct vcpu *v = &alpha.p.vcpu[1];

	/* the guest cannot take the abort (a fetch fault in its own
	 * vectors): the partition stops instead of looping */
	partition_stopped_calls = 0;
	fake_arch.abort_refused = true;
	fake_arch.mpidr = alpha.cfg.cpu_mpidr[1];
	guest_abort(v, 0x80000000, 0xffff800008010000ULL, true, false);
	ck_assert_int_eq(alpha.p.state, PART_STOPPED);
	ck_assert(!alpha.p.vcpu[0].on && !alpha.p.vcpu[1].on);
	ck_assert_uint_eq(partition_stopped_calls, 1);
	ck_assert_str_eq(captured(),
			 "umbra: alpha: stage-2 fault: fetch IPA 0x80000000 PC 0xffff800008010000: "
			 "its vectors fault too\r\n"
			 "umbra: alpha: stopped (fault in its exception vectors)\r\n");
	ck_assert_int_eq(beta.p.state, PART_RUNNING);
}
END_TEST

Suite *fault_suite(void)
{
	Suite *s = suite_create("fault");
	TCase *tc = tcase_create("guest_fault");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_abort_write);
	tcase_add_test(tc, test_abort_read_and_fetch);
	tcase_add_test(tc, test_abort_rate_limited);
	tcase_add_test(tc, test_unhandled_trap);
	tcase_add_test(tc, test_abort_not_injectable);
	tcase_add_test(tc, test_faults_go_to_event_log);
	suite_add_tcase(s, tc);
	return s;
}
