// SPDX-License-Identifier: Apache-2.0
/* Generic translation-table walker; see umbra/pgtable.h. No recursion:
 * every walk is a loop over levels. */
#include "mm/pgtable.h"
#include "umbra/arch.h"
#include <string.h>

#define PT_VA_LIMIT (1UL << PT_VA_BITS)
#define PT_PA_LIMIT (1UL << 48)

void page_pool_init(struct page_pool *pool, void *mem, size_t bytes)
{
	pool->base = mem;
	pool->npages = bytes / PAGE_SIZE;
	pool->used = 0;
}

void *page_pool_alloc(struct page_pool *pool)
{
	u8 *page;

	if (pool->used >= pool->npages)
		return NULL;
	page = pool->base + pool->used++ * PAGE_SIZE;
	memset(page, 0, PAGE_SIZE);
	return page;
}

int pgtable_init(struct pgtable *pt, enum pt_regime regime, u16 vmid,
		 struct page_pool *pool)
{
	pt->regime = regime;
	pt->vmid = vmid;
	pt->pool = pool;
	pt->root = page_pool_alloc(pool);
	return pt->root ? 0 : -E_NOMEM;
}

paddr_t pgtable_root_pa(const struct pgtable *pt)
{
	return ptr_to_pa(pt->root);
}

static u64 *next_table(u64 pte)
{
	return pa_to_ptr(pte_addr(pte));
}

static int check_range(u64 va, u64 size)
{
	if (size == 0 || !IS_ALIGNED(va | size, PAGE_SIZE))
		return -E_INVAL;
	if (va >= PT_VA_LIMIT || size > PT_VA_LIMIT - va)
		return -E_RANGE;
	return 0;
}

/* The entry that maps va: a leaf, or the invalid entry of the hole at
 * *level. Never allocates. */
static u64 *walk(const struct pgtable *pt, u64 va, unsigned *level)
{
	u64 *table = pt->root;
	unsigned l;

	for (l = PT_ROOT_LEVEL;; l++) {
		u64 *e = &table[pt_index(va, l)];

		if (!pte_is_table(*e, l)) {
			*level = l;
			return e;
		}
		table = next_table(*e);
	}
}

int pgtable_map(struct pgtable *pt, u64 va, paddr_t pa, u64 size, unsigned attrs)
{
	u64 done = 0;
	int ret = check_range(va, size);

	if (ret)
		return ret;
	if (!IS_ALIGNED(pa_addr(pa), PAGE_SIZE))
		return -E_INVAL;
	if (pa_addr(pa) >= PT_PA_LIMIT || size > PT_PA_LIMIT - pa_addr(pa))
		return -E_RANGE;

	while (done < size) {
		u64 cur = va + done, cur_pa = pa_addr(pa) + done;
		u64 *table = pt->root;
		unsigned l;

		for (l = PT_ROOT_LEVEL;; l++) {
			u64 *e = &table[pt_index(cur, l)];
			u64 blk = 1UL << pt_level_shift(l);
			bool leaf_fits = l == PT_LEAF_LEVEL ||
				(l >= PT_BLOCK_LEVEL && IS_ALIGNED(cur | cur_pa, blk) &&
				 size - done >= blk);

			if (!pte_valid(*e) && leaf_fits) {
				*e = pte_make_leaf(pt->regime, l, pa_init(cur_pa), attrs);
				done += blk;
				break;
			}
			if (pte_valid(*e) && !pte_is_table(*e, l)) {
				ret = -E_EXIST;
				goto fail;
			}
			if (!pte_valid(*e)) {
				u64 *t = page_pool_alloc(pt->pool);

				if (!t) {
					ret = -E_NOMEM;
					goto fail;
				}
				/* the zeroed table must be visible before the
				 * entry that points at it (Arm ARM D8.2.6) */
				arch_pt_sync();
				*e = pte_make_table(ptr_to_pa(t));
			}
			table = next_table(*e);
		}
	}
	arch_pt_sync();
	return 0;

fail:
	/* Only leaves this call created lie in [va, va+done): undo them. */
	if (done)
		pgtable_unmap(pt, va, done);
	arch_pt_sync();
	return ret;
}

/* The same walk as pgtable_map's, leaf by leaf, with pa == va: each
 * level it descends through needs the table one level down, named by
 * its level and the block of the level above that it covers. */
void pt_census_add(struct pt_census *c, u64 va, u64 size)
{
	u64 done = 0;

	if (check_range(va, size))
		return;
	while (done < size) {
		u64 cur = va + done;
		unsigned l, i;

		for (l = PT_ROOT_LEVEL;; l++) {
			u64 blk = 1UL << pt_level_shift(l), key;

			if (l == PT_LEAF_LEVEL ||
			    (l >= PT_BLOCK_LEVEL && IS_ALIGNED(cur, blk) && size - done >= blk)) {
				done += blk;
				break;
			}
			key = (cur >> pt_level_shift(l)) << 2 | (l + 1);
			for (i = 0; i < c->n && c->key[i] != key; i++)
				;
			if (i < c->n)
				continue;
			if (c->n == PT_CENSUS_MAX)
				c->overflow = true;
			else
				c->key[c->n++] = key;
		}
	}
}

int pgtable_unmap(struct pgtable *pt, u64 va, u64 size)
{
	int ret = check_range(va, size);
	u64 cur;
	int pass;

	if (ret)
		return ret;
	/* pass 0 refuses block splits before anything changes; pass 1 unmaps */
	for (pass = 0; pass < 2; pass++) {
		for (cur = va; cur < va + size;) {
			unsigned l;
			u64 *e = walk(pt, cur, &l);
			u64 blk = 1UL << pt_level_shift(l);
			u64 start = ALIGN_DOWN(cur, blk);

			if (pte_valid(*e) && (start < va || start + blk > va + size))
				return -E_INVAL;
			if (pass && pte_valid(*e)) {
				*e = 0;
				arch_pt_sync();
				arch_tlb_inval(pt, start);
			}
			cur = start + blk;
		}
	}
	arch_pt_sync();
	return 0;
}

bool pgtable_lookup(const struct pgtable *pt, u64 va, paddr_t *pa,
		    unsigned *attrs, unsigned *level)
{
	unsigned l;
	u64 *e;

	if (va >= PT_VA_LIMIT)
		return false;
	e = walk(pt, va, &l);
	if (!pte_valid(*e))
		return false;
	if (pa)
		*pa = pa_init(pa_addr(pte_addr(*e)) +
			      (va & ((1UL << pt_level_shift(l)) - 1)));
	if (attrs)
		*attrs = pte_leaf_attrs(pt->regime, *e);
	if (level)
		*level = l;
	return true;
}
