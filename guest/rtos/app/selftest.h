// SPDX-License-Identifier: Apache-2.0
/*
 * Self-test scenarios, shared by the target (bootargs "selftest") and the
 * host unit tests: each creates a few tasks through the public API, lets
 * them run, and checks what they saw. They only look at ordering and at
 * time with a tolerance (st_tolerance), so that they hold both in the
 * host's exact simulated time and on a real (or emulated) CPU.
 */
#ifndef RTOS_SELFTEST_H
#define RTOS_SELFTEST_H

#include <stddef.h>

#include "rtos.h"

#define ST_RUNNER_PRIO 20 /* scenario tasks use 2..15 */

extern const unsigned selftest_count;
const char *selftest_name(unsigned i);
/* Run scenario i from a task of priority ST_RUNNER_PRIO: 0 if it passed,
 * else nonzero and why in msg. */
int selftest_run(unsigned i, char *msg, size_t size);

/* Supplied by whoever links the scenarios: */
/* burn CPU until rtos_now() >= when (on the host: simulated time) */
void st_spin_until(rtos_tick_t when);
/* the time unit the scenarios are written in, and how late a wake-up or
 * timeout may be */
rtos_tick_t st_unit(void);
rtos_tick_t st_tolerance(void);

#endif
