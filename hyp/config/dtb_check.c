// SPDX-License-Identifier: Apache-2.0
/* The first look at a device tree blob, before anything parses it: a
 * header, a totalsize within the bytes there are, a sound structure. */
#include <libfdt.h>

#include "config/config.h"
#include "config/diag.h"

#define TAG_ALIGN(x) (((x) + 3u) & ~3u)   /* tokens are 4-byte aligned */

static u32 be32_at(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/* Every token of the structure block advances and stays inside it. Debian's
 * libfdt 1.6.1 steps over a property by adding its length as a signed
 * int: a length of -12 leaves the offset where it was, and fdt_check_full()
 * (like every later walk) loops for ever. Found by fuzz-config. Returns the
 * offset of the first bad token, or -1 when the walk reaches FDT_END. */
static s64 struct_walk(const u8 *blob)
{
	const u8 *st = blob + fdt_off_dt_struct(blob);
	u32 size = fdt_size_dt_struct(blob), pos = 0, at, len, n;

	while (size - pos >= FDT_TAGSIZE) {
		at = pos;
		pos += FDT_TAGSIZE;
		switch (be32_at(st + at)) {
		case FDT_BEGIN_NODE:
			for (n = pos; n < size && st[n]; n++)
				;
			if (n == size)
				return at;
			pos = TAG_ALIGN(n + 1);
			break;
		case FDT_PROP:
			if (size - pos < 8)
				return at;
			len = be32_at(st + pos);
			if (len > size - pos - 8)
				return at;
			pos = TAG_ALIGN(pos + 8 + len);
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

int dtb_check(const void *blob, u64 size, struct diag *d)
{
	s64 bad;
	u64 total;
	int err;

	if (size < sizeof(struct fdt_header)) {
		diag_report(d, CFG_E_TRUNCATED, "device tree: %lu bytes, shorter than its %lu-byte header",
			    (unsigned long)size, (unsigned long)sizeof(struct fdt_header));
		return -1;
	}
	if (fdt_magic(blob) != FDT_MAGIC) {
		diag_report(d, CFG_E_DTB, "device tree: no FDT magic (0x%x)", fdt_magic(blob));
		return -1;
	}
	total = fdt_totalsize(blob);
	if (total > size) {
		diag_report(d, CFG_E_TRUNCATED, "device tree: header says %lu bytes, there are %lu",
			    (unsigned long)total, (unsigned long)size);
		return -1;
	}
	err = fdt_check_header(blob);
	/* the structure block's size field is there from version 17 on */
	if (!err && fdt_version(blob) < 17) {
		diag_report(d, CFG_E_DTB, "device tree: version %u, Umbra reads 17",
			    (unsigned)fdt_version(blob));
		return -1;
	}
	if (!err) {
		bad = struct_walk(blob);
		if (bad >= 0) {
			diag_report(d, CFG_E_DTB,
				    "device tree: bad token at structure offset 0x%lx (runs past the block or does not advance)",
				    (unsigned long)bad);
			return -1;
		}
		err = fdt_check_full(blob, (size_t)size);
	}
	if (err) {
		diag_report(d, err == -FDT_ERR_TRUNCATED ? CFG_E_TRUNCATED : CFG_E_DTB,
			    "device tree: %s", fdt_strerror(err));
		return -1;
	}
	return 0;
}
