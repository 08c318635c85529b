/* SPDX-License-Identifier: Apache-2.0 */
#ifndef UMBRA_GUEST_DT_H
#define UMBRA_GUEST_DT_H

#include "config/config.h"

/* Build partition c's DT (restarts: how often it was restarted, for
 * /chosen/umbra,restarts) into dst (size bytes) from the platform DT pfdt.
 * Returns 0 or a libfdt error. */
int guest_dt_build(void *dst, size_t size, const void *pfdt, const struct part_cfg *c,
		   const struct platform *plat, u64 initrd_ipa, unsigned restarts);

#endif
