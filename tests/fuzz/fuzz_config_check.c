// SPDX-License-Identifier: Apache-2.0
/*
 * libFuzzer target: a device tree blob through what umbra-config-check and
 * the monitor's boot do with it (dtb_check, then platform and /umbra
 * parsing), with exactly the bytes given (truncations and header fields
 * included: the blob is copied to a heap buffer of its own size, so
 * AddressSanitizer sees any read past it).
 *
 *   make fuzz-config && build/fuzz/fuzz-config -max_total_time=60 tests/fuzz/corpus/config
 */
#include <stdlib.h>
#include <string.h>

#include "config/config.h"

static const void *no_view(u64 pa, u64 len)
{
	(void)pa;
	(void)len;
	return NULL;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct platform plat;
	static struct umbra_config cfg;
	struct cfg_env env = { .plat = &plat, .phys_view = no_view };
	struct diag d = { .emit = NULL };
	u8 *blob = malloc(size ? size : 1);

	if (!blob)
		return 0;
	memcpy(blob, data, size);
	memset(&plat, 0, sizeof(plat));
	memset(&cfg, 0, sizeof(cfg));
	if (dtb_check(blob, size, &d) == 0 && platform_parse(blob, &plat, &d) == 0)
		config_parse(blob, &env, &cfg, &d);
	free(blob);
	return 0;
}
