// SPDX-License-Identifier: Apache-2.0
/* The security event log: a ring of EVENT_LOG_SIZE records behind
 * umbra/log.h's log_event(). Sequence numbers start at 1 and never
 * repeat; record seq lives in slot seq % EVENT_LOG_SIZE. */
#include "umbra/arch.h"
#include "umbra/log.h"
#include "umbra/lib.h"
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

u64 events_head(void)
{
	spin_lock(&ev_lock);
	u64 h = next_seq;

	spin_unlock(&ev_lock);
	return h;
}

static void put_le(u8 *p, u64 v, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		p[i] = (u8)(v >> (8 * i));
}

void event_encode(const struct event_rec *r, u8 out[EVENT_WIRE_SIZE])
{
	put_le(out, r->seq, 8);
	put_le(out + 8, r->time, 8);
	put_le(out + 16, r->part, 4);
	put_le(out + 20, r->type, 4);
	put_le(out + 24, r->a, 8);
	put_le(out + 32, r->b, 8);
	put_le(out + 40, r->c, 8);
}

size_t events_report(u64 from, bool all, u32 part, u8 *out, u32 max, u64 *next)
{
	struct event_rec rec[8];
	u32 count = 0, n, i;
	u8 *p = out + EVENT_REPORT_HDR;

	if (from == 0)
		from = 1;
	*next = from;
	/* a few at a time: the records are encoded from a small stack copy */
	while (count < max) {
		n = events_read(*next, all, part, rec, MIN(max - count, (u32)ARRAY_SIZE(rec)), next);
		for (i = 0; i < n; i++, p += EVENT_WIRE_SIZE)
			event_encode(&rec[i], p);
		count += n;
		if (n == 0)
			break;
	}
	memcpy(out, EVENT_REPORT_MAGIC, 8);
	put_le(out + 8, from, 8);
	put_le(out + 16, *next, 8);
	put_le(out + 24, count, 4);
	put_le(out + 28, all ? 1 : 0, 4);
	return EVENT_REPORT_HDR + (size_t)count * EVENT_WIRE_SIZE;
}
