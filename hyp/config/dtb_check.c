// SPDX-License-Identifier: Apache-2.0
/* The first look at a device tree blob, before anything parses it: a
 * header, a totalsize within the bytes there are, a sound structure. */
#include <libfdt.h>

#include "umbra/fdt_struct.h"
#include "config/config.h"
#include "config/diag.h"

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
		bad = fdt_struct_walk(blob);
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
