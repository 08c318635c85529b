// SPDX-License-Identifier: Apache-2.0
/*
 * hyp/mm/pgtable.c in both regimes (Umbra's EL2 stage 1, partitions'
 * stage 2) with the real descriptor format. Loop tests run once per
 * regime: _i indexes regimes[].
 */
#include <stdlib.h>

#include "unit.h"
#include "mm/pgtable.h"

/* Descriptor fields (Arm ARM D8.3), written out here independently of
 * arch/pte.h so that the test checks the header too. */
#define D_VALID        (1ULL << 0)
#define D_PAGE         (1ULL << 1)      /* level 3: page; levels 1-2: table */
#define D_ATTRIDX(i)   ((u64)(i) << 2)  /* stage 1 AttrIndx[2:0] */
#define D_MEMATTR(m)   ((u64)(m) << 2)  /* stage 2 MemAttr[3:0] */
#define D_AP(a)        ((u64)(a) << 6)  /* stage 1 AP[2:1]; stage 2 S2AP[1:0] */
#define D_SH_INNER     (3ULL << 8)
#define D_AF           (1ULL << 10)
#define D_XN           (1ULL << 54)     /* stage 1 XN; stage 2 XN[1] */
#define D_ADDR         0x0000fffffffff000ULL
#define S1_AP_RW_EL2   1                /* AP[2:1] = 0b01 (AP[1] RES1) */
#define S1_AP_RO_EL2   3                /* AP[2:1] = 0b11 */
#define S2AP_R         1
#define S2AP_W         2
#define S2_NORMAL_WB   0xf              /* Outer WB, Inner WB */
#define S2_DEVICE_nGnRE 0x1

#define SZ_4K 0x1000ULL
#define SZ_2MB 0x200000ULL
#define SZ_1G 0x40000000ULL
#define VA_LIMIT (1ULL << 39)
#define POOL_PAGES 32
#define S2_VMID 5

static const enum pt_regime regimes[] = { PT_EL2_S1, PT_S2 };
static const char *const regime_names[] = { "EL2 stage 1", "stage 2" };

static struct page_pool pool;
static struct pgtable pt;
static u8 *pool_mem;

static void new_table(enum pt_regime r, size_t pages)
{
	pool_mem = unit_alloc(PAGE_SIZE, pages ? pages * PAGE_SIZE : 1);
	page_pool_init(&pool, pool_mem, pages * PAGE_SIZE);
	ck_assert_int_eq(pgtable_init(&pt, r, r == PT_S2 ? S2_VMID : 0, &pool), 0);
}

static void setup(void)
{
	fake_arch_reset();
}

static void teardown(void)
{
	unit_free_all();
}

/* The entry that translates va, found by walking the tables here. */
static u64 raw_entry(u64 va, unsigned *level)
{
	const u64 *t = pt.root;
	unsigned l;

	for (l = 1;; l++) {
		u64 e = t[(va >> (39 - 9 * l)) & 511];

		if (l == 3 || (e & (D_VALID | D_PAGE)) != (D_VALID | D_PAGE)) {
			*level = l;
			return e;
		}
		t = (const u64 *)(uintptr_t)(e & D_ADDR);
	}
}

static void assert_maps(u64 va, u64 want_pa, unsigned want_level)
{
	paddr_t pa = pa_init(0);
	unsigned level = 0, attrs;
	bool mapped = pgtable_lookup(&pt, va, &pa, &attrs, &level);

	expect_true(mapped, "va 0x%llx not mapped", (unsigned long long)va);
	expect_true(pa_addr(pa) == want_pa, "va 0x%llx -> 0x%llx, want 0x%llx",
		    (unsigned long long)va, (unsigned long long)pa_addr(pa),
		    (unsigned long long)want_pa);
	expect_true(level == want_level, "va 0x%llx at level %u, want %u",
		    (unsigned long long)va, level, want_level);
}

static void assert_hole(u64 va)
{
	expect_true(!pgtable_lookup(&pt, va, NULL, NULL, NULL), "va 0x%llx should be unmapped",
		    (unsigned long long)va);
}

/* Every page of [va, va+size) maps linearly to pa; level 2 exactly on
 * [blk_lo, blk_hi), level 3 elsewhere. */
static void assert_range(u64 va, u64 pa, u64 size, u64 blk_lo, u64 blk_hi)
{
	u64 off;

	for (off = 0; off < size; off += SZ_4K)
		assert_maps(va + off + 8, pa + off + 8,
			    va + off >= blk_lo && va + off < blk_hi ? 2 : 3);
}

START_TEST(test_pool)
{
	u8 *mem = unit_alloc(PAGE_SIZE, 3 * PAGE_SIZE);
	u8 *a, *b, *c;
	size_t i;

	memset(mem, 0xa5, 3 * PAGE_SIZE);
	/* a partial page at the end is not used */
	page_pool_init(&pool, mem, 3 * PAGE_SIZE - 1);
	ck_assert_uint_eq(pool.npages, 2);
	a = page_pool_alloc(&pool);
	b = page_pool_alloc(&pool);
	c = page_pool_alloc(&pool);
	ck_assert_ptr_eq(a, mem);
	ck_assert_ptr_eq(b, mem + PAGE_SIZE);
	ck_assert_ptr_null(c);
	for (i = 0; i < PAGE_SIZE; i++)
		expect_true(a[i] == 0 && b[i] == 0, "page byte %zu not zeroed", i);
	ck_assert_uint_eq(mem[2 * PAGE_SIZE], 0xa5);

	/* an empty pool cannot even hold a root table */
	page_pool_init(&pool, mem, 0);
	ck_assert_int_eq(pgtable_init(&pt, PT_S2, 1, &pool), -E_NOMEM);
}
END_TEST

START_TEST(test_empty_table)
{
	new_table(regimes[_i], POOL_PAGES);
	ck_assert_ptr_eq(pt.root, pool_mem);
	ck_assert_uint_eq(pa_addr(pgtable_root_pa(&pt)), (u64)(uintptr_t)pool_mem);
	ck_assert_uint_eq(pa_addr(pgtable_root_pa(&pt)) % PAGE_SIZE, 0);
	ck_assert_uint_eq(pool.used, 1);
	assert_hole(0);
	assert_hole(SZ_1G);
	assert_hole(VA_LIMIT - SZ_4K);
	assert_hole(VA_LIMIT);
	assert_hole(~0ULL);
}
END_TEST

START_TEST(test_blocks_when_aligned)
{
	const u64 va = SZ_1G, pa = 0x80000000, size = 2 * SZ_2MB;
	unsigned level;
	u64 e;

	new_table(regimes[_i], POOL_PAGES);
	ck_assert_int_eq(pgtable_map(&pt, va, pa_init(pa), size, PT_R | PT_W), 0);
	assert_maps(va, pa, 2);
	assert_maps(va + 0x1234, pa + 0x1234, 2);
	assert_maps(va + SZ_2MB + 5, pa + SZ_2MB + 5, 2);
	assert_maps(va + size - 1, pa + size - 1, 2);
	assert_hole(va - SZ_4K);
	assert_hole(va + size);
	/* two level-2 block descriptors, one new table (level 2) */
	e = raw_entry(va + SZ_2MB, &level);
	ck_assert_uint_eq(level, 2);
	ck_assert_uint_eq(e & (D_VALID | D_PAGE), D_VALID);
	ck_assert_uint_eq(e & D_ADDR, pa + SZ_2MB);
	ck_assert_uint_eq(pool.used, 2);
	/* the root's table descriptor carries no attributes */
	e = pt.root[1];
	ck_assert_uint_eq(e & ~D_ADDR, D_VALID | D_PAGE);
	ck_assert_ptr_eq((void *)(uintptr_t)(e & D_ADDR), pool_mem + PAGE_SIZE);
}
END_TEST

START_TEST(test_pages_around_blocks)
{
	/* 3 pages, two 2 MiB blocks, 5 pages; PA congruent mod 2 MiB. The
	 * head crosses a 1 GiB boundary. */
	const u64 va = SZ_1G - 3 * SZ_4K, size = 3 * SZ_4K + 2 * SZ_2MB + 5 * SZ_4K;
	const u64 pa = va + 0x100000000ULL;
	unsigned level;

	new_table(regimes[_i], POOL_PAGES);
	ck_assert_int_eq(pgtable_map(&pt, va, pa_init(pa), size, PT_R | PT_W), 0);
	assert_range(va, pa, size, SZ_1G, SZ_1G + 2 * SZ_2MB);
	assert_hole(va - SZ_4K);
	assert_hole(va + size);
	ck_assert_uint_eq(raw_entry(va, &level) & (D_VALID | D_PAGE), D_VALID | D_PAGE);
	ck_assert_uint_eq(level, 3);
}
END_TEST

START_TEST(test_pages_when_not_congruent)
{
	new_table(regimes[_i], POOL_PAGES);
	/* VA 2 MiB aligned, PA not: no block can be used */
	ck_assert_int_eq(pgtable_map(&pt, 2 * SZ_2MB, pa_init(0x40201000), 2 * SZ_2MB,
				     PT_R | PT_W), 0);
	assert_range(2 * SZ_2MB, 0x40201000, 2 * SZ_2MB, 0, 0);
	/* both aligned but smaller than a block */
	ck_assert_int_eq(pgtable_map(&pt, 8 * SZ_2MB, pa_init(0x80000000), SZ_2MB - SZ_4K,
				     PT_R), 0);
	assert_range(8 * SZ_2MB, 0x80000000, SZ_2MB - SZ_4K, 0, 0);
	assert_hole(9 * SZ_2MB - SZ_4K);
}
END_TEST

struct attr_case {
	unsigned attrs;        /* PT_* asked for */
	u64 s1, s2;            /* expected descriptor attribute bits */
	unsigned s1_back, s2_back; /* PT_* recovered by lookup */
};

static const struct attr_case attr_cases[] = {
	{ PT_R | PT_W | PT_X,
	  D_ATTRIDX(0) | D_AP(S1_AP_RW_EL2) | D_SH_INNER,
	  D_MEMATTR(S2_NORMAL_WB) | D_AP(S2AP_R | S2AP_W) | D_SH_INNER,
	  PT_R | PT_W | PT_X, PT_R | PT_W | PT_X },
	{ PT_R | PT_W,
	  D_ATTRIDX(0) | D_AP(S1_AP_RW_EL2) | D_SH_INNER | D_XN,
	  D_MEMATTR(S2_NORMAL_WB) | D_AP(S2AP_R | S2AP_W) | D_SH_INNER | D_XN,
	  PT_R | PT_W, PT_R | PT_W },
	{ PT_R | PT_X,
	  D_ATTRIDX(0) | D_AP(S1_AP_RO_EL2) | D_SH_INNER,
	  D_MEMATTR(S2_NORMAL_WB) | D_AP(S2AP_R) | D_SH_INNER,
	  PT_R | PT_X, PT_R | PT_X },
	{ PT_R,
	  D_ATTRIDX(0) | D_AP(S1_AP_RO_EL2) | D_SH_INNER | D_XN,
	  D_MEMATTR(S2_NORMAL_WB) | D_AP(S2AP_R) | D_SH_INNER | D_XN,
	  PT_R, PT_R },
	{ PT_W, /* stage 1 at EL2 cannot express write-only: RW */
	  D_ATTRIDX(0) | D_AP(S1_AP_RW_EL2) | D_SH_INNER | D_XN,
	  D_MEMATTR(S2_NORMAL_WB) | D_AP(S2AP_W) | D_SH_INNER | D_XN,
	  PT_R | PT_W, PT_W },
	{ PT_R | PT_W | PT_DEVICE,
	  D_ATTRIDX(1) | D_AP(S1_AP_RW_EL2) | D_XN,
	  D_MEMATTR(S2_DEVICE_nGnRE) | D_AP(S2AP_R | S2AP_W) | D_XN,
	  PT_R | PT_W | PT_DEVICE, PT_R | PT_W | PT_DEVICE },
	{ PT_R | PT_X | PT_DEVICE, /* device memory is never executable */
	  D_ATTRIDX(1) | D_AP(S1_AP_RO_EL2) | D_XN,
	  D_MEMATTR(S2_DEVICE_nGnRE) | D_AP(S2AP_R) | D_XN,
	  PT_R | PT_DEVICE, PT_R | PT_DEVICE },
	{ 0, /* stage 2: no access at all */
	  D_ATTRIDX(0) | D_AP(S1_AP_RO_EL2) | D_SH_INNER | D_XN,
	  D_MEMATTR(S2_NORMAL_WB) | D_SH_INNER | D_XN,
	  PT_R, 0 },
};

static void check_attr_case(const struct attr_case *c, u64 va, u64 pa, u64 size,
			    unsigned want_level)
{
	bool s2 = pt.regime == PT_S2;
	u64 want = pa | D_VALID | D_AF | (want_level == 3 ? D_PAGE : 0) | (s2 ? c->s2 : c->s1);
	unsigned level, attrs;
	paddr_t got_pa;
	u64 e;

	ck_assert_int_eq(pgtable_map(&pt, va, pa_init(pa), size, c->attrs), 0);
	e = raw_entry(va, &level);
	ck_assert_uint_eq(level, want_level);
	ck_assert_msg(e == want, "%s attrs 0x%x level %u: descriptor 0x%016llx, want 0x%016llx",
		      regime_names[s2], c->attrs, level, (unsigned long long)e,
		      (unsigned long long)want);
	ck_assert(pgtable_lookup(&pt, va + 0x10, &got_pa, &attrs, &level));
	ck_assert_uint_eq(pa_addr(got_pa), pa + 0x10);
	ck_assert_uint_eq(level, want_level);
	ck_assert_uint_eq(attrs, s2 ? c->s2_back : c->s1_back);
}

START_TEST(test_attributes)
{
	unsigned i;

	new_table(regimes[_i], POOL_PAGES);
	for (i = 0; i < ARRAY_SIZE(attr_cases); i++) {
		/* as a page, then as a 2 MiB block */
		check_attr_case(&attr_cases[i], 0x10000000 + i * SZ_4K,
				0x90000000ULL + i * SZ_4K, SZ_4K, 3);
		check_attr_case(&attr_cases[i], 0x20000000 + i * SZ_2MB,
				0x4000000000ULL + i * SZ_2MB, SZ_2MB, 2);
	}
}
END_TEST

START_TEST(test_mair_matches_attrindx)
{
	/* AttrIndx 0 must be Normal WB (0xff), 1 Device-nGnRE (0x04) in the
	 * MAIR_EL2 value the arch programs. */
	ck_assert_uint_eq(MAIR_EL2_VALUE & 0xff, 0xff);
	ck_assert_uint_eq((MAIR_EL2_VALUE >> 8) & 0xff, 0x04);
	ck_assert_uint_eq(MAIR_IDX_NORMAL, 0);
	ck_assert_uint_eq(MAIR_IDX_DEVICE, 1);
}
END_TEST

START_TEST(test_holes)
{
	new_table(regimes[_i], POOL_PAGES);
	ck_assert_int_eq(pgtable_map(&pt, 0x100000, pa_init(0x100000), 2 * SZ_4K, PT_R), 0);
	ck_assert_int_eq(pgtable_map(&pt, 0x104000, pa_init(0x104000), SZ_4K, PT_R), 0);
	assert_maps(0x101fff, 0x101fff, 3);
	assert_hole(0x102000);
	assert_hole(0x103fff);
	assert_maps(0x104000, 0x104000, 3);
	assert_hole(0x105000);
	assert_hole(0x100000 + SZ_2MB);   /* table at level 2 but nothing below */
	assert_hole(SZ_1G + 0x100000);    /* nothing at level 1 */
}
END_TEST

START_TEST(test_overlap_block)
{
	u8 *before = unit_alloc(8, POOL_PAGES * PAGE_SIZE);
	unsigned attrs;
	paddr_t pa;

	new_table(regimes[_i], POOL_PAGES);
	ck_assert_int_eq(pgtable_map(&pt, SZ_2MB, pa_init(0x80200000), SZ_2MB, PT_R | PT_W), 0);
	memcpy(before, pool_mem, POOL_PAGES * PAGE_SIZE);
	/* 6 MiB at 0: block at 0 fits and is made, then the existing block
	 * is hit: the new block must go again */
	ck_assert_int_eq(pgtable_map(&pt, 0, pa_init(0x90000000), 3 * SZ_2MB, PT_R | PT_X),
			 -E_EXIST);
	ck_assert_int_eq(memcmp(before, pool_mem, POOL_PAGES * PAGE_SIZE), 0);
	assert_hole(0);
	assert_hole(2 * SZ_2MB);
	ck_assert(pgtable_lookup(&pt, SZ_2MB + 4, &pa, &attrs, NULL));
	ck_assert_uint_eq(pa_addr(pa), 0x80200004);
	ck_assert_uint_eq(attrs, PT_R | PT_W);
	/* the same range again */
	ck_assert_int_eq(pgtable_map(&pt, SZ_2MB, pa_init(0x80200000), SZ_2MB, PT_R | PT_W),
			 -E_EXIST);
	/* one page inside the block */
	ck_assert_int_eq(pgtable_map(&pt, SZ_2MB + SZ_4K, pa_init(0x1000), SZ_4K, PT_R),
			 -E_EXIST);
	ck_assert_int_eq(memcmp(before, pool_mem, POOL_PAGES * PAGE_SIZE), 0);
}
END_TEST

START_TEST(test_overlap_page)
{
	/* PA congruent with VA: [base, base+2M) could be a block, but the
	 * page already mapped inside it forces pages; the pages made before
	 * the clash must be undone */
	const u64 base = 4 * SZ_2MB, va = base - 2 * SZ_4K, pa = 0x90000000 - 2 * SZ_4K;
	u64 off;

	new_table(regimes[_i], POOL_PAGES);
	ck_assert_int_eq(pgtable_map(&pt, base + 0x1000, pa_init(0x70001000), SZ_4K, PT_R), 0);
	ck_assert_int_eq(pgtable_map(&pt, va, pa_init(pa), SZ_2MB + 2 * SZ_4K, PT_R | PT_W),
			 -E_EXIST);
	for (off = 0; off < SZ_2MB + 2 * SZ_4K; off += SZ_4K)
		if (va + off != base + 0x1000)
			assert_hole(va + off);
	assert_maps(base + 0x1000, 0x70001000, 3);
	/* what does not overlap can then be mapped */
	ck_assert_int_eq(pgtable_map(&pt, va, pa_init(pa), 3 * SZ_4K, PT_R | PT_W), 0);
	assert_range(va, pa, 3 * SZ_4K, 0, 0);
}
END_TEST

START_TEST(test_invalid_args)
{
	new_table(regimes[_i], POOL_PAGES);
	ck_assert_int_eq(pgtable_map(&pt, 0x1001, pa_init(0x1000), SZ_4K, PT_R), -E_INVAL);
	ck_assert_int_eq(pgtable_map(&pt, 0x1000, pa_init(0x1800), SZ_4K, PT_R), -E_INVAL);
	ck_assert_int_eq(pgtable_map(&pt, 0x1000, pa_init(0x1000), 0x1800, PT_R), -E_INVAL);
	ck_assert_int_eq(pgtable_map(&pt, 0x1000, pa_init(0x1000), 0, PT_R), -E_INVAL);
	ck_assert_int_eq(pgtable_unmap(&pt, 0x1000, 0), -E_INVAL);
	ck_assert_int_eq(pgtable_unmap(&pt, 0x1800, SZ_4K), -E_INVAL);
	ck_assert_int_eq(pgtable_unmap(&pt, 0x1000, 0x800), -E_INVAL);
	ck_assert_uint_eq(pool.used, 1);
	assert_hole(0x1000);
}
END_TEST

START_TEST(test_out_of_range)
{
	new_table(regimes[_i], POOL_PAGES);
	ck_assert_int_eq(pgtable_map(&pt, VA_LIMIT, pa_init(0), SZ_4K, PT_R), -E_RANGE);
	ck_assert_int_eq(pgtable_map(&pt, VA_LIMIT - SZ_4K, pa_init(0), 2 * SZ_4K, PT_R),
			 -E_RANGE);
	/* wraps past 2^64 */
	ck_assert_int_eq(pgtable_map(&pt, ~0xfffULL, pa_init(0), 2 * SZ_4K, PT_R), -E_RANGE);
	ck_assert_int_eq(pgtable_map(&pt, 0, pa_init(0), ~0xfffULL + 0, PT_R), -E_RANGE);
	/* output address beyond 48 bits, or wrapping */
	ck_assert_int_eq(pgtable_map(&pt, 0, pa_init(1ULL << 48), SZ_4K, PT_R), -E_RANGE);
	ck_assert_int_eq(pgtable_map(&pt, 0, pa_init((1ULL << 48) - SZ_4K), 2 * SZ_4K, PT_R),
			 -E_RANGE);
	ck_assert_int_eq(pgtable_map(&pt, 0, pa_init(~0xfffULL), 2 * SZ_4K, PT_R), -E_RANGE);
	ck_assert_int_eq(pgtable_unmap(&pt, VA_LIMIT, SZ_4K), -E_RANGE);
	ck_assert_int_eq(pgtable_unmap(&pt, ~0xfffULL, 2 * SZ_4K), -E_RANGE);
	ck_assert_uint_eq(pool.used, 1);
	/* the last page of the input range is fine */
	ck_assert_int_eq(pgtable_map(&pt, VA_LIMIT - SZ_4K, pa_init((1ULL << 48) - SZ_4K),
				     SZ_4K, PT_R), 0);
	assert_maps(VA_LIMIT - 1, (1ULL << 48) - 1, 3);
	assert_hole(VA_LIMIT);
}
END_TEST

START_TEST(test_pool_exhausted)
{
	/* root + 1: the level-2 table fits, the level-3 one does not */
	new_table(regimes[_i], 2);
	ck_assert_int_eq(pgtable_map(&pt, 0x1000, pa_init(0x1000), SZ_4K, PT_R), -E_NOMEM);
	assert_hole(0x1000);
	ck_assert_uint_eq(pool.used, 2);
	ck_assert_int_eq(pgtable_map(&pt, 0x1000, pa_init(0x1000), SZ_4K, PT_R), -E_NOMEM);
	/* what needs no new table still works: a block beside it */
	ck_assert_int_eq(pgtable_map(&pt, SZ_2MB, pa_init(SZ_2MB), SZ_2MB, PT_R), 0);
	assert_maps(SZ_2MB, SZ_2MB, 2);
}
END_TEST

START_TEST(test_pool_exhausted_midway)
{
	u64 off;

	/* root, level 2, one level 3: [2M-8K, 2M+8K) needs a second level 3
	 * after two pages were made; they must go again */
	new_table(regimes[_i], 3);
	ck_assert_int_eq(pgtable_map(&pt, SZ_2MB - 2 * SZ_4K, pa_init(0x50000000), 4 * SZ_4K,
				     PT_R | PT_W), -E_NOMEM);
	for (off = 0; off < 4 * SZ_4K; off += SZ_4K)
		assert_hole(SZ_2MB - 2 * SZ_4K + off);
	ck_assert_uint_eq(pool.used, 3);
	/* the tables are intact: the first half maps now */
	ck_assert_int_eq(pgtable_map(&pt, SZ_2MB - 2 * SZ_4K, pa_init(0x50000000), 2 * SZ_4K,
				     PT_R | PT_W), 0);
	assert_range(SZ_2MB - 2 * SZ_4K, 0x50000000, 2 * SZ_4K, 0, 0);
}
END_TEST

START_TEST(test_unmap_holes)
{
	new_table(regimes[_i], POOL_PAGES);
	ck_assert_int_eq(pgtable_unmap(&pt, 0, 4 * SZ_1G), 0);
	ck_assert_int_eq(pgtable_unmap(&pt, VA_LIMIT - SZ_4K, SZ_4K), 0);
	ck_assert_uint_eq(fake_arch.tlb_invals, 0);
	ck_assert_int_eq(pgtable_map(&pt, 0x5000, pa_init(0x5000), SZ_4K, PT_R), 0);
	ck_assert_int_eq(pgtable_unmap(&pt, 0, SZ_2MB + SZ_1G), 0);
	ck_assert_uint_eq(fake_arch.tlb_invals, 1);
	ck_assert_uint_eq(fake_arch.tlb[0].va, 0x5000);
	assert_hole(0x5000);
}
END_TEST

START_TEST(test_unmap_refuses_split)
{
	u8 *before = unit_alloc(8, POOL_PAGES * PAGE_SIZE);

	new_table(regimes[_i], POOL_PAGES);
	/* pages [2M-8K, 2M), block [2M, 4M) */
	ck_assert_int_eq(pgtable_map(&pt, SZ_2MB - 2 * SZ_4K, pa_init(SZ_2MB - 2 * SZ_4K),
				     SZ_2MB + 2 * SZ_4K, PT_R), 0);
	memcpy(before, pool_mem, POOL_PAGES * PAGE_SIZE);
	fake_arch_reset();
	/* inside the block */
	ck_assert_int_eq(pgtable_unmap(&pt, SZ_2MB + SZ_4K, SZ_4K), -E_INVAL);
	/* the pages and the first half of the block: nothing may change,
	 * not even the pages that come first */
	ck_assert_int_eq(pgtable_unmap(&pt, SZ_2MB - 2 * SZ_4K, SZ_2MB), -E_INVAL);
	/* the last page and all of the block but its last page */
	ck_assert_int_eq(pgtable_unmap(&pt, SZ_2MB - SZ_4K, SZ_2MB), -E_INVAL);
	ck_assert_int_eq(memcmp(before, pool_mem, POOL_PAGES * PAGE_SIZE), 0);
	ck_assert_uint_eq(fake_arch.tlb_invals, 0);
	assert_range(SZ_2MB - 2 * SZ_4K, SZ_2MB - 2 * SZ_4K, SZ_2MB + 2 * SZ_4K,
		     SZ_2MB, 2 * SZ_2MB);
}
END_TEST

START_TEST(test_unmap_invalidates_tlb)
{
	const u64 va = SZ_2MB - 3 * SZ_4K;
	const u64 want[] = { SZ_2MB - 3 * SZ_4K, SZ_2MB - 2 * SZ_4K, SZ_2MB - SZ_4K, SZ_2MB };
	unsigned i;

	new_table(regimes[_i], POOL_PAGES);
	ck_assert_int_eq(pgtable_map(&pt, va, pa_init(0x40000000 + va), 3 * SZ_4K + SZ_2MB,
				     PT_R | PT_W), 0);
	fake_arch_reset();
	ck_assert_int_eq(pgtable_unmap(&pt, va, 3 * SZ_4K + SZ_2MB), 0);
	/* one invalidation per removed entry (3 pages, 1 block), each made
	 * after the cleared entry was synced */
	ck_assert_uint_eq(fake_arch.tlb_invals, ARRAY_SIZE(want));
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		ck_assert_uint_eq(fake_arch.tlb[i].va, want[i]);
		ck_assert_ptr_eq(fake_arch.tlb[i].pt, &pt);
		ck_assert_int_eq(fake_arch.tlb[i].regime, regimes[_i]);
		ck_assert_uint_eq(fake_arch.tlb[i].vmid, pt.vmid);
		ck_assert_uint_gt(fake_arch.tlb[i].pt_syncs, i ? fake_arch.tlb[i - 1].pt_syncs : 0);
	}
	for (i = 0; i < ARRAY_SIZE(want); i++)
		assert_hole(want[i]);
}
END_TEST

START_TEST(test_remap_after_unmap)
{
	size_t used;
	unsigned attrs;
	paddr_t pa;

	new_table(regimes[_i], POOL_PAGES);
	ck_assert_int_eq(pgtable_map(&pt, SZ_1G, pa_init(0x80000000), SZ_2MB + SZ_4K,
				     PT_R | PT_W), 0);
	used = pool.used;
	ck_assert_int_eq(pgtable_unmap(&pt, SZ_1G, SZ_2MB + SZ_4K), 0);
	assert_hole(SZ_1G);
	assert_hole(SZ_1G + SZ_2MB);
	/* elsewhere, with other attributes, reusing the tables */
	ck_assert_int_eq(pgtable_map(&pt, SZ_1G, pa_init(0xa0000000), SZ_2MB + SZ_4K,
				     PT_R | PT_X), 0);
	ck_assert_uint_eq(pool.used, used);
	ck_assert(pgtable_lookup(&pt, SZ_1G + 0x10, &pa, &attrs, NULL));
	ck_assert_uint_eq(pa_addr(pa), 0xa0000010);
	ck_assert_uint_eq(attrs, PT_R | PT_X);
	assert_maps(SZ_1G + SZ_2MB, 0xa0000000 + SZ_2MB, 3);
	/* a page where a block was, and a block where pages were */
	ck_assert_int_eq(pgtable_unmap(&pt, SZ_1G, SZ_2MB + SZ_4K), 0);
	ck_assert_int_eq(pgtable_map(&pt, SZ_1G, pa_init(0x3000), SZ_4K, PT_R), 0);
	assert_maps(SZ_1G, 0x3000, 3);
	ck_assert_int_eq(pgtable_unmap(&pt, SZ_1G, SZ_4K), 0);
	assert_hole(SZ_1G);
}
END_TEST

/* The census counts exactly the pages pgtable_map takes for the same
 * ranges (identity, not overlapping, in any order): RAM around a block
 * boundary, a window of blocks, single pages that share and do not share
 * a level-3 table, ranges in several 1 GiB blocks. */
START_TEST(test_census_matches_map)
{
	static const struct { u64 va, size; } ranges[] = {
		{ SZ_1G + 0x1ff000, SZ_2MB + 0x3000 },     /* pages, a block, pages */
		{ 2 * SZ_1G, 0x10000000 },                 /* 128 blocks */
		{ 0x09000000, SZ_4K }, { 0x09050000, 0x20000 }, /* one level-3 table */
		{ 0x08000000, 0x10000 }, { 0x080a0000, 0xf60000 }, /* GIC-like */
		{ 5 * SZ_1G - SZ_4K, 2 * SZ_4K },          /* across a 1 GiB boundary */
		{ 7 * SZ_1G, SZ_1G },                      /* a whole 1 GiB: 512 blocks */
	};
	struct pt_census c = { .n = 0 };
	size_t i, k;

	for (k = 0; k < ARRAY_SIZE(ranges); k++) {
		new_table(regimes[_i], 64);
		memset(&c, 0, sizeof(c));
		/* the first k + 1 ranges, mapped last to first */
		for (i = 0; i <= k; i++)
			pt_census_add(&c, ranges[i].va, ranges[i].size);
		for (i = k + 1; i-- > 0;)
			ck_assert_int_eq(pgtable_map(&pt, ranges[i].va, pa_init(ranges[i].va),
						     ranges[i].size, PT_R | PT_W), 0);
		ck_assert(!c.overflow);
		expect_true(pt_census_pages(&c) == pool.used, "%zu ranges: census %u, map used %zu",
			    k + 1, pt_census_pages(&c), pool.used);
	}
	/* the same range twice counts once; a bad range counts nothing */
	pt_census_add(&c, ranges[0].va, ranges[0].size);
	pt_census_add(&c, 0x1234, SZ_4K);
	ck_assert_uint_eq(pt_census_pages(&c), pool.used);
}
END_TEST

static void add_loop(Suite *s, const char *name, const TTest *t)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, t, 0, (int)ARRAY_SIZE(regimes));
	suite_add_tcase(s, tc);
}

Suite *pgtable_suite(void)
{
	Suite *s = suite_create("pgtable");
	TCase *tc = tcase_create("pool");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_pool);
	tcase_add_test(tc, test_mair_matches_attrindx);
	suite_add_tcase(s, tc);
	add_loop(s, "empty", test_empty_table);
	add_loop(s, "blocks", test_blocks_when_aligned);
	add_loop(s, "pages_around_blocks", test_pages_around_blocks);
	add_loop(s, "pages_not_congruent", test_pages_when_not_congruent);
	add_loop(s, "attributes", test_attributes);
	add_loop(s, "holes", test_holes);
	add_loop(s, "overlap_block", test_overlap_block);
	add_loop(s, "overlap_page", test_overlap_page);
	add_loop(s, "invalid_args", test_invalid_args);
	add_loop(s, "out_of_range", test_out_of_range);
	add_loop(s, "pool_exhausted", test_pool_exhausted);
	add_loop(s, "pool_exhausted_midway", test_pool_exhausted_midway);
	add_loop(s, "unmap_holes", test_unmap_holes);
	add_loop(s, "unmap_refuses_split", test_unmap_refuses_split);
	add_loop(s, "unmap_invalidates_tlb", test_unmap_invalidates_tlb);
	add_loop(s, "remap_after_unmap", test_remap_after_unmap);
	add_loop(s, "census_matches_map", test_census_matches_map);
	return s;
}
