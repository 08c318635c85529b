// SPDX-License-Identifier: Apache-2.0
/*
 * Conformance: TLB maintenance. Each EL1 TLBI form of the base
 * architecture (Arm ARM C5.5), Inner Shareable or not, must remove a
 * translation the CPU has cached. The suite turns its MMU on with a small
 * identity map plus one test page, caches the page's translation, makes
 * the descriptor invalid (break-before-make: a read still hits the cached
 * entry) and invalidates with the form under test: the next read must
 * fault. A hypervisor that traps TLB maintenance (Umbra does while only a
 * partition's first vCPU has run) must execute what the guest asked for,
 * with its operand.
 */
#include "conform.h"
#include "guest.h"

#define PAGE 4096UL
#define TEST_VA (5UL << 30) /* L1 entry 5: the only part mapped in pages */
#define ASID 5UL
#define MARK_A 0xa11ce0000000000aUL

#define DESC_TABLE 3UL
#define DESC_BLOCK 1UL
#define DESC_PAGE 3UL
#define DESC_AF (1UL << 10)
#define DESC_NG (1UL << 11)                 /* per ASID: TLBI ASIDE1 applies */
#define DESC_XN (3UL << 53)                 /* PXN, UXN */
#define ATTR(i) ((uint64_t)(i) << 2)        /* MAIR_EL1 index */
#define MAIR_VALUE 0x4400UL                 /* 0: Device-nGnRnE, 1: Normal NC */
/* T0SZ 25 (39-bit VA, walks start at level 1), 4 KiB granule, walks
 * non-cacheable; TTBR1 the same but never walked (EPD1); IPS 36 bits */
#define TCR_VALUE (25UL | (25UL << 16) | (1UL << 23) | (2UL << 30) | (1UL << 32))
#define ESR_EC(esr) (((esr) >> 26) & 0x3f)
#define EC_DABT_CUR 0x25
#define DFSC_TRANSLATION_L3 0x07
#define SCTLR_M 1UL

static uint64_t l1[512] __attribute__((aligned(PAGE)));
static uint64_t l2[512] __attribute__((aligned(PAGE)));
static uint64_t l3[512] __attribute__((aligned(PAGE)));
static uint64_t page_a[512] __attribute__((aligned(PAGE)));

#define TLBI_X(op) static void op(uint64_t x) { __asm__ volatile("tlbi " #op ", %0" : : "r"(x) : "memory"); }
#define TLBI_0(op) static void op(uint64_t x) { (void)x; __asm__ volatile("tlbi " #op ::: "memory"); }
TLBI_0(vmalle1is) TLBI_X(vae1is) TLBI_X(aside1is) TLBI_X(vaae1is) TLBI_X(vale1is) TLBI_X(vaale1is)
TLBI_0(vmalle1) TLBI_X(vae1) TLBI_X(aside1) TLBI_X(vaae1) TLBI_X(vale1) TLBI_X(vaale1)

/* operand: VA[55:12] and ASID[63:48] (C5.5.1), as each form reads it */
#define OP_VA ((TEST_VA >> 12) | (ASID << 48))
#define CASE(op, x) { "cpu.tlbi." #op, op, x }
static const struct {
	const char *name;
	void (*op)(uint64_t);
	uint64_t x;
} cases[] = {
	CASE(vmalle1is, 0), CASE(vae1is, OP_VA), CASE(aside1is, ASID << 48),
	CASE(vaae1is, TEST_VA >> 12), CASE(vale1is, OP_VA), CASE(vaale1is, TEST_VA >> 12),
	CASE(vmalle1, 0), CASE(vae1, OP_VA), CASE(aside1, ASID << 48),
	CASE(vaae1, TEST_VA >> 12), CASE(vale1, OP_VA), CASE(vaale1, TEST_VA >> 12),
};

static uint64_t read_test_va(void)
{
	uint64_t v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(TEST_VA) : "memory");
	return v;
}

static void point_at(const uint64_t *page)
{
	l3[0] = page ? (uint64_t)(uintptr_t)page | DESC_PAGE | DESC_AF | DESC_NG | ATTR(1) | DESC_XN
		     : 0;
	__asm__ volatile("dsb ish" ::: "memory");
}

/* one byte of TEST_VA, and whether reading it faulted (and how) */
static uint64_t probe_test_va(struct fault *f)
{
	uint64_t v;

	probe_arm();
	v = probe_read8(TEST_VA);
	probe_disarm(f);
	return v;
}

/* identity map of the first 4 GiB in 1 GiB blocks (devices, then RAM),
 * plus TEST_VA through two levels of tables */
static void mmu_on(void)
{
	l1[0] = DESC_BLOCK | DESC_AF | ATTR(0) | DESC_XN;
	for (uint64_t i = 1; i < 4; i++)
		l1[i] = (i << 30) | DESC_BLOCK | DESC_AF | ATTR(1);
	l1[TEST_VA >> 30] = (uint64_t)(uintptr_t)l2 | DESC_TABLE;
	l2[0] = (uint64_t)(uintptr_t)l3 | DESC_TABLE;
	point_at(page_a);
	sysreg_write(mair_el1, MAIR_VALUE);
	sysreg_write(tcr_el1, TCR_VALUE);
	sysreg_write(ttbr0_el1, (uint64_t)(uintptr_t)l1 | (ASID << 48));
	isb();
	vmalle1(0);
	__asm__ volatile("dsb nsh" ::: "memory");
	sysreg_write(sctlr_el1, sysreg_read(sctlr_el1) | SCTLR_M);
	isb();
}

static void mmu_off(void)
{
	sysreg_write(sctlr_el1, sysreg_read(sctlr_el1) & ~SCTLR_M);
	isb();
	vmalle1(0);
	__asm__ volatile("dsb nsh" ::: "memory");
	isb();
}

void conform_tlbi(void)
{
	uintptr_t data = (uintptr_t)l1, code = (uintptr_t)conform_tlbi;

	/* the identity map has RAM (Normal memory) from 1 GiB to 4 GiB */
	if (data >> 32 || data < (1UL << 30) || code >> 32 || code < (1UL << 30)) {
		conf_result("cpu.tlbi", false, "image at 0x%lx, data at 0x%lx: outside the 1-4 GiB "
			    "this test maps as RAM", (unsigned long)code, (unsigned long)data);
		return;
	}
	page_a[0] = MARK_A;
	mmu_on();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fault stale, after;
		uint64_t before, old;
		bool ok;

		point_at(page_a);
		vmalle1(0);
		__asm__ volatile("dsb nsh; isb" ::: "memory");
		before = read_test_va();          /* cached now */
		point_at(NULL);
		isb();
		old = probe_test_va(&stale);      /* still cached: no fault */
		cases[i].op(cases[i].x);
		__asm__ volatile("dsb ish; isb" ::: "memory");
		(void)probe_test_va(&after);      /* gone: a translation fault */
		ok = after.taken && ESR_EC(after.esr) == EC_DABT_CUR &&
		     (after.esr & 0x3f) == DFSC_TRANSLATION_L3 && after.far == TEST_VA;
		conf_result(cases[i].name, before == MARK_A && !stale.taken &&
					   old == (MARK_A & 0xff) && ok,
			    "read 0x%lx; descriptor invalid: %s; after the TLBI: %s (ESR 0x%lx)",
			    before, stale.taken ? "faulted at once (not cached: untested)" :
			    "still read (cached)", ok ? "faults" : "no translation fault",
			    after.esr);
	}
	mmu_off();
}
