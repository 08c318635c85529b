// SPDX-License-Identifier: Apache-2.0
/* The canary page as the board offers it (board.h): where it is, and the
 * cache maintenance that makes the CPU see what a device wrote there. */
#include "arch.h"

#define CANARY_BELOW_END (1UL << 20) /* 1 MiB below the end of the first RAM bank */
#define CANARY_SIZE      4096UL

static bool overlaps(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
	return a < b + bsize && b < a + asize;
}

uint64_t board_canary_page(void)
{
	uint64_t page, image = (uint64_t)(uintptr_t)_head;

	if (!board.nr_ram || board.ram_size[0] < 2 * CANARY_BELOW_END)
		return 0;
	page = (board.ram_base[0] + board.ram_size[0] - CANARY_BELOW_END) & ~(CANARY_SIZE - 1);
	if (overlaps(page, CANARY_SIZE, image, (uint64_t)(uintptr_t)_end - image) ||
	    overlaps(page, CANARY_SIZE, board.dtb, board.dtb_size))
		return 0;
	return page;
}

static void dcache_op(uint64_t start, uint64_t size, bool clean)
{
	uint64_t line = 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xf), a;

	dsb(sy);
	for (a = start & ~(line - 1); a < start + size; a += line) {
		if (clean)
			__asm__ volatile("dc cvac, %0" : : "r"(a) : "memory");
		else
			__asm__ volatile("dc ivac, %0" : : "r"(a) : "memory");
	}
	dsb(sy);
}

void board_dcache_clean(uint64_t start, uint64_t size)
{
	dcache_op(start, size, true);
}

void board_dcache_inval(uint64_t start, uint64_t size)
{
	dcache_op(start, size, false);
}
