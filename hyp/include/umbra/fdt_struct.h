/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A walk over a device tree's structure block that libfdt can be trusted
 * with afterwards. The caller has checked the header (fdt_check_header())
 * and that the version is 17 or later (the block's size field).
 */
#ifndef UMBRA_FDT_STRUCT_H
#define UMBRA_FDT_STRUCT_H

#include <libfdt.h>

#include "umbra/types.h"

#define FDT_TOKEN_ALIGN(x) (((x) + 3u) & ~3u)   /* tokens are 4-byte aligned */

static inline u32 fdt_be32_at(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/* Every token of the structure block advances and stays inside it. Debian's
 * libfdt 1.6.1 steps over a property by adding its length as a signed
 * int: a length of -12 leaves the offset where it was, and fdt_check_full()
 * (like every later walk) loops for ever. Found by fuzz-config. Returns the
 * offset of the first bad token, or -1 when the walk reaches FDT_END. */
static inline s64 fdt_struct_walk(const void *fdt)
{
	const u8 *st = (const u8 *)fdt + fdt_off_dt_struct(fdt);
	u32 size = fdt_size_dt_struct(fdt), pos = 0, at, len, n;

	while (size - pos >= FDT_TAGSIZE) {
		at = pos;
		pos += FDT_TAGSIZE;
		switch (fdt_be32_at(st + at)) {
		case FDT_BEGIN_NODE:
			for (n = pos; n < size && st[n]; n++)
				;
			if (n == size)
				return at;
			pos = FDT_TOKEN_ALIGN(n + 1);
			break;
		case FDT_PROP:
			if (size - pos < 8)
				return at;
			len = fdt_be32_at(st + pos);
			if (len > size - pos - 8)
				return at;
			pos = FDT_TOKEN_ALIGN(pos + 8 + len);
			break;
		case FDT_END_NODE:
		case FDT_NOP:
			break;
		case FDT_END:
			return -1;
		default:
			return at;
		}
		if (pos > size)
			return at;
	}
	return pos;
}

#endif
