// SPDX-License-Identifier: Apache-2.0
/* The target's self-test scenarios (app/selftest.c), run on the host port
 * with exact simulated time: no tolerance at all. */
#include <stdio.h>

#include "selftest.h"
#include "unit.h"

void st_spin_until(rtos_tick_t when)
{
	port_host_spin_until(when);
}

rtos_tick_t st_unit(void)
{
	return MS(1);
}

rtos_tick_t st_tolerance(void)
{
	return 0;
}

static int result = -1;
static char msg[160];

static void runner(void *arg)
{
	result = selftest_run((unsigned)(uintptr_t)arg, msg, sizeof(msg));
}

START_TEST(scenario)
{
	ut_setup();
	ut_spawn("runner", runner, (void *)(uintptr_t)_i, ST_RUNNER_PRIO);
	ut_run();
	ck_assert_msg(result == 0, "%s: %s", selftest_name((unsigned)_i), msg);
}
END_TEST

Suite *selftest_suite(void)
{
	Suite *s = suite_create("selftest");
	TCase *tc = tcase_create("scenarios");

	tcase_add_loop_test(tc, scenario, 0, (int)selftest_count);
	suite_add_tcase(s, tc);
	return s;
}
