// SPDX-License-Identifier: Apache-2.0
/* The security event log: a ring of EVENT_LOG_SIZE records behind
 * umbra/log.h's log_event(). Sequence numbers start at 1 and never
 * repeat; record seq lives in slot seq % EVENT_LOG_SIZE. */
#include "umbra/arch.h"
#include "umbra/log.h"
#include "umbra/spinlock.h"

static struct event_rec ring[EVENT_LOG_SIZE];
static u64 next_seq = 1;
static spinlock_t ev_lock;

void log_event(u32 part, enum event_type type, u64 a, u64 b, u64 c)
{
	spin_lock(&ev_lock);
	struct event_rec *r = &ring[next_seq % EVENT_LOG_SIZE];

	r->seq = next_seq++;
	r->time = arch_counter();
	r->part = part;
	r->type = type;
	r->a = a;
	r->b = b;
	r->c = c;
	spin_unlock(&ev_lock);
}

u32 events_read(u64 from, bool all, u32 part, struct event_rec *out, u32 max, u64 *next)
{
	u32 n = 0;

	spin_lock(&ev_lock);
	u64 oldest = next_seq > EVENT_LOG_SIZE ? next_seq - EVENT_LOG_SIZE : 1;

	if (from == 0)
		from = 1;
	if (from > next_seq)
		from = next_seq;
	if (from < oldest && max > 0) {
		out[n++] = (struct event_rec){ .seq = oldest - 1, .time = arch_counter(),
					      .part = ~0u, .type = EV_LOST, .a = oldest - from };
		from = oldest;
	}
	for (; from < next_seq && n < max; from++) {
		const struct event_rec *r = &ring[from % EVENT_LOG_SIZE];

		if (all || r->part == part)
			out[n++] = *r;
	}
	*next = from;
	spin_unlock(&ev_lock);
	return n;
}
