/* SPDX-License-Identifier: Apache-2.0 */
/*
 * VMSAv8-64 descriptor format, 4 KiB granule (Arm ARM D8.3), for the
 * regimes Umbra builds: its own EL2 stage 1, the partitions' stage 2, and
 * the stage-1 tables an SMMU context descriptor points at (DMA).
 * Pure C, shared with the host unit tests so they check the real bits.
 */
#ifndef ARCH_PTE_H
#define ARCH_PTE_H

#include "umbra/types.h"

/* Both regimes use a 39-bit input address, starting at level 1 (T0SZ = 25,
 * VTCR_EL2.SL0 = 1): three levels, 1 GiB / 2 MiB / 4 KiB per entry. */
#define PT_VA_BITS 39
#define PT_LEVELS 3
#define PT_ENTRIES 512
#define PT_ROOT_LEVEL 1
#define PT_LEAF_LEVEL 3
#define PT_BLOCK_LEVEL 2 /* smallest level with block descriptors we use */

#define PTE_VALID      BIT(0)
#define PTE_TABLE      BIT(1)  /* at levels 0-2: table; at level 3: page */
#define PTE_AF         BIT(10)
#define PTE_SH_INNER   (3UL << 8)
#define PTE_ADDR_MASK  0x0000fffffffff000UL
#define PTE_XN         BIT(54) /* stage 1 EL2: XN; stage 2: XN[1]; EL1&0: UXN */
#define PTE_PXN        BIT(53) /* stage 1 EL1&0 */
#define PTE_NG         BIT(11) /* stage 1 EL1&0: tagged with the ASID */

/* Stage 1, EL2 (one privilege level: AP[1] is RES1, D8.4.1) */
#define S1_ATTRIDX(i)  ((u64)(i) << 2)
#define S1_AP_RW       (1UL << 6)
#define S1_AP_RO       (3UL << 6)
#define MAIR_IDX_NORMAL 0
#define MAIR_IDX_DEVICE 1
#define MAIR_EL2_VALUE  (0xffUL | (0x04UL << 8)) /* WB RA/WA; Device-nGnRE */

/* Stage 2 (D8.5.5): MemAttr[5:2] with FWB off, S2AP[7:6] */
#define S2_MEMATTR_NORMAL_WB (0xfUL << 2)
#define S2_MEMATTR_DEVICE_nGnRE (0x1UL << 2)
#define S2_AP_R        (1UL << 6)
#define S2_AP_W        (2UL << 6)

/* Portable attribute flags understood by pgtable.c */
#define PT_R      BIT(0)
#define PT_W      BIT(1)
#define PT_X      BIT(2)
#define PT_DEVICE BIT(3)

/* PT_DEV_S1: an EL1&0-format stage 1 for an SMMU context (SMMUv3 5.4):
 * AP[2:1] as at EL2 (01: read/write at any privilege, 11: read-only),
 * never executable, non-global so that TLB invalidation by ASID works. */
enum pt_regime { PT_EL2_S1, PT_S2, PT_DEV_S1 };

static inline unsigned pt_level_shift(unsigned level)
{
	return 12 + 9 * (3 - level);
}

static inline unsigned pt_index(u64 va, unsigned level)
{
	return (unsigned)(va >> pt_level_shift(level)) & (PT_ENTRIES - 1);
}

static inline bool pte_valid(u64 pte) { return pte & PTE_VALID; }

static inline bool pte_is_table(u64 pte, unsigned level)
{
	return level < PT_LEAF_LEVEL && (pte & (PTE_VALID | PTE_TABLE)) == (PTE_VALID | PTE_TABLE);
}

static inline paddr_t pte_addr(u64 pte) { return pa_init(pte & PTE_ADDR_MASK); }

static inline u64 pte_make_table(paddr_t next)
{
	return (pa_addr(next) & PTE_ADDR_MASK) | PTE_TABLE | PTE_VALID;
}

/* A leaf (block at level 1-2, page at level 3) mapping pa with attrs. */
static inline u64 pte_make_leaf(enum pt_regime r, unsigned level, paddr_t pa, unsigned attrs)
{
	u64 pte = (pa_addr(pa) & PTE_ADDR_MASK) | PTE_AF | PTE_VALID;

	if (level == PT_LEAF_LEVEL)
		pte |= PTE_TABLE;
	if (!(attrs & PT_X) || (attrs & PT_DEVICE))
		pte |= PTE_XN;
	if (r != PT_S2) {
		pte |= (attrs & PT_W) ? S1_AP_RW : S1_AP_RO;
		if (r == PT_DEV_S1)
			pte |= PTE_NG | PTE_PXN | PTE_XN;
		pte |= (attrs & PT_DEVICE) ? S1_ATTRIDX(MAIR_IDX_DEVICE)
					   : S1_ATTRIDX(MAIR_IDX_NORMAL) | PTE_SH_INNER;
	} else {
		pte |= (attrs & PT_R) ? S2_AP_R : 0;
		pte |= (attrs & PT_W) ? S2_AP_W : 0;
		pte |= (attrs & PT_DEVICE) ? S2_MEMATTR_DEVICE_nGnRE
					   : S2_MEMATTR_NORMAL_WB | PTE_SH_INNER;
	}
	return pte;
}

/* Recover the portable attributes from a leaf (used by walks and tests). */
static inline unsigned pte_leaf_attrs(enum pt_regime r, u64 pte)
{
	unsigned a = (pte & PTE_XN) ? 0 : PT_X;

	if (r != PT_S2) {
		a |= PT_R;
		if ((pte & (3UL << 6)) == S1_AP_RW)
			a |= PT_W;
		if ((pte & (7UL << 2)) == S1_ATTRIDX(MAIR_IDX_DEVICE))
			a |= PT_DEVICE;
	} else {
		a |= (pte & S2_AP_R) ? PT_R : 0;
		a |= (pte & S2_AP_W) ? PT_W : 0;
		if ((pte & (0xfUL << 2)) == S2_MEMATTR_DEVICE_nGnRE)
			a |= PT_DEVICE;
	}
	return a;
}

#endif
