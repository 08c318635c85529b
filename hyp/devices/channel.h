/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Inter-partition channels at run time (docs/channels.md): a RAM region
 * mapped into exactly its two peers' stage 2 (Normal memory, read-write or
 * read-only per the config) and a doorbell each way, a software SPI of the
 * receiving partition raised by UMBRA_HC_CHANNEL_NOTIFY.
 */
#ifndef UMBRA_CHANNEL_H
#define UMBRA_CHANNEL_H

#include "vm/vm.h"

/* At boot, after validation: scrub every channel region and remember how
 * many channels the config has (ids beyond it are invalid). */
void channel_boot(const struct umbra_config *cfg);
/* While building p's stage 2: map its channel regions, own its doorbell
 * SPIs, and make p reachable by its peers' doorbells. */
int channel_attach(struct partition *p);
/* p restarts (its vCPUs are stopped): ring every peer's doorbell so that
 * it looks at the rings again. The regions are not scrubbed. */
void channel_peer_restarted(struct partition *p);
/* UMBRA_HC_CHANNEL_NOTIFY / UMBRA_HC_CHANNEL_INFO from v. */
void channel_call(struct vcpu *v, u32 fid, const u64 *a, u64 *ret);

#endif
