// SPDX-License-Identifier: Apache-2.0
/*
 * The host port, for the unit tests: every task is a ucontext on its own
 * stack, time is a simulated counter (1 tick = 1 us) that moves only when
 * a task burns time (port_host_spin_until) or when the idle task jumps to
 * the next timer event. "Interrupts" (the timer) are delivered at those
 * points and when a critical section ends with the timer due, as the
 * hardware would. The result is a deterministic discrete-event run.
 */
#ifndef RTOS_PORT_HOST_H
#define RTOS_PORT_HOST_H

#include <stdbool.h>
#include <stdint.h>
#include <ucontext.h>

#define RTOS_STACK_MIN  (64 * 1024)  /* host frames (and sanitizers) are big */
#define RTOS_IDLE_STACK (64 * 1024)

struct rtos_port_ctx {
	ucontext_t uc;
};

typedef bool rtos_irqflags_t;

rtos_irqflags_t port_irq_save(void);
void port_irq_restore(rtos_irqflags_t was_masked);

/* For the tests. */
#define PORT_HOST_HZ 1000000ULL
/* Burn CPU time until the simulated clock reaches `when` (interrupts are
 * taken meanwhile: the caller may be preempted). */
void port_host_spin_until(uint64_t when);
/* A device interrupt at `when`: isr runs in interrupt context (one
 * pending at a time). */
void port_host_raise_at(uint64_t when, void (*isr)(void));
/* Set the simulated clock (before rtos_start) and the run's time limit:
 * rtos_start() returns when the clock would pass it. */
void port_host_reset(uint64_t now, uint64_t limit);
/* rtos_start() returned because the limit was reached. */
bool port_host_timed_out(void);
/* Interrupts taken so far. */
unsigned long port_host_irqs(void);
/* The tasks killed (port_report_kill), and the last reason. */
unsigned port_host_kills(void);
const char *port_host_last_kill(void);
#endif
