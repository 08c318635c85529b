// SPDX-License-Identifier: Apache-2.0
/*
 * libFuzzer target: the anti-rollback store's two flash records
 * (hyp/lib/svnstore.c, docs/signing.md "The anti-rollback store") as boot
 * reads them, then one confirmation's write as image_auth.c makes it:
 * raise a partition's minimum, next generation, erase the other slot and
 * program the record, cut after any number of bytes (a power loss).
 *
 * Input: flags (1 byte: bit 0 / bit 1 recompute slot 0's / slot 1's CRC,
 * so that the fuzzer gets past it), the write's length before the cut
 * (2 bytes, mod 257: 256 is a whole record), the SVN raised to (4 bytes),
 * the partition name (20 bytes, up to the first NUL), then slot 0 and
 * slot 1 (256 bytes each; what the input lacks reads as erased flash,
 * 0xff). Each slot is a heap buffer of exactly 256 bytes.
 *
 * Checked besides the sanitizers: a decoded record has 0..8 entries named
 * by 1..19 bytes and survives encode and decode unchanged; load picks the
 * newest valid record by the wrapping generation rule, calls two bad
 * slots blank only when both are erased or zero; the write raises exactly
 * that minimum; after it, a whole record is what loads, and a cut one
 * leaves the store as it was (never an older state, and a valid store
 * stays valid).
 */
#include <stdlib.h>
#include <string.h>

#include "umbra/svnstore.h"

#define HDR (1 + 2 + 4 + SVN_NAME_LEN)
#define OFF_CRC (SVN_REC_LEN - 4)

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

static void fix_crc(u8 *rec)
{
	u32 c = svnstore_crc32(rec, OFF_CRC);

	rec[OFF_CRC] = (u8)c;
	rec[OFF_CRC + 1] = (u8)(c >> 8);
	rec[OFF_CRC + 2] = (u8)(c >> 16);
	rec[OFF_CRC + 3] = (u8)(c >> 24);
}

static bool same(const struct svn_store *a, const struct svn_store *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;   /* decode zeroes it all first */
}

/* A decoded record's entries, and its round trip through encode. */
static void check_decoded(const u8 *rec, const struct svn_store *s)
{
	static u8 again[SVN_REC_LEN];
	struct svn_store t;
	unsigned i;
	size_t n;

	if (s->count > SVN_MAX_ENTRIES)
		abort();
	for (i = 0; i < s->count; i++) {
		n = strnlen(s->e[i].name, SVN_NAME_LEN);
		if (n == 0 || n >= SVN_NAME_LEN || memcmp(s->e[i].name, rec + 16 + i * 24, n))
			abort();
	}
	svnstore_encode(s, again);
	if (svnstore_decode(again, &t) || !same(s, &t))
		abort();
}

static bool blank(const u8 *p)
{
	unsigned i;

	for (i = 1; i < SVN_REC_LEN; i++)
		if (p[i] != p[0])
			return false;
	return p[0] == 0 || p[0] == 0xff;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u8 *slot[2], rec[SVN_REC_LEN];
	struct svn_store d[2], s, before, after;
	bool ok[2];
	char name[SVN_NAME_LEN + 1] = { 0 };
	unsigned cut, i, which, w;
	enum svn_state st;
	u32 svn, old;

	if (size < HDR)
		return 0;
	slot[0] = malloc(SVN_REC_LEN);
	slot[1] = malloc(SVN_REC_LEN);
	if (!slot[0] || !slot[1])
		abort();
	for (i = 0; i < 2; i++) {
		size_t off = HDR + i * SVN_REC_LEN, n = size > off ? MIN(size - off, SVN_REC_LEN) : 0;

		memset(slot[i], 0xff, SVN_REC_LEN);
		memcpy(slot[i], data + off, n);
		if (data[0] & (1u << i))
			fix_crc(slot[i]);
	}
	cut = ((unsigned)data[1] | (unsigned)data[2] << 8) % (SVN_REC_LEN + 1);
	svn = (u32)data[3] | (u32)data[4] << 8 | (u32)data[5] << 16 | (u32)data[6] << 24;
	memcpy(name, data + 7, SVN_NAME_LEN);

	/* each record on its own */
	for (i = 0; i < 2; i++) {
		ok[i] = svnstore_decode(slot[i], &d[i]) == 0;
		if (ok[i])
			check_decoded(slot[i], &d[i]);
	}

	/* boot: the newest valid one */
	st = svnstore_load(slot[0], slot[1], &s, &which);
	switch (st) {
	case SVN_VALID:
		if (which > 1 || !ok[which] || !same(&s, &d[which]))
			abort();
		if (ok[0] && ok[1] &&
		    which != ((s32)(d[1].generation - d[0].generation) > 0 ? 1u : 0u))
			abort();
		break;
	case SVN_BLANK:
	case SVN_CORRUPT:
		if (ok[0] || ok[1] || which != 1 || s.count || s.generation)
			abort();
		if ((st == SVN_BLANK) != (blank(slot[0]) && blank(slot[1])))
			abort();
		break;
	default:
		abort();
	}
	if (st == SVN_CORRUPT)
		goto out;   /* Umbra writes nothing to a corrupt store */

	/* a confirmation: raise, then write the other slot (image_auth.c) */
	before = s;
	old = svnstore_get(&s, name);
	if (svnstore_raise(&s, name, svn)) {
		if (!same(&s, &before))
			abort();   /* a refused raise changes nothing */
		goto out;
	}
	if (svnstore_get(&s, name) != MAX(old, svn) || s.count < before.count ||
	    s.count > before.count + 1)
		abort();
	for (i = 0; i < before.count; i++)
		if (strcmp(before.e[i].name, name) &&
		    svnstore_get(&s, before.e[i].name) != before.e[i].min_svn)
			abort();   /* another partition's minimum moved */
	s.generation++;
	w = which ^ 1;
	svnstore_encode(&s, rec);
	memset(slot[w], 0xff, SVN_REC_LEN);   /* erased ... */
	memcpy(slot[w], rec, cut);            /* ... and programmed up to the cut */
	while (cut < SVN_REC_LEN && rec[cut] == 0xff)
		cut++;                        /* the record's own 0xff bytes: no cut */
	st = svnstore_load(slot[0], slot[1], &after, &i);
	if (cut == SVN_REC_LEN) {
		if (st != SVN_VALID || i != w || !same(&after, &s))
			abort();
	} else if (ok[0] || ok[1]) {
		/* it was valid: it still is, as it was */
		if (st != SVN_VALID || i != which || !same(&after, &before))
			abort();
	} else if (st != (cut == 0 ? SVN_BLANK : SVN_CORRUPT)) {
		abort();   /* blank before: a cut first write leaves it corrupt */
	}
out:
	free(slot[0]);
	free(slot[1]);
	return 0;
}
