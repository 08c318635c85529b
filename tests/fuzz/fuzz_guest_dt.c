// SPDX-License-Identifier: Apache-2.0
/*
 * libFuzzer target: the partition DT builder (hyp/partition/guest_dt.c)
 * on whatever the config checks accept. The input is a platform DTB with
 * its /umbra node (mutated from the repository's configurations): it goes
 * through dtb_check, platform_parse and config_parse as at boot, and for
 * every partition of a configuration without errors the guest DT is built.
 * Checked: no sanitizer report; a DT built with success passes libfdt's
 * fdt_check_full and fits its slot.
 */
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "partition/guest_dt.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct platform plat;
	static struct umbra_config cfg;
	static u8 out[GUEST_DTB_MAX];
	struct cfg_env env = {
		.plat = &plat,
		.reserved = { { 0x40000000, 0x01000000 } },
		.nr_reserved = 1,
		.smmu_ok = true,
	};
	struct diag d = { .emit = NULL };
	u8 *blob = malloc(size ? size : 1);   /* its own size: ASan sees overreads */
	unsigned i;

	if (!blob)
		return 0;
	memcpy(blob, data, size);
	memset(&plat, 0, sizeof(plat));
	memset(&cfg, 0, sizeof(cfg));
	fake_arch_reset();
	fz_console_quiet();
	if (dtb_check(blob, size, &d) == 0 && platform_parse(blob, &plat, &d) == 0 &&
	    config_parse(blob, &env, &cfg, &d) == 0) {
		for (i = 0; i < cfg.nr_parts; i++) {
			const struct part_cfg *c = &cfg.part[i];
			u64 initrd = c->initrd.size ? config_initrd_ipa(c) : 0;

			if (guest_dt_build(out, sizeof(out), blob, c, &plat, initrd, i) == 0 &&
			    (fdt_check_full(out, sizeof(out)) != 0 || fdt_totalsize(out) > sizeof(out)))
				abort();
		}
	}
	free(blob);
	return 0;
}
