// SPDX-License-Identifier: Apache-2.0
/* The host port (see rtos_port.h): ucontext tasks, simulated time. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

#include "rtos_kernel.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#define ASAN 1
#else
#define ASAN 0
#endif

static bool masked;        /* the simulated interrupt mask */
static bool running;       /* between port_start and its return */
static bool timed_out;
static uint64_t now_, limit_ = UINT64_MAX, deadline = RTOS_NEVER;
static unsigned long irqs;
static uint64_t swirq_at = RTOS_NEVER;  /* a simulated device interrupt */
static void (*swirq_fn)(void);
static unsigned kills;
static char last_kill[128];
static ucontext_t main_uc;
static void *main_stack;    /* the bounds of the test's own stack */
static size_t main_stack_size;

/*
 * Switch to `to` (running on [stack, stack + size)), saving the current
 * context in `save`. getcontext + setcontext rather than swapcontext, and
 * AddressSanitizer told about every stack switch (fiber annotations), so
 * that it keeps its bookkeeping of which stack is live right.
 */
static void switch_context(ucontext_t *save, ucontext_t *to, void *stack, size_t size)
{
	volatile int resumed = 0;
	void *fake_stack = NULL;

	getcontext(save);
	if (resumed) {
#if ASAN
		__sanitizer_finish_switch_fiber(fake_stack, NULL, NULL);
#endif
		return;
	}
	resumed = 1;
#if ASAN
	__sanitizer_start_switch_fiber(&fake_stack, stack, size);
#else
	(void)stack;
	(void)size;
	(void)fake_stack;
#endif
	setcontext(to);
}

static void switch_task(struct rtos_task *from, struct rtos_task *to)
{
	switch_context(&from->ctx.uc, &to->ctx.uc, to->stack, to->stack_size);
}

void port_host_reset(uint64_t now, uint64_t limit)
{
	masked = false;
	running = false;
	timed_out = false;
	now_ = now;
	limit_ = limit;
	deadline = RTOS_NEVER;
	swirq_at = RTOS_NEVER;
	swirq_fn = NULL;
	irqs = 0;
	kills = 0;
	last_kill[0] = '\0';
}

bool port_host_timed_out(void)
{
	return timed_out;
}

unsigned long port_host_irqs(void)
{
	return irqs;
}

unsigned port_host_kills(void)
{
	return kills;
}

const char *port_host_last_kill(void)
{
	return last_kill;
}

rtos_tick_t port_now(void)
{
	return now_;
}

uint64_t port_tick_hz(void)
{
	return PORT_HOST_HZ;
}

void port_timer_program(rtos_tick_t when)
{
	deadline = when;
}

void port_host_raise_at(uint64_t when, void (*isr)(void))
{
	swirq_at = when;
	swirq_fn = isr;
}

/* The next interrupt: the timer or the device. */
static uint64_t next_event(void)
{
	return swirq_at < deadline ? swirq_at : deadline;
}

/* Leave the simulation: back to whoever called rtos_start(). The task
 * that was running can be resumed by another rtos_start(). */
static void stop_run(void)
{
	bool was = masked;

	switch_context(&rtos_current->ctx.uc, &main_uc, main_stack, main_stack_size);
	masked = was;
}

static void switch_now(void)
{
	struct rtos_task *prev = rtos_current;

	rtos_sched_switch();
	if (rtos_current != prev)
		switch_task(prev, rtos_current);
}

/* The interrupts that are due, taken where the running task is. */
static void take_interrupt(void)
{
	masked = true;
	irqs++;
	rtos_isr_enter();
	if (swirq_at <= now_) {
		void (*fn)(void) = swirq_fn;

		swirq_at = RTOS_NEVER;
		fn();
	}
	if (deadline <= now_) {
		deadline = RTOS_NEVER; /* one-shot */
		rtos_timer_isr();
	}
	rtos_isr_exit();
	if (rtos_need_resched)
		switch_now();
	masked = false;
}

rtos_irqflags_t port_irq_save(void)
{
	bool was = masked;

	masked = true;
	return was;
}

void port_irq_restore(rtos_irqflags_t was_masked)
{
	masked = was_masked;
	/* a pending interrupt is taken as soon as it is unmasked */
	while (running && !masked && next_event() <= now_)
		take_interrupt();
}

void port_request_switch(void)
{
	bool was = masked;

	masked = true;
	switch_now();
	masked = was;
}

static void trampoline(void)
{
#if ASAN
	__sanitizer_finish_switch_fiber(NULL, NULL, NULL);
#endif
	masked = false; /* a new task starts with interrupts on */
	rtos_task_start();
}

void port_stack_claim(void *stack, size_t size)
{
#if ASAN
	__asan_unpoison_memory_region(stack, size);
#else
	(void)stack;
	(void)size;
#endif
}

void port_task_init(struct rtos_task *t)
{
	getcontext(&t->ctx.uc);
	t->ctx.uc.uc_stack.ss_sp = t->stack;
	t->ctx.uc.uc_stack.ss_size = t->stack_size;
	t->ctx.uc.uc_link = NULL;
	makecontext(&t->ctx.uc, trampoline, 0);
}

void port_start(void)
{
	pthread_attr_t attr;

	if (!main_stack && !pthread_getattr_np(pthread_self(), &attr)) {
		pthread_attr_getstack(&attr, &main_stack, &main_stack_size);
		pthread_attr_destroy(&attr);
	}
	running = true;
	switch_context(&main_uc, &rtos_current->ctx.uc, rtos_current->stack,
		       rtos_current->stack_size);
	running = false;
}

void port_host_spin_until(uint64_t when)
{
	while (now_ < when) {
		if (masked) {
			now_ = when; /* nothing can interrupt */
			break;
		}
		uint64_t ev = next_event();

		now_ = ev < when ? (ev > now_ ? ev : now_) : when;
		if (now_ >= limit_) {
			timed_out = true;
			stop_run();
		}
		if (next_event() <= now_)
			take_interrupt();
	}
}

void port_idle(void)
{
	uint64_t ev = next_event();

	if (ev == RTOS_NEVER || ev >= limit_) {
		/* nothing will ever happen again (or not in time): done */
		timed_out = ev != RTOS_NEVER;
		stop_run();
		return;
	}
	if (ev > now_)
		now_ = ev;
	take_interrupt();
}

void port_report_kill(const struct rtos_task *t, const char *why)
{
	kills++;
	snprintf(last_kill, sizeof(last_kill), "%s: %s", rtos_task_name(t), why);
}
