// SPDX-License-Identifier: Apache-2.0
/*
 * The DMA canary: a page of the rtos's RAM that nothing else uses (the
 * board says where: 0x73f00000 in the run config), filled with a pattern at
 * boot and checked every 500 ms by a low-priority task. A device that
 * another partition programs to write here (guest/linux/cli/umbra-dma, the
 * hostile-dma system test) must be stopped by the SMMU; if it is not, the
 * next check sees it. Lines (stable, parsed by the system tests):
 *
 *   rtos: canary: 4 KiB at 0xADDR, checked every 500 ms    at start
 *   rtos: canary intact (N checks)                          every 5 s
 *   rtos: canary CHANGED at +0xOFF: 0xGOT, want 0xWANT (K of 512 words); restored
 *
 * Word i holds 0xc0ffee00 in its upper half and the low 32 bits of its own
 * address in the lower: nothing a device writes (random bytes, disk
 * sectors) looks like it by chance. The page is cleaned to memory after the
 * fill and invalidated before each check, so a device's write is seen even
 * where DMA is not coherent with the caches.
 */
#include "canary.h"

#include "board.h"
#include "rtos.h"

#define CANARY_WORDS  (4096 / 8)
#define CHECK_MS      500
#define REPORT_CHECKS 10 /* one "intact" line every 5 s */

static struct rtos_task canary_task;
static uint64_t canary_stack[4096 / 8] __attribute__((aligned(16)));
static uint64_t canary_base;

static uint64_t pattern(unsigned i)
{
	return 0xc0ffee0000000000ULL | (uint32_t)(canary_base + (uint64_t)i * 8);
}

static void fill(volatile uint64_t *w)
{
	unsigned i;

	for (i = 0; i < CANARY_WORDS; i++)
		w[i] = pattern(i);
	board_dcache_clean(canary_base, CANARY_WORDS * 8);
}

static void canary_main(void *arg)
{
	volatile uint64_t *w = (volatile uint64_t *)(uintptr_t)canary_base;
	unsigned long checks = 0;

	(void)arg;
	for (;;) {
		unsigned i, bad = 0, first = 0;

		rtos_sleep(rtos_ms(CHECK_MS));
		board_dcache_inval(canary_base, CANARY_WORDS * 8);
		for (i = 0; i < CANARY_WORDS; i++)
			if (w[i] != pattern(i) && !bad++)
				first = i;
		checks++;
		if (bad) {
			rtos_printf("rtos: canary CHANGED at +0x%x: 0x%016lx, want 0x%016lx (%u of %u words); restored\n",
				    first * 8, (unsigned long)w[first], (unsigned long)pattern(first), bad,
				    CANARY_WORDS);
			fill(w);
		} else if (checks % REPORT_CHECKS == 0) {
			rtos_printf("rtos: canary intact (%lu checks)\n", checks);
		}
	}
}

void canary_start(unsigned prio)
{
	canary_base = board_canary_page();
	if (!canary_base) {
		rtos_printf("rtos: canary: no free page for it\n");
		return;
	}
	fill((volatile uint64_t *)(uintptr_t)canary_base);
	rtos_printf("rtos: canary: 4 KiB at 0x%lx, checked every %u ms\n", (unsigned long)canary_base,
		    CHECK_MS);
	rtos_task_create(&canary_task, "canary", canary_main, NULL, prio, canary_stack,
			 sizeof(canary_stack));
}
