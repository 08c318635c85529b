// SPDX-License-Identifier: Apache-2.0
/* The unit-test harness (unit.h) and the test program's main. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

struct rtos_task ut_task[UT_TASKS];
static uint64_t ut_stack[UT_TASKS][UT_STACK / 8] __attribute__((aligned(16)));
static unsigned ut_nr;
static char trace[4096];
static size_t trace_len;

void ut_setup(void)
{
	port_host_reset(0, 10 * 1000 * 1000);
	memset(ut_task, 0, sizeof(ut_task));
	ut_nr = 0;
	trace[0] = '\0';
	trace_len = 0;
	rtos_init();
}

struct rtos_task *ut_spawn(const char *name, void (*fn)(void *), void *arg, unsigned prio)
{
	struct rtos_task *t;

	ck_assert_uint_lt(ut_nr, UT_TASKS);
	t = &ut_task[ut_nr];
	ck_assert_int_eq(rtos_task_create(t, name, fn, arg, prio, ut_stack[ut_nr], UT_STACK),
			 RTOS_OK);
	ut_nr++;
	return t;
}

void ut_run(void)
{
	rtos_start();
	ck_assert_msg(!port_host_timed_out(), "the run hit its time limit at %lu: %s",
		      (unsigned long)rtos_now(), trace);
}

void ut_spin(rtos_tick_t ticks)
{
	port_host_spin_until(rtos_now() + ticks);
}

void ut_log(const char *s)
{
	ut_logf("%s", s);
}

void ut_logf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(trace + trace_len, sizeof(trace) - trace_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		trace_len += (size_t)n < sizeof(trace) - trace_len ? (size_t)n
								     : sizeof(trace) - trace_len - 1;
}

const char *ut_logged(void)
{
	return trace;
}

int main(void)
{
	SRunner *sr = srunner_create(timer_suite());
	int failed;

	srunner_add_suite(sr, sched_suite());
	srunner_add_suite(sr, sem_suite());
	srunner_add_suite(sr, mutex_suite());
	srunner_add_suite(sr, queue_suite());
	srunner_add_suite(sr, selftest_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
