/* SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0 */
/*
 * Shared devices from a bare-metal guest (the RTOS, test guests): thin
 * wrappers over UMBRA_HC_DEVICE_* through umbra_hvc(). A device's id is its
 * index among the config's umbra,shared-device nodes (dt/bindings/umbra.md).
 * Each returns UMBRA_OK or a negative UMBRA_E_* code:
 *   UMBRA_E_INVALID_PARAM  no such device
 *   UMBRA_E_DENIED         this partition is not one of its holders, or
 *                          releases what it does not hold
 *   UMBRA_E_BUSY           held by another partition, or being moved
 * After a release, the device's MMIO is gone from this partition: the next
 * access is a synchronous external abort.
 */
#ifndef UMBRA_DEVICE_H
#define UMBRA_DEVICE_H

#include "umbra_abi.h"
#include "umbra_hvc.h"

static inline long umbra_device_claim(unsigned long id)
{
	return umbra_hvc(UMBRA_HC_DEVICE_CLAIM, id, 0, 0, 0, 0, 0).x0;
}

static inline long umbra_device_release(unsigned long id)
{
	return umbra_hvc(UMBRA_HC_DEVICE_RELEASE, id, 0, 0, 0, 0, 0).x0;
}

/* *state: UMBRA_DEV_FREE, _OWNED or _IN_TRANSFER; *holder: the holder's
 * partition id, or ~0UL. */
static inline long umbra_device_state(unsigned long id, unsigned long *state,
				      unsigned long *holder)
{
	struct umbra_res r = umbra_hvc(UMBRA_HC_DEVICE_STATE, id, 0, 0, 0, 0, 0);

	if (r.x0 == UMBRA_OK) {
		*state = r.x1;
		*holder = r.x2;
	}
	return r.x0;
}

#endif
