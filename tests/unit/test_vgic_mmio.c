// SPDX-License-Identifier: Apache-2.0
/*
 * The guest-visible GICv3 register models (hyp/vm/vgic_mmio.c) on the
 * fake GIC: what each distributor and redistributor register reads,
 * what a write changes (physical state through the fake GIC for owned
 * SPIs, the vGIC's own state otherwise), ownership filtering, reserved
 * offsets, access widths and alignment. Every write that must be
 * ignored is checked against a snapshot of all the state it could touch.
 */
#include "unit.h"

#define GICD_BASE 0x08000000ULL
#define GICR_BASE 0x080a0000ULL
#define D(off) (GICD_BASE + (off))
#define RD(n, off) (GICR_BASE + (u64)(n) * VGIC_FRAME + (off))
#define SGI(n, off) RD(n, 0x10000 + (off))
#define SENTINEL 0x5a5a5a5a5a5a5a5aULL

/* GICD */
#define CTLR 0x0000
#define TYPER 0x0004
#define IIDR 0x0008
#define IGROUPR 0x0080
#define ISENABLER 0x0100
#define ICENABLER 0x0180
#define ISPENDR 0x0200
#define ICPENDR 0x0280
#define ISACTIVER 0x0300
#define ICACTIVER 0x0380
#define IPRIORITYR 0x0400
#define ICFGR 0x0c00
#define IROUTER(n) (0x6000 + 8 * (u64)(n))
#define PIDR2 0xffe8
/* GICR RD frame */
#define GICR_CTLR 0x0000
#define GICR_IIDR 0x0004
#define GICR_TYPER 0x0008
#define GICR_STATUSR 0x0010
#define GICR_WAKER 0x0014
#define GICR_PROPBASER 0x0070
#define GICR_PENDBASER 0x0078

#define CTLR_RO (BIT(4) | BIT(6))   /* ARE, DS: always set */
#define WAKER_ASLEEP 0x6            /* ProcessorSleep | ChildrenAsleep */

/* a owns 34, 35, 64 and the last SPI, 1019; b owns 39, 40, 65 */
#define A_SPI0 34
#define A_SPI1 35
#define A_SPI2 64
#define A_LAST 1019
#define B_SPI0 39
#define B_SPI1 40
#define B_SPI2 65

static struct test_guest a, b;

static void setup(void)
{
	static const unsigned a_spis[] = { A_SPI0, A_SPI1, A_SPI2, A_LAST };
	static const unsigned b_spis[] = { B_SPI0, B_SPI1, B_SPI2 };
	unsigned i;

	fake_arch_reset();
	capture_start();
	guest_init(&a, "a", 1, 3, 1, PAGE_SIZE);
	guest_init(&b, "b", 2, 1, 1, PAGE_SIZE);
	vgic_init(&a.p, GICD_BASE, GICR_BASE);
	vgic_init(&b.p, GICD_BASE, GICR_BASE);
	for (i = 0; i < ARRAY_SIZE(a_spis); i++)
		vgic_own_spi(&a.p, a_spis[i]);
	for (i = 0; i < ARRAY_SIZE(b_spis); i++)
		vgic_own_spi(&b.p, b_spis[i]);
	for (i = 0; i < a.p.nr_vcpus; i++)
		vgic_cpu_reset(&a.p.vcpu[i]);
	vgic_cpu_reset(&b.p.vcpu[0]);
}

static void teardown(void)
{
	unit_free_all();
}

static struct vcpu *va(unsigned i)
{
	return &a.p.vcpu[i];
}

static struct vcpu *vb(void)
{
	return &b.p.vcpu[0];
}

static u64 rd(struct vcpu *v, u64 ipa, unsigned size)
{
	u64 val = SENTINEL;

	ck_assert_msg(vgic_mmio(v, ipa, size, false, &val), "read of 0x%llx/%u not handled",
		      (unsigned long long)ipa, size);
	return val;
}

static void wr(struct vcpu *v, u64 ipa, unsigned size, u64 val)
{
	ck_assert_msg(vgic_mmio(v, ipa, size, true, &val), "write of 0x%llx/%u not handled",
		      (unsigned long long)ipa, size);
}

/* Everything a vGIC register write could change. */
static struct snapshot {
	struct fake_gic gic;
	struct vgic_dist dist[2];
	struct vgic_cpu cpu[4];
} snap;

static void take(struct snapshot *s)
{
	unsigned i;

	memset(s, 0, sizeof(*s));
	s->gic = fake_gic;
	s->dist[0] = a.p.vgic;
	s->dist[1] = b.p.vgic;
	for (i = 0; i < 3; i++)
		s->cpu[i] = a.p.vcpu[i].vgic;
	s->cpu[3] = b.p.vcpu[0].vgic;
}

static void take_snapshot(void)
{
	take(&snap);
}

static void assert_unchanged(const char *what, u64 ipa, unsigned size)
{
	struct snapshot now;

	take(&now);
	ck_assert_msg(memcmp(&now.gic, &snap.gic, sizeof(now.gic)) == 0,
		      "%s 0x%llx/%u changed the physical GIC", what, (unsigned long long)ipa, size);
	ck_assert_msg(memcmp(now.dist, snap.dist, sizeof(now.dist)) == 0,
		      "%s 0x%llx/%u changed a distributor model", what, (unsigned long long)ipa, size);
	ck_assert_msg(memcmp(now.cpu, snap.cpu, sizeof(now.cpu)) == 0,
		      "%s 0x%llx/%u changed a redistributor model", what, (unsigned long long)ipa, size);
}

/* A register that reads as zero and ignores writes (of all ones, and of
 * a pattern), for vCPU v at ipa with that access size. */
static void assert_raz_wi(struct vcpu *v, u64 ipa, unsigned size)
{
	u64 val;

	ck_assert_msg(rd(v, ipa, size) == 0, "0x%llx/%u reads 0x%llx, not 0",
		      (unsigned long long)ipa, size, (unsigned long long)rd(v, ipa, size));
	take_snapshot();
	wr(v, ipa, size, ~0ULL);
	wr(v, ipa, size, 0x0123456789abcdefULL);
	assert_unchanged("write to RAZ/WI", ipa, size);
	val = rd(v, ipa, size);
	ck_assert_msg(val == 0, "0x%llx/%u reads 0x%llx after writes",
		      (unsigned long long)ipa, size, (unsigned long long)val);
}

/* ---- distributor ---- */

START_TEST(test_gicd_ctlr)
{
	ck_assert_uint_eq(rd(va(0), D(CTLR), 4), CTLR_RO);
	ck_assert(!a.p.vgic.enabled);
	/* EnableGrp1 (bit 1) is the only writable bit */
	wr(va(0), D(CTLR), 4, BIT(1));
	ck_assert(a.p.vgic.enabled);
	ck_assert_uint_eq(rd(va(0), D(CTLR), 4), CTLR_RO | BIT(1));
	/* from any of its vCPUs; b's distributor is another one */
	ck_assert_uint_eq(rd(va(2), D(CTLR), 4), CTLR_RO | BIT(1));
	ck_assert_uint_eq(rd(vb(), D(CTLR), 4), CTLR_RO);
	ck_assert(!b.p.vgic.enabled);
	/* ARE and DS cannot be cleared; nothing else can be set */
	wr(va(0), D(CTLR), 4, 0);
	ck_assert(!a.p.vgic.enabled);
	ck_assert_uint_eq(rd(va(0), D(CTLR), 4), CTLR_RO);
	wr(va(0), D(CTLR), 4, 0xffffffff);
	ck_assert_uint_eq(rd(va(0), D(CTLR), 4), CTLR_RO | BIT(1));
	/* EnableGrp0 alone does not enable (everything is Group 1) */
	wr(va(0), D(CTLR), 4, BIT(0));
	ck_assert(!a.p.vgic.enabled);
	ck_assert_uint_eq(rd(va(0), D(CTLR), 4), CTLR_RO);
}
END_TEST

START_TEST(test_gicd_ids)
{
	u64 typer = rd(va(0), D(TYPER), 4);

	/* 10 INTID bits, ITLinesNumber from the physical GIC's SPIs, no
	 * LPIs (bit 17), no MBIS (16), no security extension (10) */
	ck_assert_uint_eq(typer, (9u << 19) | ((224 + 32) / 32 - 1));
	ck_assert_uint_eq(typer & (BIT(17) | BIT(16) | BIT(10)), 0);
	fake_gic.nr_spis = 64;
	ck_assert_uint_eq(rd(va(0), D(TYPER), 4), (9u << 19) | 2);
	fake_gic.nr_spis = 988;
	ck_assert_uint_eq(rd(va(0), D(TYPER), 4), (9u << 19) | 31);
	fake_gic.nr_spis = 224;
	/* implementer "UM"; PIDR2.ArchRev = 3 (GICv3) */
	ck_assert_uint_eq(rd(va(0), D(IIDR), 4), 0x554d);
	ck_assert_uint_eq(rd(va(0), D(PIDR2), 4), 0x3b);
	ck_assert_uint_eq((rd(va(0), D(PIDR2), 4) >> 4) & 0xf, 3);
	/* read-only: writes change nothing */
	take_snapshot();
	wr(va(0), D(TYPER), 4, 0);
	wr(va(0), D(IIDR), 4, 0);
	wr(va(0), D(PIDR2), 4, 0);
	assert_unchanged("write to an ID register", D(TYPER), 4);
	ck_assert_uint_eq(rd(va(0), D(TYPER), 4), (9u << 19) | 7);
	ck_assert_uint_eq(rd(va(0), D(IIDR), 4), 0x554d);
	ck_assert_uint_eq(rd(va(0), D(PIDR2), 4), 0x3b);
}
END_TEST

/* The set/clear register pairs: each acts on the fake GIC's physical state,
 * for owned SPIs only. */
static const struct set_clear {
	const char *name;
	u64 set, clear;
	bool *state;
} set_clear[] = {
	{ "enable", ISENABLER, ICENABLER, fake_gic.enabled },
	{ "pending", ISPENDR, ICPENDR, fake_gic.pending },
	{ "active", ISACTIVER, ICACTIVER, fake_gic.active },
};

START_TEST(test_gicd_set_clear)
{
	const struct set_clear *r = &set_clear[_i];
	const u32 a_word1 = BIT(A_SPI0 - 32) | BIT(A_SPI1 - 32);
	unsigned i;

	/* b's SPIs are set already (by b): a can neither see nor clear them */
	r->state[B_SPI0] = r->state[B_SPI2] = true;

	wr(va(0), D(r->set + 4), 4, 0xffffffff);
	for (i = 32; i < 64; i++)
		ck_assert_msg(r->state[i] == (i == A_SPI0 || i == A_SPI1 || i == B_SPI0),
			      "%s: INTID %u is %d", r->name, i, r->state[i]);
	/* both registers of the pair read the same state, owned bits only */
	ck_assert_uint_eq(rd(va(0), D(r->set + 4), 4), a_word1);
	ck_assert_uint_eq(rd(va(0), D(r->clear + 4), 4), a_word1);
	ck_assert_uint_eq(rd(vb(), D(r->set + 4), 4), BIT(B_SPI0 - 32));
	/* clearing one bit clears that SPI only */
	wr(va(1), D(r->clear + 4), 4, BIT(A_SPI1 - 32));
	ck_assert(r->state[A_SPI0] && !r->state[A_SPI1]);
	ck_assert_uint_eq(rd(va(0), D(r->set + 4), 4), BIT(A_SPI0 - 32));
	wr(va(0), D(r->clear + 4), 4, 0xffffffff);
	ck_assert(!r->state[A_SPI0]);
	ck_assert_msg(r->state[B_SPI0], "%s: a cleared b's SPI", r->name);
	/* writing zeros changes nothing */
	wr(va(0), D(r->set + 4), 4, BIT(A_SPI0 - 32));
	wr(va(0), D(r->set + 4), 4, 0);
	wr(va(0), D(r->clear + 4), 4, 0);
	ck_assert(r->state[A_SPI0]);
	/* other words: 64 (a) beside 65 (b), and the last SPI, 1019 */
	wr(va(0), D(r->set + 8), 4, 0xffffffff);
	ck_assert(r->state[A_SPI2]);
	ck_assert_uint_eq(rd(va(0), D(r->set + 8), 4), 1);
	wr(va(0), D(r->clear + 8), 4, 0xffffffff);
	ck_assert(!r->state[A_SPI2] && r->state[B_SPI2]);
	wr(va(0), D(r->set + 0x7c), 4, 0xffffffff);
	ck_assert(r->state[A_LAST]);
	for (i = 1020; i < 1024; i++)
		ck_assert_msg(!r->state[i], "%s: special INTID %u set", r->name, i);
	ck_assert_uint_eq(rd(va(0), D(r->set + 0x7c), 4), BIT(A_LAST % 32));
	/* word 0 (SGIs, PPIs) belongs to the redistributors: RAZ/WI here */
	assert_raz_wi(va(0), D(r->set), 4);
	assert_raz_wi(va(0), D(r->clear), 4);
	for (i = 0; i < 32; i++)
		ck_assert(!r->state[i]);
	/* a word with nothing of a's in it */
	wr(va(0), D(r->set + 12), 4, 0xffffffff);
	ck_assert_uint_eq(rd(va(0), D(r->set + 12), 4), 0);
	for (i = 96; i < 128; i++)
		ck_assert(!r->state[i]);
}
END_TEST

START_TEST(test_gicd_priority)
{
	const u64 word = D(IPRIORITYR + 32);   /* INTIDs 32-35 */

	ck_assert_uint_eq(rd(va(0), D(IPRIORITYR + A_SPI0), 1), GIC_PRIO_DEFAULT);
	/* byte accesses */
	wr(va(0), D(IPRIORITYR + A_SPI0), 1, 0x40);
	ck_assert_uint_eq(a.p.vgic.prio[A_SPI0], 0x40);
	ck_assert_uint_eq(rd(va(0), D(IPRIORITYR + A_SPI0), 1), 0x40);
	ck_assert_uint_eq(a.p.vgic.prio[A_SPI1], GIC_PRIO_DEFAULT);
	/* word accesses: owned bytes only (34, 35 of 32-35) */
	wr(va(0), word, 4, 0x44332211);
	ck_assert_uint_eq(a.p.vgic.prio[32], GIC_PRIO_DEFAULT);
	ck_assert_uint_eq(a.p.vgic.prio[33], GIC_PRIO_DEFAULT);
	ck_assert_uint_eq(a.p.vgic.prio[A_SPI0], 0x33);
	ck_assert_uint_eq(a.p.vgic.prio[A_SPI1], 0x44);
	ck_assert_uint_eq(rd(va(0), word, 4), 0x44330000);
	ck_assert_uint_eq(rd(va(0), D(IPRIORITYR + A_SPI1), 1), 0x44);
	ck_assert_uint_eq(rd(va(0), D(IPRIORITYR + 33), 1), 0);
	/* b's: invisible to a, unchanged by it; b sees its own */
	wr(va(0), D(IPRIORITYR + B_SPI0), 1, 0x10);
	ck_assert_uint_eq(rd(va(0), D(IPRIORITYR + B_SPI0), 1), 0);
	ck_assert_uint_eq(b.p.vgic.prio[B_SPI0], GIC_PRIO_DEFAULT);
	ck_assert_uint_eq(rd(vb(), D(IPRIORITYR + B_SPI0), 1), GIC_PRIO_DEFAULT);
	ck_assert_uint_eq(rd(vb(), word, 4), 0);
	/* the last SPI; 1020-1023 do not exist */
	wr(va(0), D(IPRIORITYR + 1016), 4, 0x80706050);
	ck_assert_uint_eq(a.p.vgic.prio[A_LAST], 0x80);
	ck_assert_uint_eq(rd(va(0), D(IPRIORITYR + 1016), 4), 0x80000000);
	assert_raz_wi(va(0), D(IPRIORITYR + 1020), 4);
	/* SGIs and PPIs: the redistributors' */
	assert_raz_wi(va(0), D(IPRIORITYR), 4);
	assert_raz_wi(va(0), D(IPRIORITYR + 27), 1);
	/* the physical priorities are Umbra's */
	ck_assert_uint_eq(fake_gic.prio[A_SPI0], 0);
}
END_TEST

START_TEST(test_gicd_icfgr)
{
	const u64 icfgr2 = D(ICFGR + 8);        /* INTIDs 32-47 */

	fake_gic.edge[B_SPI0] = true;
	ck_assert_uint_eq(rd(va(0), icfgr2, 4), 0);
	/* edge (Int_config[1] = 1) for a's only */
	wr(va(0), icfgr2, 4, 0xffffffff);
	ck_assert(fake_gic.edge[A_SPI0] && fake_gic.edge[A_SPI1]);
	ck_assert(!fake_gic.edge[32] && !fake_gic.edge[B_SPI1]);
	ck_assert_uint_eq(rd(va(0), icfgr2, 4),
			  (2u << (2 * (A_SPI0 - 32))) | (2u << (2 * (A_SPI1 - 32))));
	ck_assert_uint_eq(rd(vb(), icfgr2, 4), 2u << (2 * (B_SPI0 - 32)));
	/* Int_config[0] is reserved: 0x1 per field is level */
	wr(va(0), icfgr2, 4, 0x55555555);
	ck_assert(!fake_gic.edge[A_SPI0] && !fake_gic.edge[A_SPI1]);
	ck_assert_uint_eq(rd(va(0), icfgr2, 4), 0);
	/* one at a time */
	wr(va(0), icfgr2, 4, 2u << (2 * (A_SPI1 - 32)));
	ck_assert(!fake_gic.edge[A_SPI0] && fake_gic.edge[A_SPI1]);
	ck_assert(fake_gic.edge[B_SPI0]);
	/* 64 in ICFGR4, 1019 in ICFGR63 */
	wr(va(0), D(ICFGR + 16), 4, 0xffffffff);
	ck_assert(fake_gic.edge[A_SPI2] && !fake_gic.edge[B_SPI2]);
	ck_assert_uint_eq(rd(va(0), D(ICFGR + 16), 4), 2);
	wr(va(0), D(ICFGR + 0xfc), 4, 0xffffffff);
	ck_assert(fake_gic.edge[A_LAST]);
	ck_assert_uint_eq(rd(va(0), D(ICFGR + 0xfc), 4), 2u << (2 * (A_LAST % 16)));
	/* SGIs and PPIs */
	assert_raz_wi(va(0), D(ICFGR), 4);
	assert_raz_wi(va(0), D(ICFGR + 4), 4);
}
END_TEST

START_TEST(test_gicd_irouter)
{
	const u64 r = D(IROUTER(A_SPI0));
	unsigned i;

	for (i = 0; i < 3; i++) {
		wr(va(0), r, 8, a.cfg.cpu_mpidr[i]);
		ck_assert_uint_eq(fake_gic.route[A_SPI0], a.cfg.cpu_mpidr[i]);
		ck_assert_uint_eq(rd(va(0), r, 8), a.cfg.cpu_mpidr[i]);
	}
	/* IRM (1 of N): its first vCPU; reads back as written */
	wr(va(0), r, 8, BIT(31));
	ck_assert_uint_eq(fake_gic.route[A_SPI0], a.cfg.cpu_mpidr[0]);
	ck_assert_uint_eq(rd(va(0), r, 8), BIT(31));
	wr(va(0), r, 8, BIT(31) | a.cfg.cpu_mpidr[2]);
	ck_assert_uint_eq(fake_gic.route[A_SPI0], a.cfg.cpu_mpidr[0]);
	/* strangers: b's CPU, or a CPU of nobody */
	wr(va(0), r, 8, a.cfg.cpu_mpidr[2]);
	wr(va(0), r, 8, b.cfg.cpu_mpidr[0]);
	ck_assert_uint_eq(fake_gic.route[A_SPI0], a.cfg.cpu_mpidr[0]);
	wr(va(0), r, 8, 0x0700000505);
	ck_assert_uint_eq(fake_gic.route[A_SPI0], a.cfg.cpu_mpidr[0]);
	/* RES0 bits 30:24 are not affinity */
	wr(va(0), r, 8, a.cfg.cpu_mpidr[2] | (0x7fULL << 24));
	ck_assert_uint_eq(fake_gic.route[A_SPI0], a.cfg.cpu_mpidr[2]);
	/* the last SPI */
	wr(va(0), D(IROUTER(A_LAST)), 8, a.cfg.cpu_mpidr[1]);
	ck_assert_uint_eq(fake_gic.route[A_LAST], a.cfg.cpu_mpidr[1]);
	/* b's SPI: RAZ/WI for a, whatever b set */
	wr(vb(), D(IROUTER(B_SPI0)), 8, b.cfg.cpu_mpidr[0]);
	ck_assert_uint_eq(fake_gic.route[B_SPI0], b.cfg.cpu_mpidr[0]);
	ck_assert_uint_eq(rd(vb(), D(IROUTER(B_SPI0)), 8), b.cfg.cpu_mpidr[0]);
	assert_raz_wi(va(0), D(IROUTER(B_SPI0)), 8);
	assert_raz_wi(va(0), D(IROUTER(B_SPI0)), 4);
	assert_raz_wi(va(0), D(IROUTER(B_SPI0)) + 4, 4);
	assert_raz_wi(va(0), D(IROUTER(33)), 8);          /* nobody's */
	/* no IROUTER for SGIs, PPIs or the special INTIDs */
	for (i = 0; i < 32; i++)
		assert_raz_wi(va(0), D(IROUTER(i)), 8);
	for (i = 1020; i < 1024; i++)
		assert_raz_wi(va(0), D(IROUTER(i)), 8);
	for (i = 0; i < 32; i++)
		ck_assert_uint_eq(fake_gic.route[i], 0);
}
END_TEST

START_TEST(test_gicd_irouter_halves)
{
	const u64 r = D(IROUTER(A_SPI1));
	const u64 far = 0x0300000102ULL;       /* Aff3 3, Aff1 1, Aff0 2 */

	a.cfg.cpu_mpidr[2] = far;
	/* low half first: 0.0.1.2 is nobody of a's yet, so the first vCPU */
	wr(va(0), r, 4, far & 0xffffffff);
	ck_assert_uint_eq(fake_gic.route[A_SPI1], a.cfg.cpu_mpidr[0]);
	ck_assert_uint_eq(rd(va(0), r, 8), far & 0xffffffff);
	/* then Aff3: vCPU 2 */
	wr(va(0), r + 4, 4, far >> 32);
	ck_assert_uint_eq(fake_gic.route[A_SPI1], far);
	ck_assert_uint_eq(rd(va(0), r, 8), far);
	ck_assert_uint_eq(rd(va(0), r, 4), far & 0xffffffff);
	ck_assert_uint_eq(rd(va(0), r + 4, 4), far >> 32);
	/* each half keeps the other */
	wr(va(0), r, 4, BIT(31) | (far & 0xffffffff));
	ck_assert_uint_eq(fake_gic.route[A_SPI1], a.cfg.cpu_mpidr[0]);
	ck_assert_uint_eq(rd(va(0), r + 4, 4), far >> 32);
	wr(va(0), r, 4, a.cfg.cpu_mpidr[1]);
	/* 3.0.1.1 is nobody's: Aff3 counts */
	ck_assert_uint_eq(fake_gic.route[A_SPI1], a.cfg.cpu_mpidr[0]);
	wr(va(0), r + 4, 4, 0);
	ck_assert_uint_eq(fake_gic.route[A_SPI1], a.cfg.cpu_mpidr[1]);
	ck_assert_uint_eq(rd(va(0), r, 8), a.cfg.cpu_mpidr[1]);
	/* a's other SPI kept its own route */
	ck_assert_uint_eq(rd(va(0), D(IROUTER(A_SPI0)), 8), 0);
}
END_TEST

START_TEST(test_gicd_igroupr)
{
	/* everything a partition has is Group 1; its SPIs only */
	ck_assert_uint_eq(rd(va(0), D(IGROUPR + 4), 4), BIT(A_SPI0 - 32) | BIT(A_SPI1 - 32));
	ck_assert_uint_eq(rd(vb(), D(IGROUPR + 4), 4), BIT(B_SPI0 - 32) | BIT(B_SPI1 - 32));
	ck_assert_uint_eq(rd(va(0), D(IGROUPR + 8), 4), 1);
	ck_assert_uint_eq(rd(va(0), D(IGROUPR + 0x7c), 4), BIT(A_LAST % 32));
	ck_assert_uint_eq(rd(va(0), D(IGROUPR), 4), 0);
	/* read-only */
	take_snapshot();
	wr(va(0), D(IGROUPR + 4), 4, 0);
	wr(va(0), D(IGROUPR + 4), 4, 0xffffffff);
	assert_unchanged("IGROUPR write", D(IGROUPR + 4), 4);
	ck_assert_uint_eq(rd(va(0), D(IGROUPR + 4), 4), BIT(A_SPI0 - 32) | BIT(A_SPI1 - 32));
}
END_TEST

START_TEST(test_gicd_reserved)
{
	static const u64 reserved[] = {
		0x000c, 0x0010 /* STATUSR */, 0x0020, 0x0040 /* SETSPI_NSR */,
		0x0048 /* CLRSPI_NSR */, 0x0050 /* SETSPI_SR */, 0x0058, 0x007c,
		0x0d00 /* IGRPMODR */, 0x0d04, 0x0e00 /* NSACR */, 0x0f00 /* SGIR */,
		0x0f10 /* CPENDSGIR */, 0x0f20 /* SPENDSGIR */, 0x0f80, 0x1000,
		0x5ffc, 0x8000, 0xa000, 0xc000, 0xffcc, 0xffd0 /* PIDR4 */,
		0xffe0 /* PIDR0 */, 0xffe4, 0xffec /* PIDR3 */, 0xfff0 /* CIDR0 */,
		0xfffc,
	};
	unsigned i;

	/* a owns everything here that could be confused with its SPIs */
	wr(va(0), D(ISENABLER + 4), 4, 0xffffffff);
	for (i = 0; i < ARRAY_SIZE(reserved); i++)
		assert_raz_wi(va(0), D(reserved[i]), 4);
	for (i = 0; i < ARRAY_SIZE(reserved); i++)
		if (reserved[i] % 8 == 0)
			assert_raz_wi(va(0), D(reserved[i]), 8);
	assert_raz_wi(va(1), D(0x10), 4);
	assert_raz_wi(vb(), D(0xf00), 4);
}
END_TEST

START_TEST(test_gicd_bad_widths)
{
	static const struct { u64 off; unsigned size; } bad[] = {
		{ CTLR, 8 }, { CTLR, 2 }, { CTLR, 1 }, { IIDR, 8 }, { TYPER, 2 },
		{ PIDR2, 8 }, { PIDR2, 1 },
		{ ISENABLER + 8, 8 }, { ISENABLER + 4, 2 }, { ISENABLER + 4, 1 },
		{ ICENABLER + 4, 1 }, { ISPENDR + 4, 2 }, { ICPENDR + 8, 8 },
		{ ISACTIVER + 4, 1 }, { ICACTIVER + 4, 2 }, { IGROUPR + 4, 1 },
		{ IPRIORITYR + 32, 8 }, { IPRIORITYR + A_SPI0, 2 },
		{ ICFGR + 8, 8 }, { ICFGR + 8, 2 }, { ICFGR + 8, 1 },
		{ IROUTER(A_SPI0), 2 }, { IROUTER(A_SPI0), 1 }, { IROUTER(A_SPI0) + 6, 2 },
	};
	unsigned i;

	/* a's SPIs in a state a wrong-width read could show */
	fake_gic.enabled[A_SPI0] = fake_gic.pending[A_SPI0] = true;
	fake_gic.active[A_SPI0] = fake_gic.edge[A_SPI0] = true;
	fake_gic.enabled[A_SPI2] = fake_gic.pending[A_SPI2] = true;
	a.p.vgic.route[A_SPI0 - 32] = a.cfg.cpu_mpidr[1];
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_raz_wi(va(0), D(bad[i].off), bad[i].size);
	ck_assert(!a.p.vgic.enabled);
	/* the right width still works */
	ck_assert_uint_eq(rd(va(0), D(ISENABLER + 4), 4), BIT(A_SPI0 - 32));
	ck_assert_uint_eq(rd(va(0), D(IROUTER(A_SPI0)), 8), a.cfg.cpu_mpidr[1]);
}
END_TEST

START_TEST(test_gicd_unaligned_and_outside)
{
	static const struct { u64 off; unsigned size; } odd[] = {
		{ CTLR + 2, 4 }, { ISENABLER + 5, 4 }, { ISENABLER + 1, 2 },
		{ IPRIORITYR + A_SPI0 - 2 + 1, 4 }, { IPRIORITYR + 35, 2 },
		{ IROUTER(A_SPI0) + 4, 8 }, { IROUTER(A_SPI0) + 2, 4 }, { IROUTER(A_SPI0) + 1, 8 },
		{ PIDR2 + 4, 8 },
	};
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(odd); i++) {
		u64 val = SENTINEL;

		take_snapshot();
		ck_assert_msg(!vgic_mmio(va(0), D(odd[i].off), odd[i].size, false, &val),
			      "unaligned read 0x%llx/%u handled", (unsigned long long)odd[i].off,
			      odd[i].size);
		ck_assert_uint_eq(val, SENTINEL);
		val = ~0ULL;
		ck_assert(!vgic_mmio(va(0), D(odd[i].off), odd[i].size, true, &val));
		assert_unchanged("unaligned write", D(odd[i].off), odd[i].size);
	}
	/* not the vGIC: around the distributor; a partition without one */
	ck_assert(!vgic_mmio(va(0), GICD_BASE - 4, 4, false, &(u64){ 0 }));
	ck_assert(!vgic_mmio(va(0), GICD_BASE + VGIC_DIST_SIZE, 4, false, &(u64){ 0 }));
	ck_assert(vgic_mmio(va(0), GICD_BASE + VGIC_DIST_SIZE - 4, 4, false, &(u64){ 0 }));
	ck_assert(!vgic_mmio(va(0), 0, 4, false, &(u64){ 0 }));
	a.p.vgic.gicd_ipa = 0;
	ck_assert(!vgic_mmio(va(0), GICD_BASE, 4, false, &(u64){ 0 }));
	ck_assert(!vgic_mmio(va(0), RD(0, GICR_WAKER), 4, false, &(u64){ 0 }));
}
END_TEST

/* ---- redistributors ---- */

START_TEST(test_gicr_typer)
{
	static const u64 mpidr[3] = { 0x0, 0x010203, 0x0400000001 };
	static const u64 aff[3] = { 0x0, 0x010203, 0x04000001 };
	unsigned i;

	for (i = 0; i < 3; i++)
		a.cfg.cpu_mpidr[i] = mpidr[i];
	/* frame n: vCPU n's affinity, processor number n, Last on the last;
	 * no PLPIS, VLPIS, DirectLPI (bits 0, 1, 3) */
	for (i = 0; i < 3; i++) {
		u64 want = (aff[i] << 32) | ((u64)i << 8) | (i == 2 ? BIT(4) : 0);

		ck_assert_uint_eq(rd(va(0), RD(i, GICR_TYPER), 8), want);
		ck_assert_uint_eq(rd(va(1), RD(i, GICR_TYPER), 4), want & 0xffffffff);
		ck_assert_uint_eq(rd(va(2), RD(i, GICR_TYPER + 4), 4), aff[i]);
	}
	/* b's one frame is its last */
	ck_assert_uint_eq(rd(vb(), RD(0, GICR_TYPER), 8), (b.cfg.cpu_mpidr[0] << 32) | BIT(4));
	take_snapshot();
	wr(va(0), RD(1, GICR_TYPER), 8, 0);
	assert_unchanged("GICR_TYPER write", RD(1, GICR_TYPER), 8);
	ck_assert_uint_eq(rd(va(0), RD(1, GICR_TYPER), 8), (aff[1] << 32) | (1 << 8));
}
END_TEST

START_TEST(test_gicr_ids_and_reserved)
{
	static const u64 raz[] = {
		GICR_CTLR, GICR_STATUSR, 0x18, 0x40 /* SETLPIR */, 0x48 /* CLRLPIR */,
		0xa0 /* INVLPIR */, 0xb0 /* INVALLR */, 0xc0 /* SYNCR */, 0xffd0, 0xfff0,
		0x10000 /* SGI frame: nothing at 0 */, 0x10d00 /* IGRPMODR0 */, 0x10e00 /* NSACR */,
		0x1fffc,
	};
	unsigned i, n;

	for (n = 0; n < 3; n++) {
		ck_assert_uint_eq(rd(va(0), RD(n, GICR_IIDR), 4), 0x554d);
		ck_assert_uint_eq(rd(va(0), RD(n, 0xffe8), 4), 0x3b);
		for (i = 0; i < ARRAY_SIZE(raz); i++)
			assert_raz_wi(va(0), RD(n, raz[i]), 4);
	}
	/* EnableLPIs cannot be set */
	wr(va(0), RD(0, GICR_CTLR), 4, 1);
	ck_assert_uint_eq(rd(va(0), RD(0, GICR_CTLR), 4), 0);
}
END_TEST

START_TEST(test_gicr_waker)
{
	unsigned n;

	/* vgic_cpu_reset(): every redistributor starts asleep */
	for (n = 0; n < 3; n++)
		ck_assert_uint_eq(rd(va(0), RD(n, GICR_WAKER), 4), WAKER_ASLEEP);
	/* Linux's wake-up: clear ProcessorSleep, poll ChildrenAsleep */
	wr(va(1), RD(1, GICR_WAKER), 4, rd(va(1), RD(1, GICR_WAKER), 4) & ~2u);
	ck_assert_uint_eq(rd(va(1), RD(1, GICR_WAKER), 4) & 4, 0);
	ck_assert_uint_eq(rd(va(1), RD(1, GICR_WAKER), 4), 0);
	ck_assert(!va(1)->vgic.asleep);
	/* the others still sleep */
	ck_assert_uint_eq(rd(va(0), RD(0, GICR_WAKER), 4), WAKER_ASLEEP);
	ck_assert_uint_eq(rd(va(0), RD(2, GICR_WAKER), 4), WAKER_ASLEEP);
	ck_assert_uint_eq(rd(vb(), RD(0, GICR_WAKER), 4), WAKER_ASLEEP);
	/* ChildrenAsleep is read-only, ProcessorSleep puts it back to sleep */
	wr(va(1), RD(1, GICR_WAKER), 4, 4);
	ck_assert_uint_eq(rd(va(1), RD(1, GICR_WAKER), 4), 0);
	wr(va(1), RD(1, GICR_WAKER), 4, 2);
	ck_assert_uint_eq(rd(va(1), RD(1, GICR_WAKER), 4), WAKER_ASLEEP);
	wr(va(1), RD(1, GICR_WAKER), 4, 0xfffffffd);
	ck_assert_uint_eq(rd(va(1), RD(1, GICR_WAKER), 4), 0);
	/* 32-bit only */
	assert_raz_wi(va(0), RD(0, GICR_WAKER - 4), 8);
	assert_raz_wi(va(0), RD(0, GICR_WAKER), 2);
}
END_TEST

START_TEST(test_gicr_lpi_tables)
{
	static const u64 regs[] = { GICR_PROPBASER, GICR_PENDBASER };
	unsigned i, n;

	/* no register may point the GIC at memory: RAZ/WI at every width */
	for (n = 0; n < 3; n++)
		for (i = 0; i < ARRAY_SIZE(regs); i++) {
			assert_raz_wi(va(0), RD(n, regs[i]), 8);
			assert_raz_wi(va(0), RD(n, regs[i]), 4);
			assert_raz_wi(va(0), RD(n, regs[i] + 4), 4);
		}
	wr(va(0), RD(0, GICR_PROPBASER), 8, GUEST_RAM_BASE(1, 0) | 0x7);
	wr(va(0), RD(0, GICR_PENDBASER), 8, GUEST_RAM_BASE(1, 0) + 0x10000);
	ck_assert_uint_eq(rd(va(0), RD(0, GICR_PROPBASER), 8), 0);
	ck_assert_uint_eq(rd(va(0), RD(0, GICR_PENDBASER), 8), 0);
}
END_TEST

START_TEST(test_gicr_enable)
{
	struct vcpu *v1 = va(1);

	ck_assert_uint_eq(rd(va(0), SGI(1, ISENABLER), 4), 0xffff);
	ck_assert_uint_eq(rd(va(0), SGI(1, ICENABLER), 4), 0xffff);
	v1->vgic.ppi_sync = false;
	/* SGIs stay enabled: nothing changes, nothing to sync */
	wr(va(0), SGI(1, ICENABLER), 4, 0xffffffff);
	ck_assert_uint_eq(v1->vgic.enabled, 0xffff);
	ck_assert(!v1->vgic.ppi_sync);
	/* PPIs: on frame 1, for vCPU 1 only */
	wr(va(0), SGI(1, ISENABLER), 4, BIT(27) | BIT(20));
	ck_assert_uint_eq(v1->vgic.enabled, 0xffff | BIT(27) | BIT(20));
	ck_assert(v1->vgic.ppi_sync);
	ck_assert_uint_eq(rd(va(2), SGI(1, ISENABLER), 4), 0xffff | BIT(27) | BIT(20));
	ck_assert_uint_eq(rd(va(2), SGI(1, ICENABLER), 4), 0xffff | BIT(27) | BIT(20));
	ck_assert_uint_eq(va(0)->vgic.enabled, 0xffff);
	ck_assert_uint_eq(va(2)->vgic.enabled, 0xffff);
	ck_assert_uint_eq(vb()->vgic.enabled, 0xffff);
	v1->vgic.ppi_sync = false;
	wr(va(0), SGI(1, ICENABLER), 4, BIT(20) | BIT(3));
	ck_assert_uint_eq(v1->vgic.enabled, 0xffff | BIT(27));
	ck_assert(v1->vgic.ppi_sync);
	/* the virtual enables are the vGIC's: the physical PPI is synced
	 * later, on vCPU 1's own CPU (vgic_flush) */
	ck_assert(!fake_gic.enabled[27]);
	/* 32-bit only */
	assert_raz_wi(va(0), SGI(1, ISENABLER), 8);
	assert_raz_wi(va(0), SGI(1, ICENABLER), 1);
}
END_TEST

START_TEST(test_gicr_pending)
{
	struct vcpu *v2 = va(2);

	wr(va(0), SGI(2, ISPENDR), 4, BIT(3) | BIT(27));
	/* injected as software interrupts, into vCPU 2 only */
	ck_assert_uint_eq(v2->vgic.pending[0], BIT(3) | BIT(27));
	ck_assert_uint_eq(v2->vgic.hw[0], 0);
	ck_assert_uint_eq(va(0)->vgic.pending[0], 0);
	ck_assert_uint_eq(va(1)->vgic.pending[0], 0);
	ck_assert_uint_eq(vb()->vgic.pending[0], 0);
	ck_assert_uint_eq(rd(va(0), SGI(2, ISPENDR), 4), BIT(3) | BIT(27));
	ck_assert_uint_eq(rd(va(0), SGI(2, ICPENDR), 4), BIT(3) | BIT(27));
	/* nothing physical */
	ck_assert(!fake_gic.pending[3] && !fake_gic.pending[27]);
	wr(va(0), SGI(2, ICPENDR), 4, BIT(3));
	ck_assert_uint_eq(v2->vgic.pending[0], BIT(27));
	wr(va(0), SGI(2, ICPENDR), 4, 0xffffffff);
	ck_assert_uint_eq(v2->vgic.pending[0], 0);
	/* SPIs cannot be made pending through a redistributor */
	wr(va(0), SGI(2, ISPENDR + 4), 4, 0xffffffff);
	ck_assert_uint_eq(v2->vgic.pending[0], 0);
	ck_assert(!fake_gic.pending[A_SPI0]);
	/* pending SPIs of the vCPU are not shown as SGI/PPI pending bits */
	vgic_inject(v2, A_SPI0, true);
	ck_assert_uint_eq(rd(va(0), SGI(2, ISPENDR), 4), 0);
}
END_TEST

/*
 * The true pending and active state (issue 18, item 2b): on the main of
 * 2026-12-05 GICR_ISPENDR0 showed only what waited for a list register
 * (an SGI or the timer PPI already listed read 0), ISACTIVER0/ICACTIVER0
 * were RAZ/WI, and GICD_ISPENDR/ISACTIVER showed the physical state of a
 * HW-linked SPI Umbra had acknowledged (active, not pending) instead of
 * the guest's (pending, not yet active).
 */
#define LR_SW(intid) (LR_STATE_PENDING | LR_GROUP1 | ((u64)GIC_PRIO_DEFAULT << LR_PRIO_SHIFT) | (intid))
#define LR_HWL(intid) (LR_SW(intid) | LR_HW | ((u64)(intid) << LR_PINTID_SHIFT))

static void lr_ack(unsigned n)
{
	fake_gic.lr[n] = (fake_gic.lr[n] & ~LR_STATE_MASK) | LR_STATE_ACTIVE;
}

START_TEST(test_gicr_true_state)
{
	struct vcpu *v = va(0);

	wr(v, D(CTLR), 4, BIT(1));
	wr(v, SGI(0, ISENABLER), 4, BIT(27));
	/* an SGI the guest sent itself, already in a list register */
	vgic_inject(v, 3, false);
	/* the timer PPI Umbra took at EL2 (physically active) */
	vgic_inject(v, 27, true);
	fake_gic.active[27] = true;
	vgic_flush(v);
	ck_assert_uint_eq(fake_gic.lr[0], LR_SW(3));
	ck_assert_uint_eq(fake_gic.lr[1], LR_HWL(27));
	ck_assert_uint_eq(rd(v, SGI(0, ISPENDR), 4), BIT(3) | BIT(27));
	ck_assert_uint_eq(rd(v, SGI(0, ISACTIVER), 4), 0);
	/* acknowledged by the guest: active, and the PPI pending again only
	 * while its line is */
	lr_ack(0);
	lr_ack(1);
	ck_assert_uint_eq(rd(v, SGI(0, ISPENDR), 4), 0);
	ck_assert_uint_eq(rd(v, SGI(0, ICACTIVER), 4), BIT(3) | BIT(27));
	fake_gic.pending[27] = true;
	ck_assert_uint_eq(rd(v, SGI(0, ISPENDR), 4), BIT(27));
	/* another vCPU's SGI queued for it reads pending there */
	vgic_inject(va(1), 5, false);
	ck_assert_uint_eq(rd(v, SGI(1, ISPENDR), 4), BIT(5));
	ck_assert_uint_eq(rd(v, SGI(0, ISPENDR), 4), BIT(27));
	/* ICACTIVER ends both; the HW one in the GIC as well */
	wr(v, SGI(0, ICACTIVER), 4, BIT(3) | BIT(27));
	ck_assert_uint_eq(fake_gic.lr[0], 0);
	ck_assert_uint_eq(fake_gic.lr[1], 0);
	ck_assert(!fake_gic.active[27]);
	ck_assert_uint_eq(rd(v, SGI(0, ISACTIVER), 4), 0);
	/* ICPENDR takes a listed SGI back before the guest sees it */
	vgic_inject(v, 6, false);
	vgic_flush(v);
	ck_assert_uint_eq(rd(v, SGI(0, ISPENDR), 4) & BIT(6), BIT(6));
	wr(v, SGI(0, ICPENDR), 4, BIT(6));
	ck_assert_uint_eq(rd(v, SGI(0, ISPENDR), 4) & BIT(6), 0);
	ck_assert_uint_eq(fake_gic.lr[0] | fake_gic.lr[1], 0);
	/* ISACTIVER of an SGI: a list register holds it active */
	wr(v, SGI(0, ISACTIVER), 4, BIT(7));
	ck_assert_uint_eq(rd(v, SGI(0, ISACTIVER), 4), BIT(7));
}
END_TEST

START_TEST(test_gicd_true_state_hw_spi)
{
	struct vcpu *v = va(0);
	const u64 w1 = D(ISPENDR + 4), a1 = D(ISACTIVER + 4), bit = BIT(A_SPI0 - 32);

	wr(v, D(CTLR), 4, BIT(1));
	/* Umbra acknowledged A_SPI0 (active in the GIC), queued for vCPU 0 */
	fake_gic.active[A_SPI0] = true;
	vgic_inject(v, A_SPI0, true);
	ck_assert_uint_eq(rd(v, w1, 4), bit);
	ck_assert_uint_eq(rd(v, a1, 4), 0);
	/* listed: still pending and not active for the guest */
	vgic_flush(v);
	ck_assert_uint_eq(fake_gic.lr[0], LR_HWL(A_SPI0));
	ck_assert_uint_eq(rd(v, w1, 4), bit);
	ck_assert_uint_eq(rd(v, a1, 4), 0);
	/* ICPENDR: the list register goes, the physical one is finished */
	wr(v, D(ICPENDR + 4), 4, bit);
	ck_assert_uint_eq(fake_gic.lr[0], 0);
	ck_assert(!fake_gic.active[A_SPI0] && !fake_gic.pending[A_SPI0]);
	ck_assert_uint_eq(rd(v, w1, 4), 0);
	/* queued and then cleared: also finished in the GIC */
	fake_gic.active[A_SPI0] = true;
	vgic_inject(v, A_SPI0, true);
	wr(v, D(ICPENDR + 4), 4, bit);
	ck_assert(!v->vgic.pending[0] && !fake_gic.active[A_SPI0]);
	/* acknowledged by the guest: active; the line high again: pending too */
	fake_gic.active[A_SPI0] = true;
	vgic_inject(v, A_SPI0, true);
	vgic_flush(v);
	lr_ack(0);
	ck_assert_uint_eq(rd(v, w1, 4), 0);
	ck_assert_uint_eq(rd(v, a1, 4), bit);
	fake_gic.pending[A_SPI0] = true;
	ck_assert_uint_eq(rd(v, w1, 4), bit);
	/* ICACTIVER: deactivated in the list register and the GIC */
	wr(v, D(ICACTIVER + 4), 4, bit);
	ck_assert_uint_eq(fake_gic.lr[0], 0);
	ck_assert(!fake_gic.active[A_SPI0]);
	/* not listed anywhere: the physical state */
	fake_gic.pending[A_SPI0] = false;
	fake_gic.active[A_SPI1] = true;
	ck_assert_uint_eq(rd(v, a1, 4), BIT(A_SPI1 - 32));
}
END_TEST

START_TEST(test_gicr_priority)
{
	struct vcpu *v1 = va(1);
	unsigned i;

	ck_assert_uint_eq(rd(va(0), SGI(1, IPRIORITYR + 5), 1), GIC_PRIO_DEFAULT);
	wr(va(0), SGI(1, IPRIORITYR + 5), 1, 0x30);
	ck_assert_uint_eq(v1->vgic.prio[5], 0x30);
	ck_assert_uint_eq(rd(va(0), SGI(1, IPRIORITYR + 4), 4),
			  0xa0a030a0);
	/* IPRIORITYR7: PPIs 28-31, one word */
	wr(va(0), SGI(1, IPRIORITYR + 28), 4, 0x80706050);
	ck_assert_uint_eq(v1->vgic.prio[28], 0x50);
	ck_assert_uint_eq(v1->vgic.prio[31], 0x80);
	ck_assert_uint_eq(rd(va(0), SGI(1, IPRIORITYR + 31), 1), 0x80);
	ck_assert_uint_eq(rd(va(0), SGI(1, IPRIORITYR + 28), 4), 0x80706050);
	/* IPRIORITYR0-7 of every frame; only that vCPU's */
	for (i = 0; i < 32; i++)
		wr(va(0), SGI(2, IPRIORITYR + i), 1, i * 8);
	for (i = 0; i < 32; i++) {
		ck_assert_uint_eq(va(2)->vgic.prio[i], i * 8);
		ck_assert_uint_eq(va(0)->vgic.prio[i], GIC_PRIO_DEFAULT);
		ck_assert_uint_eq(vb()->vgic.prio[i], GIC_PRIO_DEFAULT);
	}
	ck_assert_uint_eq(rd(va(0), SGI(2, IPRIORITYR + 8), 4), 0x58504840);
	/* not the distributor's */
	ck_assert_uint_eq(a.p.vgic.prio[5], GIC_PRIO_DEFAULT);
	/* IPRIORITYR8 and up: SPIs, not here */
	assert_raz_wi(va(0), SGI(1, IPRIORITYR + 32), 4);
	assert_raz_wi(va(0), SGI(1, IPRIORITYR + 32), 1);
	/* byte and word only */
	assert_raz_wi(va(0), SGI(1, IPRIORITYR + 8), 8);
	assert_raz_wi(va(0), SGI(1, IPRIORITYR + 4), 2);
}
END_TEST

START_TEST(test_gicr_icfgr_igroupr)
{
	/* ICFGR0: SGIs are edge, read-only */
	ck_assert_uint_eq(rd(va(0), SGI(0, ICFGR), 4), 0xaaaaaaaa);
	take_snapshot();
	wr(va(0), SGI(0, ICFGR), 4, 0);
	assert_unchanged("ICFGR0 write", SGI(0, ICFGR), 4);
	ck_assert_uint_eq(rd(va(0), SGI(0, ICFGR), 4), 0xaaaaaaaa);
	/* ICFGR1: PPIs, per vCPU */
	ck_assert_uint_eq(rd(va(0), SGI(2, ICFGR + 4), 4), 0);
	wr(va(0), SGI(2, ICFGR + 4), 4, 2u << (2 * (27 - 16)));
	ck_assert_uint_eq(va(2)->vgic.ppi_edge, 2u << (2 * (27 - 16)));
	ck_assert_uint_eq(rd(va(1), SGI(2, ICFGR + 4), 4), 2u << (2 * (27 - 16)));
	ck_assert_uint_eq(rd(va(1), SGI(1, ICFGR + 4), 4), 0);
	ck_assert_uint_eq(va(0)->vgic.ppi_edge, 0);
	/* nothing physical */
	ck_assert(!fake_gic.edge[27]);
	/* IGROUPR0: all Group 1, read-only */
	ck_assert_uint_eq(rd(va(0), SGI(1, IGROUPR), 4), 0xffffffff);
	take_snapshot();
	wr(va(0), SGI(1, IGROUPR), 4, 0);
	assert_unchanged("IGROUPR0 write", SGI(1, IGROUPR), 4);
	ck_assert_uint_eq(rd(va(0), SGI(1, IGROUPR), 4), 0xffffffff);
	assert_raz_wi(va(0), SGI(1, ICFGR), 8);
	assert_raz_wi(va(0), SGI(1, IGROUPR), 1);
}
END_TEST

START_TEST(test_gicr_frames_bounds)
{
	u64 val = SENTINEL;

	/* a: three frames, to the last word of the last */
	ck_assert(vgic_mmio(va(0), RD(2, 0x1fffc), 4, false, &val));
	ck_assert_uint_eq(val, 0);
	ck_assert_uint_eq(rd(va(0), RD(2, GICR_TYPER), 8) & BIT(4), BIT(4));
	/* beyond its vCPUs: not the vGIC (a stage-2 abort for the caller) */
	val = SENTINEL;
	take_snapshot();
	ck_assert(!vgic_mmio(va(0), RD(3, 0), 4, false, &val));
	ck_assert(!vgic_mmio(va(0), RD(3, 0), 8, true, &(u64){ ~0ULL }));
	ck_assert(!vgic_mmio(va(0), RD(3, GICR_TYPER), 8, false, &val));
	ck_assert(!vgic_mmio(va(0), RD(3, 0x10100), 4, true, &(u64){ ~0ULL }));
	ck_assert(!vgic_mmio(va(2), RD(7, GICR_WAKER), 4, true, &(u64){ 0 }));
	ck_assert(!vgic_mmio(va(0), GICR_BASE - 4, 4, false, &val));
	ck_assert_uint_eq(val, SENTINEL);
	/* b: one frame only */
	ck_assert(vgic_mmio(vb(), RD(0, GICR_WAKER), 4, false, &val));
	ck_assert(!vgic_mmio(vb(), RD(1, 0), 4, false, &val));
	ck_assert(!vgic_mmio(vb(), RD(1, GICR_WAKER), 4, true, &(u64){ 0 }));
	ck_assert(!vgic_mmio(vb(), RD(1, 0x10100), 4, true, &(u64){ ~0ULL }));
	ck_assert(!vgic_mmio(vb(), RD(2, 0x10200), 4, true, &(u64){ ~0ULL }));
	assert_unchanged("write beyond the frames", RD(1, 0), 4);
	/* unaligned */
	val = SENTINEL;
	ck_assert(!vgic_mmio(va(0), RD(0, GICR_WAKER + 2), 4, false, &val));
	ck_assert(!vgic_mmio(va(0), RD(0, GICR_TYPER + 4), 8, false, &val));
	ck_assert(!vgic_mmio(va(0), SGI(0, IPRIORITYR + 1), 2, false, &val));
	ck_assert_uint_eq(val, SENTINEL);
}
END_TEST

START_TEST(test_gicr_own_partition_only)
{
	/* frame 0 is a's vCPU 0 for a, b's vCPU 0 for b: same IPA */
	wr(vb(), SGI(0, ISENABLER), 4, BIT(27));
	ck_assert_uint_eq(vb()->vgic.enabled, 0xffff | BIT(27));
	ck_assert_uint_eq(va(0)->vgic.enabled, 0xffff);
	ck_assert_uint_eq(rd(va(0), SGI(0, ISENABLER), 4), 0xffff);
	wr(va(0), RD(0, GICR_WAKER), 4, 0);
	ck_assert(!va(0)->vgic.asleep);
	ck_assert(vb()->vgic.asleep);
	wr(va(2), SGI(0, ISPENDR), 4, BIT(1));
	ck_assert_uint_eq(va(0)->vgic.pending[0], BIT(1));
	ck_assert_uint_eq(vb()->vgic.pending[0], 0);
	wr(vb(), SGI(0, IPRIORITYR), 1, 0x10);
	ck_assert_uint_eq(vb()->vgic.prio[0], 0x10);
	ck_assert_uint_eq(va(0)->vgic.prio[0], GIC_PRIO_DEFAULT);
	/* any vCPU of a reaches all of a's frames */
	wr(va(2), SGI(1, ISENABLER), 4, BIT(30));
	ck_assert_uint_eq(va(1)->vgic.enabled, 0xffff | BIT(30));
}
END_TEST

static TCase *tcase(Suite *s, const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, setup, teardown);
	suite_add_tcase(s, tc);
	return tc;
}

Suite *vgic_mmio_suite(void)
{
	Suite *s = suite_create("vgic_mmio");

	tcase_add_test(tcase(s, "gicd_ctlr"), test_gicd_ctlr);
	tcase_add_test(tcase(s, "gicd_ids"), test_gicd_ids);
	tcase_add_loop_test(tcase(s, "gicd_set_clear"), test_gicd_set_clear, 0,
			    ARRAY_SIZE(set_clear));
	tcase_add_test(tcase(s, "gicd_priority"), test_gicd_priority);
	tcase_add_test(tcase(s, "gicd_icfgr"), test_gicd_icfgr);
	tcase_add_test(tcase(s, "gicd_irouter"), test_gicd_irouter);
	tcase_add_test(tcase(s, "gicd_irouter_halves"), test_gicd_irouter_halves);
	tcase_add_test(tcase(s, "gicd_igroupr"), test_gicd_igroupr);
	tcase_add_test(tcase(s, "gicd_reserved"), test_gicd_reserved);
	tcase_add_test(tcase(s, "gicd_bad_widths"), test_gicd_bad_widths);
	tcase_add_test(tcase(s, "gicd_unaligned_and_outside"), test_gicd_unaligned_and_outside);
	tcase_add_test(tcase(s, "gicr_typer"), test_gicr_typer);
	tcase_add_test(tcase(s, "gicr_ids_and_reserved"), test_gicr_ids_and_reserved);
	tcase_add_test(tcase(s, "gicr_waker"), test_gicr_waker);
	tcase_add_test(tcase(s, "gicr_lpi_tables"), test_gicr_lpi_tables);
	tcase_add_test(tcase(s, "gicr_enable"), test_gicr_enable);
	tcase_add_test(tcase(s, "gicr_pending"), test_gicr_pending);
	tcase_add_test(tcase(s, "gicr_true_state"), test_gicr_true_state);
	tcase_add_test(tcase(s, "gicd_true_state_hw_spi"), test_gicd_true_state_hw_spi);
	tcase_add_test(tcase(s, "gicr_priority"), test_gicr_priority);
	tcase_add_test(tcase(s, "gicr_icfgr_igroupr"), test_gicr_icfgr_igroupr);
	tcase_add_test(tcase(s, "gicr_frames_bounds"), test_gicr_frames_bounds);
	tcase_add_test(tcase(s, "gicr_own_partition_only"), test_gicr_own_partition_only);
	return s;
}
