// SPDX-License-Identifier: Apache-2.0
/*
 * The virtual UART's register model (hyp/console/vuart.c): reset values,
 * transmit into the console mux, the receive FIFO and its flags, the
 * interrupt (raised on a rising RIS & IMSC and on new data), restart, the
 * read-only shadow page mapped while the receiver is empty (what a read of
 * it gives must be what a trapped read gives), and hostile accesses
 * (unknown offsets, bad widths, misalignment) that change nothing and
 * never crash.
 */
#include "unit.h"

#define BASE 0x09100000ULL
#define INTID 133
#define R(off) (BASE + (off))

static struct test_guest a, nouart;

static void setup(void)
{
	fake_arch_reset();
	capture_start();
	guest_init(&a, "a", 1, 2, 1, PAGE_SIZE);
	guest_init(&nouart, "n", 2, 1, 1, PAGE_SIZE);
	guest_stage2(&a, 4);
	ck_assert_int_eq(vuart_setup(&a.p, BASE, INTID), 0);
	vuart_reset(&a.p);
	console_register(&a.p);
	/* the guest enabled the SPI in its distributor */
	vgic_soft_set(&a.p, INTID, true, true);
}

static void teardown(void)
{
	unit_free_all();
}

static u64 rd(u64 ipa, unsigned size)
{
	u64 v = 0xdeadbeef;

	ck_assert(vuart_mmio(&a.p, ipa, size, false, &v));
	return v;
}

static void wr(u64 ipa, unsigned size, u64 val)
{
	ck_assert(vuart_mmio(&a.p, ipa, size, true, &val));
}

/* Was the interrupt raised since the last look? (then forget it) */
static bool raised(void)
{
	u64 *w = &a.p.vcpu[0].vgic.pending[INTID / 64];
	bool r = (*w >> (INTID % 64)) & 1;

	*w &= ~(1ULL << (INTID % 64));
	return r;
}

/* The page the guest reads at BASE (NULL: unmapped, reads trap). */
static const u8 *shadow(void)
{
	paddr_t pa;
	unsigned attrs, level;

	if (!pgtable_lookup(&a.p.s2, BASE, &pa, &attrs, &level))
		return NULL;
	ck_assert_uint_eq(attrs, PT_R | PT_DEVICE);   /* read-only, Device, XN */
	ck_assert_uint_eq(level, PT_LEAF_LEVEL);
	ck_assert(!pgtable_lookup(&a.p.s2, BASE + PAGE_SIZE, NULL, NULL, NULL));
	return phys_ptr(pa_addr(pa) & ~(PAGE_SIZE - 1));
}

/* Was [p, p+len) cleaned to memory since the last fake_arch_reset()? */
static bool cleaned(const void *p, u64 len)
{
	unsigned i;

	for (i = 0; i < MIN(fake_arch.dcache_cleans, FAKE_CLEAN_LOG); i++)
		if ((const u8 *)fake_arch.clean[i].p <= (const u8 *)p &&
		    (const u8 *)p + len <= (const u8 *)fake_arch.clean[i].p + fake_arch.clean[i].len)
			return true;
	return false;
}

/* Every read of every width and alignment gives from the page what the
 * trapped model gives. The page is copied first: a trapped read brings it
 * up to date, so comparing with the live page would prove nothing. (It
 * must be mapped, so the FIFO is empty and no model read pops.) */
static void shadow_agrees(void)
{
	static const unsigned sizes[] = { 1, 2, 4, 8 };
	static u8 page[PAGE_SIZE + 8];
	const u8 *live = shadow();
	unsigned i, k;
	u64 off;

	ck_assert_ptr_nonnull(live);
	memcpy(page, live, PAGE_SIZE);
	for (off = 0; off < 0x60; off++)
		for (k = 0; k < 4; k++) {
			u64 mem = 0;

			for (i = sizes[k]; i--;)
				mem = mem << 8 | page[off + i];
			ck_assert_msg(mem == rd(R(off), sizes[k]), "offset 0x%lx, %u bytes",
				      (unsigned long)off, sizes[k]);
		}
	for (off = 0x60; off < PAGE_SIZE; off++)
		ck_assert_uint_eq(page[off], 0);
}

START_TEST(test_reset_values)
{
	ck_assert(vgic_is_soft(&a.p, INTID));
	ck_assert_uint_eq(rd(R(VUART_FR), 4), VUART_FR_TXFE | VUART_FR_RXFE);
	ck_assert_uint_eq(rd(R(VUART_IMSC), 4), 0);
	ck_assert_uint_eq(rd(R(VUART_RIS), 4), VUART_INT_TX);  /* TX FIFO empty */
	ck_assert_uint_eq(rd(R(VUART_MIS), 4), 0);
	ck_assert_uint_eq(rd(R(VUART_RSR), 4), 0);
	ck_assert_uint_eq(rd(R(VUART_DR), 4), 0);              /* empty: nothing popped */
	/* registers the SBSA UART does not have, and the ID registers: RAZ */
	ck_assert_uint_eq(rd(R(0x24), 4), 0);                  /* IBRD */
	ck_assert_uint_eq(rd(R(0x30), 4), 0);                  /* CR */
	ck_assert_uint_eq(rd(R(0xfe0), 4), 0);
	ck_assert_uint_eq(rd(R(0xffc), 4), 0);
	ck_assert(!raised());
}
END_TEST

START_TEST(test_not_ours)
{
	u64 v = 0;

	ck_assert(!vuart_mmio(&a.p, BASE - 4, 4, false, &v));
	ck_assert(!vuart_mmio(&a.p, BASE + VUART_SIZE, 4, false, &v));
	ck_assert(!vuart_mmio(&nouart.p, BASE, 4, false, &v));
	ck_assert(!vuart_mmio(&nouart.p, 0, 4, true, &v));
	ck_assert(!vuart_rx_push(&nouart.p, 'x'));
}
END_TEST

START_TEST(test_tx)
{
	const char *s = "hi\tthere\n";

	for (; *s; s++)
		wr(R(VUART_DR), 4, (u64)(u8)*s | 0xffffff00); /* upper bits ignored */
	ck_assert_str_eq(captured(), "[a] hi there\r\n");
	capture_clear();
	wr(R(VUART_DR), 1, 'o');                     /* 8-bit, as earlycon does */
	wr(R(VUART_DR), 2, 'k');
	wr(R(VUART_DR + 1), 1, 'X');                 /* not DR's data byte: ignored */
	wr(R(VUART_DR), 4, '\n');
	ck_assert_str_eq(captured(), "[a] ok\r\n");
	/* the transmitter never fills, never busy */
	ck_assert_uint_eq(rd(R(VUART_FR), 4) & (VUART_FR_TXFF | BIT(3)), 0);
}
END_TEST

/* A paste: far more than the FIFO holds arrives at once; every byte
 * reaches the guest in order as it reads. Only a full backlog drops, and
 * the loss is reported once it ends. */
START_TEST(test_rx_backlog)
{
	unsigned i, total = VUART_RX_FIFO + VUART_BACKLOG;

	for (i = 0; i < total; i++)
		ck_assert(vuart_rx_push(&a.p, (u8)(' ' + i % 95)));
	ck_assert(!vuart_rx_push(&a.p, '#'));
	ck_assert(!vuart_rx_push(&a.p, '#'));
	ck_assert_uint_eq(con_port(&a.p)->vuart.rx_dropped, 2);
	capture_clear();
	ck_assert_uint_eq(rd(R(VUART_DR), 4), ' ');
	ck_assert(vuart_rx_push(&a.p, '$'));          /* room again: the loss is said */
	ck_assert_str_eq(captured(),
			 "umbra: warning: console: 2 bytes typed for 'a' dropped: it did not read its input\r\n");
	for (i = 1; i < total; i++)
		expect_true(rd(R(VUART_DR), 4) == (u32)(' ' + i % 95), "byte %u out of order", i);
	ck_assert_uint_eq(rd(R(VUART_DR), 4), '$');
	ck_assert_uint_eq(rd(R(VUART_FR), 4) & VUART_FR_RXFE, VUART_FR_RXFE);
	/* a reset empties both */
	ck_assert(vuart_rx_push(&a.p, 'x'));
	vuart_reset(&a.p);
	ck_assert_uint_eq(rd(R(VUART_FR), 4) & VUART_FR_RXFE, VUART_FR_RXFE);
}
END_TEST

START_TEST(test_rx_fifo)
{
	unsigned i;

	for (i = 0; i < VUART_RX_FIFO; i++) {
		ck_assert(vuart_rx_push(&a.p, (u8)('a' + i % 26)));
		ck_assert_uint_eq(rd(R(VUART_FR), 4) & VUART_FR_RXFE, 0);
		/* RTRIS with any data, RXRIS from the trigger level */
		ck_assert_uint_eq(rd(R(VUART_RIS), 4),
				  VUART_INT_TX | VUART_INT_RT |
				  (i + 1 >= VUART_RX_TRIGGER ? VUART_INT_RX : 0));
	}
	ck_assert_uint_eq(rd(R(VUART_FR), 4), VUART_FR_TXFE | VUART_FR_RXFF);
	ck_assert(vuart_rx_push(&a.p, '!'));         /* full: it waits behind */
	ck_assert_uint_eq(con_port(&a.p)->vuart.rx_dropped, 0);
	/* a byte read of FR sees the flags; a read of DR's upper bytes pops nothing */
	ck_assert_uint_eq(rd(R(VUART_FR), 1), VUART_FR_TXFE | VUART_FR_RXFF);
	ck_assert_uint_eq(rd(R(VUART_DR + 1), 1), 0);
	for (i = 0; i < VUART_RX_FIFO; i++)
		ck_assert_uint_eq(rd(R(VUART_DR), 4), 'a' + i % 26);
	ck_assert_uint_eq(rd(R(VUART_DR), 4), '!');      /* moved in as the FIFO drained */
	ck_assert_uint_eq(rd(R(VUART_FR), 4), VUART_FR_TXFE | VUART_FR_RXFE);
	ck_assert_uint_eq(rd(R(VUART_RIS), 4), VUART_INT_TX);
	ck_assert_uint_eq(rd(R(VUART_DR), 4), 0);
	/* the FIFO wraps */
	ck_assert(vuart_rx_push(&a.p, 'y'));
	ck_assert(vuart_rx_push(&a.p, 'z'));
	ck_assert_uint_eq(rd(R(VUART_DR), 1), 'y');
	ck_assert_uint_eq(rd(R(VUART_DR), 2), 'z');
}
END_TEST

/* Linux's pl011 driver: IMSC = RTIM | RXIM, then everything from the
 * interrupt handler until RIS & IMSC reads as zero. */
START_TEST(test_rx_interrupt)
{
	ck_assert(vuart_rx_push(&a.p, '1'));
	ck_assert(!raised());                        /* masked */
	wr(R(VUART_IMSC), 4, VUART_INT_RX | VUART_INT_RT);
	ck_assert(raised());                         /* unmasking data raises it */
	ck_assert_uint_eq(rd(R(VUART_MIS), 4), VUART_INT_RT);
	ck_assert_uint_eq(rd(R(VUART_DR), 4), '1');
	ck_assert_uint_eq(rd(R(VUART_MIS), 4), 0);
	ck_assert(!raised());
	ck_assert(vuart_rx_push(&a.p, '2'));         /* rising: raised */
	ck_assert(raised());
	ck_assert(vuart_rx_push(&a.p, '3'));         /* still high, new data: again */
	ck_assert(raised());
	wr(R(VUART_ICR), 4, VUART_INT_ALL);          /* no latched state: level stays */
	ck_assert_uint_eq(rd(R(VUART_MIS), 4), VUART_INT_RT);
	ck_assert(!raised());
	rd(R(VUART_DR), 4);
	rd(R(VUART_DR), 4);
	ck_assert_uint_eq(rd(R(VUART_MIS), 4), 0);
	/* masking, then a byte: no interrupt */
	wr(R(VUART_IMSC), 4, 0);
	ck_assert(vuart_rx_push(&a.p, '4'));
	ck_assert(!raised());
}
END_TEST

/* TXRIS is always set: enabling TXIM raises the interrupt once. */
START_TEST(test_tx_interrupt)
{
	wr(R(VUART_IMSC), 4, VUART_INT_TX);
	ck_assert(raised());
	ck_assert_uint_eq(rd(R(VUART_MIS), 4), VUART_INT_TX);
	wr(R(VUART_DR), 4, 'x');
	wr(R(VUART_IMSC), 4, VUART_INT_TX);          /* no new edge */
	ck_assert(!raised());
	wr(R(VUART_IMSC), 4, 0);
	wr(R(VUART_IMSC), 4, VUART_INT_TX);          /* a new edge */
	ck_assert(raised());
	/* IMSC keeps only its 11 bits; partial writes merge */
	wr(R(VUART_IMSC), 4, 0xffffffff);
	ck_assert_uint_eq(rd(R(VUART_IMSC), 4), VUART_INT_ALL);
	wr(R(VUART_IMSC + 1), 1, 0);
	ck_assert_uint_eq(rd(R(VUART_IMSC), 4), 0xff);
	ck_assert_uint_eq(rd(R(VUART_IMSC + 1), 1), 0);
}
END_TEST

START_TEST(test_hostile_accesses)
{
	u64 v = 0x1234;

	ck_assert(vuart_rx_push(&a.p, 'q'));
	/* 64-bit and misaligned reads give the registers' bytes (as the
	 * shadow page would), pop nothing; such writes are ignored */
	ck_assert_uint_eq(rd(R(VUART_DR), 8), 0);
	ck_assert_uint_eq(rd(R(VUART_FR), 8), VUART_FR_TXFE);
	ck_assert_uint_eq(rd(R(VUART_FR + 2), 4), 0);
	ck_assert_uint_eq(rd(R(VUART_FR + 1), 2), 0);
	ck_assert_uint_eq(rd(R(VUART_RIS - 1), 2), (VUART_INT_TX | VUART_INT_RT) << 8);
	wr(R(VUART_IMSC), 8, VUART_INT_ALL);
	wr(R(VUART_IMSC + 2), 4, VUART_INT_ALL);
	ck_assert_uint_eq(rd(R(VUART_IMSC), 4), 0);
	wr(R(VUART_DR), 8, 'Z');
	wr(R(0x800), 4, 0xffffffff);                 /* unknown: ignored */
	ck_assert_uint_eq(rd(R(0x800), 4), 0);
	ck_assert_uint_eq(rd(R(VUART_FR), 4), VUART_FR_TXFE);
	ck_assert_uint_eq(rd(R(VUART_DR), 4), 'q');
	console_guest_flush(&a.p);
	ck_assert_str_eq(captured(), "");
	ck_assert(vuart_mmio(&a.p, R(VUART_SIZE - 1), 1, true, &v));
}
END_TEST

/* Mapped from setup on, unmapped (its TLB entries gone) before a byte
 * can be read, mapped again when the FIFO is empty, with what reads give. */
START_TEST(test_shadow_follows_rx)
{
	unsigned i, tlb = fake_arch.tlb_invals;

	/* all of the page went to memory at setup (it was zeroed through
	 * the cache; the guest reads it as Device memory) */
	ck_assert(cleaned(shadow(), PAGE_SIZE));
	shadow_agrees();
	wr(R(VUART_IMSC), 4, VUART_INT_RT | VUART_INT_TX);
	ck_assert_uint_eq(*(const u32 *)(shadow() + VUART_MIS), VUART_INT_TX);
	shadow_agrees();                             /* IMSC and MIS follow */
	fake_arch.dcache_cleans = 0;
	wr(R(VUART_IMSC), 2, VUART_INT_TX);
	ck_assert(cleaned(shadow(), VUART_REGS_END));
	ck_assert_uint_eq(*(const u32 *)(shadow() + VUART_IMSC), VUART_INT_TX);
	ck_assert_uint_eq(fake_arch.tlb_invals, tlb); /* mapping it needs none */
	raised();

	ck_assert(vuart_rx_push(&a.p, 'x'));
	ck_assert_ptr_null(shadow());
	ck_assert_uint_eq(fake_arch.tlb_invals, tlb + 1);
	ck_assert(fake_arch.tlb[tlb].pt == &a.p.s2 && fake_arch.tlb[tlb].va == BASE);
	ck_assert(raised());
	ck_assert_uint_eq(rd(R(VUART_FR), 4), VUART_FR_TXFE);
	ck_assert_uint_eq(rd(R(VUART_FR), 8), VUART_FR_TXFE);  /* nothing popped */
	ck_assert_ptr_null(shadow());
	ck_assert_uint_eq(rd(R(VUART_DR), 4), 'x');
	shadow_agrees();

	/* a paste: unmapped until the last byte of the backlog is read */
	for (i = 0; i < 3 * VUART_RX_FIFO; i++)
		ck_assert(vuart_rx_push(&a.p, (u8)('a' + i % 26)));
	for (i = 0; i < 3 * VUART_RX_FIFO; i++) {
		ck_assert_ptr_null(shadow());
		ck_assert_uint_eq(rd(R(VUART_DR), 1), 'a' + i % 26);
	}
	shadow_agrees();
	ck_assert_uint_eq(fake_arch.tlb_invals, tlb + 2);

	/* a restart maps it again if bytes were waiting, and shows IMSC
	 * cleared either way */
	ck_assert(vuart_rx_push(&a.p, 'y'));
	ck_assert_ptr_null(shadow());
	vuart_reset(&a.p);
	ck_assert_uint_eq(*(const u32 *)(shadow() + VUART_IMSC), 0);
	shadow_agrees();
	wr(R(VUART_IMSC), 4, VUART_INT_TX);
	vuart_reset(&a.p);
	ck_assert_uint_eq(*(const u32 *)(shadow() + VUART_IMSC), 0);
	ck_assert_uint_eq(*(const u32 *)(shadow() + VUART_MIS), 0);
}
END_TEST

/* No page left for the shadow: the partition cannot be built. */
START_TEST(test_shadow_no_memory)
{
	static struct test_guest g;

	guest_init(&g, "g", 3, 1, 1, PAGE_SIZE);
	guest_stage2(&g, 1);                         /* the root table only */
	ck_assert_int_eq(vuart_setup(&g.p, BASE, INTID), -E_NOMEM);
	guest_stage2(&g, 2);                         /* the page, no tables */
	ck_assert_int_eq(vuart_setup(&g.p, BASE, INTID), -E_NOMEM);
	/* and one without a vUART takes nothing */
	guest_stage2(&nouart, 1);
	ck_assert_int_eq(vuart_setup(&nouart.p, 0, 0), 0);
	ck_assert_uint_eq(nouart.pool.used, 1);
}
END_TEST

/* A restart empties the FIFO and masks everything; the configuration and
 * the software SPI stay. */
START_TEST(test_reset_on_restart)
{
	wr(R(VUART_IMSC), 4, VUART_INT_RT);
	ck_assert(vuart_rx_push(&a.p, 'x'));
	vuart_reset(&a.p);
	ck_assert_uint_eq(rd(R(VUART_FR), 4), VUART_FR_TXFE | VUART_FR_RXFE);
	ck_assert_uint_eq(rd(R(VUART_IMSC), 4), 0);
	ck_assert_uint_eq(con_port(&a.p)->vuart.base, BASE);
	vgic_init(&a.p, 0x08000000, 0x080a0000);
	ck_assert(vgic_is_soft(&a.p, INTID));
}
END_TEST

Suite *vuart_suite(void)
{
	Suite *s = suite_create("vuart");
	TCase *tc = tcase_create("vuart");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_reset_values);
	tcase_add_test(tc, test_not_ours);
	tcase_add_test(tc, test_tx);
	tcase_add_test(tc, test_rx_fifo);
	tcase_add_test(tc, test_rx_backlog);
	tcase_add_test(tc, test_rx_interrupt);
	tcase_add_test(tc, test_tx_interrupt);
	tcase_add_test(tc, test_hostile_accesses);
	tcase_add_test(tc, test_reset_on_restart);
	tcase_add_test(tc, test_shadow_follows_rx);
	tcase_add_test(tc, test_shadow_no_memory);
	suite_add_tcase(s, tc);
	return s;
}
