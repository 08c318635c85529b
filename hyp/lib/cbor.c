// SPDX-License-Identifier: Apache-2.0
/*
 * Deterministic CBOR encoder: see umbra/cbor.h. Freestanding, no
 * allocation, no recursion.
 */
#include <string.h>

#include "umbra/cbor.h"

/* Account for n more bytes; true if they fit and should be written. */
static bool reserve(struct cbor_enc *e, size_t n)
{
	bool fits = e->len <= e->cap && n <= e->cap - e->len;

	e->len = n > SIZE_MAX - e->len ? SIZE_MAX : e->len + n;
	return fits;
}

void cbor_put_raw(struct cbor_enc *e, const void *p, size_t n)
{
	size_t at = e->len;

	if (reserve(e, n) && n)
		memcpy(e->buf + at, p, n);
}

size_t cbor_head_len(uint64_t v)
{
	if (v < 24)
		return 1;
	if (v <= 0xff)
		return 2;
	if (v <= 0xffff)
		return 3;
	if (v <= 0xffffffffu)
		return 5;
	return 9;
}

void cbor_put_head(struct cbor_enc *e, unsigned major, uint64_t v)
{
	uint8_t h[CBOR_HEAD_MAX];
	size_t n = cbor_head_len(v), i;
	uint8_t ai;

	switch (n) {
	case 1: ai = (uint8_t)v; break;
	case 2: ai = 24; break;
	case 3: ai = 25; break;
	case 5: ai = 26; break;
	default: ai = 27; break;
	}
	h[0] = (uint8_t)((major & 7u) << 5 | ai);
	/* big-endian argument in the n - 1 bytes after the initial byte */
	for (i = n - 1; i >= 1; i--) {
		h[i] = (uint8_t)v;
		v >>= 8;
	}
	cbor_put_raw(e, h, n);
}

void cbor_put_uint(struct cbor_enc *e, uint64_t v)
{
	cbor_put_head(e, CBOR_MT_UINT, v);
}

void cbor_put_int(struct cbor_enc *e, int64_t v)
{
	if (v >= 0)
		cbor_put_head(e, CBOR_MT_UINT, (uint64_t)v);
	else    /* -1 - v without overflow, also for INT64_MIN */
		cbor_put_head(e, CBOR_MT_NINT, ~(uint64_t)v);
}

/* A string is one item: its head and contents are written together or not
 * at all. */
static void put_string(struct cbor_enc *e, unsigned major, const void *p, size_t n)
{
	size_t hl = cbor_head_len(n);

	if (e->len <= e->cap && hl <= e->cap - e->len && n <= e->cap - e->len - hl) {
		cbor_put_head(e, major, n);
		cbor_put_raw(e, p, n);
	} else {    /* does not fit: account for it only */
		reserve(e, hl);
		reserve(e, n);
	}
}

void cbor_put_bstr(struct cbor_enc *e, const void *p, size_t n)
{
	put_string(e, CBOR_MT_BSTR, p, n);
}

void cbor_put_tstr(struct cbor_enc *e, const char *s, size_t n)
{
	put_string(e, CBOR_MT_TSTR, s, n);
}

void cbor_put_tstr_z(struct cbor_enc *e, const char *s)
{
	cbor_put_tstr(e, s, strlen(s));
}

void cbor_put_array(struct cbor_enc *e, uint64_t n)
{
	cbor_put_head(e, CBOR_MT_ARRAY, n);
}

void cbor_put_map(struct cbor_enc *e, uint64_t n)
{
	cbor_put_head(e, CBOR_MT_MAP, n);
}

void cbor_put_tag(struct cbor_enc *e, uint64_t tag)
{
	cbor_put_head(e, CBOR_MT_TAG, tag);
}

void cbor_put_bool(struct cbor_enc *e, bool v)
{
	uint8_t b = v ? CBOR_TRUE : CBOR_FALSE;

	cbor_put_raw(e, &b, 1);
}

void cbor_put_null(struct cbor_enc *e)
{
	uint8_t b = CBOR_NULL;

	cbor_put_raw(e, &b, 1);
}
