// SPDX-License-Identifier: Apache-2.0
/*
 * A small deterministic CBOR encoder (RFC 8949) into a caller-provided
 * buffer. Every head uses the shortest form (RFC 8949, 4.2.1) and every
 * length is definite; map keys are emitted in the order the caller gives,
 * so callers that want "core deterministic encoding" write them sorted by
 * their encoded bytes.
 *
 * Overflow tracking: the encoder counts every byte it would have written
 * even when the buffer is full, and writes nothing once an item does not
 * fit. Encoding into a zero-size buffer (buf NULL, cap 0) therefore yields
 * the exact length needed, and an item (a head, or a whole string with its
 * head) never lands half-written inside the buffer. The count saturates at
 * SIZE_MAX instead of wrapping.
 *
 * No allocation, no recursion, no floating point: usable at EL2.
 */
#ifndef UMBRA_CBOR_H
#define UMBRA_CBOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Major types (RFC 8949, 3.1) */
enum {
	CBOR_MT_UINT = 0,
	CBOR_MT_NINT = 1,
	CBOR_MT_BSTR = 2,
	CBOR_MT_TSTR = 3,
	CBOR_MT_ARRAY = 4,
	CBOR_MT_MAP = 5,
	CBOR_MT_TAG = 6,
	CBOR_MT_SIMPLE = 7,
};

#define CBOR_FALSE 0xf4
#define CBOR_TRUE 0xf5
#define CBOR_NULL 0xf6

/* Longest head: initial byte + 8-byte argument. */
#define CBOR_HEAD_MAX 9

struct cbor_enc {
	uint8_t *buf;   /* may be NULL when cap is 0 */
	size_t cap;
	size_t len;     /* bytes the encoding needs so far (saturating) */
};

static inline void cbor_init(struct cbor_enc *e, void *buf, size_t cap)
{
	e->buf = buf;
	e->cap = buf ? cap : 0;
	e->len = 0;
}

/* Bytes needed for everything encoded so far (also when it overflowed). */
static inline size_t cbor_len(const struct cbor_enc *e) { return e->len; }
/* Everything encoded so far fits in the buffer. */
static inline bool cbor_ok(const struct cbor_enc *e) { return e->len <= e->cap; }

/* Length of the head for argument v (1, 2, 3, 5 or 9). */
size_t cbor_head_len(uint64_t v);

void cbor_put_head(struct cbor_enc *e, unsigned major, uint64_t v);
void cbor_put_uint(struct cbor_enc *e, uint64_t v);
/* Any int64_t: major type 0 for v >= 0, major type 1 (-1 - v) otherwise. */
void cbor_put_int(struct cbor_enc *e, int64_t v);
void cbor_put_bstr(struct cbor_enc *e, const void *p, size_t n);
/* Text: the caller guarantees UTF-8 (Umbra only ever passes ASCII). */
void cbor_put_tstr(struct cbor_enc *e, const char *s, size_t n);
void cbor_put_tstr_z(struct cbor_enc *e, const char *s);
void cbor_put_array(struct cbor_enc *e, uint64_t n);
void cbor_put_map(struct cbor_enc *e, uint64_t n);
void cbor_put_tag(struct cbor_enc *e, uint64_t tag);
void cbor_put_bool(struct cbor_enc *e, bool v);
void cbor_put_null(struct cbor_enc *e);
/* Pre-encoded bytes (e.g. the contents after cbor_put_head(e, BSTR, n)). */
void cbor_put_raw(struct cbor_enc *e, const void *p, size_t n);

#endif
