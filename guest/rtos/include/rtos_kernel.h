// SPDX-License-Identifier: Apache-2.0
/*
 * The contract between the portable kernel (core/) and a port.
 *
 * A port provides, in its rtos_port.h:
 *   struct rtos_port_ctx              the saved context of a task
 *   rtos_irqflags_t port_irq_save()   mask interrupts, return the old state
 *   void port_irq_restore(flags)
 * and in C the port_* functions below.
 *
 * Context switches: the kernel decides, the port switches. From task
 * context the kernel calls port_request_switch() (with interrupts masked);
 * from an interrupt it only sets rtos_need_resched. In both cases the port
 * ends up calling rtos_sched_switch() with interrupts masked, which sets
 * rtos_current to the task to run, and then resumes rtos_current. Every
 * task is switched out inside a critical section and resumes inside it,
 * so the interrupt mask is part of its saved context.
 */
#ifndef RTOS_KERNEL_H
#define RTOS_KERNEL_H

#include "rtos.h"

/* ---- the kernel, for the port ---------------------------------------- */

extern struct rtos_task *rtos_current;
extern volatile bool rtos_need_resched;

/* Pick the task to run next and make it rtos_current. Interrupts masked. */
void rtos_sched_switch(void);

/* Interrupt bookkeeping: around every interrupt handler. */
void rtos_isr_enter(void);
void rtos_isr_exit(void);

/* The timer interrupt: wake whatever is due, rotate the time slice,
 * program the next event. Interrupts masked. */
void rtos_timer_isr(void);

/* Where every task starts (the port's initial context jumps here with
 * interrupts unmasked): runs rtos_current's entry, then exits. */
__attribute__((noreturn)) void rtos_task_start(void);

/* The running task took a fault it cannot survive: report and kill it. In
 * exception context, interrupts masked; the port switches afterwards. */
void rtos_task_fault(struct rtos_task *t, const char *why);

/* ---- the port, for the kernel ---------------------------------------- */

rtos_tick_t port_now(void);
uint64_t port_tick_hz(void);
/* One-shot: interrupt (rtos_timer_isr) once port_now() >= deadline;
 * RTOS_NEVER disarms. */
void port_timer_program(rtos_tick_t deadline);
/* A task is about to be created on [stack, stack + size): the kernel
 * paints it next. (The host port tells AddressSanitizer that the frames
 * of a dead task that used it are gone.) May be a macro in rtos_port.h. */
#ifndef port_stack_claim
void port_stack_claim(void *stack, size_t size);
#endif
/* Initial context of t: rtos_task_start on t's stack, interrupts on. */
void port_task_init(struct rtos_task *t);
void port_request_switch(void);
/* Resume rtos_current (the target never comes back). */
void port_start(void);
/* The idle task's loop body: wait for an interrupt. */
void port_idle(void);
/* Tell someone that t was killed, and why (a fault, its stack). */
void port_report_kill(const struct rtos_task *t, const char *why);

#endif
