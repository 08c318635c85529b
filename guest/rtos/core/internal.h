// SPDX-License-Identifier: Apache-2.0
/* Kernel internals shared by the core sources (and the unit tests). */
#ifndef RTOS_CORE_INTERNAL_H
#define RTOS_CORE_INTERNAL_H

#include "rtos_kernel.h"

#define RTOS_CONTAINER_OF(p, type, member) \
	((type *)(void *)((char *)(p) - offsetof(type, member)))

/* Longest priority-inheritance chain followed (a cycle is a deadlock the
 * application made; the walk stops instead of looping). */
#define RTOS_PI_MAX_DEPTH 16
/* Round-robin time slice among tasks of equal priority. */
#define RTOS_SLICE_US 5000
#define RTOS_STACK_CANARY 0x5354414b43414e59ULL /* "STAKCANY" */
#define RTOS_STACK_PAINT 0xa5

/* ---- intrusive doubly linked lists ------------------------------------ */

static inline void list_init(struct rtos_list *l)
{
	l->next = l->prev = l;
}

static inline bool list_empty(const struct rtos_list *l)
{
	return l->next == l;
}

/* Insert n before pos (at the tail when pos is the head). */
static inline void list_insert_before(struct rtos_list *pos, struct rtos_list *n)
{
	n->prev = pos->prev;
	n->next = pos;
	pos->prev->next = n;
	pos->prev = n;
}

static inline void list_add_tail(struct rtos_list *head, struct rtos_list *n)
{
	list_insert_before(head, n);
}

static inline void list_add_head(struct rtos_list *head, struct rtos_list *n)
{
	list_insert_before(head->next, n);
}

static inline void list_del(struct rtos_list *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n->prev = n;
}

#define task_of(l) RTOS_CONTAINER_OF(l, struct rtos_task, node)

/* ---- kernel state ------------------------------------------------------ */

struct rtos_kernel {
	struct rtos_list ready[RTOS_PRIO_LEVELS];
	uint32_t ready_bits;      /* bit p: ready[p] not empty */
	struct rtos_list timers;  /* tasks by wake, earliest first */
	rtos_tick_t programmed;   /* what the port's timer is set to */
	struct rtos_task *slice_owner; /* whose round-robin slice is running */
	rtos_tick_t slice_end;    /* when it ends (wall clock: preemption by
				   * more urgent tasks does not stop it) */
	rtos_tick_t slice;        /* ticks */
	unsigned isr_nesting;
	bool started;
	uint64_t switches;        /* context switches, for statistics */
};

extern struct rtos_kernel rtos_k;

/* ---- timer list (timer.c) ---------------------------------------------- */

void timer_list_init(void);
/* Insert t to expire at `when`, after entries due at the same time. */
void timer_add(struct rtos_task *t, rtos_tick_t when);
void timer_del(struct rtos_task *t);
/* The earliest entry if it is due at `now` (not removed), else NULL. */
struct rtos_task *timer_due(rtos_tick_t now);
/* When the earliest entry expires, or RTOS_NEVER. */
rtos_tick_t timer_next(void);

/* ---- scheduler (kernel.c) ---------------------------------------------- */

struct rtos_task *ready_top(void);
/* Tell the port when the next event is due (time slice or timer). */
void timer_reprogram(void);
/* Remove the running task from the ready lists and park it in wq (NULL
 * for a plain sleep) until woken or until `timeout` ticks pass. The
 * switch itself happens in reschedule(). */
void block_current(struct rtos_waitq *wq, rtos_tick_t timeout);
/* Make a blocked or sleeping task ready with `result` for its call. */
void wake_task(struct rtos_task *t, int result);
/* Switch now if the kernel wants to and may (task context, started). */
void reschedule(void);
/* rtos_need_resched = the running task is no longer the most urgent. */
void check_preempt(void);
/* Recompute t's effective priority from its base and the waiters of the
 * mutexes it holds, and follow the chain of owners. */
void pi_update(struct rtos_task *t);
/* Whether blocking is allowed here (a task, not an interrupt handler). */
bool may_block(void);

/* ---- wait queues ---------------------------------------------------------- */

static inline void waitq_init(struct rtos_waitq *wq)
{
	list_init(&wq->head);
}

static inline struct rtos_task *waitq_top(const struct rtos_waitq *wq)
{
	return list_empty(&wq->head) ? NULL : task_of(wq->head.next);
}

/* Insert by priority: after every waiter of the same or higher priority. */
void waitq_insert(struct rtos_waitq *wq, struct rtos_task *t);

/* ---- mutexes (sync.c), for killing a task ------------------------------ */

/* Hand every mutex t holds to its next waiter, who gets `status`. */
void mutex_release_all(struct rtos_task *t, int status);

#endif
