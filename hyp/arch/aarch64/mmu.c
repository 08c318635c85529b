// SPDX-License-Identifier: Apache-2.0
/*
 * EL2 stage 1. mmu_early_init() runs with the MMU off (code built with
 * -mstrict-align): it maps the image section by section with W^X, and the
 * DTB read-only, then head.S turns the MMU on from boot_mmu. RAM and MMIO
 * are added later from the DT.
 */
#include "umbra/arch.h"
#include "umbra/limits.h"
#include "mm/mmu.h"
#include "arch/sysreg.h"

extern char _head[], _text_end[], _rodata_end[], _end[];

/* Read by head.S (mmu_enable) on every CPU. */
struct { u64 ttbr, tcr, mair, sctlr; } boot_mmu;

static u8 el2_pool_mem[PT_EL2_POOL_PAGES * PAGE_SIZE] __aligned(PAGE_SIZE);
static struct page_pool el2_pool;
static struct page_pool pool;   /* the partitions': after the image, mmu_pool_place */
static u64 carved;              /* bytes taken after the image (mmu_carve) */
static struct pgtable el2_pt;
static u64 dtb_pa, dtb_win_base, dtb_win_size;

#define FDT_MAGIC 0xd00dfeedu
#define FDT_MAX_SIZE (2u << 20) /* booting.rst: at most 2 MiB */

#define CPTR_EL2_RES1 0x33ffUL /* TFP clear */
#define TCR_T0SZ(bits) (64 - (bits))
#define TCR_IRGN0_WBWA (1UL << 8)
#define TCR_ORGN0_WBWA (1UL << 10)
#define TCR_SH0_INNER (3UL << 12)
#define TCR_PS_SHIFT 16
#define TCR_EL2_RES1 (BIT(23) | BIT(31))
#define SCTLR_EL2_RES1 0x30c50830UL
#define SCTLR_M BIT(0)
#define SCTLR_C BIT(2)
#define SCTLR_SA BIT(3)
#define SCTLR_I BIT(12)
#define SCTLR_WXN BIT(19)

static u64 parange(void)
{
	u64 pa = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	return pa > 5 ? 5 : pa; /* 52-bit PAs need LPA2: stay at 48 */
}

u64 arch_tcr_common(void)
{
	return TCR_T0SZ(PT_VA_BITS) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER |
	       (parange() << TCR_PS_SHIFT);
}

static u32 be32(const void *p)
{
	return __builtin_bswap32(*(const u32 *)p);
}

static __noreturn void early_fail(void)
{
	/* No console yet: all we can do is stop the machine. */
	arch_system_off();
}

void mmu_early_init(u64 dtb)
{
	u64 text = (u64)_head, text_end = (u64)_text_end;
	u64 ro_end = (u64)_rodata_end, end = (u64)_end;

	/* libfdt (Debian's build) uses FP/SIMD registers: don't trap them.
	 * Only boot-time code calls it, before any guest state exists. */
	write_sysreg(cptr_el2, CPTR_EL2_RES1);
	isb();
	page_pool_init(&el2_pool, el2_pool_mem, sizeof(el2_pool_mem));
	if (pgtable_init(&el2_pt, PT_EL2_S1, 0, &el2_pool) ||
	    pgtable_map(&el2_pt, text, pa_init(text), text_end - text, PT_R | PT_X) ||
	    pgtable_map(&el2_pt, text_end, pa_init(text_end), ro_end - text_end, PT_R) ||
	    pgtable_map(&el2_pt, ro_end, pa_init(ro_end), end - ro_end, PT_R | PT_W))
		early_fail();

	if (dtb && IS_ALIGNED(dtb, 8) && be32((void *)dtb) == FDT_MAGIC) {
		u64 size = be32((u8 *)dtb + 4);

		dtb_win_base = ALIGN_DOWN(dtb, PAGE_SIZE);
		dtb_win_size = ALIGN_UP(dtb + MIN(size, FDT_MAX_SIZE), PAGE_SIZE) - dtb_win_base;
		if (pgtable_map(&el2_pt, dtb_win_base, pa_init(dtb_win_base), dtb_win_size, PT_R) == 0)
			dtb_pa = dtb;
	}

	boot_mmu.ttbr = pa_addr(pgtable_root_pa(&el2_pt));
	boot_mmu.tcr = arch_tcr_common() | TCR_EL2_RES1;
	boot_mmu.mair = MAIR_EL2_VALUE;
	boot_mmu.sctlr = SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_I | SCTLR_WXN;
}

const void *mmu_boot_dtb(void)
{
	return dtb_pa ? (const void *)dtb_pa : NULL;
}

u64 mmu_boot_dtb_size(void)
{
	return dtb_pa ? dtb_win_base + dtb_win_size - dtb_pa : 0;
}

void mmu_unmap_boot_dtb(void)
{
	if (dtb_pa)
		pgtable_unmap(&el2_pt, dtb_win_base, dtb_win_size);
	dtb_pa = 0;
}

u64 mmu_image_base(void) { return (u64)_head; }
u64 mmu_image_end(void) { return (u64)_end; }
u64 mmu_image_ro_end(void) { return (u64)_rodata_end; }
u64 mmu_umbra_end(void) { return (u64)_end + carved; }
struct page_pool *mmu_pool(void) { return &pool; }
const struct page_pool *mmu_el2_pool(void) { return &el2_pool; }

void *mmu_carve(u64 bytes, u64 align)
{
	u64 p = ALIGN_UP((u64)_end + carved, MAX(align, (u64)PAGE_SIZE));

	carved = p + ALIGN_UP(bytes, PAGE_SIZE) - (u64)_end;
	return (void *)p;
}

void mmu_pool_place(u64 pages)
{
	page_pool_init(&pool, mmu_carve(pages * PAGE_SIZE, PAGE_SIZE), pages * PAGE_SIZE);
}

int mmu_map_ram(u64 base, u64 size)
{
	u64 img = (u64)_head, img_end = (u64)_end, end = base + size;
	int err = 0;

	base = ALIGN_UP(base, PAGE_SIZE);
	end = ALIGN_DOWN(end, PAGE_SIZE);
	if (end <= base)
		return 0;
	if (!ranges_overlap(base, end - base, img, img_end - img))
		return pgtable_map(&el2_pt, base, pa_init(base), end - base, PT_R | PT_W);
	/* the image keeps its own W^X mapping */
	if (base < img)
		err = pgtable_map(&el2_pt, base, pa_init(base), img - base, PT_R | PT_W);
	if (!err && end > img_end)
		err = pgtable_map(&el2_pt, img_end, pa_init(img_end), end - img_end, PT_R | PT_W);
	return err;
}

int mmu_map_device(u64 base, u64 size)
{
	u64 start = ALIGN_DOWN(base, PAGE_SIZE), end = ALIGN_UP(base + size, PAGE_SIZE);

	return pgtable_map(&el2_pt, start, pa_init(start), end - start, PT_R | PT_W | PT_DEVICE);
}

void arch_pt_sync(void)
{
	dsb(ishst);
}

void arch_tlb_inval(const struct pgtable *pt, u64 va)
{
	if (pt->regime == PT_DEV_S1)
		return; /* the SMMU's TLB: devices/iommu.c invalidates it */
	if (pt->regime == PT_EL2_S1) {
		__asm__ volatile("tlbi vae2is, %0" : : "r"(va >> PAGE_SHIFT));
	} else {
		/* IPA-based invalidation needs VTTBR_EL2 to hold the VMID;
		 * then drop combined stage-1+2 entries too (D8.13.5). */
		u64 saved = read_sysreg(vttbr_el2);

		write_sysreg(vttbr_el2, pa_addr(pgtable_root_pa(pt)) | ((u64)pt->vmid << 48));
		isb();
		__asm__ volatile("tlbi ipas2e1is, %0" : : "r"(va >> PAGE_SHIFT));
		dsb(ish);
		__asm__ volatile("tlbi vmalle1is");
		dsb(ish); /* complete under this VMID before it changes back */
		write_sysreg(vttbr_el2, saved);
		isb();
	}
	dsb(ish);
	isb();
}

#define DCACHE_OP(name, op)							\
void name(const void *p, u64 len)						\
{										\
	u64 line = 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xf);			\
	u64 a = ALIGN_DOWN((u64)p, line), end = (u64)p + len;			\
										\
	for (; a < end; a += line)						\
		__asm__ volatile("dc " op ", %0" : : "r"(a) : "memory");	\
	dsb(sy);								\
}
DCACHE_OP(arch_dcache_clean_range, "cvac")

/* Zero memory Umbra has mapped as Normal: DC ZVA a block at a time
 * (D7.5.9), much faster than stores when scrubbing a partition. */
void arch_mem_zero(void *p, u64 len)
{
	u64 dczid = read_sysreg(dczid_el0), blk = 4UL << (dczid & 0xf);
	u8 *a = p, *end = a + len;

	if (dczid & BIT(4)) { /* DZP: DC ZVA prohibited */
		memset(p, 0, len);
		return;
	}
	while (a < end && !IS_ALIGNED((u64)a, blk))
		*a++ = 0;
	for (; a + blk <= end; a += blk)
		__asm__ volatile("dc zva, %0" : : "r"(a) : "memory");
	while (a < end)
		*a++ = 0;
	dsb(ish);
}
DCACHE_OP(arch_dcache_clean_inval_range, "civac")

/* ID_AA64ISAR0_EL1.SHA2 (D19.2.61): 1 = SHA256H and friends (sha256.S) */
bool arch_has_sha256(void)
{
	return ((read_sysreg(id_aa64isar0_el1) >> 12) & 0xf) >= 1;
}

void arch_icache_inval_all(void)
{
	__asm__ volatile("ic ialluis" ::: "memory");
	dsb(ish);
	isb();
}
