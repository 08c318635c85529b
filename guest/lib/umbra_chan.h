/* SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0 */
/*
 * Umbra channel rings (docs/channels.md): the message protocol both peers
 * of a channel speak over its shared region. Header-only, freestanding C
 * (the RTOS and the Linux user-space tools include it; the kernel module
 * does not need it).
 *
 * The region is split in two halves, one ring per direction: the lower
 * half is written by the first peer of the channel's `peers` (the one
 * whose CHANNEL_INFO flags carry UMBRA_CHAN_FIRST), the upper half by the
 * second. Each ring is a 128-byte header (two cache lines: the writer's
 * `head`, the reader's `tail`, so neither writes the other's line) and a
 * circular data area of `cap` bytes, cap = half - 128. A message is a
 * 4-byte little-endian length, then that many bytes, padded to 4; it may
 * wrap around the end of the data area. head == tail: empty; the writer
 * keeps at least 4 bytes free, so a full ring never looks empty.
 *
 * Ordering (both peers map the region as Normal write-back, inner
 * shareable): the writer copies the message, then stores head with
 * release semantics (stlr), then rings the peer's doorbell; the reader
 * loads head with acquire semantics (ldar) before reading the message,
 * and stores tail with release semantics after it is done with it. The
 * writer loads tail with acquire before reusing space. Index values read
 * from the shared page are checked before use: a peer cannot make the
 * other read or write outside the region.
 */
#ifndef UMBRA_CHAN_H
#define UMBRA_CHAN_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
#endif

#define UCHAN_HDR_SIZE 128u
#define UCHAN_MSG_MAX  4096u      /* longest message payload */
#define UCHAN_MIN_SIZE 4096u      /* smallest region: two 2 KiB rings */
#define UCHAN_E_EMPTY  -1         /* recv: nothing there */
#define UCHAN_E_FULL   -2         /* send: not enough space now */
#define UCHAN_E_SIZE   -3         /* too long for the ring, or the buffer */
#define UCHAN_E_CORRUPT -4        /* the peer wrote nonsense indices/lengths */

struct uchan_ring {
	uint32_t head;                /* written by the writer only */
	uint32_t reserved0[15];
	uint32_t tail;                /* written by the reader only */
	uint32_t reserved1[15];
	/* uint8_t data[cap] follows */
};

struct uchan {
	struct uchan_ring *tx, *rx;
	uint8_t *tx_data, *rx_data;
	uint32_t cap;
};

static inline uint32_t uchan_load_acq(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void uchan_store_rel(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* base/size: the region as mapped; first: this side is the first peer.
 * Returns 0, or UCHAN_E_SIZE if the region is too small. */
static inline int uchan_init(struct uchan *c, void *base, uint64_t size, int first)
{
	uint8_t *lo = (uint8_t *)base, *hi;
	uint64_t half = size / 2;

	if (size < UCHAN_MIN_SIZE || half > 0x40000000u)
		return UCHAN_E_SIZE;
	hi = lo + half;
	c->tx = (struct uchan_ring *)(first ? lo : hi);
	c->rx = (struct uchan_ring *)(first ? hi : lo);
	c->tx_data = (uint8_t *)c->tx + UCHAN_HDR_SIZE;
	c->rx_data = (uint8_t *)c->rx + UCHAN_HDR_SIZE;
	c->cap = (uint32_t)(half - UCHAN_HDR_SIZE) & ~3u;
	return 0;
}

static inline uint32_t uchan_pad(uint32_t len)
{
	return (len + 3u) & ~3u;
}

/* Copy n bytes into/out of the circular area at offset off (< cap). */
static inline void uchan_put(const struct uchan *c, uint32_t off, const void *src, uint32_t n)
{
	const uint8_t *s = (const uint8_t *)src;
	uint32_t i;

	for (i = 0; i < n; i++) {
		c->tx_data[off] = s[i];
		if (++off == c->cap)
			off = 0;
	}
}

static inline void uchan_get(const struct uchan *c, uint32_t off, void *dst, uint32_t n)
{
	uint8_t *d = (uint8_t *)dst;
	uint32_t i;

	for (i = 0; i < n; i++) {
		d[i] = ((volatile uint8_t *)c->rx_data)[off];
		if (++off == c->cap)
			off = 0;
	}
}

/* Bytes free for the writer (keeping 4 back: full never equals empty). */
static inline int64_t uchan_space(const struct uchan *c)
{
	uint32_t head = c->tx->head, tail = uchan_load_acq(&c->tx->tail);

	if (head >= c->cap || tail >= c->cap || (head | tail) & 3u)
		return UCHAN_E_CORRUPT;
	return (int64_t)((tail + c->cap - head - 4u) % c->cap);
}

/* Queue one message (0..UCHAN_MSG_MAX bytes). The caller rings the
 * doorbell afterwards (CHANNEL_NOTIFY). 0, UCHAN_E_FULL (try again after
 * the peer has read), UCHAN_E_SIZE or UCHAN_E_CORRUPT. */
static inline int uchan_send(struct uchan *c, const void *msg, uint32_t len)
{
	uint32_t need = 4u + uchan_pad(len), head = c->tx->head;
	int64_t space = uchan_space(c);
	uint8_t le[4];

	if (space < 0)
		return (int)space;
	if (len > UCHAN_MSG_MAX || need > c->cap - 4u)
		return UCHAN_E_SIZE;
	if ((uint64_t)space < need)
		return UCHAN_E_FULL;
	le[0] = (uint8_t)len;
	le[1] = (uint8_t)(len >> 8);
	le[2] = (uint8_t)(len >> 16);
	le[3] = (uint8_t)(len >> 24);
	uchan_put(c, head, le, 4);
	uchan_put(c, (head + 4u) % c->cap, msg, len);
	uchan_store_rel(&c->tx->head, (head + need) % c->cap);
	return 0;
}

/* Take the next message into buf[max]: its length, UCHAN_E_EMPTY,
 * UCHAN_E_SIZE (longer than max: left in the ring) or UCHAN_E_CORRUPT. */
static inline int uchan_recv(struct uchan *c, void *buf, uint32_t max)
{
	uint32_t head = uchan_load_acq(&c->rx->head), tail = c->rx->tail, len, used;
	uint8_t le[4];

	if (head >= c->cap || tail >= c->cap || (head | tail) & 3u)
		return UCHAN_E_CORRUPT;
	if (head == tail)
		return UCHAN_E_EMPTY;
	used = (head + c->cap - tail) % c->cap;
	uchan_get(c, tail, le, 4);
	len = (uint32_t)le[0] | (uint32_t)le[1] << 8 | (uint32_t)le[2] << 16 | (uint32_t)le[3] << 24;
	if (len > UCHAN_MSG_MAX || 4u + uchan_pad(len) > used)
		return UCHAN_E_CORRUPT;
	if (len > max)
		return UCHAN_E_SIZE;
	uchan_get(c, (tail + 4u) % c->cap, buf, len);
	uchan_store_rel(&c->rx->tail, (tail + 4u + uchan_pad(len)) % c->cap);
	return (int)len;
}

/* Drop everything queued for this side (after a restart, or when the
 * peer wrote nonsense): the reader owns tail. */
static inline void uchan_rx_flush(struct uchan *c)
{
	uint32_t head = uchan_load_acq(&c->rx->head);

	uchan_store_rel(&c->rx->tail, head < c->cap && !(head & 3u) ? head : 0);
}

/* The request/reply protocol of the demo service (docs/channels.md):
 * every message starts with this header. */
struct uchan_msg_hdr {
	uint32_t seq;                 /* the request's; the reply repeats it */
	uint16_t op;                  /* UCHAN_OP_* */
	int16_t status;               /* replies: 0 or a negative error */
};
#define UCHAN_OP_ECHO  1          /* reply: the same payload */
#define UCHAN_OP_TIME  2          /* reply: u64 seconds since 1970 (the rtos's RTC) */
#define UCHAN_ST_OK        0
#define UCHAN_ST_BAD_OP   -1
#define UCHAN_ST_NO_DEVICE -2

#endif
