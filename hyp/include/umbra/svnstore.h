/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The anti-rollback store's record format (docs/signing.md, "The
 * anti-rollback store"). The store holds two slots; each slot holds one
 * record of SVN_REC_LEN bytes, little-endian:
 *
 *   0   4  magic "USVN"
 *   4   2  version (1)
 *   6   2  number of entries (0..SVN_MAX_ENTRIES)
 *   8   4  generation: +1 (mod 2^32) at every write
 *  12   4  reserved (0)
 *  16 192  8 entries: partition name (20 bytes, NUL padded, 1..19 chars,
 *          no name twice) and its minimum SVN (4 bytes)
 * 208  44  reserved (0)
 * 252   4  CRC-32 (IEEE 802.3, as zlib's crc32) of bytes 0..251
 *
 * The newest valid record wins: generation a is newer than b when
 * (int32_t)(a - b) > 0, so the counter may wrap. A write goes to the slot
 * that does not hold the newest valid record, so a torn write loses at
 * most the update being written. Pure code: the monitor and the host
 * tool (umbra-sign store) share it.
 */
#ifndef UMBRA_SVNSTORE_H
#define UMBRA_SVNSTORE_H

#include "umbra/types.h"

#define SVN_REC_LEN 256
#define SVN_MAX_ENTRIES 8
#define SVN_NAME_LEN 20
#define SVN_MAGIC "USVN"
#define SVN_VERSION 1

struct svn_store {
	u32 generation;
	unsigned count;
	struct {
		char name[SVN_NAME_LEN];     /* NUL-terminated */
		u32 min_svn;
	} e[SVN_MAX_ENTRIES];
};

enum svn_state {
	SVN_VALID,      /* at least one slot holds a valid record */
	SVN_BLANK,      /* both slots erased (all 0xff) or all zero: a new store */
	SVN_CORRUPT,    /* neither slot valid and not blank: refuse (fail closed) */
};

u32 svnstore_crc32(const u8 *p, size_t n);
/* 0 and *s filled if rec is a valid record, else -1. */
int svnstore_decode(const u8 rec[SVN_REC_LEN], struct svn_store *s);
void svnstore_encode(const struct svn_store *s, u8 rec[SVN_REC_LEN]);
/* The store's state from both slots; *s = the newest valid record (or an
 * empty one), *slot = its slot (0 or 1; 1 when none: the next write goes
 * to slot 0). */
enum svn_state svnstore_load(const u8 *slot0, const u8 *slot1, struct svn_store *s,
			     unsigned *slot);
/* The minimum SVN recorded for name (0 when none). */
u32 svnstore_get(const struct svn_store *s, const char *name);
/* Raise name's minimum to svn (never lowers it); -1 if the name does not
 * fit or the store is full. */
int svnstore_raise(struct svn_store *s, const char *name, u32 svn);

#endif
