// SPDX-License-Identifier: Apache-2.0
/*
 * Host unit tests of the RTOS kernel (Check), on the host port: tasks are
 * ucontexts, time is simulated (1 tick = 1 us) and moves only when a task
 * burns it (ut_spin) or every task waits. Runs are therefore exact and
 * repeatable: a test can expect a wake-up at precisely 5000 ticks.
 */
#ifndef RTOS_UNIT_H
#define RTOS_UNIT_H

#include <check.h>
#include <stdint.h>

#include "internal.h"
#include "rtos.h"

#define UT_TASKS 8
#define UT_STACK (64 * 1024)
#define MS(x) ((rtos_tick_t)(x) * 1000)

extern struct rtos_task ut_task[UT_TASKS];

/* A fresh kernel, the clock at 0, a run limit of 10 simulated seconds. */
void ut_setup(void);
/* Create a task in the pool; fails the test if it cannot. */
struct rtos_task *ut_spawn(const char *name, void (*fn)(void *), void *arg, unsigned prio);
/* rtos_start(): run until every task has ended or waits for ever. Fails
 * the test if the time limit was reached instead. */
void ut_run(void);
/* Burn CPU for `ticks` (interrupts and preemption happen meanwhile). */
void ut_spin(rtos_tick_t ticks);
/* A trace of what the tasks did, in order. */
void ut_log(const char *s);
void ut_logf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *ut_logged(void);

Suite *timer_suite(void);
Suite *sched_suite(void);
Suite *sem_suite(void);
Suite *mutex_suite(void);
Suite *queue_suite(void);
Suite *selftest_suite(void);

#endif
