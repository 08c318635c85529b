// SPDX-License-Identifier: Apache-2.0
/*
 * libFuzzer target: the channel ring protocol (guest/lib/umbra_chan.h)
 * between two ends sharing one region of exactly its size (ASan sees any
 * access past it). Operations: either end sends a message of a chosen
 * length (patterned bytes), either end receives into a buffer of a chosen
 * size, flushes, or the hostile peer writes any 32-bit word of the region
 * (indices, lengths, data). Checked: results are always one of the
 * documented codes, a received length fits the buffer and UCHAN_MSG_MAX,
 * and until the first hostile write every message arrives once, whole
 * and in order.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "umbra_chan.h"

#define MAX_OPS 256
#define QMAX 512   /* messages in flight per direction (the model) */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct model {
	uint32_t len[QMAX];
	uint8_t seed[QMAX];
	unsigned head, count;
};

static uint32_t take(const uint8_t **p, size_t *n, unsigned bytes)
{
	uint32_t v = 0;
	unsigned i;

	for (i = 0; i < bytes && *n; i++, (*p)++, (*n)--)
		v |= (uint32_t)**p << (8 * i);
	return v;
}

static void fill(uint8_t *buf, uint32_t len, uint8_t seed)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(seed + i * 13);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t msg[UCHAN_MSG_MAX + 8], got[UCHAN_MSG_MAX + 8], want[UCHAN_MSG_MAX + 8];
	static struct model q[2];   /* q[i]: sent by end i, not yet received */
	uint32_t region_size = UCHAN_MIN_SIZE << (take(&data, &size, 1) % 3);
	uint8_t *region = calloc(1, region_size);
	struct uchan end[2];
	bool tampered = false;
	unsigned n;

	if (!region)
		return 0;
	memset(q, 0, sizeof(q));
	if (uchan_init(&end[0], region, region_size, 1) || uchan_init(&end[1], region, region_size, 0))
		abort();

	for (n = 0; n < MAX_OPS && size; n++) {
		uint32_t op = take(&data, &size, 1), e = op & 1, arg = take(&data, &size, 2);
		struct model *m = &q[e];
		int r;

		switch ((op >> 1) % 5) {
		case 0: {   /* end e sends arg % (MSG_MAX + 64) bytes */
			uint32_t len = arg % (UCHAN_MSG_MAX + 64);
			uint8_t seed = (uint8_t)n;

			fill(msg, len < sizeof(msg) ? len : sizeof(msg), seed);
			r = uchan_send(&end[e], msg, len);
			if (r != 0 && r != UCHAN_E_FULL && r != UCHAN_E_SIZE && r != UCHAN_E_CORRUPT)
				abort();
			if (!tampered && (r == UCHAN_E_CORRUPT || (r == UCHAN_E_SIZE && len <= 1024)))
				abort();   /* honest ends never see these */
			if (r == 0 && m->count < QMAX) {
				m->len[(m->head + m->count) % QMAX] = len;
				m->seed[(m->head + m->count++) % QMAX] = seed;
			} else if (r == 0) {
				tampered = true;   /* beyond the model: stop comparing */
			}
			break;
		}
		case 1: {   /* end e receives into a buffer of arg % (MSG_MAX + 8) */
			uint32_t max = arg % (UCHAN_MSG_MAX + 8);
			struct model *from = &q[!e];

			r = uchan_recv(&end[e], got, max);
			if (r > (int)max || r > (int)UCHAN_MSG_MAX || r < UCHAN_E_CORRUPT)
				abort();
			if (tampered)
				break;
			if (r == UCHAN_E_CORRUPT || (r == UCHAN_E_EMPTY) != (from->count == 0))
				abort();
			if (r == UCHAN_E_SIZE && from->len[from->head] <= max)
				abort();
			if (r >= 0) {
				if ((uint32_t)r != from->len[from->head])
					abort();
				fill(want, (uint32_t)r, from->seed[from->head]);
				if (memcmp(got, want, (size_t)r))
					abort();
				from->head = (from->head + 1) % QMAX;
				from->count--;
			}
			break;
		}
		case 2:
			uchan_rx_flush(&end[e]);
			q[!e].count = 0;
			break;
		default: {  /* the hostile peer: any word of the region */
			uint32_t off = (arg * 4u) % region_size;
			uint32_t val = take(&data, &size, 4);

			memcpy(region + off, &val, 4);
			tampered = true;
			break;
		}
		}
	}
	free(region);
	return 0;
}
