/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DMA confinement: the platform's SMMUv3 (drivers/smmuv3.c) set up from
 * the config. Each partition that owns a bus master behind the SMMU is a
 * domain whose devices reach exactly its RAM and channel regions (IOVA =
 * IPA = PA): with a stage-1 SMMU through tables Umbra builds here, with a
 * stage-2 one through the partition's own stage 2. Every other StreamID
 * aborts. Faults are logged, one line each, naming the partition.
 */
#ifndef UMBRA_IOMMU_H
#define UMBRA_IOMMU_H

#include "vm/vm.h"

/* Boot, before config validation: is there an SMMU Umbra can drive? */
bool iommu_probe(const struct platform *plat);
/* Boot, once the partitions exist: their DMA views, the stream table,
 * translation on. 0, or a negative error (the boot stops). */
int iommu_setup(struct partition *parts, unsigned n, const struct platform *plat,
		struct page_pool *pool);
/* p's memory map changed (stage 2 under a stage-2 SMMU). */
void iommu_partition_changed(struct partition *p);
/* p stops or is reloaded: its devices' DMA aborts until it runs again. */
void iommu_partition_block(struct partition *p, bool block);
/* Drain the event queue and global errors: from the SMMU's interrupt, or
 * from every interrupt trap when it has none wired. */
void iommu_irq(void);
void iommu_poll(void);
extern bool iommu_polled;  /* iommu_poll has work: on, no wired interrupt */

#endif
