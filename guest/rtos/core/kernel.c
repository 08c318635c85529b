// SPDX-License-Identifier: Apache-2.0
/*
 * Tasks and the scheduler.
 *
 * One ready list per priority and a bitmap of the non-empty ones: the
 * task to run is the head of the highest non-empty list, found with one
 * count-leading-zeros. The running task stays at the head of its list, so
 * a preempted task resumes before its peers (POSIX SCHED_RR); the time
 * slice or rtos_yield() moves it to the tail. Wait queues are ordered by
 * priority; a task whose priority changes while it waits is moved.
 */
#include <string.h>

#include "internal.h"

struct rtos_kernel rtos_k;
struct rtos_task *rtos_current;
volatile bool rtos_need_resched;

static struct rtos_task idle_task;
static uint64_t idle_stack[RTOS_IDLE_STACK / 8] __attribute__((aligned(16)));

/* ---- ready lists ----------------------------------------------------------- */

static void ready_add(struct rtos_task *t, bool at_head)
{
	if (at_head)
		list_add_head(&rtos_k.ready[t->prio], &t->node);
	else
		list_add_tail(&rtos_k.ready[t->prio], &t->node);
	rtos_k.ready_bits |= 1u << t->prio;
}

static void ready_del(struct rtos_task *t)
{
	list_del(&t->node);
	if (list_empty(&rtos_k.ready[t->prio]))
		rtos_k.ready_bits &= ~(1u << t->prio);
}

struct rtos_task *ready_top(void)
{
	unsigned p;

	if (!rtos_k.ready_bits)
		return NULL;
	p = 31u - (unsigned)__builtin_clz(rtos_k.ready_bits);
	return task_of(rtos_k.ready[p].next);
}

/* More than one task ready at t's priority: time slicing applies. */
static bool has_peers(const struct rtos_task *t)
{
	const struct rtos_list *l = &rtos_k.ready[t->prio];

	return !list_empty(l) && l->next->next != l;
}

void check_preempt(void)
{
	if (ready_top() != rtos_current)
		rtos_need_resched = true;
}

bool may_block(void)
{
	return rtos_k.started && !rtos_k.isr_nesting && rtos_current &&
	       rtos_current != &idle_task;
}

void reschedule(void)
{
	if (rtos_need_resched && rtos_k.started && !rtos_k.isr_nesting)
		port_request_switch();
}

void timer_reprogram(void)
{
	rtos_tick_t next = timer_next();

	if (rtos_k.slice_end < next)
		next = rtos_k.slice_end;
	if (next != rtos_k.programmed) {
		rtos_k.programmed = next;
		port_timer_program(next);
	}
}

/* The running task gets a slice if it shares its priority and does not
 * have one yet; a task that no longer shares its level loses its slice.
 * A task preempted by a more urgent one keeps its slice (and its place at
 * the head of its level): the slice goes on in wall-clock time, and once
 * over it sends the task to the back when it is next due to run. */
static void slice_update(void)
{
	struct rtos_task *c = rtos_current, *o = rtos_k.slice_owner;

	if (o && (o->state != RTOS_TASK_READY || !has_peers(o))) {
		rtos_k.slice_owner = o = NULL;
		rtos_k.slice_end = RTOS_NEVER;
	}
	if (c && c != o && c->state == RTOS_TASK_READY && has_peers(c)) {
		rtos_k.slice_owner = c;
		rtos_k.slice_end = port_now() + rtos_k.slice;
	}
}

/* The slice is over: its owner goes to the back of its level. */
static void slice_expire(void)
{
	struct rtos_task *o = rtos_k.slice_owner;

	rtos_k.slice_owner = NULL;
	rtos_k.slice_end = RTOS_NEVER;
	if (o && o->state == RTOS_TASK_READY && has_peers(o) &&
	    o == task_of(rtos_k.ready[o->prio].next)) {
		ready_del(o);
		ready_add(o, false);
		check_preempt();
	}
	slice_update();
}

/* ---- wait queues ------------------------------------------------------------- */

void waitq_insert(struct rtos_waitq *wq, struct rtos_task *t)
{
	struct rtos_list *pos = wq->head.next;

	while (pos != &wq->head && task_of(pos)->prio >= t->prio)
		pos = pos->next;
	list_insert_before(pos, &t->node);
	t->waitq = wq;
}

void block_current(struct rtos_waitq *wq, rtos_tick_t timeout)
{
	struct rtos_task *t = rtos_current;

	ready_del(t);
	t->wait_result = RTOS_ETIMEOUT;
	if (wq) {
		t->state = RTOS_TASK_BLOCKED;
		waitq_insert(wq, t);
	} else {
		t->state = RTOS_TASK_SLEEPING;
	}
	if (timeout != RTOS_FOREVER) {
		rtos_tick_t now = port_now();

		timer_add(t, timeout > RTOS_NEVER - 1 - now ? RTOS_NEVER - 1 : now + timeout);
	}
	rtos_need_resched = true;
}

void wake_task(struct rtos_task *t, int result)
{
	if (t->waitq) {
		list_del(&t->node);
		t->waitq = NULL;
	}
	t->wait_mutex = NULL;
	timer_del(t);
	t->wait_result = result;
	t->state = RTOS_TASK_READY;
	ready_add(t, false);
	slice_update();
	check_preempt();
}

/* ---- priority inheritance ----------------------------------------------- */

static unsigned effective_prio(const struct rtos_task *t)
{
	unsigned p = t->base_prio;
	const struct rtos_list *l;

	for (l = t->held.next; l != &t->held; l = l->next) {
		const struct rtos_mutex *m = RTOS_CONTAINER_OF(l, struct rtos_mutex, held);
		const struct rtos_task *w = waitq_top(&m->waiters);

		if (w && w->prio > p)
			p = w->prio;
	}
	return p;
}

/* Give t priority p, keeping it in the right place of whatever it is in. */
static void set_prio(struct rtos_task *t, unsigned p)
{
	if (t->prio == p)
		return;
	switch (t->state) {
	case RTOS_TASK_READY:
		ready_del(t);
		t->prio = (uint8_t)p;
		/* the running task keeps the CPU at its new level */
		ready_add(t, t == rtos_current);
		break;
	case RTOS_TASK_BLOCKED:
		list_del(&t->node);
		t->prio = (uint8_t)p;
		waitq_insert(t->waitq, t);
		break;
	default:
		t->prio = (uint8_t)p;
		break;
	}
	check_preempt();
}

void pi_update(struct rtos_task *t)
{
	unsigned depth;

	for (depth = 0; t && depth < RTOS_PI_MAX_DEPTH; depth++) {
		unsigned p = effective_prio(t);

		if (p == t->prio)
			break;
		set_prio(t, p);
		/* a waiter's priority orders the mutex's queue: its owner
		 * may have to follow */
		if (t->state != RTOS_TASK_BLOCKED || !t->wait_mutex)
			break;
		t = t->wait_mutex->owner;
	}
	slice_update();
}

/* ---- the switch ------------------------------------------------------------- */

static bool stack_intact(const struct rtos_task *t)
{
	uint64_t canary;

	if (!t->stack)
		return true;
	memcpy(&canary, t->stack, sizeof(canary));
	return canary == RTOS_STACK_CANARY;
}

static void task_end(struct rtos_task *t, int status);

void rtos_sched_switch(void)
{
	struct rtos_task *prev = rtos_current, *next;

	/* kernel context, like an interrupt handler: nothing here may block
	 * (a report of a smashed stack goes straight to the console) */
	rtos_k.isr_nesting++;
	if (prev && prev->state != RTOS_TASK_DEAD && !stack_intact(prev))
		rtos_task_fault(prev, "stack overflow (canary overwritten)");
	next = ready_top();
	rtos_need_resched = false;
	if (next != prev) {
		rtos_current = next;
		rtos_k.switches++;
	}
	slice_update();
	timer_reprogram();
	rtos_k.isr_nesting--;
}

void rtos_isr_enter(void)
{
	rtos_k.isr_nesting++;
}

void rtos_isr_exit(void)
{
	rtos_k.isr_nesting--;
}

bool rtos_in_isr(void)
{
	return rtos_k.isr_nesting != 0;
}

rtos_irqflags_t rtos_irq_save(void)
{
	return port_irq_save();
}

void rtos_irq_restore(rtos_irqflags_t flags)
{
	port_irq_restore(flags);
}

void rtos_timer_isr(void)
{
	struct rtos_task *t;
	rtos_tick_t now = port_now();

	rtos_k.programmed = RTOS_NEVER; /* a one-shot timer that fired */
	for (;;) {
		while ((t = timer_due(now))) {
			struct rtos_mutex *m = t->wait_mutex;

			if (t->state == RTOS_TASK_SLEEPING) {
				wake_task(t, RTOS_OK);
			} else {
				wake_task(t, RTOS_ETIMEOUT);
				/* one waiter less: the owner may deserve less */
				if (m)
					pi_update(m->owner);
			}
		}
		if (now >= rtos_k.slice_end)
			slice_expire();
		/* something may have become due while we worked */
		now = port_now();
		if (!timer_due(now) && now < rtos_k.slice_end)
			break;
	}
	timer_reprogram();
}

/* ---- tasks -------------------------------------------------------------------- */

static void idle_main(void *arg)
{
	(void)arg;
	for (;;)
		port_idle();
}

static void task_setup(struct rtos_task *t, const char *name, void (*entry)(void *), void *arg,
		       unsigned prio, void *stack, size_t stack_size)
{
	memset(t, 0, sizeof(*t));
	list_init(&t->node);
	list_init(&t->tnode);
	list_init(&t->held);
	waitq_init(&t->joiners);
	t->name = name ? name : "?";
	t->entry = entry;
	t->arg = arg;
	t->base_prio = t->prio = (uint8_t)prio;
	t->stack = stack;
	t->stack_size = stack_size;
	/* paint for the high-water mark, then the canary at the bottom */
	port_stack_claim(stack, stack_size);
	memset(stack, RTOS_STACK_PAINT, stack_size);
	memcpy(stack, &(uint64_t){ RTOS_STACK_CANARY }, sizeof(uint64_t));
	port_task_init(t);
	t->state = RTOS_TASK_READY;
}

void rtos_init(void)
{
	unsigned i;

	memset(&rtos_k, 0, sizeof(rtos_k));
	for (i = 0; i < RTOS_PRIO_LEVELS; i++)
		list_init(&rtos_k.ready[i]);
	timer_list_init();
	rtos_k.programmed = RTOS_NEVER;
	rtos_k.slice_end = RTOS_NEVER;
	rtos_k.slice = rtos_us(RTOS_SLICE_US);
	rtos_current = NULL;
	rtos_need_resched = false;
	task_setup(&idle_task, "idle", idle_main, NULL, RTOS_PRIO_IDLE, idle_stack,
		   sizeof(idle_stack));
	ready_add(&idle_task, false);
}

int rtos_task_create(struct rtos_task *t, const char *name, void (*entry)(void *arg),
		     void *arg, unsigned prio, void *stack, size_t stack_size)
{
	rtos_irqflags_t f;

	if (!t || !entry || !stack || prio < 1 || prio > RTOS_PRIO_MAX ||
	    stack_size < RTOS_STACK_MIN || ((uintptr_t)stack & 15) || (stack_size & 15))
		return RTOS_EINVAL;
	f = port_irq_save();
	if (t == rtos_current || (t->state != RTOS_TASK_FREE && t->state != RTOS_TASK_DEAD)) {
		port_irq_restore(f);
		return RTOS_EINVAL; /* still alive */
	}
	task_setup(t, name, entry, arg, prio, stack, stack_size);
	ready_add(t, false);
	slice_update();
	check_preempt();
	reschedule();
	port_irq_restore(f);
	return RTOS_OK;
}

void rtos_start(void)
{
	rtos_irqflags_t f = port_irq_save();

	rtos_k.started = true;
	rtos_sched_switch();
	port_start();
	/* only the host port comes back: once nothing is left to run */
	rtos_k.started = false;
	port_irq_restore(f);
}

void rtos_task_start(void)
{
	struct rtos_task *t = rtos_current;

	t->entry(t->arg);
	rtos_task_exit();
}

/* Take t out of everything and wake whoever waits for its end. */
static void task_end(struct rtos_task *t, int status)
{
	struct rtos_task *j;

	switch (t->state) {
	case RTOS_TASK_READY:
		ready_del(t);
		break;
	case RTOS_TASK_BLOCKED: {
		struct rtos_mutex *m = t->wait_mutex;

		list_del(&t->node);
		t->waitq = NULL;
		t->wait_mutex = NULL;
		if (m)
			pi_update(m->owner);
		break;
	}
	default:
		break;
	}
	timer_del(t);
	t->state = RTOS_TASK_DEAD;
	t->exit_status = status;
	mutex_release_all(t, RTOS_EOWNERDEAD);
	while ((j = waitq_top(&t->joiners)))
		wake_task(j, status);
	if (t == rtos_current)
		rtos_need_resched = true;
	else
		check_preempt();
	slice_update();
}

void rtos_task_exit(void)
{
	(void)port_irq_save();
	task_end(rtos_current, RTOS_OK);
	port_request_switch();
	for (;;)
		; /* not reached: a dead task is never resumed */
}

int rtos_task_kill(struct rtos_task *t)
{
	rtos_irqflags_t f;

	if (!t || t == &idle_task)
		return RTOS_EINVAL;
	f = port_irq_save();
	if (t->state == RTOS_TASK_FREE || t->state == RTOS_TASK_DEAD) {
		port_irq_restore(f);
		return RTOS_EINVAL;
	}
	task_end(t, RTOS_EKILLED);
	reschedule();
	port_irq_restore(f);
	return RTOS_OK;
}

void rtos_task_fault(struct rtos_task *t, const char *why)
{
	port_report_kill(t, why);
	if (t == &idle_task || t->state == RTOS_TASK_DEAD)
		return;
	task_end(t, RTOS_EKILLED);
}

int rtos_task_join(struct rtos_task *t, rtos_tick_t timeout)
{
	rtos_irqflags_t f;
	int r;

	if (!t || t == rtos_current)
		return RTOS_EINVAL;
	f = port_irq_save();
	if (t->state == RTOS_TASK_DEAD) {
		r = t->exit_status;
	} else if (t->state == RTOS_TASK_FREE) {
		r = RTOS_EINVAL;
	} else if (timeout == RTOS_NO_WAIT) {
		r = RTOS_EAGAIN;
	} else if (!may_block()) {
		r = RTOS_EINVAL;
	} else {
		block_current(&t->joiners, timeout);
		reschedule();
		r = rtos_current->wait_result;
	}
	port_irq_restore(f);
	return r;
}

struct rtos_task *rtos_self(void)
{
	return rtos_current;
}

void rtos_yield(void)
{
	rtos_irqflags_t f = port_irq_save();
	struct rtos_task *c = rtos_current;

	if (c && c->state == RTOS_TASK_READY && has_peers(c)) {
		ready_del(c);
		ready_add(c, false);
		if (rtos_k.slice_owner == c) {
			rtos_k.slice_owner = NULL; /* the next one starts afresh */
			rtos_k.slice_end = RTOS_NEVER;
		}
		check_preempt();
		reschedule();
	}
	port_irq_restore(f);
}

int rtos_sleep(rtos_tick_t ticks)
{
	rtos_irqflags_t f;

	if (!may_block())
		return RTOS_EINVAL;
	if (ticks == 0) {
		rtos_yield();
		return RTOS_OK;
	}
	f = port_irq_save();
	block_current(NULL, ticks);
	reschedule();
	port_irq_restore(f);
	return RTOS_OK;
}

int rtos_sleep_until(rtos_tick_t when)
{
	rtos_irqflags_t f;

	if (!may_block())
		return RTOS_EINVAL;
	f = port_irq_save();
	if (when <= port_now()) {
		port_irq_restore(f);
		return RTOS_ETIMEOUT;
	}
	block_current(NULL, RTOS_FOREVER);
	timer_add(rtos_current, when);
	timer_reprogram();
	reschedule();
	port_irq_restore(f);
	return RTOS_OK;
}

int rtos_task_set_priority(struct rtos_task *t, unsigned prio)
{
	rtos_irqflags_t f;

	if (!t || prio < 1 || prio > RTOS_PRIO_MAX)
		return RTOS_EINVAL;
	f = port_irq_save();
	if (t->state == RTOS_TASK_FREE || t->state == RTOS_TASK_DEAD) {
		port_irq_restore(f);
		return RTOS_EINVAL;
	}
	t->base_prio = (uint8_t)prio;
	/* pi_update keeps any inherited priority above the new base */
	pi_update(t);
	reschedule();
	port_irq_restore(f);
	return RTOS_OK;
}

unsigned rtos_task_priority(const struct rtos_task *t)
{
	return t->prio;
}

unsigned rtos_task_base_priority(const struct rtos_task *t)
{
	return t->base_prio;
}

const char *rtos_task_name(const struct rtos_task *t)
{
	return t->name;
}

enum rtos_task_state rtos_task_state(const struct rtos_task *t)
{
	return (enum rtos_task_state)t->state;
}

size_t rtos_task_stack_unused(const struct rtos_task *t)
{
	size_t i = sizeof(uint64_t);

	while (i < t->stack_size && t->stack[i] == RTOS_STACK_PAINT)
		i++;
	return i - sizeof(uint64_t);
}
