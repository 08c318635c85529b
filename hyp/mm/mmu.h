/* SPDX-License-Identifier: Apache-2.0 */
/* Umbra's own (EL2 stage-1) address space: identity mapped, W^X. */
#ifndef UMBRA_MMU_H
#define UMBRA_MMU_H

#include "mm/pgtable.h"

/* RAM for Umbra's use: RW, never executable. Umbra's image is skipped. */
int mmu_map_ram(u64 base, u64 size);
/* Device MMIO: Device-nGnRE, RW, XN; rounded out to pages. */
int mmu_map_device(u64 base, u64 size);
/* The DTB the loader passed, mapped read-only at boot; NULL if invalid. */
const void *mmu_boot_dtb(void);
u64 mmu_boot_dtb_size(void);   /* bytes mapped from it: at most 2 MiB */
void mmu_unmap_boot_dtb(void); /* at most once; a no-op after */
u64 mmu_image_base(void);
u64 mmu_image_end(void);
u64 mmu_image_ro_end(void);    /* end of text + rodata: never relocated */
/* Umbra's memory: the image (with its BSS) and, right after it, what it
 * takes as the configuration needs (mmu_carve). */
u64 mmu_umbra_end(void);
/* The next bytes (rounded up to pages) after the image and what was taken
 * before, aligned to align (a power of two; at least a page): RAM the
 * caller has checked, mapped by mmu_map_ram. Not zeroed. */
void *mmu_carve(u64 bytes, u64 align);
/* The pool of the partitions' tables (stage 2, SMMU): pages taken with
 * mmu_carve. Once, before any use. */
void mmu_pool_place(u64 pages);
struct page_pool *mmu_pool(void);
/* Umbra's own tables (EL2 stage 1): a fixed pool in the image. */
const struct page_pool *mmu_el2_pool(void);

#endif
