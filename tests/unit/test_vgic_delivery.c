// SPDX-License-Identifier: Apache-2.0
/*
 * vGIC delivery (hyp/vm/vgic.c) on the fake virtual CPU interface:
 * list-register allocation and encoding, merging with what is already
 * listed, overflow into the pending bitmap with an underflow maintenance
 * request and the refill, enables, SGIs between a partition's own vCPUs
 * only, and the physical interrupts Umbra takes at EL2.
 */
#include "unit.h"

#define GICD_BASE 0x08000000ULL
#define GICR_BASE 0x080a0000ULL
#define D(off) (GICD_BASE + (off))
#define SGI_FRAME(n, off) (GICR_BASE + (u64)(n) * VGIC_FRAME + 0x10000 + (off))
#define TIMER_PPI 27
#define MAINT_PPI 25
#define PMU_PPI 23
#define PTIMER_PPI 30
#define A_SPI 34                      /* a's */
#define B_SPI 39                      /* b's */
#define NOBODYS_SPI 100

/* ICC_SGI1R_EL1 fields */
#define SGIR(intid, aff3, aff2, aff1, rs, targets) \
	(((u64)(aff3) << 48) | ((u64)(rs) << 44) | ((u64)(aff2) << 32) | \
	 ((u64)(intid) << 24) | ((u64)(aff1) << 16) | (u64)(targets))
#define SGIR_IRM BIT(40)

static struct test_guest a, b;

/* every kick SGI sent, by target MPIDR */
#define MAX_KICKS 16
static u64 kicks[MAX_KICKS];
static unsigned nr_kicks;

static void record_kick(u64 mpidr, unsigned sgi)
{
	ck_assert_uint_eq(sgi, GIC_KICK_SGI);
	ck_assert_uint_lt(nr_kicks, MAX_KICKS);
	kicks[nr_kicks++] = mpidr;
}

static bool kicked(u64 mpidr)
{
	unsigned i;

	for (i = 0; i < nr_kicks; i++)
		if (kicks[i] == mpidr)
			return true;
	return false;
}

static void mmio_wr(struct vcpu *v, u64 ipa, unsigned size, u64 val)
{
	ck_assert(vgic_mmio(v, ipa, size, true, &val));
}

static void setup(void)
{
	unsigned i;

	fake_arch_reset();
	capture_start();
	nr_kicks = 0;
	guest_init(&a, "a", 1, 3, 1, PAGE_SIZE);
	guest_init(&b, "b", 2, 2, 1, PAGE_SIZE);
	fake_gic.sgi_hook = record_kick;
	vgic_init(&a.p, GICD_BASE, GICR_BASE);
	vgic_init(&b.p, GICD_BASE, GICR_BASE);
	vgic_own_spi(&a.p, A_SPI);
	vgic_own_spi(&b.p, B_SPI);
	for (i = 0; i < a.p.nr_vcpus; i++)
		vgic_cpu_reset(&a.p.vcpu[i]);
	for (i = 0; i < b.p.nr_vcpus; i++)
		vgic_cpu_reset(&b.p.vcpu[i]);
	/* both guests have enabled their distributors (GICD_CTLR.EnableGrp1) */
	mmio_wr(&a.p.vcpu[0], D(0), 4, BIT(1));
	mmio_wr(&b.p.vcpu[0], D(0), 4, BIT(1));
}

static void teardown(void)
{
	unit_free_all();
}

static struct vcpu *va(unsigned i)
{
	return &a.p.vcpu[i];
}

static u64 lr_sw(unsigned intid, u8 prio)
{
	return LR_STATE_PENDING | LR_GROUP1 | ((u64)prio << LR_PRIO_SHIFT) | intid;
}

static u64 lr_hw(unsigned intid, u8 prio)
{
	return lr_sw(intid, prio) | LR_HW | ((u64)intid << LR_PINTID_SHIFT);
}

static bool is_pending(const struct vcpu *v, unsigned intid)
{
	return (v->vgic.pending[intid / 64] >> (intid % 64)) & 1;
}

static bool is_hw(const struct vcpu *v, unsigned intid)
{
	return (v->vgic.hw[intid / 64] >> (intid % 64)) & 1;
}

static bool nothing_pending(const struct vcpu *v)
{
	unsigned w;

	for (w = 0; w < VGIC_WORDS; w++)
		if (v->vgic.pending[w])
			return false;
	return true;
}

/* Number of LRs naming intid (in any state). */
static unsigned listed(unsigned intid)
{
	unsigned i, n = 0;

	for (i = 0; i < FAKE_NR_LRS; i++)
		if ((fake_gic.lr[i] & LR_STATE_MASK) && (fake_gic.lr[i] & LR_VINTID_MASK) == intid)
			n++;
	return n;
}

/* The guest handled LR n completely (EOI): the state goes invalid. */
static void guest_eoi(unsigned n)
{
	fake_gic.lr[n] &= ~LR_STATE_MASK;
}

/* The guest acknowledged LR n: pending becomes active. */
static void guest_ack(unsigned n)
{
	fake_gic.lr[n] = (fake_gic.lr[n] & ~LR_STATE_MASK) | LR_STATE_ACTIVE;
}

/* ---- list registers ---- */

START_TEST(test_lr_encoding)
{
	struct vcpu *v = va(1);

	/* priorities as the guest set them: SGI 2 and the timer PPI in
	 * vCPU 1's redistributor, the SPI in the distributor */
	mmio_wr(v, SGI_FRAME(1, 0x400 + 2), 1, 0x10);
	mmio_wr(v, SGI_FRAME(1, 0x400 + TIMER_PPI), 1, 0x68);
	mmio_wr(v, SGI_FRAME(1, 0x100), 4, BIT(TIMER_PPI));
	mmio_wr(v, D(0x400 + A_SPI), 1, 0x40);
	vgic_inject(v, A_SPI, true);
	vgic_inject(v, TIMER_PPI, true);
	vgic_inject(v, 2, false);
	vgic_flush(v);
	/* lowest INTID first; software ones without HW and pINTID */
	ck_assert_uint_eq(fake_gic.lr[0], lr_sw(2, 0x10));
	ck_assert_uint_eq(fake_gic.lr[1], lr_hw(TIMER_PPI, 0x68));
	ck_assert_uint_eq(fake_gic.lr[2], lr_hw(A_SPI, 0x40));
	ck_assert_uint_eq(fake_gic.lr[3], 0);
	ck_assert(nothing_pending(v));
	ck_assert(!is_hw(v, A_SPI) && !is_hw(v, TIMER_PPI));
	ck_assert(!fake_gic.underflow_irq);
	/* other vCPUs: nothing */
	ck_assert(nothing_pending(va(0)) && nothing_pending(va(2)));
}
END_TEST

START_TEST(test_lr_default_priority_and_free_slots)
{
	struct vcpu *v = va(0);
	const u64 busy1 = LR_STATE_ACTIVE | LR_GROUP1 | 5, busy3 = lr_sw(6, 0x20);

	/* LRs 1 and 3 hold interrupts the guest has not finished */
	fake_gic.lr[1] = busy1;
	fake_gic.lr[3] = busy3;
	vgic_inject(v, 1, false);
	vgic_inject(v, 2, false);
	vgic_inject(v, 3, false);
	vgic_flush(v);
	ck_assert_uint_eq(fake_gic.lr[0], lr_sw(1, GIC_PRIO_DEFAULT));
	ck_assert_uint_eq(fake_gic.lr[1], busy1);
	ck_assert_uint_eq(fake_gic.lr[2], lr_sw(2, GIC_PRIO_DEFAULT));
	ck_assert_uint_eq(fake_gic.lr[3], busy3);
	/* 3 did not fit: it waits, and Umbra asks to come back */
	ck_assert(is_pending(v, 3));
	ck_assert(!is_pending(v, 1) && !is_pending(v, 2));
	ck_assert(fake_gic.underflow_irq);
}
END_TEST

START_TEST(test_lr_not_duplicated)
{
	struct vcpu *v = va(0);

	vgic_inject(v, 4, false);
	vgic_flush(v);
	ck_assert_uint_eq(fake_gic.lr[0], lr_sw(4, GIC_PRIO_DEFAULT));
	/* again while still pending in LR 0: merged, no second LR */
	vgic_inject(v, 4, false);
	vgic_inject(v, 4, false);
	vgic_flush(v);
	ck_assert_uint_eq(listed(4), 1);
	ck_assert_uint_eq(fake_gic.lr[0], lr_sw(4, GIC_PRIO_DEFAULT));
	ck_assert_uint_eq(fake_gic.lr[1], 0);
	ck_assert(nothing_pending(v));
	ck_assert(!fake_gic.underflow_irq);
	/* also when it is not in the first LR */
	fake_gic.lr[0] = lr_sw(9, 0x30);
	fake_gic.lr[2] = lr_sw(4, GIC_PRIO_DEFAULT);
	fake_gic.lr[1] = 0;
	vgic_inject(v, 4, false);
	vgic_flush(v);
	ck_assert_uint_eq(listed(4), 1);
	ck_assert_uint_eq(fake_gic.lr[1], 0);
}
END_TEST

START_TEST(test_lr_active_becomes_pending_active)
{
	struct vcpu *v = va(0);
	u64 before;

	vgic_inject(v, 7, false);
	vgic_flush(v);
	guest_ack(0);
	before = fake_gic.lr[0];
	ck_assert_uint_eq(before & LR_STATE_MASK, LR_STATE_ACTIVE);
	/* it fires again while the guest handles it */
	vgic_inject(v, 7, false);
	vgic_flush(v);
	ck_assert_uint_eq(fake_gic.lr[0], before | LR_STATE_PENDING);
	ck_assert_uint_eq(fake_gic.lr[0] & LR_STATE_MASK, LR_STATE_PENDING | LR_STATE_ACTIVE);
	ck_assert_uint_eq(listed(7), 1);
	ck_assert(nothing_pending(v));
	/* and once more: still pending+active, one LR */
	vgic_inject(v, 7, false);
	vgic_flush(v);
	ck_assert_uint_eq(fake_gic.lr[0], before | LR_STATE_PENDING);
	ck_assert_uint_eq(listed(7), 1);
	ck_assert(!fake_gic.underflow_irq);
}
END_TEST

START_TEST(test_lr_hw_active_waits)
{
	struct vcpu *v = va(0);

	vgic_inject(v, A_SPI, true);
	vgic_flush(v);
	ck_assert_uint_eq(fake_gic.lr[0], lr_hw(A_SPI, GIC_PRIO_DEFAULT));
	guest_ack(0);
	/* a HW-linked one still active is not listed twice, nor lost */
	vgic_inject(v, A_SPI, true);
	vgic_flush(v);
	ck_assert_uint_eq(fake_gic.lr[0] & LR_STATE_MASK, LR_STATE_ACTIVE);
	ck_assert_uint_eq(listed(A_SPI), 1);
	ck_assert(is_pending(v, A_SPI) && is_hw(v, A_SPI));
	/* the guest's EOI deactivates it: then it is listed again */
	guest_eoi(0);
	vgic_flush(v);
	ck_assert_uint_eq(fake_gic.lr[0], lr_hw(A_SPI, GIC_PRIO_DEFAULT));
	ck_assert(nothing_pending(v));
}
END_TEST

START_TEST(test_lr_overflow_and_refill)
{
	struct vcpu *v = va(2);
	unsigned i;

	for (i = 0; i < 8; i++)
		vgic_inject(v, i, false);
	vgic_flush(v);
	for (i = 0; i < FAKE_NR_LRS; i++)
		ck_assert_uint_eq(fake_gic.lr[i], lr_sw(i, GIC_PRIO_DEFAULT));
	ck_assert_uint_eq(v->vgic.pending[0], 0xf0);
	ck_assert(fake_gic.underflow_irq);
	/* nothing freed: nothing changes, still asking */
	vgic_flush(v);
	ck_assert_uint_eq(v->vgic.pending[0], 0xf0);
	ck_assert(fake_gic.underflow_irq);
	/* the guest finished two: the next two move in, the request stays */
	guest_eoi(1);
	guest_eoi(3);
	vgic_flush(v);
	ck_assert_uint_eq(fake_gic.lr[1], lr_sw(4, GIC_PRIO_DEFAULT));
	ck_assert_uint_eq(fake_gic.lr[3], lr_sw(5, GIC_PRIO_DEFAULT));
	ck_assert_uint_eq(v->vgic.pending[0], 0xc0);
	ck_assert(fake_gic.underflow_irq);
	/* all finished: the rest fits, the request is withdrawn */
	for (i = 0; i < FAKE_NR_LRS; i++)
		guest_eoi(i);
	vgic_flush(v);
	ck_assert_uint_eq(fake_gic.lr[0], lr_sw(6, GIC_PRIO_DEFAULT));
	ck_assert_uint_eq(fake_gic.lr[1], lr_sw(7, GIC_PRIO_DEFAULT));
	ck_assert(nothing_pending(v));
	ck_assert(!fake_gic.underflow_irq);
}
END_TEST

START_TEST(test_lr_count_from_arch)
{
	struct vcpu *v = va(0);

	/* a CPU interface with two list registers: LRs 2 and 3 do not exist */
	fake_gic.nr_lrs = 2;
	vgic_inject(v, 1, false);
	vgic_inject(v, 2, false);
	vgic_inject(v, 3, false);
	vgic_flush(v);
	ck_assert_uint_eq(fake_gic.lr[0], lr_sw(1, GIC_PRIO_DEFAULT));
	ck_assert_uint_eq(fake_gic.lr[1], lr_sw(2, GIC_PRIO_DEFAULT));
	ck_assert_uint_eq(fake_gic.lr[2], 0);
	ck_assert_uint_eq(fake_gic.lr[3], 0);
	ck_assert(is_pending(v, 3));
	ck_assert(fake_gic.underflow_irq);
}
END_TEST

START_TEST(test_disabled_stay_pending)
{
	struct vcpu *v = va(1);

	/* PPIs start disabled; SGIs cannot be disabled */
	mmio_wr(v, SGI_FRAME(1, 0x180), 4, 0xffffffff);
	vgic_inject(v, 20, false);
	vgic_inject(v, TIMER_PPI, true);
	vgic_inject(v, 3, false);
	vgic_flush(v);
	ck_assert_uint_eq(fake_gic.lr[0], lr_sw(3, GIC_PRIO_DEFAULT));
	ck_assert_uint_eq(fake_gic.lr[1], 0);
	ck_assert(is_pending(v, 20) && is_pending(v, TIMER_PPI) && is_hw(v, TIMER_PPI));
	/* waiting for the guest, not for LRs: no maintenance request */
	ck_assert(!fake_gic.underflow_irq);
	vgic_flush(v);
	ck_assert_uint_eq(fake_gic.lr[1], 0);
	/* enabled (on vCPU 1's own frame, by vCPU 0): listed */
	mmio_wr(va(0), SGI_FRAME(1, 0x100), 4, BIT(20));
	vgic_flush(v);
	ck_assert_uint_eq(fake_gic.lr[1], lr_sw(20, GIC_PRIO_DEFAULT));
	ck_assert(is_pending(v, TIMER_PPI));
	mmio_wr(v, SGI_FRAME(1, 0x100), 4, BIT(TIMER_PPI));
	vgic_flush(v);
	ck_assert_uint_eq(fake_gic.lr[2], lr_hw(TIMER_PPI, GIC_PRIO_DEFAULT));
	ck_assert(nothing_pending(v));
}
END_TEST

START_TEST(test_distributor_disabled)
{
	struct vcpu *v = va(0);

	mmio_wr(v, D(0), 4, 0);
	vgic_inject(v, A_SPI, true);
	vgic_inject(v, 1, false);
	vgic_flush(v);
	/* SGIs go on; the SPI waits for GICD_CTLR.EnableGrp1 */
	ck_assert_uint_eq(fake_gic.lr[0], lr_sw(1, GIC_PRIO_DEFAULT));
	ck_assert_uint_eq(listed(A_SPI), 0);
	ck_assert(is_pending(v, A_SPI) && is_hw(v, A_SPI));
	ck_assert(!fake_gic.underflow_irq);
	/* b's distributor is b's */
	ck_assert(b.p.vgic.enabled);
	mmio_wr(va(2), D(0), 4, BIT(1));
	vgic_flush(v);
	ck_assert_uint_eq(fake_gic.lr[1], lr_hw(A_SPI, GIC_PRIO_DEFAULT));
	ck_assert(nothing_pending(v));
}
END_TEST

START_TEST(test_unowned_spi_never_listed)
{
	struct vcpu *v = va(0);

	vgic_inject(v, B_SPI, true);
	vgic_inject(v, NOBODYS_SPI, false);
	vgic_flush(v);
	ck_assert_uint_eq(listed(B_SPI), 0);
	ck_assert_uint_eq(listed(NOBODYS_SPI), 0);
	ck_assert_uint_eq(fake_gic.lr[0], 0);
	ck_assert(!fake_gic.underflow_irq);
	/* nor can INTIDs past the SPIs be injected at all */
	vgic_inject(v, GIC_SPURIOUS, false);
	vgic_inject(v, 1023, false);
	ck_assert(!is_pending(v, GIC_SPURIOUS) && !is_pending(v, 1023));
}
END_TEST

START_TEST(test_timer_ppi_enable_synced)
{
	struct vcpu *v = va(0);

	/* a fresh vCPU syncs the physical timer PPI to its (disabled) enable */
	fake_gic.enabled[TIMER_PPI] = true;
	ck_assert(v->vgic.ppi_sync);
	vgic_flush(v);
	ck_assert(!fake_gic.enabled[TIMER_PPI]);
	ck_assert(!v->vgic.ppi_sync);
	mmio_wr(v, SGI_FRAME(0, 0x100), 4, BIT(TIMER_PPI));
	ck_assert(!fake_gic.enabled[TIMER_PPI]);         /* not until flush */
	vgic_flush(v);
	ck_assert(fake_gic.enabled[TIMER_PPI]);
	mmio_wr(v, SGI_FRAME(0, 0x180), 4, BIT(TIMER_PPI));
	vgic_flush(v);
	ck_assert(!fake_gic.enabled[TIMER_PPI]);
	/* only when something changed */
	fake_gic.enabled[TIMER_PPI] = true;
	vgic_flush(v);
	ck_assert(fake_gic.enabled[TIMER_PPI]);
}
END_TEST

START_TEST(test_cpu_enter)
{
	struct vcpu *v = va(0);

	/* left from a previous life on this CPU: the physical timer PPI
	 * active (the old guest never EOId it) and pending */
	v->vgic.ppi_sync = false;
	vgic_inject(v, A_SPI, true);
	fake_gic.active[TIMER_PPI] = fake_gic.pending[TIMER_PPI] = true;
	fake_gic.active[A_SPI] = fake_gic.active[26] = true;
	vgic_cpu_enter(v);
	ck_assert(!fake_gic.active[TIMER_PPI] && !fake_gic.pending[TIMER_PPI]);
	/* nothing else: SPIs are partition_load's, other PPIs not the guest's */
	ck_assert(fake_gic.active[A_SPI] && fake_gic.active[26]);
	ck_assert(is_pending(v, A_SPI) && is_hw(v, A_SPI));
	/* the PPI enables are synced on the way in */
	ck_assert(v->vgic.ppi_sync);
	fake_gic.enabled[TIMER_PPI] = true;
	vgic_flush(v);
	ck_assert(!fake_gic.enabled[TIMER_PPI]);
}
END_TEST

/* ---- SGIs ---- */

START_TEST(test_sgi_target_list)
{
	/* vCPU 0 to vCPUs 1 and 2 (Aff1 = 1: a's cluster) */
	vgic_sgi_write(va(0), SGIR(9, 0, 0, 1, 0, BIT(1) | BIT(2)));
	ck_assert(!is_pending(va(0), 9));
	ck_assert(is_pending(va(1), 9) && is_pending(va(2), 9));
	ck_assert(!is_hw(va(1), 9));
	ck_assert_uint_eq(va(1)->vgic.pending[0], BIT(9));
	/* their CPUs are kicked to look */
	ck_assert_uint_eq(nr_kicks, 2);
	ck_assert(kicked(a.cfg.cpu_mpidr[1]) && kicked(a.cfg.cpu_mpidr[2]));
	/* b (Aff1 = 2) saw nothing */
	ck_assert(nothing_pending(&b.p.vcpu[0]) && nothing_pending(&b.p.vcpu[1]));
	/* listed on the target as a software SGI with its priority */
	mmio_wr(va(0), SGI_FRAME(2, 0x400 + 9), 1, 0x28);
	vgic_flush(va(2));
	ck_assert_uint_eq(fake_gic.lr[0], lr_sw(9, 0x28));
	/* to itself: pending, no kick */
	vgic_sgi_write(va(0), SGIR(4, 0, 0, 1, 0, BIT(0)));
	ck_assert(is_pending(va(0), 4));
	ck_assert_uint_eq(nr_kicks, 2);
	/* targets that do not exist (Aff0 3-15 of a's cluster): nobody */
	vgic_sgi_write(va(0), SGIR(5, 0, 0, 1, 0, 0xfff8));
	ck_assert(!is_pending(va(0), 5) && !is_pending(va(1), 5) && !is_pending(va(2), 5));
	ck_assert_uint_eq(nr_kicks, 2);
	/* the INTID field is 4 bits: SGI 15 */
	vgic_sgi_write(va(0), SGIR(15, 0, 0, 1, 0, BIT(1)));
	ck_assert(is_pending(va(1), 15));
}
END_TEST

START_TEST(test_sgi_affinity_fields)
{
	/* vCPU 1 at Aff3.Aff2.Aff1.Aff0 = 5.3.1.1 */
	a.cfg.cpu_mpidr[1] = 0x0500030101ULL;
	vgic_sgi_write(va(0), SGIR(6, 0, 0, 1, 0, BIT(1)));
	ck_assert(!is_pending(va(1), 6));
	vgic_sgi_write(va(0), SGIR(6, 0, 3, 1, 0, BIT(1)));
	ck_assert(!is_pending(va(1), 6));
	vgic_sgi_write(va(0), SGIR(6, 5, 0, 1, 0, BIT(1)));
	ck_assert(!is_pending(va(1), 6));
	ck_assert_uint_eq(nr_kicks, 0);
	vgic_sgi_write(va(0), SGIR(6, 5, 3, 1, 0, BIT(1)));
	ck_assert(is_pending(va(1), 6));
	ck_assert_uint_eq(nr_kicks, 1);
	ck_assert_uint_eq(kicks[0], 0x0500030101ULL);
	/* Aff1 counts too */
	vgic_sgi_write(va(0), SGIR(7, 5, 3, 2, 0, BIT(1)));
	ck_assert(!is_pending(va(1), 7));
}
END_TEST

START_TEST(test_sgi_range_selector)
{
	/* Aff0 0, 16 and 31 in one cluster: RS 0, 1, 1 */
	a.cfg.cpu_mpidr[0] = 0x100;
	a.cfg.cpu_mpidr[1] = 0x110;
	a.cfg.cpu_mpidr[2] = 0x11f;
	vgic_sgi_write(va(0), SGIR(1, 0, 0, 1, 1, BIT(0)));
	ck_assert(!is_pending(va(0), 1) && is_pending(va(1), 1) && !is_pending(va(2), 1));
	vgic_sgi_write(va(0), SGIR(2, 0, 0, 1, 1, BIT(15)));
	ck_assert(!is_pending(va(0), 2) && !is_pending(va(1), 2) && is_pending(va(2), 2));
	vgic_sgi_write(va(1), SGIR(3, 0, 0, 1, 0, BIT(0)));
	ck_assert(is_pending(va(0), 3) && !is_pending(va(1), 3) && !is_pending(va(2), 3));
	vgic_sgi_write(va(0), SGIR(4, 0, 0, 1, 0, 0xfffe));
	vgic_sgi_write(va(0), SGIR(4, 0, 0, 1, 2, 0xffff));
	vgic_sgi_write(va(0), SGIR(4, 0, 0, 1, 15, 0xffff));
	ck_assert(!is_pending(va(0), 4) && !is_pending(va(1), 4) && !is_pending(va(2), 4));
	ck_assert_uint_eq(nr_kicks, 3);
}
END_TEST

START_TEST(test_sgi_irm_all_but_self)
{
	/* IRM ignores the target list and affinity fields */
	vgic_sgi_write(va(1), SGIR_IRM | SGIR(11, 7, 7, 7, 3, 0x1234));
	ck_assert(is_pending(va(0), 11) && !is_pending(va(1), 11) && is_pending(va(2), 11));
	ck_assert_uint_eq(nr_kicks, 2);
	ck_assert(kicked(a.cfg.cpu_mpidr[0]) && kicked(a.cfg.cpu_mpidr[2]));
	ck_assert(!kicked(a.cfg.cpu_mpidr[1]));
	ck_assert(nothing_pending(&b.p.vcpu[0]) && nothing_pending(&b.p.vcpu[1]));
	/* from b: b's other vCPU only */
	vgic_sgi_write(&b.p.vcpu[1], SGIR_IRM | SGIR(12, 0, 0, 0, 0, 0));
	ck_assert(is_pending(&b.p.vcpu[0], 12) && !is_pending(&b.p.vcpu[1], 12));
	ck_assert(!is_pending(va(0), 12) && !is_pending(va(1), 12) && !is_pending(va(2), 12));
	ck_assert_uint_eq(nr_kicks, 3);
	ck_assert_uint_eq(kicks[2], b.cfg.cpu_mpidr[0]);
}
END_TEST

START_TEST(test_sgi_interleaved_partitions)
{
	unsigned i;

	/* a on CPUs 0.0.0.0 and 0.0.0.2, b on 0.0.0.1 and 0.0.0.3: one
	 * cluster, one target list */
	a.p.nr_vcpus = 2;
	a.cfg.nr_cpus = 2;
	a.cfg.cpu_mpidr[0] = 0x0;
	a.cfg.cpu_mpidr[1] = 0x2;
	b.cfg.cpu_mpidr[0] = 0x1;
	b.cfg.cpu_mpidr[1] = 0x3;
	vgic_sgi_write(va(0), SGIR(8, 0, 0, 0, 0, 0xffff));
	ck_assert(is_pending(va(0), 8) && is_pending(va(1), 8));
	for (i = 0; i < 2; i++)
		ck_assert_msg(nothing_pending(&b.p.vcpu[i]), "b's vCPU %u got a's SGI", i);
	ck_assert_uint_eq(nr_kicks, 1);
	ck_assert_uint_eq(kicks[0], 0x2);
	/* aimed at b's CPUs only: nobody */
	vgic_sgi_write(va(1), SGIR(9, 0, 0, 0, 0, BIT(1) | BIT(3)));
	vgic_sgi_write(va(1), SGIR_IRM | SGIR(10, 0, 0, 0, 0, 0));
	for (i = 0; i < 2; i++)
		ck_assert(nothing_pending(&b.p.vcpu[i]));
	ck_assert(!is_pending(va(0), 9) && !is_pending(va(1), 9));
	ck_assert(is_pending(va(0), 10) && !is_pending(va(1), 10));
	ck_assert_uint_eq(nr_kicks, 2);
	ck_assert_uint_eq(kicks[1], 0x0);
}
END_TEST

/* ---- physical interrupts ---- */

static void queue(const u32 *intids, unsigned n)
{
	ck_assert_uint_le(n, ARRAY_SIZE(fake_gic.ack_queue));
	memcpy(fake_gic.ack_queue, intids, n * sizeof(*intids));
	fake_gic.nr_acks = n;
	fake_gic.next_ack = 0;
}

START_TEST(test_irq_owned_injected_hw)
{
	static const u32 acks[] = { TIMER_PPI, A_SPI };
	struct vcpu *v = va(2);

	queue(acks, ARRAY_SIZE(acks));
	vgic_handle_irqs(v);
	ck_assert_uint_eq(fake_gic.next_ack, 2);
	/* priority dropped, not deactivated: the guest's EOI does that */
	ck_assert_uint_eq(fake_gic.eois, 2);
	ck_assert_uint_eq(fake_gic.last_eoi, A_SPI);
	ck_assert_uint_eq(fake_gic.deactivates, 0);
	ck_assert(is_pending(v, TIMER_PPI) && is_hw(v, TIMER_PPI));
	ck_assert(is_pending(v, A_SPI) && is_hw(v, A_SPI));
	ck_assert(nothing_pending(va(0)) && nothing_pending(va(1)));
	ck_assert_str_eq(captured(), "");
	/* and listed HW-linked: pINTID = vINTID */
	mmio_wr(v, SGI_FRAME(2, 0x100), 4, BIT(TIMER_PPI));
	vgic_flush(v);
	ck_assert_uint_eq(fake_gic.lr[0], lr_hw(TIMER_PPI, GIC_PRIO_DEFAULT));
	ck_assert_uint_eq(fake_gic.lr[1], lr_hw(A_SPI, GIC_PRIO_DEFAULT));
}
END_TEST

START_TEST(test_irq_umbra_own)
{
	static const u32 acks[] = { GIC_KICK_SGI, MAINT_PPI, GIC_KICK_SGI };
	struct vcpu *v = va(0);

	queue(acks, ARRAY_SIZE(acks));
	vgic_handle_irqs(v);
	ck_assert_uint_eq(fake_gic.next_ack, 3);
	ck_assert_uint_eq(fake_gic.eois, 3);
	ck_assert_uint_eq(fake_gic.deactivates, 3);
	ck_assert_uint_eq(fake_gic.last_deactivate, GIC_KICK_SGI);
	ck_assert(nothing_pending(v));
	ck_assert_str_eq(captured(), "");
}
END_TEST

START_TEST(test_irq_unowned_dropped)
{
	static const u32 acks[] = { B_SPI, PMU_PPI, NOBODYS_SPI, 3 };
	unsigned i;

	queue(acks, ARRAY_SIZE(acks));
	vgic_handle_irqs(va(0));
	ck_assert_uint_eq(fake_gic.eois, 4);
	ck_assert_uint_eq(fake_gic.deactivates, 4);
	ck_assert_uint_eq(fake_gic.last_deactivate, 3);
	for (i = 0; i < 3; i++)
		ck_assert(nothing_pending(va(i)));
	ck_assert(nothing_pending(&b.p.vcpu[0]) && nothing_pending(&b.p.vcpu[1]));
	ck_assert_str_eq(captured(),
			 "umbra: interrupt 39 has no owner on this CPU: dropped\r\n"
			 "umbra: interrupt 23 has no owner on this CPU: dropped\r\n"
			 "umbra: interrupt 100 has no owner on this CPU: dropped\r\n"
			 "umbra: interrupt 3 has no owner on this CPU: dropped\r\n");
}
END_TEST

START_TEST(test_irq_no_vcpu)
{
	static const u32 acks[] = { TIMER_PPI, A_SPI, GIC_KICK_SGI };

	/* a CPU running no vCPU: nothing to inject into */
	queue(acks, ARRAY_SIZE(acks));
	vgic_handle_irqs(NULL);
	ck_assert_uint_eq(fake_gic.eois, 3);
	ck_assert_uint_eq(fake_gic.deactivates, 3);
	ck_assert(nothing_pending(va(0)));
	ck_assert_str_eq(captured(),
			 "umbra: interrupt 27 has no owner on this CPU: dropped\r\n"
			 "umbra: interrupt 34 has no owner on this CPU: dropped\r\n");
}
END_TEST

START_TEST(test_irq_budget)
{
	u32 acks[20];
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(acks); i++)
		acks[i] = i % 2 ? GIC_KICK_SGI : A_SPI;
	queue(acks, ARRAY_SIZE(acks));
	/* at most 16 at a time, then back to the guest */
	vgic_handle_irqs(va(0));
	ck_assert_uint_eq(fake_gic.next_ack, 16);
	ck_assert_uint_eq(fake_gic.eois, 16);
	vgic_handle_irqs(va(0));
	ck_assert_uint_eq(fake_gic.next_ack, 20);
	ck_assert_uint_eq(fake_gic.eois, 20);
	/* stops at the first spurious one */
	acks[0] = A_SPI;
	acks[1] = GIC_SPURIOUS;
	acks[2] = A_SPI;
	queue(acks, 3);
	fake_gic.eois = 0;
	vgic_handle_irqs(va(0));
	ck_assert_uint_eq(fake_gic.next_ack, 2);
	ck_assert_uint_eq(fake_gic.eois, 1);
}
END_TEST

START_TEST(test_irq_hw_ppi_configurable)
{
	static const u32 acks[] = { 30, TIMER_PPI, 20, MAINT_PPI, 31, PTIMER_PPI };
	struct vcpu *v = va(0);

	/* a platform whose guest timers are PPIs 30 and 31, maintenance PPI 20 */
	vgic_set_hw_ppi(30, 31, 20);
	queue(acks, ARRAY_SIZE(acks));
	vgic_handle_irqs(v);
	ck_assert(is_pending(v, 30) && is_hw(v, 30));
	ck_assert(is_pending(v, 31) && is_hw(v, 31));
	ck_assert(!is_pending(v, TIMER_PPI) && !is_pending(v, 20) && !is_pending(v, MAINT_PPI));
	ck_assert_uint_eq(fake_gic.deactivates, 3);
	ck_assert_str_eq(captured(),
			 "umbra: interrupt 27 has no owner on this CPU: dropped\r\n"
			 "umbra: interrupt 25 has no owner on this CPU: dropped\r\n");
	/* the IRQ entry's fast path may list exactly these two */
	ck_assert_uint_eq(fake_gic.fast_ppis, BIT(30) | BIT(31));
	/* and the physical enable that follows the guest is PPI 30's */
	mmio_wr(v, SGI_FRAME(0, 0x100), 4, BIT(30));
	vgic_flush(v);
	ck_assert(fake_gic.enabled[30]);
	ck_assert(!fake_gic.enabled[TIMER_PPI]);
}
END_TEST

/*
 * The EL1 physical timer is every partition's, like the virtual one: its
 * PPI is HW-linked to the vCPU of the CPU it fires on, and its enable
 * follows the guest's. On the main of 2026-12-05 it was "no owner:
 * dropped" (and the guest's CNTP_* accesses trapped as undefined).
 */
START_TEST(test_irq_physical_timer)
{
	static const u32 acks[] = { PTIMER_PPI };
	struct vcpu *v = va(1);

	queue(acks, 1);
	vgic_handle_irqs(v);
	ck_assert(is_pending(v, PTIMER_PPI) && is_hw(v, PTIMER_PPI));
	ck_assert_uint_eq(fake_gic.deactivates, 0);
	ck_assert_str_eq(captured(), "");
	mmio_wr(v, SGI_FRAME(1, 0x100), 4, BIT(PTIMER_PPI));
	vgic_flush(v);
	ck_assert(fake_gic.enabled[PTIMER_PPI]);
	ck_assert_uint_eq(fake_gic.lr[0], lr_hw(PTIMER_PPI, GIC_PRIO_DEFAULT));
	/* a new life starts with it idle */
	fake_gic.active[PTIMER_PPI] = fake_gic.pending[PTIMER_PPI] = true;
	vgic_cpu_enter(v);
	ck_assert(!fake_gic.active[PTIMER_PPI] && !fake_gic.pending[PTIMER_PPI]);
}
END_TEST

/* ---- level-triggered HW interrupts: the line is sampled again ---- */

/*
 * A handler that EOIs before it clears its device: the physical SPI fired
 * again at the deactivation (line still high) and is listed pending; the
 * guest then clears the device. On the main of 2026-12-05 the list
 * register stayed pending and the guest took the event a second time, with
 * nothing at the device; now the guest's next Group 1 CPU interface access
 * traps and the entry goes, the physical interrupt deactivated.
 */
START_TEST(test_level_hw_resampled)
{
	struct vcpu *v = va(0);

	vgic_inject(v, A_SPI, true);
	vgic_flush(v);
	ck_assert_uint_eq(fake_gic.lr[0], lr_hw(A_SPI, GIC_PRIO_DEFAULT));
	ck_assert(fake_gic.trap_group1 && v->vgic.resample);
	/* the line is still high (pending as well as active at EL2): kept */
	fake_gic.pending[A_SPI] = true;
	vgic_resample(v);
	ck_assert_uint_eq(fake_gic.lr[0], lr_hw(A_SPI, GIC_PRIO_DEFAULT));
	ck_assert_uint_eq(fake_gic.deactivates, 0);
	ck_assert(!fake_gic.trap_group1 && !v->vgic.resample);
	/* listed again (a second event), and this time the device is clear */
	fake_gic.lr[0] = 0;
	vgic_inject(v, A_SPI, true);
	vgic_flush(v);
	ck_assert(fake_gic.trap_group1);
	fake_gic.pending[A_SPI] = false;
	vgic_resample(v);
	ck_assert_uint_eq(fake_gic.lr[0], 0);
	ck_assert_uint_eq(fake_gic.deactivates, 1);
	ck_assert_uint_eq(fake_gic.last_deactivate, A_SPI);
	ck_assert(!fake_gic.trap_group1);
}
END_TEST

/* Taken before the guest runs an instruction (it was preempted, interrupts
 * unmasked): the line cannot drop before the acknowledge, no trap. */
START_TEST(test_level_hw_taken_at_once)
{
	struct vcpu *v = va(0);

	fake_gic.taken_at_once = true;
	vgic_inject(v, A_SPI, true);
	vgic_flush(v);
	ck_assert_uint_eq(fake_gic.lr[0], lr_hw(A_SPI, GIC_PRIO_DEFAULT));
	ck_assert(!fake_gic.trap_group1 && !v->vgic.resample);
}
END_TEST

START_TEST(test_level_hw_resample_spares)
{
	struct vcpu *v = va(0);

	/* edge-triggered: a latch in the GIC too, never resampled */
	fake_gic.edge[A_SPI] = true;
	vgic_inject(v, A_SPI, true);
	vgic_flush(v);
	ck_assert(!fake_gic.trap_group1 && !v->vgic.resample);
	vgic_resample(v);
	ck_assert_uint_eq(fake_gic.lr[0], lr_hw(A_SPI, GIC_PRIO_DEFAULT));
	/* level, but the guest has already acknowledged it: its own now */
	fake_gic.edge[A_SPI] = false;
	fake_gic.lr[0] = 0;
	vgic_inject(v, A_SPI, true);
	vgic_flush(v);
	guest_ack(0);
	vgic_resample(v);
	ck_assert_uint_eq(fake_gic.lr[0] & LR_STATE_MASK, LR_STATE_ACTIVE);
	/* level, made pending by the guest (GICD_ISPENDR): no line to follow */
	fake_gic.lr[0] = 0;
	mmio_wr(v, D(0x200 + (A_SPI / 32) * 4), 4, BIT(A_SPI % 32));
	ck_assert(fake_gic.pending[A_SPI]);
	fake_gic.pending[A_SPI] = false; /* Umbra acknowledged it */
	vgic_inject(v, A_SPI, true);
	vgic_flush(v);
	vgic_resample(v);
	ck_assert_uint_eq(fake_gic.lr[0], lr_hw(A_SPI, GIC_PRIO_DEFAULT));
	ck_assert_uint_eq(fake_gic.deactivates, 0);
	/* software interrupts have no line */
	fake_gic.lr[0] = 0;
	vgic_inject(v, 5, false);
	vgic_flush(v);
	ck_assert(!fake_gic.trap_group1);
}
END_TEST

/* In a trap from the vCPU itself (vgic_take_irqs) a HW-linked interrupt
 * goes straight into a list register: the same entries, priority drops
 * and resample trap as vgic_handle_irqs followed by vgic_flush, with
 * nothing left queued and nothing for vgic_flush to do. */
START_TEST(test_take_irqs_listed_at_once)
{
	static const u32 acks[] = { TIMER_PPI, A_SPI, GIC_SPURIOUS };
	struct vcpu *v = va(2);

	mmio_wr(v, SGI_FRAME(2, 0x100), 4, BIT(TIMER_PPI));
	fake_gic.edge[TIMER_PPI] = true;
	queue(acks, ARRAY_SIZE(acks));
	vgic_take_irqs(v, GIC_SPURIOUS); /* one per trap */
	ck_assert_uint_eq(fake_gic.next_ack, 1);
	vgic_take_irqs(v, GIC_SPURIOUS);
	ck_assert_uint_eq(fake_gic.next_ack, 2);
	ck_assert_uint_eq(fake_gic.eois, 2);
	ck_assert_uint_eq(fake_gic.deactivates, 0);
	ck_assert_uint_eq(fake_gic.lr[0], lr_hw(TIMER_PPI, GIC_PRIO_DEFAULT));
	ck_assert_uint_eq(fake_gic.lr[1], lr_hw(A_SPI, GIC_PRIO_DEFAULT));
	ck_assert(nothing_pending(v) && !is_hw(v, TIMER_PPI) && !is_hw(v, A_SPI));
	ck_assert_uint_eq(v->vgic.pending_map, 0);
	/* the SPI is level-triggered and the guest may run before it takes
	 * it: its Group 1 accesses trap, as after vgic_flush */
	ck_assert(fake_gic.trap_group1 && v->vgic.resample);
	ck_assert_str_eq(captured(), "");
	/* the guest took both (EOI): the next tick goes to the first free one */
	guest_eoi(0);
	fake_gic.lr[1] = 0;
	fake_gic.trap_group1 = false;
	v->vgic.resample = false;
	fake_gic.taken_at_once = true;
	queue(acks, ARRAY_SIZE(acks));
	vgic_take_irqs(v, GIC_SPURIOUS);
	vgic_take_irqs(v, GIC_SPURIOUS);
	ck_assert_uint_eq(fake_gic.lr[0], lr_hw(TIMER_PPI, GIC_PRIO_DEFAULT));
	ck_assert_uint_eq(fake_gic.lr[1], lr_hw(A_SPI, GIC_PRIO_DEFAULT));
	ck_assert(!fake_gic.trap_group1 && !v->vgic.resample);
}
END_TEST

/* A trap takes one interrupt: an INTID the IRQ entry acknowledged
 * already (its fast path declined it after the acknowledge) is handled
 * with the same priority drop and listing and not acknowledged again;
 * nothing more is acknowledged (another pending one traps again), so no
 * spurious acknowledge ends the trap. */
START_TEST(test_take_irqs_acked)
{
	static const u32 rest[] = { A_SPI, GIC_SPURIOUS };
	struct vcpu *v = va(2);

	mmio_wr(v, SGI_FRAME(2, 0x100), 4, BIT(TIMER_PPI));
	fake_gic.taken_at_once = true;
	queue(rest, ARRAY_SIZE(rest));
	vgic_take_irqs(v, TIMER_PPI);
	ck_assert_uint_eq(fake_gic.next_ack, 0);
	ck_assert_uint_eq(fake_gic.eois, 1);
	ck_assert_uint_eq(fake_gic.lr[0], lr_hw(TIMER_PPI, GIC_PRIO_DEFAULT));
	ck_assert_uint_eq(fake_gic.lr[1], 0);
	/* the next trap: the entry acknowledged nothing (1023 or above) */
	vgic_take_irqs(v, 1023);
	ck_assert_uint_eq(fake_gic.next_ack, 1);
	ck_assert_uint_eq(fake_gic.eois, 2);
	ck_assert_uint_eq(fake_gic.lr[1], lr_hw(A_SPI, GIC_PRIO_DEFAULT));
	ck_assert(nothing_pending(v));
	/* and one that finds nothing pending returns at the spurious one */
	vgic_take_irqs(v, GIC_SPURIOUS);
	ck_assert_uint_eq(fake_gic.next_ack, 2);
	ck_assert_uint_eq(fake_gic.eois, 2);
}
END_TEST

/* ... and is queued, for vgic_flush's rules, when it is disabled, when
 * something waits before it, when no list register is empty and when one
 * already holds its INTID. */
START_TEST(test_take_irqs_queued)
{
	static const u32 timer[] = { TIMER_PPI, GIC_SPURIOUS };
	struct vcpu *v = va(0);
	unsigned i;

	/* disabled: it waits for the enable */
	queue(timer, ARRAY_SIZE(timer));
	vgic_take_irqs(v, GIC_SPURIOUS);
	ck_assert(is_pending(v, TIMER_PPI) && is_hw(v, TIMER_PPI) && listed(TIMER_PPI) == 0);
	ck_assert(vgic_flush_needed(&v->vgic));
	mmio_wr(v, SGI_FRAME(0, 0x100), 4, BIT(TIMER_PPI));
	vgic_flush(v);
	ck_assert_uint_eq(fake_gic.lr[0], lr_hw(TIMER_PPI, GIC_PRIO_DEFAULT));
	ck_assert(nothing_pending(v));
	fake_gic.lr[0] = 0;
	/* an SGI queued before it: behind it */
	vgic_inject(v, 3, false);
	queue(timer, ARRAY_SIZE(timer));
	vgic_take_irqs(v, GIC_SPURIOUS);
	ck_assert(is_pending(v, TIMER_PPI) && is_hw(v, TIMER_PPI) && listed(TIMER_PPI) == 0);
	vgic_flush(v);
	ck_assert(nothing_pending(v) && listed(3) == 1 && listed(TIMER_PPI) == 1);
	memset(fake_gic.lr, 0, sizeof(fake_gic.lr));
	/* every list register in use: queued, as vgic_flush would */
	for (i = 0; i < FAKE_NR_LRS; i++)
		fake_gic.lr[i] = lr_sw(i, GIC_PRIO_DEFAULT);
	queue(timer, ARRAY_SIZE(timer));
	vgic_take_irqs(v, GIC_SPURIOUS);
	ck_assert(is_pending(v, TIMER_PPI) && listed(TIMER_PPI) == 0);
	memset(fake_gic.lr, 0, sizeof(fake_gic.lr));
	vgic_flush(v);
	ck_assert(nothing_pending(v));
	/* a list register holds its INTID already (another, software-made
	 * entry): vgic_flush's merge rules apply */
	memset(fake_gic.lr, 0, sizeof(fake_gic.lr));
	fake_gic.lr[2] = lr_sw(TIMER_PPI, GIC_PRIO_DEFAULT) & ~LR_STATE_MASK;
	fake_gic.lr[2] |= LR_STATE_ACTIVE;
	queue(timer, ARRAY_SIZE(timer));
	vgic_take_irqs(v, GIC_SPURIOUS);
	ck_assert(is_pending(v, TIMER_PPI) && listed(TIMER_PPI) == 1);
	/* vgic_handle_irqs (a parked vCPU's CPU) always queues */
	memset(fake_gic.lr, 0, sizeof(fake_gic.lr));
	vgic_flush(v);
	memset(fake_gic.lr, 0, sizeof(fake_gic.lr));
	ck_assert(nothing_pending(v));
	queue(timer, ARRAY_SIZE(timer));
	vgic_handle_irqs(v);
	ck_assert(is_pending(v, TIMER_PPI) && listed(TIMER_PPI) == 0);
}
END_TEST

static TCase *tcase(Suite *s, const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, setup, teardown);
	suite_add_tcase(s, tc);
	return tc;
}

Suite *vgic_delivery_suite(void)
{
	Suite *s = suite_create("vgic_delivery");

	tcase_add_test(tcase(s, "lr_encoding"), test_lr_encoding);
	tcase_add_test(tcase(s, "lr_default_priority_and_free_slots"),
		       test_lr_default_priority_and_free_slots);
	tcase_add_test(tcase(s, "lr_not_duplicated"), test_lr_not_duplicated);
	tcase_add_test(tcase(s, "lr_active_becomes_pending_active"),
		       test_lr_active_becomes_pending_active);
	tcase_add_test(tcase(s, "lr_hw_active_waits"), test_lr_hw_active_waits);
	tcase_add_test(tcase(s, "lr_overflow_and_refill"), test_lr_overflow_and_refill);
	tcase_add_test(tcase(s, "lr_count_from_arch"), test_lr_count_from_arch);
	tcase_add_test(tcase(s, "disabled_stay_pending"), test_disabled_stay_pending);
	tcase_add_test(tcase(s, "distributor_disabled"), test_distributor_disabled);
	tcase_add_test(tcase(s, "unowned_spi_never_listed"), test_unowned_spi_never_listed);
	tcase_add_test(tcase(s, "timer_ppi_enable_synced"), test_timer_ppi_enable_synced);
	tcase_add_test(tcase(s, "cpu_enter"), test_cpu_enter);
	tcase_add_test(tcase(s, "sgi_target_list"), test_sgi_target_list);
	tcase_add_test(tcase(s, "sgi_affinity_fields"), test_sgi_affinity_fields);
	tcase_add_test(tcase(s, "sgi_range_selector"), test_sgi_range_selector);
	tcase_add_test(tcase(s, "sgi_irm_all_but_self"), test_sgi_irm_all_but_self);
	tcase_add_test(tcase(s, "sgi_interleaved_partitions"), test_sgi_interleaved_partitions);
	tcase_add_test(tcase(s, "irq_owned_injected_hw"), test_irq_owned_injected_hw);
	tcase_add_test(tcase(s, "irq_umbra_own"), test_irq_umbra_own);
	tcase_add_test(tcase(s, "irq_unowned_dropped"), test_irq_unowned_dropped);
	tcase_add_test(tcase(s, "irq_no_vcpu"), test_irq_no_vcpu);
	tcase_add_test(tcase(s, "irq_budget"), test_irq_budget);
	tcase_add_test(tcase(s, "take_irqs_acked"), test_take_irqs_acked);
	tcase_add_test(tcase(s, "irq_hw_ppi_configurable"), test_irq_hw_ppi_configurable);
	tcase_add_test(tcase(s, "irq_physical_timer"), test_irq_physical_timer);
	tcase_add_test(tcase(s, "level_hw_resampled"), test_level_hw_resampled);
	tcase_add_test(tcase(s, "level_hw_resample_spares"), test_level_hw_resample_spares);
	tcase_add_test(tcase(s, "level_hw_taken_at_once"), test_level_hw_taken_at_once);
	tcase_add_test(tcase(s, "take_irqs_listed_at_once"), test_take_irqs_listed_at_once);
	tcase_add_test(tcase(s, "take_irqs_queued"), test_take_irqs_queued);
	return s;
}
