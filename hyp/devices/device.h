/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared devices: platform devices that move between partitions at run
 * time (umbra,shared-device nodes, binding: dt/bindings/umbra.md). Each has
 * an ownership state, changed only by checked transitions under one lock:
 *
 *   FREE --claim(p)--> IN_TRANSFER(to p) --done--> OWNED(p)
 *   OWNED(p) --release(p)--> IN_TRANSFER(to none) --done--> FREE
 *
 * IN_TRANSFER covers the work done outside the lock (stage-2 map/unmap,
 * interrupt quiescing on every CPU of the loser): nobody can claim or
 * release the device until it is complete.
 */
#ifndef UMBRA_DEVICE_H
#define UMBRA_DEVICE_H

#include "config/config.h"

struct partition;
struct vcpu;

enum dev_state { DEV_FREE, DEV_OWNED, DEV_IN_TRANSFER }; /* == UMBRA_DEV_* */

#define DEV_NOBODY (-1)

struct dev_slot {
	enum dev_state state;
	int holder;                  /* OWNED: partition index; IN_TRANSFER: from (or NOBODY) */
	int to;                      /* IN_TRANSFER: partition index, or NOBODY (release) */
	u32 holders;                 /* who may hold it (bit per partition index) */
};

enum dev_op { DEV_OP_CLAIM, DEV_OP_RELEASE, DEV_OP_DONE };

/* The state machine alone: apply op by partition part to s. Returns 0
 * when work must follow (s is IN_TRANSFER), 1 when there is nothing to do
 * (a claim by the holder; DONE completed), or a negative UMBRA_E_* code
 * with s unchanged. */
int device_step(struct dev_slot *s, enum dev_op op, int part);

/* Boot: the config's shared devices, the partitions they move between
 * (indexed like cfg->part). Devices with an initial owner are OWNED. */
void device_init(const struct umbra_config *cfg, struct partition *parts);
/* From partition_create: map the shared devices p initially holds. */
int device_assign_initial(struct partition *p);
/* Map dc's MMIO pages into p's stage 2 (Device, never executable; pages
 * p already has, e.g. shared with another of its devices, stay); on an
 * error nothing of dc stays mapped. */
int device_map(struct partition *p, const struct dev_cfg *dc);
/* p stops or restarts (its vCPUs are all parked): every shared device it
 * holds is released; on restart, those configured with p as owner that
 * are free are then held by p again (as at boot). */
void device_partition_reset(struct partition *p, bool restart);

/* Hypercalls: return a UMBRA_* status. */
int device_claim(struct vcpu *v, u64 id);
int device_release(struct vcpu *v, u64 id);
int device_query(const struct vcpu *v, u64 id, u64 *state, u64 *holder);

/* Guest DT: is path a shared device c may hold? 0: no; 1: yes and c holds
 * it now; 2: yes, but c does not hold it (its node is disabled). */
int device_dt_status(const struct part_cfg *c, const char *path);

/* Boot warnings for DMA masters no IOMMU confines (dma-unprotected). */
void device_warn_dma(const struct umbra_config *cfg);

#endif
