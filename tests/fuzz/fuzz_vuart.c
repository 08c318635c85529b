// SPDX-License-Identifier: Apache-2.0
/*
 * libFuzzer target: the virtual UART (hyp/console/vuart.c) and the console
 * input path feeding it. Operations: a trapped access of any size trap.c
 * decodes at any offset of the UART's page (and just outside it) from the
 * partition with the UART or the one without, a typed byte (Ctrl-T
 * switches focus, so the mux's input state machine is fuzzed too), a byte
 * pushed straight into the FIFO, a console poll, a restart. Checked: no
 * sanitizer report, no panic, accesses outside the page not claimed, FR's
 * flags agree with each other, and the read-only shadow page is mapped
 * exactly while the receiver is empty, holding what a trapped read of the
 * same bytes gives.
 */
#include <stdlib.h>
#include <string.h>

#include "console/console.h"
#include "console/internal.h"
#include "console/vuart.h"
#include "fuzz.h"
#include "vm/vgic.h"

#define BASE 0x09100000ULL
#define INTID 133
#define MAX_OPS 512

static struct fz_guest a, n;
static struct page_pool pool;
static void *pool_mem;

#define POOL_PAGES 4

/* The shadow's invariant, after every operation: mapped exactly while the
 * FIFO is empty, and reads of sz bytes at every offset of the registers
 * and past them give what the page held before them (a trapped read brings
 * the page up to date: it is copied first). */
static void check_shadow(unsigned sz)
{
	static u8 page[0x1000 + 8];
	paddr_t pa;
	bool mapped = pgtable_lookup(&a.p.s2, BASE, &pa, NULL, NULL);
	u64 off;
	unsigned i;

	if (mapped != (con_port(&a.p)->vuart.rx_count == 0))
		abort();
	if (!mapped)
		return;
	memcpy(page, (const void *)(uintptr_t)pa_addr(pa), 0x1000);
	for (off = 0; off < 0x60; off++) {
		u64 model = 0, mem = 0;

		vuart_mmio(&a.p, BASE + off, sz, false, &model);   /* empty: pops nothing */
		for (i = sz; i--;)
			mem = mem << 8 | page[off + i];
		if (mem != model)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fz_in in = { data, size };
	unsigned i;

	fake_arch_reset();
	fz_console_quiet();
	fz_guest_init(&a, "a", 1, 2, 0x1000);
	fz_guest_init(&n, "n", 2, 1, 0x1000);
	vgic_init(&a.p, 0x08000000, 0x080a0000);
	if (!pool_mem && !(pool_mem = aligned_alloc(PAGE_SIZE, POOL_PAGES * PAGE_SIZE)))
		abort();
	page_pool_init(&pool, pool_mem, POOL_PAGES * PAGE_SIZE);
	if (pgtable_init(&a.p.s2, PT_S2, 2, &pool) || vuart_setup(&a.p, BASE, INTID))
		abort();
	vuart_reset(&a.p);
	console_register(&a.p);
	console_register(&n.p);
	console_set_focus(&a.p);
	vgic_soft_set(&a.p, INTID, true, true);

	for (i = 0; i < MAX_OPS && fz_more(&in); i++) {
		u8 op = fz_u8(&in);
		unsigned sz = 1u << ((op >> 4) & 3);
		u64 val = fz_value(&in, 0, 0), off;
		bool claimed;

		switch (op & 0xf) {
		case 0 ... 7:
			off = fz_bytes(&in, 2) % 0x1100;   /* the page, and past it */
			claimed = vuart_mmio(op & 0x40 ? &n.p : &a.p, BASE + off, sz, op & 0x80, &val);
			if (claimed && (op & 0x40 || off >= 0x1000))
				abort();   /* not its UART, or not the UART's page */
			break;
		case 8:
			off = BASE - 8 + fz_u8(&in) % 16;
			if (vuart_mmio(&a.p, off, sz, op & 0x80, &val) && off < BASE)
				abort();
			break;
		case 9 ... 11:
			console_input_byte((u8)val);
			break;
		case 12:
			vuart_rx_push(&a.p, (u8)val);
			break;
		case 13:
			console_poll();
			break;
		case 14:
			vuart_reset(&a.p);
			break;
		default: {
			u64 fr = 0;

			vuart_mmio(&a.p, BASE + VUART_FR, 4, false, &fr);
			/* never both empty and full */
			if ((fr & VUART_FR_RXFE) && (fr & VUART_FR_RXFF))
				abort();
			break;
		}
		}
		check_shadow(sz);
	}
	return 0;
}
