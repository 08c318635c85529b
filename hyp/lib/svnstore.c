// SPDX-License-Identifier: Apache-2.0
/* Anti-rollback store records (umbra/svnstore.h). */
#include "umbra/svnstore.h"

#define OFF_VERSION 4
#define OFF_COUNT 6
#define OFF_GEN 8
#define OFF_RESERVED 12
#define OFF_ENTRIES 16
#define ENTRY_LEN (SVN_NAME_LEN + 4)
#define OFF_CRC (SVN_REC_LEN - 4)

u32 svnstore_crc32(const u8 *p, size_t n)
{
	u32 c = 0xffffffffu;
	unsigned k;

	while (n--) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & -(c & 1));
	}
	return ~c;
}

/* strnlen is POSIX, not C11 (the host builds this too) */
static size_t name_len(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

static u32 get32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static void put32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

int svnstore_decode(const u8 rec[SVN_REC_LEN], struct svn_store *s)
{
	u8 canon[SVN_REC_LEN];
	unsigned i, j, k, n;

	memset(s, 0, sizeof(*s));
	if (memcmp(rec, SVN_MAGIC, 4) || get32(rec + OFF_CRC) != svnstore_crc32(rec, OFF_CRC))
		return -1;
	n = (unsigned)rec[OFF_COUNT] | (unsigned)rec[OFF_COUNT + 1] << 8;
	if (((unsigned)rec[OFF_VERSION] | (unsigned)rec[OFF_VERSION + 1] << 8) != SVN_VERSION ||
	    n > SVN_MAX_ENTRIES || get32(rec + OFF_RESERVED))
		return -1;
	for (i = 0; i < n; i++) {
		const u8 *e = rec + OFF_ENTRIES + i * ENTRY_LEN;

		/* a name is 1..19 characters, NUL padded */
		for (k = 0; k < SVN_NAME_LEN && e[k]; k++)
			;
		if (k == 0 || k == SVN_NAME_LEN)
			return -1;
		memcpy(s->e[i].name, e, k);
		/* one entry per partition: with two, which minimum holds? */
		for (j = 0; j < i; j++)
			if (strcmp(s->e[j].name, s->e[i].name) == 0)
				return -1;
		s->e[i].min_svn = get32(e + SVN_NAME_LEN);
	}
	s->count = n;
	s->generation = get32(rec + OFF_GEN);
	/* only the canonical form: reserved bytes, name padding and unused
	 * entries zero, as "reserved (0)" says; anything else is not a record
	 * this version wrote */
	svnstore_encode(s, canon);
	if (memcmp(canon, rec, SVN_REC_LEN)) {
		memset(s, 0, sizeof(*s));
		return -1;
	}
	return 0;
}

void svnstore_encode(const struct svn_store *s, u8 rec[SVN_REC_LEN])
{
	unsigned i, n = MIN(s->count, (unsigned)SVN_MAX_ENTRIES);

	memset(rec, 0, SVN_REC_LEN);
	memcpy(rec, SVN_MAGIC, 4);
	rec[OFF_VERSION] = SVN_VERSION;
	rec[OFF_COUNT] = (u8)n;
	put32(rec + OFF_GEN, s->generation);
	for (i = 0; i < n; i++) {
		u8 *e = rec + OFF_ENTRIES + i * ENTRY_LEN;

		memcpy(e, s->e[i].name, name_len(s->e[i].name, SVN_NAME_LEN - 1));
		put32(e + SVN_NAME_LEN, s->e[i].min_svn);
	}
	put32(rec + OFF_CRC, svnstore_crc32(rec, OFF_CRC));
}

static bool all(const u8 *p, u8 v)
{
	unsigned i;

	for (i = 0; i < SVN_REC_LEN; i++)
		if (p[i] != v)
			return false;
	return true;
}

enum svn_state svnstore_load(const u8 *slot0, const u8 *slot1, struct svn_store *s,
			     unsigned *slot)
{
	struct svn_store b;
	bool ok0 = svnstore_decode(slot0, s) == 0, ok1 = svnstore_decode(slot1, &b) == 0;

	if (ok1 && (!ok0 || (s32)(b.generation - s->generation) > 0)) {
		*s = b;
		*slot = 1;
		return SVN_VALID;
	}
	if (ok0) {
		*slot = 0;
		return SVN_VALID;
	}
	memset(s, 0, sizeof(*s));
	*slot = 1;
	if ((all(slot0, 0xff) || all(slot0, 0)) && (all(slot1, 0xff) || all(slot1, 0)))
		return SVN_BLANK;
	return SVN_CORRUPT;
}

u32 svnstore_get(const struct svn_store *s, const char *name)
{
	unsigned i;

	for (i = 0; i < s->count && i < SVN_MAX_ENTRIES; i++)
		if (strcmp(s->e[i].name, name) == 0)
			return s->e[i].min_svn;
	return 0;
}

int svnstore_raise(struct svn_store *s, const char *name, u32 svn)
{
	size_t len = name_len(name, SVN_NAME_LEN);
	unsigned i;

	if (len == 0 || len >= SVN_NAME_LEN)
		return -1;
	for (i = 0; i < s->count && i < SVN_MAX_ENTRIES; i++)
		if (strcmp(s->e[i].name, name) == 0) {
			s->e[i].min_svn = MAX(s->e[i].min_svn, svn);
			return 0;
		}
	if (s->count >= SVN_MAX_ENTRIES)
		return -1;
	memset(s->e[s->count].name, 0, SVN_NAME_LEN);
	memcpy(s->e[s->count].name, name, len);
	s->e[s->count++].min_svn = svn;
	return 0;
}
