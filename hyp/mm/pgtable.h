/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Translation tables, 4 KiB granule, for Umbra's EL2 stage 1 and the
 * partitions' stage 2. One walker serves both; the arch layer (arch/pte.h)
 * supplies the descriptor format. Table pages come from a page pool that
 * never grows: running out is an error code, never a crash. A census
 * counts the pages a set of maps will take, before any table exists.
 */
#ifndef UMBRA_PGTABLE_H
#define UMBRA_PGTABLE_H

#include "umbra/types.h"
#include "arch/pte.h"

struct page_pool {
	u8 *base;       /* PAGE_SIZE aligned */
	size_t npages;
	size_t used;
};

void page_pool_init(struct page_pool *pool, void *mem, size_t bytes);
void *page_pool_alloc(struct page_pool *pool);   /* zeroed page or NULL */

struct pgtable {
	u64 *root;
	enum pt_regime regime;
	u16 vmid;                /* stage 2 only */
	struct page_pool *pool;
};

int pgtable_init(struct pgtable *pt, enum pt_regime regime, u16 vmid,
		 struct page_pool *pool);
/* Map [va, va+size) to [pa, pa+size): all or nothing. -E_INVAL for
 * misalignment or size 0, -E_RANGE beyond the address space, -E_EXIST if
 * any page is already mapped, -E_NOMEM when the pool runs out. */
int pgtable_map(struct pgtable *pt, u64 va, paddr_t pa, u64 size, unsigned attrs);
/* Unmap [va, va+size); holes are fine. -E_INVAL if it would split a block
 * (nothing is changed then). */
int pgtable_unmap(struct pgtable *pt, u64 va, u64 size);
/* Translate va; returns false for a hole. level may be NULL. */
bool pgtable_lookup(const struct pgtable *pt, u64 va, paddr_t *pa,
		    unsigned *attrs, unsigned *level);
/* Physical address of the root table (TTBR/VTTBR base). */
paddr_t pgtable_root_pa(const struct pgtable *pt);

/* The table pages pgtable_map takes for identity maps (va == pa) of a
 * set of ranges that do not overlap, in any order: the root and each
 * distinct table under it. Nothing is written; overflow: more distinct
 * tables than the census holds (the count is then not an upper bound). */
#define PT_CENSUS_MAX 128
struct pt_census {
	u64 key[PT_CENSUS_MAX];
	unsigned n;
	bool overflow;
};
void pt_census_add(struct pt_census *c, u64 va, u64 size);
static inline unsigned pt_census_pages(const struct pt_census *c)
{
	return 1 + c->n;
}

/* Arch hook: invalidate TLB entries for one page of this table. */
void arch_tlb_inval(const struct pgtable *pt, u64 va);

#endif
