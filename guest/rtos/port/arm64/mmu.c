// SPDX-License-Identifier: Apache-2.0
/*
 * The EL1 stage-1 MMU: an identity map (VA = PA, the partition's IPA),
 * 4 KiB granule, 48-bit VA, built from the device tree.
 *
 * Why turn it on: with the MMU off every data access is Device-nGnRnE:
 * uncached, no unaligned accesses, and exclusives/atomics are not
 * guaranteed to work. With it on, RAM is Normal write-back cacheable (the
 * caches matter a lot for latency on real hardware), and the map also
 * protects the RTOS from its tasks' stray pointers:
 *   - the image: text read-only + executable, read-only data read-only,
 *     data/BSS read-write + execute-never (W^X, SCTLR_EL1.WXN on too);
 *   - the rest of RAM: read-write, execute-never;
 *   - the GIC, the UART, the demo's RTC and GPIO: Device-nGnRE, execute-never;
 *   - nothing else: address 0 and every hole fault (a task doing that is
 *     reported and killed, see port.c).
 * 2 MiB / 1 GiB blocks where a range allows them, pages elsewhere.
 */
#include <string.h>

#include "arch.h"

#define PT_ENTRIES 512
#define PT_POOL    24

#define PTE_VALID    (1UL << 0)
#define PTE_TABLE    (1UL << 1)  /* levels 0-2; at level 3 it marks a page */
#define PTE_ATTR(i)  ((uint64_t)(i) << 2)
#define PTE_AP_RO    (1UL << 7)
#define PTE_SH_IS    (3UL << 8)
#define PTE_AF       (1UL << 10)
#define PTE_PXN      (1UL << 53)
#define PTE_UXN      (1UL << 54)
#define PTE_ADDR     0x0000fffffffff000UL
#define PTE_ATTR_BITS (~PTE_ADDR & ~3UL)

#define MAIR_DEVICE 0 /* attribute index: Device-nGnRE */
#define MAIR_NORMAL 1 /*                  Normal, write-back RW-allocate */
#define MAIR_VALUE  ((0x04UL << (8 * MAIR_DEVICE)) | (0xffUL << (8 * MAIR_NORMAL)))

#define MEM_RW     (PTE_ATTR(MAIR_NORMAL) | PTE_SH_IS | PTE_AF | PTE_PXN | PTE_UXN)
#define MEM_RX     (PTE_ATTR(MAIR_NORMAL) | PTE_SH_IS | PTE_AF | PTE_AP_RO | PTE_UXN)
#define MEM_RO     (PTE_ATTR(MAIR_NORMAL) | PTE_SH_IS | PTE_AF | PTE_AP_RO | PTE_PXN | PTE_UXN)
#define MEM_DEVICE (PTE_ATTR(MAIR_DEVICE) | PTE_AF | PTE_PXN | PTE_UXN)

#define TCR_T0SZ(bits) (64UL - (bits))
#define TCR_IRGN0_WBWA (1UL << 8)
#define TCR_ORGN0_WBWA (1UL << 10)
#define TCR_SH0_IS     (3UL << 12)
#define TCR_EPD1       (1UL << 23)
#define TCR_IPS_SHIFT  32

#define SCTLR_M   (1UL << 0)
#define SCTLR_A   (1UL << 1)
#define SCTLR_C   (1UL << 2)
#define SCTLR_SA  (1UL << 3)
#define SCTLR_I   (1UL << 12)
#define SCTLR_WXN (1UL << 19)

static uint64_t tables[PT_POOL][PT_ENTRIES] __attribute__((aligned(4096)));
static unsigned tables_used;

static uint64_t *new_table(void)
{
	return tables_used < PT_POOL ? tables[tables_used++] : NULL;
}

/* Map [va, end) at `level` of `table` (4 levels: shift 39, 30, 21, 12). */
static bool map_level(uint64_t *table, unsigned level, uint64_t va, uint64_t end, uint64_t attr)
{
	unsigned shift = 39 - 9 * level;
	uint64_t span = 1UL << shift;

	while (va < end) {
		uint64_t next = (va & ~(span - 1)) + span, stop = next < end ? next : end;
		uint64_t *e = &table[(va >> shift) % PT_ENTRIES];

		if (level == 3) {
			*e = va | attr | PTE_VALID | PTE_TABLE;
		} else if (level >= 1 && !(va & (span - 1)) && next <= end) {
			*e = va | attr | PTE_VALID; /* a whole block */
		} else {
			uint64_t *sub;

			if ((*e & 3) == (PTE_VALID | PTE_TABLE)) {
				sub = (uint64_t *)(uintptr_t)(*e & PTE_ADDR);
			} else {
				if (!(sub = new_table()))
					return false;
				memset(sub, 0, 4096);
				if (*e & PTE_VALID) {
					/* split the block into the next level's */
					uint64_t base = *e & PTE_ADDR & ~(span - 1), sub_span = span >> 9;
					unsigned i;

					for (i = 0; i < PT_ENTRIES; i++)
						sub[i] = (base + i * sub_span) | (*e & PTE_ATTR_BITS) |
							 PTE_VALID | (level + 1 == 3 ? PTE_TABLE : 0);
				}
				*e = (uint64_t)(uintptr_t)sub | PTE_VALID | PTE_TABLE;
			}
			if (!map_level(sub, level + 1, va, stop, attr))
				return false;
		}
		va = stop;
	}
	return true;
}

static bool map(uint64_t *root, uint64_t base, uint64_t size, uint64_t attr)
{
	uint64_t start = base & ~0xfffUL, end = (base + size + 0xfff) & ~0xfffUL;

	if (end <= start || end > (1UL << 48))
		return false;
	return map_level(root, 0, start, end, attr);
}

static bool in_ram(uint64_t a, uint64_t size)
{
	unsigned i;

	for (i = 0; i < board.nr_ram; i++)
		if (a >= board.ram_base[i] && a + size <= board.ram_base[i] + board.ram_size[i])
			return true;
	return false;
}

/* Every cache line of [start, end) invalidated to the point of coherency:
 * what was written with the MMU off went around the caches, and a stale
 * clean line from before (the loader's copy) must not shadow it. */
static void dcache_inval(uint64_t start, uint64_t end)
{
	uint64_t line = 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xf), a;

	dsb(sy);
	for (a = start & ~(line - 1); a < end; a += line)
		__asm__ volatile("dc ivac, %0" : : "r"(a) : "memory");
	dsb(sy);
}

const char *mmu_init(void)
{
	uint64_t *root = new_table(), image = (uint64_t)(uintptr_t)_head;
	uint64_t parange = read_sysreg(id_aa64mmfr0_el1) & 0xf, sctlr;
	unsigned i;
	bool ok = true;

	memset(root, 0, 4096);
	for (i = 0; i < board.nr_ram; i++)
		ok &= map(root, board.ram_base[i], board.ram_size[i], MEM_RW);
	ok &= map(root, image, (uint64_t)(uintptr_t)__text_end - image, MEM_RX);
	ok &= map(root, (uint64_t)(uintptr_t)__text_end,
		  (uint64_t)(uintptr_t)(__rodata_end - __text_end), MEM_RO);
	if (!in_ram(board.dtb, board.dtb_size))
		ok &= map(root, board.dtb, board.dtb_size, MEM_RO);
	ok &= map(root, board.gicd, board.gicd_size, MEM_DEVICE);
	for (i = 0; i < board.nr_gicr; i++)
		ok &= map(root, board.gicr[i], board.gicr_size[i], MEM_DEVICE);
	if (board.uart)
		ok &= map(root, board.uart, board.uart_size ? board.uart_size : 0x1000, MEM_DEVICE);
	/* the demo's devices: mapped here even if they move away at run time
	 * (an access then is Umbra's stage-2 abort, reported like any fault) */
	for (i = 0; i < board.nr_chan; i++)
		ok &= map(root, board.chan[i].base, board.chan[i].size,
			  board.chan[i].read_only ? MEM_RO : MEM_RW);
	if (board.rtc)
		ok &= map(root, board.rtc, board.rtc_size ? board.rtc_size : 0x1000, MEM_DEVICE);
	if (board.gpio)
		ok &= map(root, board.gpio, 0x1000, MEM_DEVICE);
	if (!ok)
		return "cannot build the page tables (address too high, or out of tables)";

	dcache_inval(image, (uint64_t)(uintptr_t)_end);
	__asm__ volatile("tlbi vmalle1\n\tdsb nsh\n\tic iallu\n\tdsb nsh\n\tisb" ::: "memory");
	write_sysreg(mair_el1, MAIR_VALUE);
	write_sysreg(tcr_el1, TCR_T0SZ(48) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_IS |
			      TCR_EPD1 | ((parange > 5 ? 5 : parange) << TCR_IPS_SHIFT));
	write_sysreg(ttbr0_el1, (uint64_t)(uintptr_t)root);
	isb();
	sctlr = read_sysreg(sctlr_el1);
	sctlr |= SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_SA | SCTLR_WXN;
	sctlr &= ~SCTLR_A;
	write_sysreg(sctlr_el1, sctlr);
	isb();
	return NULL;
}
