// SPDX-License-Identifier: Apache-2.0
/*
 * The vGIC (hyp/vm/vgic.c, vgic_mmio.c) on the fake GIC: a partition
 * sees and changes only its own SPIs, SGIs reach only its own vCPUs, and
 * physical interrupts go to their owner or nowhere.
 */
#include "unit.h"

#define GICD 0x08000000ULL
#define GICR 0x080a0000ULL
#define ISENABLER1 (GICD + 0x104)   /* INTIDs 32-63 */
#define ICENABLER1 (GICD + 0x184)
#define ISPENDR1 (GICD + 0x204)
#define IROUTER(n) (GICD + 0x6000 + 8 * (n))
#define SPI_A 34                    /* a's */
#define SPI_B 39                    /* b's */

static struct test_guest a, b;

static void setup(void)
{
	unsigned i;

	fake_arch_reset();
	capture_start();
	guest_init(&a, "a", 1, 2, 1, PAGE_SIZE);
	guest_init(&b, "b", 2, 1, 1, PAGE_SIZE);
	vgic_init(&a.p, GICD, GICR);
	vgic_init(&b.p, GICD, GICR);
	vgic_own_spi(&a.p, SPI_A);
	vgic_own_spi(&b.p, SPI_B);
	for (i = 0; i < a.p.nr_vcpus; i++)
		vgic_cpu_reset(&a.p.vcpu[i]);
	vgic_cpu_reset(&b.p.vcpu[0]);
}

static void teardown(void)
{
	unit_free_all();
}

static u64 rd(struct vcpu *v, u64 ipa, unsigned size)
{
	u64 val = 0x5a5a5a5a5a5a5a5aULL;

	ck_assert_msg(vgic_mmio(v, ipa, size, false, &val), "0x%llx not vGIC",
		      (unsigned long long)ipa);
	return val;
}

static void wr(struct vcpu *v, u64 ipa, unsigned size, u64 val)
{
	ck_assert_msg(vgic_mmio(v, ipa, size, true, &val), "0x%llx not vGIC",
		      (unsigned long long)ipa);
}

START_TEST(test_ownership)
{
	ck_assert(vgic_owns(&a.p, SPI_A));
	ck_assert(!vgic_owns(&a.p, SPI_B));
	ck_assert(vgic_owns(&b.p, SPI_B));
	ck_assert(!vgic_owns(&a.p, 27));          /* PPIs are nobody's SPIs */
	ck_assert(!vgic_owns(&a.p, GIC_MAX_INTID));
	/* a partition set up again keeps its SPIs (restart) */
	vgic_init(&a.p, GICD, GICR);
	ck_assert(vgic_owns(&a.p, SPI_A));
	ck_assert(!vgic_owns(&a.p, SPI_B));
}
END_TEST

START_TEST(test_dist_enable_pending)
{
	struct vcpu *v = &a.p.vcpu[0];

	fake_gic.enabled[SPI_B] = true;           /* b enabled its own */
	wr(v, ISENABLER1, 4, 0xffffffff);
	ck_assert(fake_gic.enabled[SPI_A]);
	ck_assert(!fake_gic.enabled[SPI_A - 1] && !fake_gic.enabled[SPI_A + 1]);
	ck_assert_uint_eq(rd(v, ISENABLER1, 4), 1u << (SPI_A - 32));
	wr(v, ICENABLER1, 4, 0xffffffff);
	ck_assert(!fake_gic.enabled[SPI_A]);
	ck_assert(fake_gic.enabled[SPI_B]);       /* untouched */
	ck_assert_uint_eq(rd(&b.p.vcpu[0], ISENABLER1, 4), 1u << (SPI_B - 32));
	wr(v, ISPENDR1, 4, 0xffffffff);
	ck_assert(fake_gic.pending[SPI_A] && !fake_gic.pending[SPI_B]);
	/* SGIs and PPIs are not in the distributor's hands */
	wr(v, GICD + 0x100, 4, 0xffffffff);
	ck_assert(!fake_gic.enabled[27] && !fake_gic.enabled[0]);
	ck_assert_uint_eq(rd(v, GICD + 0x100, 4), 0);
}
END_TEST

START_TEST(test_dist_router)
{
	struct vcpu *v = &a.p.vcpu[0];
	const u64 a1 = a.cfg.cpu_mpidr[1];

	fake_gic.route[SPI_B] = 0x777;
	/* to its own vCPU 1 */
	wr(v, IROUTER(SPI_A), 8, a1);
	ck_assert_uint_eq(fake_gic.route[SPI_A], a1);
	ck_assert_uint_eq(rd(v, IROUTER(SPI_A), 8), a1);
	/* to another partition's CPU, or 1-of-N: its own first vCPU */
	wr(v, IROUTER(SPI_A), 8, b.cfg.cpu_mpidr[0]);
	ck_assert_uint_eq(fake_gic.route[SPI_A], a.cfg.cpu_mpidr[0]);
	wr(v, IROUTER(SPI_A), 8, BIT(31));
	ck_assert_uint_eq(fake_gic.route[SPI_A], a.cfg.cpu_mpidr[0]);
	/* in two halves */
	wr(v, IROUTER(SPI_A), 4, a1);
	wr(v, IROUTER(SPI_A) + 4, 4, 0);
	ck_assert_uint_eq(fake_gic.route[SPI_A], a1);
	/* b's SPI: read as zero, writes ignored */
	wr(v, IROUTER(SPI_B), 8, a1);
	ck_assert_uint_eq(fake_gic.route[SPI_B], 0x777);
	ck_assert_uint_eq(rd(v, IROUTER(SPI_B), 8), 0);
}
END_TEST

START_TEST(test_dist_registers)
{
	struct vcpu *v = &a.p.vcpu[0];

	wr(v, GICD + 0x400 + SPI_A, 1, 0x10);
	wr(v, GICD + 0x400 + SPI_B, 1, 0x10);
	ck_assert_uint_eq(rd(v, GICD + 0x400 + SPI_A, 1), 0x10);
	ck_assert_uint_eq(rd(v, GICD + 0x400 + SPI_B, 1), 0);
	ck_assert_uint_eq(b.p.vgic.prio[SPI_B], GIC_PRIO_DEFAULT);
	/* TYPER: 10 ID bits, ITLinesNumber from the GIC's SPIs */
	ck_assert_uint_eq(rd(v, GICD + 0x4, 4), (9u << 19) | ((224 + 32) / 32 - 1));
	ck_assert_uint_eq(rd(v, GICD + 0xffe8, 4), 0x3b);
	/* unsupported widths read as zero */
	ck_assert_uint_eq(rd(v, GICD + 0x104, 2), 0);
	/* not the vGIC: past the distributor, past a's two redistributors,
	 * misaligned */
	ck_assert(!vgic_mmio(v, GICD + VGIC_DIST_SIZE, 4, false, &(u64){ 0 }));
	ck_assert(!vgic_mmio(v, GICR + 2 * VGIC_FRAME, 4, false, &(u64){ 0 }));
	ck_assert(vgic_mmio(&b.p.vcpu[0], GICR, 4, false, &(u64){ 0 }));
	ck_assert(!vgic_mmio(&b.p.vcpu[0], GICR + VGIC_FRAME, 4, false, &(u64){ 0 }));
	ck_assert(!vgic_mmio(v, GICD + 0x102, 4, false, &(u64){ 0 }));
}
END_TEST

START_TEST(test_redistributors)
{
	struct vcpu *v = &a.p.vcpu[0];
	const u64 frame1 = GICR + VGIC_FRAME;
	u64 typer;

	/* frame n is vCPU n: its affinity, its index, Last on the last */
	typer = rd(v, frame1 + 0x8, 8);
	ck_assert_uint_eq(typer >> 32, a.cfg.cpu_mpidr[1]);
	ck_assert_uint_eq((typer >> 8) & 0xffff, 1);
	ck_assert_uint_eq(typer & BIT(4), BIT(4));
	ck_assert_uint_eq(rd(v, GICR + 0x8, 8) & BIT(4), 0);
	/* enabling a PPI there acts on vCPU 1 only */
	wr(v, frame1 + 0x10000 + 0x100, 4, 1u << 27);
	ck_assert_uint_eq(a.p.vcpu[1].vgic.enabled & (1u << 27), 1u << 27);
	ck_assert_uint_eq(a.p.vcpu[0].vgic.enabled & (1u << 27), 0);
	/* LPI tables: no pointer into memory can be set */
	wr(v, GICR + 0x70, 8, 0x50000000);
	ck_assert_uint_eq(rd(v, GICR + 0x70, 8), 0);
	wr(v, GICR + 0x78, 8, 0x50000000);
	ck_assert_uint_eq(rd(v, GICR + 0x78, 8), 0);
}
END_TEST

START_TEST(test_sgi_stays_inside)
{
	struct vcpu *v = &a.p.vcpu[0];
	const u64 b_aff1 = (b.cfg.cpu_mpidr[0] >> 8) & 0xff;

	/* to all others (IRM): a's vCPU 1, kicked on its CPU */
	vgic_sgi_write(v, BIT(40) | (3UL << 24));
	ck_assert_uint_eq(a.p.vcpu[1].vgic.pending[0], 1u << 3);
	ck_assert_uint_eq(a.p.vcpu[0].vgic.pending[0], 0);
	ck_assert_uint_eq(b.p.vcpu[0].vgic.pending[0], 0);
	ck_assert_uint_eq(fake_gic.sgis, 1);
	ck_assert_uint_eq(fake_gic.sgi_mpidr, a.cfg.cpu_mpidr[1]);
	/* aimed at b's CPU: nobody */
	vgic_sgi_write(v, (b_aff1 << 16) | (5UL << 24) | 1);
	ck_assert_uint_eq(b.p.vcpu[0].vgic.pending[0], 0);
	ck_assert_uint_eq(fake_gic.sgis, 1);
	/* to itself by target list: pending, no kick needed */
	vgic_sgi_write(v, (((a.cfg.cpu_mpidr[0] >> 8) & 0xff) << 16) | (7UL << 24) | 1);
	ck_assert_uint_eq(a.p.vcpu[0].vgic.pending[0], 1u << 7);
	ck_assert_uint_eq(fake_gic.sgis, 1);
}
END_TEST

START_TEST(test_physical_irqs)
{
	struct vcpu *v = &a.p.vcpu[0];
	const u32 acks[] = { SPI_A, SPI_B, GIC_KICK_SGI, GIC_SPURIOUS, SPI_A };

	memcpy(fake_gic.ack_queue, acks, sizeof(acks));
	fake_gic.nr_acks = ARRAY_SIZE(acks);
	vgic_handle_irqs(v);
	/* up to the spurious one: each priority-dropped */
	ck_assert_uint_eq(fake_gic.next_ack, 4);
	ck_assert_uint_eq(fake_gic.eois, 3);
	/* its own SPI: pending for the guest, linked to the physical one
	 * (the guest deactivates it) */
	ck_assert(a.p.vcpu[0].vgic.pending[0] & BIT(SPI_A));
	ck_assert(a.p.vcpu[0].vgic.hw[0] & BIT(SPI_A));
	/* b's SPI on a's CPU, and the kick: deactivated here, never given */
	ck_assert(!(a.p.vcpu[0].vgic.pending[0] & BIT(SPI_B)));
	ck_assert(!(b.p.vcpu[0].vgic.pending[0] & BIT(SPI_B)));
	ck_assert_uint_eq(fake_gic.deactivates, 2);
	ck_assert_uint_eq(fake_gic.last_deactivate, GIC_KICK_SGI);
	ck_assert_str_eq(captured(), "umbra: interrupt 39 has no owner on this CPU: dropped\r\n");
}
END_TEST

START_TEST(test_list_registers)
{
	struct vcpu *v = &a.p.vcpu[0];
	unsigned i;

	wr(v, GICD, 4, BIT(1));                   /* GICD_CTLR.EnableGrp1 */
	vgic_inject(v, SPI_A, true);
	vgic_inject(v, SPI_B, false);             /* not a's: never listed */
	vgic_flush(v);
	ck_assert_uint_eq(fake_gic.lr[0], LR_STATE_PENDING | LR_GROUP1 | LR_HW |
					  ((u64)GIC_PRIO_DEFAULT << LR_PRIO_SHIFT) |
					  ((u64)SPI_A << LR_PINTID_SHIFT) | SPI_A);
	ck_assert_uint_eq(fake_gic.lr[1], 0);
	ck_assert(!(v->vgic.pending[0] & BIT(SPI_A)));
	ck_assert(!fake_gic.underflow_irq);
	/* more than fit: the rest waits, and Umbra asks to come back */
	for (i = 0; i < 6; i++)
		vgic_inject(v, i, false);
	vgic_flush(v);
	for (i = 1; i < FAKE_NR_LRS; i++)
		ck_assert_uint_eq(fake_gic.lr[i] & (LR_STATE_MASK | LR_VINTID_MASK),
				  LR_STATE_PENDING | (i - 1));
	ck_assert(fake_gic.underflow_irq);
	ck_assert_uint_eq(v->vgic.pending[0] & 0x3f, 0x38);
}
END_TEST

/* A software SPI (virtual UART, doorbell): the guest enables and routes
 * it like any SPI, but nothing reaches the physical GIC; raised while
 * disabled it waits, and it goes to the vCPU IROUTER names, with a kick. */
START_TEST(test_soft_spi)
{
	struct vcpu *v0 = &a.p.vcpu[0], *v1 = &a.p.vcpu[1];
	const unsigned soft = 40;

	vgic_own_soft_spi(&a.p, soft);
	ck_assert(vgic_owns(&a.p, soft) && vgic_is_soft(&a.p, soft));
	ck_assert(!vgic_owns(&b.p, soft));
	wr(v0, GICD, 4, BIT(1));
	vgic_raise_spi(&a.p, soft);               /* disabled: remembered */
	ck_assert(!(v0->vgic.pending[0] & BIT(soft)));
	ck_assert_uint_eq(rd(v0, ISPENDR1, 4), 1u << (soft - 32));
	wr(v0, ISENABLER1, 4, 1u << (soft - 32));
	ck_assert(!fake_gic.enabled[soft]);       /* never the physical line */
	ck_assert_uint_eq(rd(v0, ISENABLER1, 4), 1u << (soft - 32));
	ck_assert(v0->vgic.pending[0] & BIT(soft)); /* delivered on enable */
	/* queued for vCPU 0: still pending, as the guest sees it */
	ck_assert_uint_eq(rd(v0, ISPENDR1, 4), 1u << (soft - 32));
	vgic_flush(v0);
	ck_assert_uint_eq(fake_gic.lr[0] & (LR_HW | LR_STATE_MASK | LR_VINTID_MASK),
			  LR_STATE_PENDING | soft);
	/* routed to vCPU 1: it gets the next one, and its CPU a kick */
	wr(v0, IROUTER(soft), 8, a.p.cfg->cpu_mpidr[1]);
	ck_assert_uint_eq(fake_gic.route[soft], 0);
	fake_gic.sgis = 0;
	vgic_raise_spi(&a.p, soft);
	ck_assert(v1->vgic.pending[0] & BIT(soft));
	ck_assert_uint_eq(fake_gic.sgis, 1);
	ck_assert_uint_eq(fake_gic.sgi_mpidr, a.p.cfg->cpu_mpidr[1]);
	/* always edge; a write of ICFGR changes nothing physical */
	ck_assert_uint_eq(rd(v0, GICD + 0xc08, 4) >> (2 * (soft - 32)) & 3, 2);
	/* b cannot raise or see it; a restart keeps it soft but disabled */
	vgic_raise_spi(&b.p, soft);
	ck_assert(!(b.p.vcpu[0].vgic.pending[0] & BIT(soft)));
	vgic_init(&a.p, GICD, GICR);
	ck_assert(vgic_is_soft(&a.p, soft));
	ck_assert_uint_eq(rd(v0, ISENABLER1, 4), 0);
}
END_TEST

Suite *vgic_suite(void)
{
	Suite *s = suite_create("vgic");
	TCase *tc = tcase_create("isolation");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_ownership);
	tcase_add_test(tc, test_dist_enable_pending);
	tcase_add_test(tc, test_dist_router);
	tcase_add_test(tc, test_dist_registers);
	tcase_add_test(tc, test_redistributors);
	tcase_add_test(tc, test_sgi_stays_inside);
	tcase_add_test(tc, test_physical_irqs);
	tcase_add_test(tc, test_list_registers);
	tcase_add_test(tc, test_soft_spi);
	suite_add_tcase(s, tc);
	return s;
}
