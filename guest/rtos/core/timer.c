// SPDX-License-Identifier: Apache-2.0
/*
 * Time: the timer list and unit conversions.
 *
 * Why tickless: the kernel keeps no periodic tick. Time is the 64-bit
 * hardware counter itself, and the one-shot timer is programmed for the
 * next thing that is due: the earliest entry of the timer list, or the end
 * of the running task's time slice when it shares its priority. So
 *   - a periodic task's deadline is exact to the counter (16 ns on QEMU),
 *     not rounded to a tick, and rtos_sleep_until(start + n * period)
 *     never drifts;
 *   - an idle partition takes no interrupt at all until something is due:
 *     under Umbra every interrupt is a trip through EL2, so a 1 kHz tick
 *     would cost the machine 1000 exits a second for nothing;
 *   - there is no tick counter to overflow and no tick-rate to choose.
 * The price is a sorted timer list (insertion is O(n) in the sleepers,
 * from the tail: periodic deadlines usually go near the end) and one
 * timer reprogram per event.
 */
#include "internal.h"

#define tnode_task(l) RTOS_CONTAINER_OF(l, struct rtos_task, tnode)

void timer_list_init(void)
{
	list_init(&rtos_k.timers);
}

void timer_add(struct rtos_task *t, rtos_tick_t when)
{
	struct rtos_list *pos = rtos_k.timers.prev;

	if (t->timed)
		timer_del(t);
	t->wake = when;
	/* from the tail back to the last entry due no later than `when` */
	while (pos != &rtos_k.timers && tnode_task(pos)->wake > when)
		pos = pos->prev;
	list_insert_before(pos->next, &t->tnode);
	t->timed = true;
}

void timer_del(struct rtos_task *t)
{
	if (!t->timed)
		return;
	list_del(&t->tnode);
	t->timed = false;
}

struct rtos_task *timer_due(rtos_tick_t now)
{
	struct rtos_task *t;

	if (list_empty(&rtos_k.timers))
		return NULL;
	t = tnode_task(rtos_k.timers.next);
	return t->wake <= now ? t : NULL;
}

rtos_tick_t timer_next(void)
{
	return list_empty(&rtos_k.timers) ? RTOS_NEVER : tnode_task(rtos_k.timers.next)->wake;
}

/* ---- units ---------------------------------------------------------------- */

rtos_tick_t rtos_now(void)
{
	return port_now();
}

uint64_t rtos_tick_hz(void)
{
	return port_tick_hz();
}

/* v * mul / div rounded up, without overflowing for any v that fits */
static uint64_t scale_up(uint64_t v, uint64_t mul, uint64_t div)
{
	uint64_t q = v / div, r = v % div;

	return q * mul + (r * mul + div - 1) / div;
}

rtos_tick_t rtos_ns(uint64_t ns)
{
	return scale_up(ns, port_tick_hz(), 1000000000ULL);
}

rtos_tick_t rtos_us(uint64_t us)
{
	return scale_up(us, port_tick_hz(), 1000000ULL);
}

rtos_tick_t rtos_ms(uint64_t ms)
{
	return scale_up(ms, port_tick_hz(), 1000ULL);
}

uint64_t rtos_ticks_to_ns(rtos_tick_t ticks)
{
	uint64_t hz = port_tick_hz();

	return ticks / hz * 1000000000ULL + ticks % hz * 1000000000ULL / hz;
}
