// SPDX-License-Identifier: Apache-2.0
/*
 * Channels at run time (hyp/devices/channel.c) driven through
 * hypercall_dispatch() like an HVC #0: CHANNEL_INFO and CHANNEL_NOTIFY
 * with good and hostile ids, doorbells reaching only the peer, the
 * stage-2 mappings (read-write, read-only, absent for strangers), the
 * boot-time scrub and the restart doorbell.
 */
#include <stdio.h>

#include "unit.h"

#include "devices/channel.h"
#include "umbra_abi.h"

#define CHAN0_BASE 0x5f000000ULL   /* alpha <-> beta, read-only for beta */
#define CHAN0_SIZE 0x2000ULL
#define CHAN1_BASE 0x5f100000ULL   /* beta <-> gamma */
#define CHAN1_SIZE 0x1000ULL
#define ALPHA_SPI 64               /* DT SPI numbers */
#define BETA_SPI 65
#define BETA_SPI1 66
#define GAMMA_SPI 67
#define INTID(spi) ((spi) + GIC_SPI_BASE)
#define POOL_PAGES 64
#define SENTINEL(i) UNIT_SENTINEL(i)
#define INVALID_PARAM ((u64)(s64)UMBRA_E_INVALID_PARAM)
#define DENIED ((u64)(s64)UMBRA_E_DENIED)
#define NOT_SUPPORTED ((u64)(s64)UMBRA_E_NOT_SUPPORTED)

static struct test_guest alpha, beta, gamma_;
static struct umbra_config ucfg;
static struct page_pool pool;

static void add_end(struct test_guest *g, unsigned id, u64 base, u64 size, unsigned spi,
		    bool ro, const struct test_guest *peer, unsigned peer_spi)
{
	struct chan_end *e = &g->cfg.chan[g->cfg.nr_chan++];

	e->id = id;
	e->mem = (struct mem_range){ base, size };
	e->intid = INTID(spi);
	e->read_only = ro;
	e->first = g->p.id < peer->p.id;
	e->peer = peer->p.id;
	e->peer_intid = INTID(peer_spi);
	snprintf(e->peer_name, sizeof(e->peer_name), "%s", peer->cfg.name);
}

static void setup(void)
{
	struct test_guest *g[] = { &alpha, &beta, &gamma_ };
	unsigned i;

	fake_arch_reset();
	capture_start();
	page_pool_init(&pool, unit_alloc(PAGE_SIZE, POOL_PAGES * PAGE_SIZE),
		       POOL_PAGES * PAGE_SIZE);
	guest_init(&alpha, "alpha", 0, 1, 1, 0x10000);
	guest_init(&beta, "beta", 1, 2, 1, 0x10000);
	guest_init(&gamma_, "gamma", 2, 1, 1, 0x10000);
	add_end(&alpha, 0, CHAN0_BASE, CHAN0_SIZE, ALPHA_SPI, false, &beta, BETA_SPI);
	add_end(&beta, 0, CHAN0_BASE, CHAN0_SIZE, BETA_SPI, true, &alpha, ALPHA_SPI);
	add_end(&beta, 1, CHAN1_BASE, CHAN1_SIZE, BETA_SPI1, false, &gamma_, GAMMA_SPI);
	add_end(&gamma_, 1, CHAN1_BASE, CHAN1_SIZE, GAMMA_SPI, false, &beta, BETA_SPI1);
	memset(&ucfg, 0, sizeof(ucfg));
	ucfg.nr_chans = 2;
	ucfg.chan_mem[0] = (struct mem_range){ CHAN0_BASE, CHAN0_SIZE };
	ucfg.chan_mem[1] = (struct mem_range){ CHAN1_BASE, CHAN1_SIZE };
	memset(phys_map(CHAN0_BASE, CHAN0_SIZE), 0xa5, CHAN0_SIZE);
	memset(phys_map(CHAN1_BASE, CHAN1_SIZE), 0xa5, CHAN1_SIZE);
	channel_boot(&ucfg);
	for (i = 0; i < ARRAY_SIZE(g); i++) {
		ck_assert_int_eq(pgtable_init(&g[i]->p.s2, PT_S2, (u16)(i + 1), &pool), 0);
		ck_assert_int_eq(channel_attach(&g[i]->p), 0);
		vgic_init(&g[i]->p, 0x08000000, 0x080a0000);
		vcpu_enter_fake(&g[i]->p.vcpu[0]);
	}
}

static void teardown(void)
{
	unit_free_all();
}

static void call(struct vcpu *v, u64 x0, u64 x1)
{
	unit_hvc(v, x0, x1, UNIT_SENTINEL(2), UNIT_SENTINEL(3));
}

static bool soft_raised(struct test_guest *g, unsigned spi)
{
	unsigned intid = INTID(spi), i;
	bool any = vgic_soft_get(&g->p, intid, false);

	for (i = 0; i < g->p.nr_vcpus; i++)
		any |= (g->p.vcpu[i].vgic.pending[intid / 64] >> (intid % 64)) & 1;
	return any;
}

START_TEST(test_info)
{
	struct vcpu *a = &alpha.p.vcpu[0], *b = &beta.p.vcpu[0];

	call(a, UMBRA_HC_CHANNEL_INFO, 0);
	ck_assert_uint_eq(a->regs.x[0], UMBRA_OK);
	ck_assert_uint_eq(a->regs.x[1], CHAN0_BASE);
	ck_assert_uint_eq(a->regs.x[2], CHAN0_SIZE);
	ck_assert_uint_eq(a->regs.x[3], UMBRA_CHAN_WRITABLE | UMBRA_CHAN_FIRST |
					(ALPHA_SPI << UMBRA_CHAN_SPI_SHIFT));
	call(b, UMBRA_HC_CHANNEL_INFO, 0);
	ck_assert_uint_eq(b->regs.x[0], UMBRA_OK);
	ck_assert_uint_eq(b->regs.x[3], (u64)BETA_SPI << UMBRA_CHAN_SPI_SHIFT); /* read-only */
	call(b, UMBRA_HC_CHANNEL_INFO, 1);
	ck_assert_uint_eq(b->regs.x[1], CHAN1_BASE);
	ck_assert_uint_eq(b->regs.x[3], UMBRA_CHAN_WRITABLE | UMBRA_CHAN_FIRST |
					(BETA_SPI1 << UMBRA_CHAN_SPI_SHIFT));
}
END_TEST

/* Hostile ids: beyond the channels (any width), or not the caller's.
 * Nothing leaks in x1..x3 and nothing rings. */
START_TEST(test_hostile_ids)
{
	static const u64 bad[] = { 2, 3, 8, 0xffffffffULL, 1ULL << 32, ~0ULL, 0x8000000000000000ULL };
	static const u32 fids[] = { UMBRA_HC_CHANNEL_INFO, UMBRA_HC_CHANNEL_NOTIFY };
	struct vcpu *a = &alpha.p.vcpu[0], *c = &gamma_.p.vcpu[0];
	unsigned i, f;

	for (f = 0; f < ARRAY_SIZE(fids); f++) {
		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			call(a, fids[f], bad[i]);
			ck_assert_uint_eq(a->regs.x[0], INVALID_PARAM);
			ck_assert_uint_eq(a->regs.x[1], 0);
			ck_assert_uint_eq(a->regs.x[2], 0);
			ck_assert_uint_eq(a->regs.x[3], 0);
		}
		call(a, fids[f], 1);   /* beta <-> gamma: not alpha's */
		ck_assert_uint_eq(a->regs.x[0], DENIED);
		ck_assert_uint_eq(a->regs.x[1], 0);
		call(c, fids[f], 0);   /* alpha <-> beta: not gamma's */
		ck_assert_uint_eq(c->regs.x[0], DENIED);
		ck_assert_uint_eq(c->regs.x[1], 0);
	}
	ck_assert(!soft_raised(&alpha, ALPHA_SPI) && !soft_raised(&beta, BETA_SPI) &&
		  !soft_raised(&beta, BETA_SPI1) && !soft_raised(&gamma_, GAMMA_SPI));
	/* only the SMC64 IDs exist */
	call(a, UMBRA_HC_CHANNEL_NOTIFY & ~SMCCC_SMC64, 0);
	ck_assert_uint_eq(a->regs.x[0], NOT_SUPPORTED);
	call(a, UMBRA_HC_CHANNEL_INFO & ~SMCCC_SMC64, 0);
	ck_assert_uint_eq(a->regs.x[0], NOT_SUPPORTED);
}
END_TEST

START_TEST(test_notify)
{
	struct vcpu *a = &alpha.p.vcpu[0], *b = &beta.p.vcpu[0];

	/* disabled in beta's distributor: held pending */
	call(a, UMBRA_HC_CHANNEL_NOTIFY, 0);
	ck_assert_uint_eq(a->regs.x[0], UMBRA_OK);
	ck_assert(vgic_soft_get(&beta.p, INTID(BETA_SPI), false));
	ck_assert(!soft_raised(&alpha, ALPHA_SPI));
	ck_assert(!soft_raised(&beta, BETA_SPI1) && !soft_raised(&gamma_, GAMMA_SPI));
	/* enabled: delivered to beta's vCPU 0, beta's CPU kicked */
	vgic_init(&beta.p, 0x08000000, 0x080a0000);
	vgic_soft_set(&beta.p, INTID(BETA_SPI), true, true);
	fake_gic.sgis = 0;
	call(a, UMBRA_HC_CHANNEL_NOTIFY, 0);
	ck_assert_uint_eq(a->regs.x[0], UMBRA_OK);
	ck_assert(soft_raised(&beta, BETA_SPI));
	ck_assert_uint_ge(fake_gic.sgis, 1);
	/* the other way: beta rings alpha on the same channel (read-only
	 * for beta, but doorbells go both ways) */
	call(b, UMBRA_HC_CHANNEL_NOTIFY, 0);
	ck_assert_uint_eq(b->regs.x[0], UMBRA_OK);
	ck_assert(soft_raised(&alpha, ALPHA_SPI));
	ck_assert(!soft_raised(&gamma_, GAMMA_SPI));
	call(b, UMBRA_HC_CHANNEL_NOTIFY, 1);
	ck_assert(soft_raised(&gamma_, GAMMA_SPI));
}
END_TEST

START_TEST(test_notify_stopped_peer)
{
	struct vcpu *a = &alpha.p.vcpu[0];

	beta.p.state = PART_STOPPED;
	call(a, UMBRA_HC_CHANNEL_NOTIFY, 0);
	ck_assert_uint_eq(a->regs.x[0], UMBRA_OK);
	ck_assert(!soft_raised(&beta, BETA_SPI));
	beta.p.state = PART_RESTARTING;
	call(a, UMBRA_HC_CHANNEL_NOTIFY, 0);
	ck_assert(!soft_raised(&beta, BETA_SPI));
}
END_TEST

START_TEST(test_restart_rings_peers)
{
	channel_peer_restarted(&beta.p);
	ck_assert(soft_raised(&alpha, ALPHA_SPI));
	ck_assert(soft_raised(&gamma_, GAMMA_SPI));
	ck_assert(!soft_raised(&beta, BETA_SPI) && !soft_raised(&beta, BETA_SPI1));
}
END_TEST

START_TEST(test_stage2)
{
	unsigned attrs;
	paddr_t pa;

	ck_assert(pgtable_lookup(&alpha.p.s2, CHAN0_BASE + CHAN0_SIZE - 1, &pa, &attrs, NULL));
	ck_assert_uint_eq(pa_addr(pa), CHAN0_BASE + CHAN0_SIZE - 1);
	ck_assert_uint_eq(attrs & (PT_R | PT_W | PT_X | PT_DEVICE), PT_R | PT_W);
	ck_assert(pgtable_lookup(&beta.p.s2, CHAN0_BASE, &pa, &attrs, NULL));
	ck_assert_uint_eq(attrs & (PT_R | PT_W | PT_X | PT_DEVICE), PT_R);
	ck_assert(!pgtable_lookup(&beta.p.s2, CHAN0_BASE + CHAN0_SIZE, NULL, NULL, NULL));
	ck_assert(!pgtable_lookup(&gamma_.p.s2, CHAN0_BASE, NULL, NULL, NULL));
	ck_assert(!pgtable_lookup(&alpha.p.s2, CHAN1_BASE, NULL, NULL, NULL));
	ck_assert(pgtable_lookup(&gamma_.p.s2, CHAN1_BASE, NULL, &attrs, NULL));
	ck_assert_uint_eq(attrs & (PT_R | PT_W | PT_X), PT_R | PT_W);
	/* doorbells are software SPIs of exactly their receivers */
	ck_assert(vgic_is_soft(&alpha.p, INTID(ALPHA_SPI)));
	ck_assert(vgic_is_soft(&beta.p, INTID(BETA_SPI)) && vgic_is_soft(&beta.p, INTID(BETA_SPI1)));
	ck_assert(!vgic_is_soft(&alpha.p, INTID(BETA_SPI)) && !vgic_is_soft(&gamma_.p, INTID(BETA_SPI1)));
}
END_TEST

/* A doorbell beyond the GIC's SPIs: refused when the partition is built
 * (the guest could never enable it), with one line saying why. */
START_TEST(test_doorbell_beyond_gic)
{
	struct test_guest g;

	guest_init(&g, "delta", 3, 1, 1, 0x10000);
	add_end(&g, 0, CHAN0_BASE, CHAN0_SIZE, 200, false, &alpha, ALPHA_SPI);
	ck_assert_int_eq(pgtable_init(&g.p.s2, PT_S2, 4, &pool), 0);
	fake_gic.nr_spis = 200;
	capture_clear();
	ck_assert_int_eq(channel_attach(&g.p), -E_INVAL);
	ck_assert_uint_eq(captured_count("delta: channel 0: doorbell SPI 200 is beyond the GIC's 200 SPIs"), 1);
	fake_gic.nr_spis = 201;
	ck_assert_int_eq(channel_attach(&g.p), 0);
}
END_TEST

START_TEST(test_boot_scrub)
{
	const u8 *m0 = phys_ptr(CHAN0_BASE), *m1 = phys_ptr(CHAN1_BASE);
	u64 i;

	for (i = 0; i < CHAN0_SIZE; i++)
		expect_true(m0[i] == 0, "channel 0 byte %lu not scrubbed", (unsigned long)i);
	for (i = 0; i < CHAN1_SIZE; i++)
		expect_true(m1[i] == 0, "channel 1 byte %lu not scrubbed", (unsigned long)i);
}
END_TEST

Suite *channel_suite(void)
{
	Suite *s = suite_create("channel");
	TCase *tc = tcase_create("channel");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_info);
	tcase_add_test(tc, test_hostile_ids);
	tcase_add_test(tc, test_notify);
	tcase_add_test(tc, test_notify_stopped_peer);
	tcase_add_test(tc, test_restart_rings_peers);
	tcase_add_test(tc, test_stage2);
	tcase_add_test(tc, test_boot_scrub);
	tcase_add_test(tc, test_doorbell_beyond_gic);
	suite_add_tcase(s, tc);
	return s;
}
