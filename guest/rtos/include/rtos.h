// SPDX-License-Identifier: Apache-2.0
/*
 * Umbra RTOS: a small preemptive real-time kernel for one CPU.
 *
 *   - tasks with fixed priorities 0 (idle) .. RTOS_PRIO_MAX (most urgent),
 *     preemptive, round-robin with a time slice among equal priorities;
 *   - tickless time: the one-shot timer is programmed for the next event
 *     only, time is the 64-bit hardware counter (rtos_tick_t);
 *   - counting semaphores, mutexes with priority inheritance, message
 *     queues; every blocking call takes a timeout (relative, in ticks;
 *     RTOS_NO_WAIT or RTOS_FOREVER);
 *   - calls that never block (gives, sends and receives with RTOS_NO_WAIT)
 *     are safe in interrupt handlers; the *_from_isr names say so.
 *
 * Objects are allocated by the caller (static storage), never by the
 * kernel. All of it is portable C (core/); the CPU-specific part is a port
 * (port/arm64, or port/host for the unit tests), whose rtos_port.h
 * supplies struct rtos_port_ctx.
 */
#ifndef RTOS_H
#define RTOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rtos_port.h"

typedef uint64_t rtos_tick_t;

#define RTOS_FOREVER   UINT64_MAX /* timeout: wait as long as it takes */
#define RTOS_NO_WAIT   0          /* timeout: fail at once instead */
#define RTOS_NEVER     UINT64_MAX /* an instant that never comes */

#define RTOS_PRIO_LEVELS 32
#define RTOS_PRIO_IDLE   0
#define RTOS_PRIO_MAX    (RTOS_PRIO_LEVELS - 1)

/* Results: 0 for success, negative for failure. */
enum {
	RTOS_OK = 0,
	RTOS_ETIMEOUT = -1,   /* the timeout expired */
	RTOS_EAGAIN = -2,     /* would block, and RTOS_NO_WAIT was given */
	RTOS_EINVAL = -3,     /* bad argument, or a blocking call where none may block */
	RTOS_EPERM = -4,      /* unlocking a mutex the caller does not own */
	RTOS_EDEADLK = -5,    /* locking a mutex the caller already owns */
	RTOS_EOWNERDEAD = -6, /* got the mutex, but its owner died holding it */
	RTOS_EKILLED = -7,    /* join: the task was killed (fault) */
	RTOS_EOVERFLOW = -8,  /* semaphore at its maximum */
};

struct rtos_list {
	struct rtos_list *next, *prev;
};

/* Tasks blocked on an object, highest priority first, FIFO among equals. */
struct rtos_waitq {
	struct rtos_list head;
};

enum rtos_task_state {
	RTOS_TASK_FREE = 0,   /* never started, or reusable after join */
	RTOS_TASK_READY,      /* running or runnable */
	RTOS_TASK_BLOCKED,    /* in a wait queue, perhaps with a timeout */
	RTOS_TASK_SLEEPING,   /* in the timer list only */
	RTOS_TASK_DEAD,       /* returned, exited or killed */
};

struct rtos_mutex;

/* A task. Every field is the kernel's: read them through the functions. */
struct rtos_task {
	struct rtos_port_ctx ctx; /* first: the port's exception code relies on it */
	struct rtos_list node;    /* in a ready list or a wait queue */
	struct rtos_list tnode;   /* in the timer list, ordered by wake */
	rtos_tick_t wake;         /* when the timer-list entry expires */
	struct rtos_waitq *waitq; /* the wait queue it is blocked in */
	struct rtos_mutex *wait_mutex; /* the mutex it is blocked on (PI chain) */
	struct rtos_list held;    /* mutexes it owns */
	struct rtos_waitq joiners;
	void *wait_data;          /* queue item to transfer while blocked */
	void (*entry)(void *arg);
	void *arg;
	const char *name;
	uint8_t *stack;
	size_t stack_size;
	int wait_result;
	int exit_status;          /* RTOS_OK, or RTOS_EKILLED */
	uint8_t base_prio;        /* as created / set */
	uint8_t prio;             /* effective: base, or inherited */
	uint8_t state;            /* enum rtos_task_state */
	bool timed;               /* in the timer list */
};

struct rtos_sem {
	struct rtos_waitq waiters;
	unsigned count, max;
};

struct rtos_mutex {
	struct rtos_waitq waiters;
	struct rtos_task *owner;
	struct rtos_list held; /* in the owner's list of held mutexes */
};

struct rtos_queue {
	struct rtos_waitq senders, receivers;
	uint8_t *buf;
	size_t item_size;
	unsigned capacity, count, head;
};

/* ---- kernel and tasks ------------------------------------------------- */

/* Reset the kernel and create the idle task. Call once, before anything. */
void rtos_init(void);

/*
 * Create a task that runs entry(arg) at priority prio (1..RTOS_PRIO_MAX)
 * on stack[0..stack_size) (16-byte aligned, at least RTOS_STACK_MIN
 * bytes). Returning from entry ends the task. It runs as soon as it is the
 * most urgent; before rtos_start(), when the scheduler starts.
 */
int rtos_task_create(struct rtos_task *t, const char *name, void (*entry)(void *arg),
		     void *arg, unsigned prio, void *stack, size_t stack_size);

/*
 * Start scheduling. On the target it never returns; the host port returns
 * once every task is blocked for good (or dead) so that a test can look.
 */
void rtos_start(void);

/* The running task; in an interrupt handler, the interrupted one; NULL
 * before rtos_start(). */
struct rtos_task *rtos_self(void);

/* Let the other ready tasks of the same priority run first. */
void rtos_yield(void);

/* Block for ticks ticks, or until the absolute time `when`. Periodic tasks
 * use rtos_sleep_until with deadlines computed as start + n * period: no
 * drift. rtos_sleep_until returns RTOS_OK, or RTOS_ETIMEOUT without
 * sleeping if `when` has already passed. */
int rtos_sleep(rtos_tick_t ticks);
int rtos_sleep_until(rtos_tick_t when);

/* End the calling task (as returning from its entry does). */
__attribute__((noreturn)) void rtos_task_exit(void);

/* End another task: it leaves every queue and timer, the mutexes it holds
 * go to their next waiters (with RTOS_EOWNERDEAD). The fault handler uses
 * it on a task that faulted. */
int rtos_task_kill(struct rtos_task *t);

/* Wait until t is dead: RTOS_OK if it ended normally, RTOS_EKILLED if it
 * was killed. Afterwards t (and its stack) may be reused. */
int rtos_task_join(struct rtos_task *t, rtos_tick_t timeout);

int rtos_task_set_priority(struct rtos_task *t, unsigned prio);
unsigned rtos_task_priority(const struct rtos_task *t);      /* effective */
unsigned rtos_task_base_priority(const struct rtos_task *t);
const char *rtos_task_name(const struct rtos_task *t);
enum rtos_task_state rtos_task_state(const struct rtos_task *t);
/* Bytes of t's stack never written so far (its high-water mark). */
size_t rtos_task_stack_unused(const struct rtos_task *t);

/* True in an interrupt handler. */
bool rtos_in_isr(void);

/* A critical section: interrupts, and so preemption, off for a few
 * instructions. Nests (restore what save returned). */
rtos_irqflags_t rtos_irq_save(void);
void rtos_irq_restore(rtos_irqflags_t flags);

/* ---- time -------------------------------------------------------------- */

rtos_tick_t rtos_now(void);
uint64_t rtos_tick_hz(void);
rtos_tick_t rtos_ns(uint64_t ns); /* rounded up */
rtos_tick_t rtos_us(uint64_t us);
rtos_tick_t rtos_ms(uint64_t ms);
uint64_t rtos_ticks_to_ns(rtos_tick_t ticks);

/* ---- semaphores -------------------------------------------------------- */

void rtos_sem_init(struct rtos_sem *s, unsigned initial, unsigned max);
int rtos_sem_take(struct rtos_sem *s, rtos_tick_t timeout);
int rtos_sem_give(struct rtos_sem *s);
unsigned rtos_sem_count(const struct rtos_sem *s);
/* Interrupt-safe: never block. */
int rtos_sem_give_from_isr(struct rtos_sem *s);
int rtos_sem_try_take_from_isr(struct rtos_sem *s);

/* ---- mutexes (priority inheritance; not recursive; tasks only) ------- */

void rtos_mutex_init(struct rtos_mutex *m);
int rtos_mutex_lock(struct rtos_mutex *m, rtos_tick_t timeout);
int rtos_mutex_unlock(struct rtos_mutex *m);
struct rtos_task *rtos_mutex_owner(const struct rtos_mutex *m);

/* ---- message queues (fixed-size items, copied) ----------------------- */

/* buf holds capacity items of item_size bytes. capacity 0 makes a
 * rendezvous: a send completes only when a receiver takes the item. */
void rtos_queue_init(struct rtos_queue *q, void *buf, size_t item_size, unsigned capacity);
int rtos_queue_send(struct rtos_queue *q, const void *item, rtos_tick_t timeout);
int rtos_queue_recv(struct rtos_queue *q, void *item, rtos_tick_t timeout);
unsigned rtos_queue_count(const struct rtos_queue *q);
/* Interrupt-safe: never block. */
int rtos_queue_send_from_isr(struct rtos_queue *q, const void *item);
int rtos_queue_recv_from_isr(struct rtos_queue *q, void *item);

#endif
