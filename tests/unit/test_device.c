// SPDX-License-Identifier: Apache-2.0
/*
 * Shared devices (hyp/devices/device.c): the ownership state machine, every
 * legal and illegal transition; then the hypercalls on two partitions built
 * from tests/unit/dts/devices.dts: stage-2 map/unmap with TLB invalidation,
 * interrupt quiescing (physical, vGIC ownership, queued and listed copies on
 * every vCPU of the loser), the guest DTs, restart and stop of a holder,
 * and hostile arguments.
 */
#include <libfdt.h>

#include "unit.h"
#include "devices/device.h"
#include "umbra_abi.h"

#define A_RAM 0x50000000ULL
#define B_RAM 0x58000000ULL
#define RAM_SIZE 0x00400000ULL
#define A_IMAGE 0x41000000ULL
#define B_IMAGE 0x42000000ULL
#define STAGING_SIZE 0x00100000ULL
#define IMAGE_SIZE 0x2000ULL
#define POOL_PAGES 16
#define GPIO 0            /* shared device ids: index among the nodes */
#define RTC 1
#define GPIO_PA 0x09030000ULL
#define GPIO_SPI 39
#define RTC_PA 0x09010000ULL
#define A_DTB (A_RAM + RAM_SIZE - GUEST_DTB_MAX)
#define B_DTB (B_RAM + RAM_SIZE - GUEST_DTB_MAX)

/* ---- the state machine alone ---- */

#define P0 0
#define P1 1
#define P2 2              /* not a holder */

static struct dev_slot mk(enum dev_state st, int holder, int to)
{
	return (struct dev_slot){ .state = st, .holder = holder, .to = to, .holders = 0x3 };
}

struct step_case {
	struct dev_slot from;
	enum dev_op op;
	int part;
	int ret;
	enum dev_state state;      /* after */
	int holder, to;
};

START_TEST(test_state_machine)
{
	const int N = DEV_NOBODY;
	const struct step_case c[] = {
		/* FREE */
		{ mk(DEV_FREE, N, N), DEV_OP_CLAIM, P0, 0, DEV_IN_TRANSFER, N, P0 },
		{ mk(DEV_FREE, N, N), DEV_OP_CLAIM, P1, 0, DEV_IN_TRANSFER, N, P1 },
		{ mk(DEV_FREE, N, N), DEV_OP_CLAIM, P2, UMBRA_E_DENIED, DEV_FREE, N, N },
		{ mk(DEV_FREE, N, N), DEV_OP_CLAIM, -1, UMBRA_E_DENIED, DEV_FREE, N, N },
		{ mk(DEV_FREE, N, N), DEV_OP_CLAIM, 99, UMBRA_E_DENIED, DEV_FREE, N, N },
		{ mk(DEV_FREE, N, N), DEV_OP_RELEASE, P0, UMBRA_E_DENIED, DEV_FREE, N, N },
		{ mk(DEV_FREE, N, N), DEV_OP_RELEASE, P2, UMBRA_E_DENIED, DEV_FREE, N, N },
		{ mk(DEV_FREE, N, N), DEV_OP_DONE, P0, UMBRA_E_INVALID_PARAM, DEV_FREE, N, N },
		/* OWNED(P0) */
		{ mk(DEV_OWNED, P0, N), DEV_OP_CLAIM, P0, 1, DEV_OWNED, P0, N },
		{ mk(DEV_OWNED, P0, N), DEV_OP_CLAIM, P1, UMBRA_E_BUSY, DEV_OWNED, P0, N },
		{ mk(DEV_OWNED, P0, N), DEV_OP_CLAIM, P2, UMBRA_E_DENIED, DEV_OWNED, P0, N },
		{ mk(DEV_OWNED, P0, N), DEV_OP_RELEASE, P0, 0, DEV_IN_TRANSFER, P0, N },
		{ mk(DEV_OWNED, P0, N), DEV_OP_RELEASE, P1, UMBRA_E_DENIED, DEV_OWNED, P0, N },
		{ mk(DEV_OWNED, P0, N), DEV_OP_RELEASE, P2, UMBRA_E_DENIED, DEV_OWNED, P0, N },
		{ mk(DEV_OWNED, P0, N), DEV_OP_DONE, P0, UMBRA_E_INVALID_PARAM, DEV_OWNED, P0, N },
		/* IN_TRANSFER: being claimed by P1 */
		{ mk(DEV_IN_TRANSFER, N, P1), DEV_OP_CLAIM, P0, UMBRA_E_BUSY, DEV_IN_TRANSFER, N, P1 },
		{ mk(DEV_IN_TRANSFER, N, P1), DEV_OP_CLAIM, P1, UMBRA_E_BUSY, DEV_IN_TRANSFER, N, P1 },
		{ mk(DEV_IN_TRANSFER, N, P1), DEV_OP_CLAIM, P2, UMBRA_E_DENIED, DEV_IN_TRANSFER, N, P1 },
		{ mk(DEV_IN_TRANSFER, N, P1), DEV_OP_RELEASE, P1, UMBRA_E_BUSY, DEV_IN_TRANSFER, N, P1 },
		{ mk(DEV_IN_TRANSFER, N, P1), DEV_OP_RELEASE, P0, UMBRA_E_DENIED, DEV_IN_TRANSFER, N, P1 },
		{ mk(DEV_IN_TRANSFER, N, P1), DEV_OP_DONE, P1, 1, DEV_OWNED, P1, N },
		/* IN_TRANSFER: being released by P0 */
		{ mk(DEV_IN_TRANSFER, P0, N), DEV_OP_CLAIM, P1, UMBRA_E_BUSY, DEV_IN_TRANSFER, P0, N },
		{ mk(DEV_IN_TRANSFER, P0, N), DEV_OP_CLAIM, P0, UMBRA_E_BUSY, DEV_IN_TRANSFER, P0, N },
		{ mk(DEV_IN_TRANSFER, P0, N), DEV_OP_RELEASE, P0, UMBRA_E_BUSY, DEV_IN_TRANSFER, P0, N },
		{ mk(DEV_IN_TRANSFER, P0, N), DEV_OP_RELEASE, P1, UMBRA_E_DENIED, DEV_IN_TRANSFER, P0, N },
		{ mk(DEV_IN_TRANSFER, P0, N), DEV_OP_RELEASE, P2, UMBRA_E_DENIED, DEV_IN_TRANSFER, P0, N },
		{ mk(DEV_IN_TRANSFER, P0, N), DEV_OP_DONE, P0, 1, DEV_FREE, N, N },
	};
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		struct dev_slot s = c[i].from;
		int r = device_step(&s, c[i].op, c[i].part);

		ck_assert_msg(r == c[i].ret, "case %u: returned %d, want %d", i, r, c[i].ret);
		ck_assert_msg(s.state == c[i].state && s.holder == c[i].holder && s.to == c[i].to,
			      "case %u: state %d holder %d to %d, want %d %d %d", i, s.state,
			      s.holder, s.to, c[i].state, c[i].holder, c[i].to);
		ck_assert_uint_eq(s.holders, 0x3);
	}
	/* an unknown op changes nothing */
	{
		struct dev_slot s = mk(DEV_FREE, N, N);

		ck_assert_int_eq(device_step(&s, (enum dev_op)7, P0), UMBRA_E_INVALID_PARAM);
		ck_assert_int_eq(s.state, DEV_FREE);
	}
}
END_TEST

/* ---- on partitions ---- */

static struct platform plat;
static struct umbra_config cfg;
static struct partition parts[2];
static struct page_pool pool;
static const void *fdt;
#define pa (&parts[0])
#define pb (&parts[1])
static unsigned flushes_on_kick;

/* Another CPU takes the kick SGI: its vCPU parks if it may not resume,
 * else it goes back into the guest through vgic_flush (as trap.c does). */
static void kick(u64 mpidr, unsigned sgi)
{
	unsigned i, j;
	u64 saved = fake_arch.mpidr;

	if (sgi != GIC_KICK_SGI)
		return;
	for (i = 0; i < 2; i++)
		for (j = 0; j < parts[i].nr_vcpus; j++) {
			struct vcpu *v = &parts[i].vcpu[j];

			if (parts[i].cfg->cpu_mpidr[j] != mpidr || v->parked)
				continue;
			if (!vcpu_resumable(v)) {
				v->parked = true;
				continue;
			}
			fake_arch.mpidr = mpidr;
			if (vgic_flush_needed(&v->vgic)) {
				vgic_flush(v);
				flushes_on_kick++;
			}
			fake_arch.mpidr = saved;
		}
}

static void setup(void)
{
	struct diag d = { 0 };
	struct cfg_env env = unit_cfg_env(&plat);
	unsigned i;

	fake_arch_reset();
	partition_stopped_calls = 0;
	flushes_on_kick = 0;
	phys_map(A_RAM, RAM_SIZE);
	phys_map(B_RAM, RAM_SIZE);
	phys_map(A_IMAGE, STAGING_SIZE);
	phys_map(B_IMAGE, STAGING_SIZE);
	put_arm64_image(A_IMAGE, 0, IMAGE_SIZE, 1);
	put_arm64_image(B_IMAGE, 0, IMAGE_SIZE, 2);
	fdt = load_dtb("devices");
	ck_assert_uint_eq(platform_parse(fdt, &plat, &d), 0);
	ck_assert_uint_eq(config_parse(fdt, &env, &cfg, &d), 0);
	page_pool_init(&pool, unit_alloc(PAGE_SIZE, POOL_PAGES * PAGE_SIZE), POOL_PAGES * PAGE_SIZE);
	device_init(&cfg, parts);
	for (i = 0; i < 2; i++) {
		struct partition *p = &parts[i];
		unsigned j;

		ck_assert_int_eq(partition_create(p, i, &cfg.part[i], fdt, &plat, &pool), 0);
		for (j = 0; j < p->nr_vcpus; j++)
			p->vcpu[j].parked = true;
		vcpu_enter_fake(&p->vcpu[0]);
	}
	/* a's vCPU 1 runs too */
	pa->vcpu[1].on = true;
	vcpu_enter_fake(&pa->vcpu[1]);
	fake_gic.sgi_hook = kick;
	capture_start();
	capture_clear();
}

static void teardown(void)
{
	unit_free_all();
}

/* (no register checks: some calls here restart the caller) */
static u64 call(struct vcpu *v, u64 x0, u64 x1)
{
	fake_arch.mpidr = v->part->cfg->cpu_mpidr[v->index];
	v->regs.x[0] = x0;
	v->regs.x[1] = x1;
	hypercall_dispatch(v);
	return v->regs.x[0];
}

static bool mapped(struct partition *p, u64 ipa)
{
	unsigned attrs;
	paddr_t out;

	if (!pgtable_lookup(&p->s2, ipa, &out, &attrs, NULL))
		return false;
	ck_assert_uint_eq(pa_addr(out), ipa);
	ck_assert_uint_eq(attrs, PT_R | PT_W | PT_DEVICE);  /* Device, never executable */
	return true;
}

/* The status of node path in the DT at dtb: NULL (absent), "" (no status). */
static const char *dt_status(u64 dtb, const char *path)
{
	int node = fdt_path_offset(phys_ptr(dtb), path);
	const char *st;

	if (node < 0)
		return NULL;
	st = fdt_getprop(phys_ptr(dtb), node, "status", NULL);
	return st ? st : "";
}

static void expect_state(struct vcpu *v, u64 id, u64 state, u64 holder)
{
	ck_assert_uint_eq(call(v, UMBRA_HC_DEVICE_STATE, id), UMBRA_OK);
	ck_assert_uint_eq(v->regs.x[1], state);
	ck_assert_uint_eq(v->regs.x[2], holder);
}

START_TEST(test_boot)
{
	ck_assert(mapped(pa, GPIO_PA));
	ck_assert(!mapped(pb, GPIO_PA));
	ck_assert(!mapped(pa, RTC_PA) && !mapped(pb, RTC_PA));
	ck_assert(vgic_owns(pa, GPIO_SPI) && !vgic_owns(pb, GPIO_SPI));
	ck_assert_uint_eq(fake_gic.route[GPIO_SPI], cfg.part[0].cpu_mpidr[0]);
	/* the node is in every holder's DT, disabled where not held */
	ck_assert_str_eq(dt_status(A_DTB, "/pl061@9030000"), "");
	ck_assert_str_eq(dt_status(B_DTB, "/pl061@9030000"), "disabled");
	ck_assert_ptr_null(dt_status(A_DTB, "/pl031@9010000"));
	ck_assert_str_eq(dt_status(B_DTB, "/pl031@9010000"), "disabled");
	expect_state(&pb->vcpu[0], GPIO, UMBRA_DEV_OWNED, 0);
	expect_state(&pb->vcpu[0], RTC, UMBRA_DEV_FREE, ~0UL);
}
END_TEST

START_TEST(test_hostile)
{
	const u64 bad_ids[] = { 2, 8, 0xffffffffUL, 1UL << 32, ~0UL, (u64)-2 };
	const u32 fids[] = { UMBRA_HC_DEVICE_CLAIM, UMBRA_HC_DEVICE_RELEASE,
			     UMBRA_HC_DEVICE_STATE };
	struct vcpu *b = &pb->vcpu[0], *a = &pa->vcpu[0];
	unsigned i, f;

	for (f = 0; f < ARRAY_SIZE(fids); f++)
		for (i = 0; i < ARRAY_SIZE(bad_ids); i++)
			ck_assert_int_eq((s64)call(b, fids[f], bad_ids[i]), UMBRA_E_INVALID_PARAM);
	/* the 32-bit forms of the 64-bit calls do not exist */
	ck_assert_int_eq((s64)call(b, UMBRA_HC_DEVICE_CLAIM & ~SMCCC_SMC64, RTC),
			 UMBRA_E_NOT_SUPPORTED);
	/* claim of a device held by another: BUSY, nothing moves */
	ck_assert_int_eq((s64)call(b, UMBRA_HC_DEVICE_CLAIM, GPIO), UMBRA_E_BUSY);
	/* release by a non-holder */
	ck_assert_int_eq((s64)call(b, UMBRA_HC_DEVICE_RELEASE, GPIO), UMBRA_E_DENIED);
	ck_assert_int_eq((s64)call(b, UMBRA_HC_DEVICE_RELEASE, RTC), UMBRA_E_DENIED);
	/* a partition not among the holders may not claim, release or look */
	ck_assert_int_eq((s64)call(a, UMBRA_HC_DEVICE_CLAIM, RTC), UMBRA_E_DENIED);
	ck_assert_int_eq((s64)call(a, UMBRA_HC_DEVICE_RELEASE, RTC), UMBRA_E_DENIED);
	ck_assert_int_eq((s64)call(a, UMBRA_HC_DEVICE_STATE, RTC), UMBRA_E_DENIED);
	/* a claim by the holder is a no-op */
	ck_assert_int_eq((s64)call(a, UMBRA_HC_DEVICE_CLAIM, GPIO), UMBRA_OK);
	ck_assert(mapped(pa, GPIO_PA) && !mapped(pb, GPIO_PA));
	ck_assert(vgic_owns(pa, GPIO_SPI) && !vgic_owns(pb, GPIO_SPI));
	expect_state(b, GPIO, UMBRA_DEV_OWNED, 0);
	ck_assert_str_eq(captured(), "");
}
END_TEST

START_TEST(test_release_quiesces)
{
	struct vcpu *a0 = &pa->vcpu[0], *a1 = &pa->vcpu[1];

	/* the GPIO's SPI is enabled, active in a list register of vCPU 0 and
	 * queued for vCPU 1; another SPI of a's is queued too */
	vgic_own_spi(pa, 40);
	gic_set_enable(GPIO_SPI, true);
	gic_set_active(GPIO_SPI, true);
	fake_gic.lr[0] = LR_STATE_ACTIVE | LR_HW | LR_GROUP1 | ((u64)GPIO_SPI << LR_PINTID_SHIFT) |
			 GPIO_SPI;
	fake_gic.lr[1] = LR_STATE_PENDING | LR_GROUP1 | 27;
	vgic_inject(a1, GPIO_SPI, true);
	vgic_inject(a1, 40, true);
	fake_arch.tlb_invals = 0;

	ck_assert_int_eq((s64)call(a0, UMBRA_HC_DEVICE_RELEASE, GPIO), UMBRA_OK);
	/* unmapped, with the TLB invalidated for a's VMID at that page */
	ck_assert(!mapped(pa, GPIO_PA));
	ck_assert_uint_ge(fake_arch.tlb_invals, 1);
	ck_assert_uint_eq(fake_arch.tlb[0].vmid, pa->s2.vmid);
	ck_assert_uint_eq(fake_arch.tlb[0].va, GPIO_PA);
	/* the interrupt: disabled, idle, not a's any more */
	ck_assert(!fake_gic.enabled[GPIO_SPI] && !fake_gic.pending[GPIO_SPI] &&
		  !fake_gic.active[GPIO_SPI]);
	ck_assert(!vgic_owns(pa, GPIO_SPI) && vgic_owns(pa, 40));
	/* dropped from the list registers (the timer PPI stays) and from
	 * vCPU 1's queue, which its own CPU emptied when kicked */
	ck_assert_uint_eq(fake_gic.lr[0], 0);
	ck_assert_uint_eq(fake_gic.lr[1], LR_STATE_PENDING | LR_GROUP1 | 27);
	ck_assert_uint_ge(flushes_on_kick, 1);
	ck_assert(!a1->vgic.purge && !a0->vgic.purge);
	ck_assert(!((a1->vgic.pending[0] >> GPIO_SPI) & 1));
	/* a's other SPI stays queued (its distributor is off) */
	ck_assert((a1->vgic.pending[0] >> 40) & 1);
	/* a physical GPIO interrupt now has no owner */
	fake_gic.ack_queue[0] = GPIO_SPI;
	fake_gic.nr_acks = 1;
	vgic_handle_irqs(a0);
	ck_assert(!((a0->vgic.pending[0] >> GPIO_SPI) & 1));
	expect_state(&pb->vcpu[0], GPIO, UMBRA_DEV_FREE, ~0UL);
	ck_assert(strstr(captured(), "umbra: a: released shared device 0 'gpio' (/pl061@9030000)\r\n"));
	/* a second release: no longer the holder */
	ck_assert_int_eq((s64)call(a0, UMBRA_HC_DEVICE_RELEASE, GPIO), UMBRA_E_DENIED);
}
END_TEST

START_TEST(test_round_trip)
{
	struct vcpu *a0 = &pa->vcpu[0], *b0 = &pb->vcpu[0];
	unsigned round;

	for (round = 0; round < 3; round++) {
		ck_assert_int_eq((s64)call(a0, UMBRA_HC_DEVICE_RELEASE, GPIO), UMBRA_OK);
		ck_assert_int_eq((s64)call(b0, UMBRA_HC_DEVICE_CLAIM, GPIO), UMBRA_OK);
		ck_assert(mapped(pb, GPIO_PA) && !mapped(pa, GPIO_PA));
		ck_assert(vgic_owns(pb, GPIO_SPI) && !vgic_owns(pa, GPIO_SPI));
		ck_assert_uint_eq(fake_gic.route[GPIO_SPI], cfg.part[1].cpu_mpidr[0]);
		expect_state(a0, GPIO, UMBRA_DEV_OWNED, 1);
		/* physical interrupts go to b now */
		fake_gic.ack_queue[0] = GPIO_SPI;
		fake_gic.nr_acks = 1;
		fake_gic.next_ack = 0;
		vgic_handle_irqs(b0);
		ck_assert((b0->vgic.pending[0] >> GPIO_SPI) & 1);
		/* a cannot take it back while b holds it */
		ck_assert_int_eq((s64)call(a0, UMBRA_HC_DEVICE_CLAIM, GPIO), UMBRA_E_BUSY);
		ck_assert_int_eq((s64)call(b0, UMBRA_HC_DEVICE_RELEASE, GPIO), UMBRA_OK);
		ck_assert(!((b0->vgic.pending[0] >> GPIO_SPI) & 1));
		ck_assert_int_eq((s64)call(a0, UMBRA_HC_DEVICE_CLAIM, GPIO), UMBRA_OK);
		ck_assert(mapped(pa, GPIO_PA) && !mapped(pb, GPIO_PA));
		ck_assert_uint_eq(fake_gic.route[GPIO_SPI], cfg.part[0].cpu_mpidr[0]);
	}
	/* the page-table pool does not grow with transfers */
	{
		size_t used = pool.used;

		call(a0, UMBRA_HC_DEVICE_RELEASE, GPIO);
		call(b0, UMBRA_HC_DEVICE_CLAIM, GPIO);
		call(b0, UMBRA_HC_DEVICE_RELEASE, GPIO);
		call(a0, UMBRA_HC_DEVICE_CLAIM, GPIO);
		ck_assert_uint_eq(pool.used, used);
	}
	ck_assert_uint_eq(captured_count("claimed shared device 0"), 8);
}
END_TEST

/* A restarting holder loses what it holds; what the config gives it comes
 * back if free, and its new DT says which. */
START_TEST(test_restart)
{
	struct vcpu *a0 = &pa->vcpu[0], *b0 = &pb->vcpu[0];
	struct event_rec ev[8];
	u64 seq, next;

	events_read(~0ull, true, 0, ev, 1, &seq);
	ck_assert_int_eq((s64)call(b0, UMBRA_HC_DEVICE_CLAIM, RTC), UMBRA_OK);
	ck_assert(mapped(pb, RTC_PA));
	ck_assert_int_eq((s64)call(a0, UMBRA_HC_DEVICE_RELEASE, GPIO), UMBRA_OK);
	ck_assert_int_eq((s64)call(b0, UMBRA_HC_DEVICE_CLAIM, GPIO), UMBRA_OK);
	/* each move is a security event: who, which device, asked or not */
	ck_assert_uint_eq(events_read(seq, true, 0, ev, 8, &next), 3);
	ck_assert(ev[0].type == EV_DEV_CLAIM && ev[0].part == pb->id && ev[0].a == RTC &&
		  ev[0].b == 0);
	ck_assert(ev[1].type == EV_DEV_RELEASE && ev[1].part == pa->id && ev[1].a == GPIO);
	ck_assert(ev[2].type == EV_DEV_CLAIM && ev[2].part == pb->id && ev[2].a == GPIO);

	/* b restarts: both become free (b is the configured owner of none) */
	call(b0, PSCI_SYSTEM_RESET, 0);
	ck_assert_uint_eq(events_read(next, false, pb->id, ev, 8, &next), 4);
	ck_assert(ev[0].type == EV_PART_RESTART && ev[0].c == EV_CAUSE_SYSTEM_RESET);
	ck_assert(ev[1].type == EV_DEV_RELEASE && ev[1].b == 1);
	ck_assert(ev[2].type == EV_DEV_RELEASE && ev[2].b == 1);
	ck_assert(ev[3].type == EV_PART_START && ev[3].a == 1);
	ck_assert_int_eq(pb->state, PART_RUNNING);
	ck_assert(!mapped(pb, RTC_PA) && !mapped(pb, GPIO_PA));
	ck_assert(!vgic_owns(pb, GPIO_SPI));
	expect_state(a0, GPIO, UMBRA_DEV_FREE, ~0UL);
	ck_assert_str_eq(dt_status(B_DTB, "/pl061@9030000"), "disabled");
	ck_assert_str_eq(dt_status(B_DTB, "/pl031@9010000"), "disabled");

	/* b claims the GPIO again; a restarts: it does not get it back */
	vcpu_enter_fake(b0);
	ck_assert_int_eq((s64)call(b0, UMBRA_HC_DEVICE_CLAIM, GPIO), UMBRA_OK);
	call(a0, PSCI_SYSTEM_RESET, 0);
	expect_state(b0, GPIO, UMBRA_DEV_OWNED, 1);
	ck_assert_str_eq(dt_status(A_DTB, "/pl061@9030000"), "disabled");
	ck_assert(!mapped(pa, GPIO_PA));

	/* b releases; a restarts again: the configured owner holds it again */
	ck_assert_int_eq((s64)call(b0, UMBRA_HC_DEVICE_RELEASE, GPIO), UMBRA_OK);
	vcpu_enter_fake(a0);
	call(a0, PSCI_SYSTEM_RESET, 0);
	expect_state(b0, GPIO, UMBRA_DEV_OWNED, 0);
	ck_assert(mapped(pa, GPIO_PA));
	ck_assert(vgic_owns(pa, GPIO_SPI));
	ck_assert_str_eq(dt_status(A_DTB, "/pl061@9030000"), "");
	ck_assert(strstr(captured(), "umbra: a: holds again shared device 0 'gpio'"));
}
END_TEST

START_TEST(test_stop_frees)
{
	struct vcpu *a0 = &pa->vcpu[0], *b0 = &pb->vcpu[0];

	call(a0, PSCI_CPU_OFF, 0);
	ck_assert(mapped(pa, GPIO_PA));           /* vCPU 1 still runs */
	fake_arch.mpidr = cfg.part[0].cpu_mpidr[1];
	call(&pa->vcpu[1], PSCI_SYSTEM_OFF, 0);
	ck_assert_int_eq(pa->state, PART_STOPPED);
	ck_assert(!mapped(pa, GPIO_PA));
	expect_state(b0, GPIO, UMBRA_DEV_FREE, ~0UL);
	ck_assert_int_eq((s64)call(b0, UMBRA_HC_DEVICE_CLAIM, GPIO), UMBRA_OK);
	ck_assert(mapped(pb, GPIO_PA));
}
END_TEST

Suite *device_suite(void)
{
	Suite *s = suite_create("device");
	TCase *t = tcase_create("state_machine");

	tcase_add_test(t, test_state_machine);
	suite_add_tcase(s, t);
	t = tcase_create("partitions");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, test_boot);
	tcase_add_test(t, test_hostile);
	tcase_add_test(t, test_release_quiesces);
	tcase_add_test(t, test_round_trip);
	tcase_add_test(t, test_restart);
	tcase_add_test(t, test_stop_frees);
	suite_add_tcase(s, t);
	return s;
}
