// SPDX-License-Identifier: Apache-2.0
/*
 * Semaphores, mutexes with priority inheritance, message queues.
 *
 * Every release hands over directly: a give with waiters wakes the most
 * urgent one with the unit already taken for it, an unlock makes the top
 * waiter the owner, a send to a waiting receiver copies into its buffer.
 * So a woken task never finds its prize stolen by a task that ran first,
 * and it always returns RTOS_OK without looking again.
 *
 * Priority inheritance: a task blocked on a mutex lends its priority to
 * the owner, and on along the chain if that owner is itself blocked on a
 * mutex (pi_update in kernel.c). An owner's effective priority is always
 * max(its base, the top waiter of each mutex it holds), recomputed when a
 * waiter arrives, leaves by timeout or death, or the mutex changes hands.
 */
#include <string.h>

#include "internal.h"

/* Block the caller in wq for at most `timeout` and return how it ended.
 * Interrupts are masked (they stay masked across the switch). */
static int wait_in(struct rtos_waitq *wq, rtos_tick_t timeout)
{
	block_current(wq, timeout);
	reschedule();
	return rtos_current->wait_result;
}

/* ---- semaphores ------------------------------------------------------------ */

void rtos_sem_init(struct rtos_sem *s, unsigned initial, unsigned max)
{
	waitq_init(&s->waiters);
	s->max = max ? max : 1;
	s->count = initial < s->max ? initial : s->max;
}

int rtos_sem_take(struct rtos_sem *s, rtos_tick_t timeout)
{
	rtos_irqflags_t f = port_irq_save();
	int r = RTOS_OK;

	if (s->count) {
		s->count--;
	} else if (timeout == RTOS_NO_WAIT) {
		r = RTOS_EAGAIN;
	} else if (!may_block()) {
		r = RTOS_EINVAL;
	} else {
		r = wait_in(&s->waiters, timeout);
	}
	port_irq_restore(f);
	return r;
}

int rtos_sem_give(struct rtos_sem *s)
{
	rtos_irqflags_t f = port_irq_save();
	struct rtos_task *w = waitq_top(&s->waiters);
	int r = RTOS_OK;

	if (w)
		wake_task(w, RTOS_OK); /* the unit goes straight to it */
	else if (s->count < s->max)
		s->count++;
	else
		r = RTOS_EOVERFLOW;
	reschedule();
	port_irq_restore(f);
	return r;
}

unsigned rtos_sem_count(const struct rtos_sem *s)
{
	return s->count;
}

int rtos_sem_give_from_isr(struct rtos_sem *s)
{
	return rtos_sem_give(s); /* never blocks; switches on the way out */
}

int rtos_sem_try_take_from_isr(struct rtos_sem *s)
{
	return rtos_sem_take(s, RTOS_NO_WAIT);
}

/* ---- mutexes ------------------------------------------------------------------- */

void rtos_mutex_init(struct rtos_mutex *m)
{
	waitq_init(&m->waiters);
	m->owner = NULL;
	list_init(&m->held);
}

static void mutex_acquire(struct rtos_mutex *m, struct rtos_task *t)
{
	m->owner = t;
	list_add_tail(&t->held, &m->held);
}

/* m leaves its owner for the top waiter, who gets `status`. */
static void mutex_handover(struct rtos_mutex *m, int status)
{
	struct rtos_task *next = waitq_top(&m->waiters);

	list_del(&m->held);
	m->owner = NULL;
	if (!next)
		return;
	wake_task(next, status);
	mutex_acquire(m, next);
	/* the remaining waiters now lend their priority to next */
	pi_update(next);
}

void mutex_release_all(struct rtos_task *t, int status)
{
	while (!list_empty(&t->held))
		mutex_handover(RTOS_CONTAINER_OF(t->held.next, struct rtos_mutex, held), status);
	pi_update(t);
}

int rtos_mutex_lock(struct rtos_mutex *m, rtos_tick_t timeout)
{
	rtos_irqflags_t f;
	struct rtos_task *c = rtos_current;
	int r = RTOS_OK;

	if (!may_block())
		return RTOS_EINVAL; /* tasks only: an owner must be able to inherit */
	f = port_irq_save();
	if (!m->owner) {
		mutex_acquire(m, c);
	} else if (m->owner == c) {
		r = RTOS_EDEADLK;
	} else if (timeout == RTOS_NO_WAIT) {
		r = RTOS_EAGAIN;
	} else {
		struct rtos_task *owner = m->owner;

		block_current(&m->waiters, timeout);
		c->wait_mutex = m;
		pi_update(owner);
		reschedule();
		/* RTOS_OK or RTOS_EOWNERDEAD: mutex_handover made us the
		 * owner. RTOS_ETIMEOUT: the timer took us out of the queue
		 * and corrected the owner's priority. */
		r = c->wait_result;
	}
	port_irq_restore(f);
	return r;
}

int rtos_mutex_unlock(struct rtos_mutex *m)
{
	rtos_irqflags_t f;
	struct rtos_task *c = rtos_current;

	if (!may_block())
		return RTOS_EINVAL;
	f = port_irq_save();
	if (m->owner != c) {
		port_irq_restore(f);
		return RTOS_EPERM;
	}
	mutex_handover(m, RTOS_OK);
	pi_update(c); /* give back what it inherited through m */
	reschedule();
	port_irq_restore(f);
	return RTOS_OK;
}

struct rtos_task *rtos_mutex_owner(const struct rtos_mutex *m)
{
	return m->owner;
}

/* ---- message queues ------------------------------------------------------------ */

void rtos_queue_init(struct rtos_queue *q, void *buf, size_t item_size, unsigned capacity)
{
	waitq_init(&q->senders);
	waitq_init(&q->receivers);
	q->buf = buf;
	q->item_size = item_size;
	q->capacity = buf ? capacity : 0;
	q->count = q->head = 0;
}

static void q_put(struct rtos_queue *q, const void *item)
{
	unsigned tail = (q->head + q->count) % q->capacity;

	memcpy(q->buf + (size_t)tail * q->item_size, item, q->item_size);
	q->count++;
}

static void q_get(struct rtos_queue *q, void *item)
{
	memcpy(item, q->buf + (size_t)q->head * q->item_size, q->item_size);
	q->head = (q->head + 1) % q->capacity;
	q->count--;
}

static int queue_send(struct rtos_queue *q, const void *item, rtos_tick_t timeout)
{
	rtos_irqflags_t f = port_irq_save();
	struct rtos_task *r = waitq_top(&q->receivers);
	int ret = RTOS_OK;

	if (r) {
		/* a receiver waits only on an empty queue: hand it over */
		memcpy(r->wait_data, item, q->item_size);
		wake_task(r, RTOS_OK);
	} else if (q->count < q->capacity) {
		q_put(q, item);
	} else if (timeout == RTOS_NO_WAIT) {
		ret = RTOS_EAGAIN;
	} else if (!may_block()) {
		ret = RTOS_EINVAL;
	} else {
		rtos_current->wait_data = (void *)(uintptr_t)item;
		ret = wait_in(&q->senders, timeout);
	}
	reschedule();
	port_irq_restore(f);
	return ret;
}

static int queue_recv(struct rtos_queue *q, void *item, rtos_tick_t timeout)
{
	rtos_irqflags_t f = port_irq_save();
	struct rtos_task *s = waitq_top(&q->senders);
	int ret = RTOS_OK;

	if (q->count) {
		q_get(q, item);
		/* room now: the first blocked sender's item goes in */
		if (s) {
			q_put(q, s->wait_data);
			wake_task(s, RTOS_OK);
		}
	} else if (s) {
		/* a rendezvous (capacity 0): straight from the sender */
		memcpy(item, s->wait_data, q->item_size);
		wake_task(s, RTOS_OK);
	} else if (timeout == RTOS_NO_WAIT) {
		ret = RTOS_EAGAIN;
	} else if (!may_block()) {
		ret = RTOS_EINVAL;
	} else {
		rtos_current->wait_data = item;
		ret = wait_in(&q->receivers, timeout);
	}
	reschedule();
	port_irq_restore(f);
	return ret;
}

int rtos_queue_send(struct rtos_queue *q, const void *item, rtos_tick_t timeout)
{
	return queue_send(q, item, timeout);
}

int rtos_queue_recv(struct rtos_queue *q, void *item, rtos_tick_t timeout)
{
	return queue_recv(q, item, timeout);
}

unsigned rtos_queue_count(const struct rtos_queue *q)
{
	return q->count;
}

int rtos_queue_send_from_isr(struct rtos_queue *q, const void *item)
{
	return queue_send(q, item, RTOS_NO_WAIT);
}

int rtos_queue_recv_from_isr(struct rtos_queue *q, void *item)
{
	return queue_recv(q, item, RTOS_NO_WAIT);
}
