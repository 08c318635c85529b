// SPDX-License-Identifier: Apache-2.0
/*
 * The PSCI state machine (hyp/partition/psci.c on partition.c) on partitions
 * built from a config like the run configuration: "linux" (3 vCPUs,
 * initrd, the RTC) beside "rtos" (1 vCPU). Calls are HVCs through
 * hypercall_dispatch() on the calling vCPU's CPU; the other CPUs are the
 * fake's (a vCPU kicked while it may not resume parks, as trap.c does).
 */
#include <libfdt.h>
#include <setjmp.h>

#include "unit.h"
#include "umbra_abi.h"

#define LINUX_RAM 0x50000000ULL
#define RTOS_RAM 0x58000000ULL
#define RAM_SIZE 0x00400000ULL
#define LINUX_IMAGE 0x41000000ULL
#define LINUX_INITRD 0x41100000ULL
#define INITRD_SIZE 0x3000ULL
#define RTOS_IMAGE 0x42000000ULL
#define STAGING_SIZE 0x00100000ULL
#define IMAGE_SIZE 0x2000ULL
#define RTOS_TEXT_OFFSET 0x80000ULL
#define LINUX_DTB (LINUX_RAM + RAM_SIZE - GUEST_DTB_MAX)
#define RTOS_DTB (RTOS_RAM + RAM_SIZE - GUEST_DTB_MAX)
#define POOL_PAGES 16
#define RTC_SPI 34
#define GICD_BASE 0x08000000ULL
#define GICR_BASE 0x080a0000ULL

#define PSCI_CPU_ON_32 0x84000003u
#define PSCI_AFFINITY_INFO_32 0x84000004u
#define PSCI_CPU_SUSPEND_32 0x84000001u
#define PSCI_CPU_SUSPEND_64 0xc4000001u
#define PSCI_MIGRATE_32 0x84000005u
#define PSCI_MIGRATE_64 0xc4000005u
#define PSCI_MIGRATE_INFO_UP_CPU 0x84000007u
#define PSCI_CPU_FREEZE 0x8400000bu
#define PSCI_CPU_DEFAULT_SUSPEND_64 0xc400000cu
#define PSCI_NODE_HW_STATE_64 0xc400000du
#define PSCI_SYSTEM_SUSPEND_64 0xc400000eu
#define PSCI_SET_SUSPEND_MODE 0x8400000fu
#define PSCI_STAT_RESIDENCY_64 0xc4000010u
#define PSCI_STAT_COUNT_64 0xc4000011u
#define PSCI_SYSTEM_RESET2_32 0x84000012u
#define PSCI_MEM_PROTECT 0x84000013u

#define RET(x) ((u64)(s64)(x))
#define ALREADY_ON RET(-4)
#define INTERNAL_FAILURE RET(-6)
#define INVALID_ADDRESS RET(-9)
#define ON 0
#define OFF 1

static struct platform plat;
static struct umbra_config cfg;
static struct partition parts[2];
static struct page_pool pool;
static void *fdt;
#define lnx (&parts[0])
#define rtos (&parts[1])


static void setup(void)
{
	struct diag d = { 0 };
	struct cfg_env env = unit_cfg_env(&plat);
	unsigned i;

	fake_arch_reset();
	partition_stopped_calls = 0;
	capture_start();
	phys_map(LINUX_RAM, RAM_SIZE);
	phys_map(RTOS_RAM, RAM_SIZE);
	phys_map(LINUX_IMAGE, 2 * STAGING_SIZE);   /* image and initrd */
	phys_map(RTOS_IMAGE, STAGING_SIZE);
	put_arm64_image(LINUX_IMAGE, 0, IMAGE_SIZE, 1);
	memset(phys_ptr(LINUX_INITRD), 0x1d, INITRD_SIZE);
	put_arm64_image(RTOS_IMAGE, RTOS_TEXT_OFFSET, IMAGE_SIZE, 2);

	fdt = load_dtb("psci");
	ck_assert_uint_eq(platform_parse(fdt, &plat, &d), 0);
	ck_assert_uint_eq(config_parse(fdt, &env, &cfg, &d), 0);
	ck_assert_uint_eq(cfg.nr_parts, 2);
	page_pool_init(&pool, unit_alloc(PAGE_SIZE, POOL_PAGES * PAGE_SIZE), POOL_PAGES * PAGE_SIZE);
	for (i = 0; i < 2; i++) {
		struct partition *p = &parts[i];
		unsigned j;

		ck_assert_int_eq(partition_create(p, i, &cfg.part[i], fdt, &plat, &pool), 0);
		cpus_track(p);
		/* main.c: every CPU waits in vcpu_park(); vCPU 0's enters */
		for (j = 0; j < p->nr_vcpus; j++)
			p->vcpu[j].parked = true;
		vcpu_enter_fake(&p->vcpu[0]);
	}
	ck_assert_uint_eq(lnx->nr_vcpus, 3);
	capture_clear();
}

static void teardown(void)
{
	unit_free_all();
}

static struct vcpu *lv(unsigned i)
{
	return &lnx->vcpu[i];
}

static u64 mpidr(const struct partition *p, unsigned i)
{
	return p->cfg->cpu_mpidr[i];
}

/* An HVC from v on its own CPU; returns x0 afterwards. */
static u64 call(struct vcpu *v, u64 x0, u64 x1, u64 x2, u64 x3)
{
	fake_arch.mpidr = mpidr(v->part, v->index);
	v->regs.x[0] = x0;
	v->regs.x[1] = x1;
	v->regs.x[2] = x2;
	v->regs.x[3] = x3;
	hypercall_dispatch(v);
	return v->regs.x[0];
}

/* vCPU 0 starts vCPU i at entry with context id ctx, which then runs. */
static void start(unsigned i, u64 entry, u64 ctx)
{
	ck_assert_uint_eq(call(lv(0), PSCI_CPU_ON_64, mpidr(lnx, i), entry, ctx), PSCI_RET_SUCCESS);
	vcpu_enter_fake(lv(i));
}

static u64 affinity(struct vcpu *caller, u64 target, u64 level)
{
	return call(caller, PSCI_AFFINITY_INFO_64, target, level, 0);
}

static void assert_fresh(struct vcpu *v, u64 entry, u64 x0)
{
	ck_assert(v->on);
	ck_assert_uint_eq(v->regs.elr, entry);
	ck_assert_uint_eq(v->regs.x[0], x0);
	ck_assert_uint_eq(v->regs.x[1], 0);
	ck_assert_uint_eq(v->regs.x[2], 0);
	ck_assert_uint_eq(v->regs.x[3], 0);
	ck_assert_uint_eq(v->regs.spsr, 0x3c5);     /* EL1h, DAIF masked */
}

static u32 dt_restarts(u64 dtb)
{
	int chosen = fdt_path_offset(phys_ptr(dtb), "/chosen"), len;
	const fdt32_t *v = chosen >= 0 ? fdt_getprop(phys_ptr(dtb), chosen, "umbra,restarts", &len)
				      : NULL;

	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(len, 4);
	return fdt32_ld(v);
}

static bool rtos_untouched(void)
{
	return rtos->state == PART_RUNNING && vcpu_resumable(&rtos->vcpu[0]) &&
	       rtos->restarts == 0 && rtos->vcpu[0].regs.elr == RTOS_RAM + RTOS_TEXT_OFFSET;
}

/* ---- CPU_ON, AFFINITY_INFO ---- */

START_TEST(test_cpu_on_own_off_vcpu)
{
	const u64 entry = LINUX_RAM + 0x1000;
	u32 gen = lv(1)->gen;

	ck_assert_uint_eq(affinity(lv(0), mpidr(lnx, 1), 0), OFF);
	ck_assert_uint_eq(call(lv(0), PSCI_CPU_ON_64, mpidr(lnx, 1), entry, 0xc0de), PSCI_RET_SUCCESS);
	/* reset to the entry with x0 = context id, and its CPU woken */
	assert_fresh(lv(1), entry, 0xc0de);
	ck_assert_uint_ne(lv(1)->gen, gen);
	ck_assert_uint_ge(fake_arch.cpu_wakes, 1);
	ck_assert(!vcpu_resumable(lv(1)));    /* its CPU enters it afresh */
	ck_assert_uint_eq(affinity(lv(0), mpidr(lnx, 1), 0), ON);
	ck_assert_uint_eq(affinity(lv(0), mpidr(lnx, 2), 0), OFF);
	/* the 32-bit form, from the new vCPU, to the last one */
	vcpu_enter_fake(lv(1));
	ck_assert_uint_eq(call(lv(1), PSCI_CPU_ON_32, mpidr(lnx, 2), LINUX_RAM + 0x2000, 7),
			  PSCI_RET_SUCCESS);
	assert_fresh(lv(2), LINUX_RAM + 0x2000, 7);
	vcpu_enter_fake(lv(2));
	/* on is on: not restarted elsewhere */
	ck_assert_uint_eq(call(lv(0), PSCI_CPU_ON_64, mpidr(lnx, 2), LINUX_RAM, 0), ALREADY_ON);
	ck_assert_uint_eq(call(lv(2), PSCI_CPU_ON_64, mpidr(lnx, 0), LINUX_RAM, 0), ALREADY_ON);
	ck_assert_uint_eq(call(lv(2), PSCI_CPU_ON_64, mpidr(lnx, 2), LINUX_RAM, 0), ALREADY_ON);
	ck_assert_uint_eq(lv(2)->regs.elr, LINUX_RAM + 0x2000);
	ck_assert_uint_eq(lv(0)->regs.elr, LINUX_RAM);
	ck_assert(rtos_untouched());
}
END_TEST

START_TEST(test_cpu_on_entry_checks)
{
	static const u64 bad[] = {
		LINUX_RAM + 2, LINUX_RAM + 1, LINUX_RAM + RAM_SIZE, LINUX_RAM + RAM_SIZE - 2,
		LINUX_RAM - 4, RTOS_RAM, RTOS_RAM + RTOS_TEXT_OFFSET, LINUX_IMAGE,
		LINUX_INITRD, UNIT_UMBRA_BASE, GICD_BASE, 0, ~3ULL,
	};
	unsigned i, resets = fake_arch.vcpu_resets;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_msg(call(lv(0), PSCI_CPU_ON_64, mpidr(lnx, 1), bad[i], 0) == INVALID_ADDRESS,
			      "CPU_ON at 0x%llx", (unsigned long long)bad[i]);
	ck_assert(!lv(1)->on);
	ck_assert_uint_eq(fake_arch.vcpu_resets, resets);
	ck_assert_uint_eq(affinity(lv(0), mpidr(lnx, 1), 0), OFF);
	/* the last word of its RAM (its DT slot) is RAM */
	ck_assert_uint_eq(call(lv(0), PSCI_CPU_ON_64, mpidr(lnx, 1), LINUX_RAM + RAM_SIZE - 4, 0),
			  PSCI_RET_SUCCESS);
	ck_assert_uint_eq(lv(1)->regs.elr, LINUX_RAM + RAM_SIZE - 4);
}
END_TEST

START_TEST(test_cpu_on_foreign_cpu)
{
	u32 gen = rtos->vcpu[0].gen;
	unsigned resets = fake_arch.vcpu_resets;

	/* rtos's CPU does not exist for linux, whatever state it is in */
	ck_assert_uint_eq(call(lv(0), PSCI_CPU_ON_64, mpidr(rtos, 0), LINUX_RAM, 0),
			  RET(PSCI_RET_INVALID_PARAMS));
	rtos->vcpu[0].on = false;
	rtos->vcpu[0].parked = true;
	ck_assert_uint_eq(call(lv(0), PSCI_CPU_ON_64, mpidr(rtos, 0), LINUX_RAM, 0),
			  RET(PSCI_RET_INVALID_PARAMS));
	ck_assert(!rtos->vcpu[0].on);
	ck_assert_uint_eq(rtos->vcpu[0].gen, gen);
	ck_assert_uint_eq(affinity(lv(0), mpidr(rtos, 0), 0), RET(PSCI_RET_INVALID_PARAMS));
	/* nor does a CPU of nobody; nor linux's to rtos */
	ck_assert_uint_eq(call(lv(0), PSCI_CPU_ON_64, 0x7, LINUX_RAM, 0),
			  RET(PSCI_RET_INVALID_PARAMS));
	rtos->vcpu[0].on = true;
	vcpu_enter_fake(&rtos->vcpu[0]);
	ck_assert_uint_eq(call(&rtos->vcpu[0], PSCI_CPU_ON_64, mpidr(lnx, 1), RTOS_RAM, 0),
			  RET(PSCI_RET_INVALID_PARAMS));
	ck_assert_uint_eq(affinity(&rtos->vcpu[0], mpidr(lnx, 0), 0), RET(PSCI_RET_INVALID_PARAMS));
	ck_assert(!lv(1)->on);
	ck_assert_uint_eq(fake_arch.vcpu_resets, resets);
}
END_TEST

START_TEST(test_affinity_info)
{
	start(2, LINUX_RAM, 0);
	/* every vCPU sees the same: 0 on, 1 off, 2 on */
	ck_assert_uint_eq(affinity(lv(2), mpidr(lnx, 0), 0), ON);
	ck_assert_uint_eq(affinity(lv(2), mpidr(lnx, 1), 0), OFF);
	ck_assert_uint_eq(affinity(lv(0), mpidr(lnx, 2), 0), ON);
	ck_assert_uint_eq(call(lv(0), PSCI_AFFINITY_INFO_32, mpidr(lnx, 1), 0, 0), OFF);
	ck_assert_uint_eq(call(lv(0), PSCI_AFFINITY_INFO_32, mpidr(lnx, 2), 0, 0), ON);
	/* the RES1 bit 31 of an MPIDR_EL1 value does not matter */
	ck_assert_uint_eq(affinity(lv(0), BIT(31) | mpidr(lnx, 2), 0), ON);
	/* only level 0 */
	ck_assert_uint_eq(affinity(lv(0), mpidr(lnx, 0), 1), RET(PSCI_RET_INVALID_PARAMS));
	ck_assert_uint_eq(affinity(lv(0), mpidr(lnx, 1), 2), RET(PSCI_RET_INVALID_PARAMS));
	ck_assert_uint_eq(affinity(lv(0), mpidr(lnx, 1), 3), RET(PSCI_RET_INVALID_PARAMS));
	/* and it follows CPU_OFF */
	call(lv(2), PSCI_CPU_OFF, 0, 0, 0);
	ck_assert_uint_eq(affinity(lv(0), mpidr(lnx, 2), 0), OFF);
}
END_TEST

/* ---- CPU_OFF ---- */

START_TEST(test_cpu_off_then_on_again)
{
	start(1, LINUX_RAM + 0x100, 1);
	call(lv(1), PSCI_CPU_OFF, 0, 0, 0);
	/* no return to it; the partition runs on */
	ck_assert_uint_eq(lv(1)->regs.x[0], PSCI_CPU_OFF);
	ck_assert(!lv(1)->on);
	ck_assert(!vcpu_resumable(lv(1)));
	ck_assert_int_eq(lnx->state, PART_RUNNING);
	ck_assert(vcpu_resumable(lv(0)));
	ck_assert_uint_eq(partition_stopped_calls, 0);
	ck_assert_uint_eq(affinity(lv(0), mpidr(lnx, 1), 0), OFF);
	ck_assert_str_eq(captured(), "");
	/* once its CPU has parked, it can be started again, afresh */
	lv(1)->parked = true;
	ck_assert_uint_eq(call(lv(0), PSCI_CPU_ON_64, mpidr(lnx, 1), LINUX_RAM + 0x200, 2),
			  PSCI_RET_SUCCESS);
	assert_fresh(lv(1), LINUX_RAM + 0x200, 2);
}
END_TEST

static void cpu_on_from_vcpu0(void)
{
	/* another CPU runs linux's vCPU 0, which starts vCPU 1 */
	if (fake_arch.cpu_waits == 2)
		call(lv(0), PSCI_CPU_ON_64, mpidr(lnx, 1), LINUX_RAM + 0x300, 3);
}

START_TEST(test_cpu_off_park_and_wake)
{
	jmp_buf entered;
	u64 ret;

	start(1, LINUX_RAM + 0x100, 1);
	call(lv(1), PSCI_CPU_OFF, 0, 0, 0);
	/* its CPU parks (trap.c), waits, and enters it once CPU_ON came */
	fake_arch.wait_hook = cpu_on_from_vcpu0;
	fake_arch.halt = &entered;
	if (setjmp(entered) == 0) {
		vcpu_park(lv(1));
		ck_abort_msg("vcpu_park() returned");
	}
	ret = lv(0)->regs.x[0];
	ck_assert_uint_eq(ret, PSCI_RET_SUCCESS);
	ck_assert_ptr_eq(fake_arch.entered, lv(1));
	ck_assert_uint_eq(fake_arch.cpu_waits, 2);
	ck_assert(vcpu_resumable(lv(1)));
	ck_assert(!lv(1)->parked);
	assert_fresh(lv(1), LINUX_RAM + 0x300, 3);
	ck_assert_uint_eq(affinity(lv(0), mpidr(lnx, 1), 0), ON);
}
END_TEST

START_TEST(test_cpu_on_before_parked)
{
	u32 resets;

	start(1, LINUX_RAM + 0x100, 1);
	call(lv(1), PSCI_CPU_OFF, 0, 0, 0);
	/* its CPU has not left the guest yet (parked is false): CPU_ON may
	 * not rewrite it under its feet, and gives up */
	resets = fake_arch.vcpu_resets;
	ck_assert_uint_eq(call(lv(0), PSCI_CPU_ON_64, mpidr(lnx, 1), LINUX_RAM, 0), INTERNAL_FAILURE);
	ck_assert(!lv(1)->on);
	ck_assert_uint_eq(fake_arch.vcpu_resets, resets);
	ck_assert_uint_eq(lv(1)->regs.elr, LINUX_RAM + 0x100);
	ck_assert_int_eq(lnx->state, PART_RUNNING);
}
END_TEST

START_TEST(test_cpu_off_last_stops)
{
	u64 ret;

	start(1, LINUX_RAM, 0);
	start(2, LINUX_RAM, 0);
	call(lv(0), PSCI_CPU_OFF, 0, 0, 0);
	call(lv(2), PSCI_CPU_OFF, 0, 0, 0);
	ck_assert_int_eq(lnx->state, PART_RUNNING);
	ck_assert(vcpu_resumable(lv(1)));
	ck_assert_uint_eq(partition_stopped_calls, 0);
	ck_assert_uint_eq(affinity(lv(1), mpidr(lnx, 0), 0), OFF);
	/* the last one: the partition stops, and only it */
	call(lv(1), PSCI_CPU_OFF, 0, 0, 0);
	ck_assert_uint_eq(lv(1)->regs.x[0], PSCI_CPU_OFF);
	ck_assert_int_eq(lnx->state, PART_STOPPED);
	ck_assert_uint_eq(partition_stopped_calls, 1);
	ck_assert_str_eq(captured(), "umbra: linux: stopped (last vCPU off)\r\n");
	ck_assert(rtos_untouched());
	/* a stopped partition starts nothing (were anything left to ask) */
	lv(2)->parked = true;
	ck_assert(psci_guest_call(lv(1), PSCI_CPU_ON_64,
				  (u64[6]){ mpidr(lnx, 2), LINUX_RAM, 0 }, &ret));
	ck_assert_uint_eq(ret, ALREADY_ON);
	ck_assert(!lv(2)->on);
	/* nor restarts */
	partition_restart(lnx, EV_CAUSE_OTHER, "too late");
	ck_assert_int_eq(lnx->state, PART_STOPPED);
	ck_assert_uint_eq(lnx->restarts, 0);
}
END_TEST

/* ---- SYSTEM_OFF, SYSTEM_RESET ---- */

START_TEST(test_system_off_caller_only)
{
	unsigned i;

	struct event_rec ev;
	u64 seq, next;

	events_read(~0ull, true, 0, &ev, 1, &seq);
	start(1, LINUX_RAM, 0);
	start(2, LINUX_RAM, 0);
	memset(phys_ptr(RTOS_RAM + 0x100000), 0xee, 16);
	call(lv(2), PSCI_SYSTEM_OFF, 0, 0, 0);
	ck_assert_uint_eq(events_read(seq, false, lnx->id, &ev, 1, &next), 1);
	ck_assert_uint_eq(ev.type, EV_PART_STOP);
	ck_assert_uint_eq(ev.c, EV_CAUSE_SYSTEM_OFF);
	ck_assert_int_eq(lnx->state, PART_STOPPED);
	ck_assert_uint_eq(lv(2)->regs.x[0], PSCI_SYSTEM_OFF);
	for (i = 0; i < 3; i++) {
		ck_assert_msg(!lv(i)->on && !vcpu_resumable(lv(i)), "vCPU %u still on", i);
		/* the others were kicked off their CPUs and parked */
		if (i != 2)
			ck_assert(lv(i)->parked);
	}
	ck_assert_uint_eq(partition_stopped_calls, 1);
	ck_assert_str_eq(captured(), "umbra: linux: stopped (PSCI SYSTEM_OFF)\r\n");
	/* the machine and rtos run on */
	ck_assert_uint_eq(fake_arch.system_offs, 0);
	ck_assert(rtos_untouched());
	ck_assert_uint_eq(((u8 *)phys_ptr(RTOS_RAM))[0x100000], 0xee);
	ck_assert_uint_eq(call(&rtos->vcpu[0], PSCI_VERSION, 0, 0, 0), 0x10001);
	/* once */
	partition_stop(lnx, EV_CAUSE_OTHER, "again");
	ck_assert_uint_eq(partition_stopped_calls, 1);
	/* rtos's own SYSTEM_OFF stops rtos */
	call(&rtos->vcpu[0], PSCI_SYSTEM_OFF, 0, 0, 0);
	ck_assert_int_eq(rtos->state, PART_STOPPED);
	ck_assert_uint_eq(partition_stopped_calls, 2);
}
END_TEST

START_TEST(test_system_reset_caller_only)
{
	u8 *ram = phys_ptr(LINUX_RAM);
	const u64 initrd = config_initrd_ipa(&cfg.part[0]);
	unsigned i;

	start(1, LINUX_RAM + 0x100, 0);
	start(2, LINUX_RAM + 0x100, 0);
	/* the guest scribbled over all of its RAM; rtos has its own data */
	memset(ram, 0xee, RAM_SIZE);
	memset(phys_ptr(RTOS_RAM + 0x100000), 0xee, 16);
	fake_gic.sgis = 0;

	call(lv(2), PSCI_SYSTEM_RESET, 0, 0, 0);
	ck_assert_int_eq(lnx->state, PART_RUNNING);
	ck_assert_uint_eq(lnx->restarts, 1);
	ck_assert_uint_eq(partition_stopped_calls, 0);
	ck_assert_str_eq(captured(), "umbra: linux: restarting (PSCI SYSTEM_RESET)\r\n");
	/* the others were kicked off their CPUs first */
	ck_assert_uint_ge(fake_gic.sgis, 2);
	/* scrubbed: beyond the image, between initrd and DT, the last page */
	ck_assert_uint_eq(ram[IMAGE_SIZE], 0);
	ck_assert_uint_eq(ram[0x200000], 0);
	ck_assert_uint_eq(ram[0x300000], 0);
	ck_assert_uint_eq(ram[initrd - LINUX_RAM - 1], 0);
	/* reloaded: image, initrd, a new DT that counts the restart */
	ck_assert_int_eq(memcmp(ram, phys_ptr(LINUX_IMAGE), IMAGE_SIZE), 0);
	ck_assert_int_eq(memcmp(phys_ptr(initrd), phys_ptr(LINUX_INITRD), INITRD_SIZE), 0);
	ck_assert_int_eq(fdt_check_header(phys_ptr(LINUX_DTB)), 0);
	ck_assert_uint_eq(dt_restarts(LINUX_DTB), 1);
	/* vCPU 0 on at the entry with x0 = its DT; the others off; the
	 * caller gets no return value */
	assert_fresh(lv(0), LINUX_RAM, LINUX_DTB);
	ck_assert(!vcpu_resumable(lv(0)));
	for (i = 1; i < 3; i++)
		ck_assert_msg(!lv(i)->on, "vCPU %u on after the reset", i);
	ck_assert_uint_eq(lv(2)->regs.x[0], PSCI_SYSTEM_RESET);
	vcpu_enter_fake(lv(0));
	ck_assert_uint_eq(affinity(lv(0), mpidr(lnx, 1), 0), OFF);
	/* rtos: not a byte, not a register */
	ck_assert(rtos_untouched());
	ck_assert_uint_eq(((u8 *)phys_ptr(RTOS_RAM))[0x100000], 0xee);
	ck_assert_uint_eq(dt_restarts(RTOS_DTB), 0);
}
END_TEST

START_TEST(test_system_reset_counts)
{
	unsigned n;

	for (n = 1; n <= 3; n++) {
		vcpu_enter_fake(lv(0));
		call(lv(0), PSCI_SYSTEM_RESET, 0, 0, 0);
		ck_assert_uint_eq(lnx->restarts, n);
		ck_assert_uint_eq(dt_restarts(LINUX_DTB), n);
		assert_fresh(lv(0), LINUX_RAM, LINUX_DTB);
	}
	ck_assert_uint_eq(captured_count("restarting (PSCI SYSTEM_RESET)"), 3);
	/* a restarted partition can still stop */
	vcpu_enter_fake(lv(0));
	call(lv(0), PSCI_SYSTEM_OFF, 0, 0, 0);
	ck_assert_int_eq(lnx->state, PART_STOPPED);
}
END_TEST

static void mmio_wr(struct vcpu *v, u64 ipa, unsigned size, u64 val)
{
	ck_assert(vgic_mmio(v, ipa, size, true, &val));
}

static u64 mmio_rd(struct vcpu *v, u64 ipa, unsigned size)
{
	u64 val = ~0ULL;

	ck_assert(vgic_mmio(v, ipa, size, false, &val));
	return val;
}

START_TEST(test_system_reset_resets_vgic)
{
	struct vcpu *v0 = lv(0);
	unsigned i;

	start(1, LINUX_RAM, 0);
	/* the old life: distributor and its RTC SPI on, routed to vCPU 1,
	 * a priority, a PPI enabled, redistributors awake, things pending */
	mmio_wr(v0, GICD_BASE, 4, BIT(1));
	mmio_wr(v0, GICD_BASE + 0x104, 4, BIT(RTC_SPI - 32));
	mmio_wr(v0, GICD_BASE + 0x204, 4, BIT(RTC_SPI - 32));
	mmio_wr(v0, GICD_BASE + 0x304, 4, BIT(RTC_SPI - 32));
	mmio_wr(v0, GICD_BASE + 0x400 + RTC_SPI, 1, 0x10);
	mmio_wr(v0, GICD_BASE + 0x6000 + 8 * RTC_SPI, 8, mpidr(lnx, 1));
	mmio_wr(v0, GICR_BASE + VGIC_FRAME + 0x10100, 4, BIT(27));
	mmio_wr(v0, GICR_BASE + 0x14, 4, 0);
	vgic_sgi_write(v0, (1ULL << 40) | (5ULL << 24));
	vgic_inject(v0, RTC_SPI, true);
	ck_assert(fake_gic.enabled[RTC_SPI] && fake_gic.pending[RTC_SPI]);
	ck_assert_uint_eq(fake_gic.route[RTC_SPI], mpidr(lnx, 1));

	call(v0, PSCI_SYSTEM_RESET, 0, 0, 0);
	/* the SPI is still linux's, but off, idle and routed to vCPU 0 */
	ck_assert(vgic_owns(lnx, RTC_SPI));
	ck_assert(!fake_gic.enabled[RTC_SPI] && !fake_gic.pending[RTC_SPI] &&
		  !fake_gic.active[RTC_SPI]);
	ck_assert_uint_eq(fake_gic.route[RTC_SPI], mpidr(lnx, 0));
	/* the models are back to reset */
	ck_assert_uint_eq(mmio_rd(v0, GICD_BASE, 4), BIT(4) | BIT(6));
	ck_assert_uint_eq(mmio_rd(v0, GICD_BASE + 0x400 + RTC_SPI, 1), GIC_PRIO_DEFAULT);
	ck_assert_uint_eq(mmio_rd(v0, GICD_BASE + 0x6000 + 8 * RTC_SPI, 8), 0);
	for (i = 0; i < 3; i++) {
		const struct vgic_cpu *c = &lv(i)->vgic;
		unsigned w;

		ck_assert_uint_eq(c->enabled, 0xffff);
		ck_assert(c->asleep && c->ppi_sync);
		for (w = 0; w < VGIC_WORDS; w++)
			ck_assert(!c->pending[w] && !c->hw[w]);
		ck_assert_uint_eq(mmio_rd(v0, GICR_BASE + i * VGIC_FRAME + 0x14, 4), 0x6);
	}
}
END_TEST

START_TEST(test_system_reset_fails_stops)
{
	unsigned i;

	start(1, LINUX_RAM, 0);
	/* the platform DT it is rebuilt from is gone bad */
	((u8 *)fdt)[0] ^= 0xff;
	call(lv(1), PSCI_SYSTEM_RESET, 0, 0, 0);
	ck_assert_int_eq(lnx->state, PART_STOPPED);
	for (i = 0; i < 3; i++)
		ck_assert(!lv(i)->on);
	ck_assert_uint_eq(partition_stopped_calls, 1);
	ck_assert_str_eq(captured(), "umbra: linux: restarting (PSCI SYSTEM_RESET)\r\n"
				     "umbra: linux: cannot build its device tree: FDT_ERR_BADMAGIC\r\n"
				     "umbra: linux: stopped (restart failed)\r\n");
	ck_assert(rtos_untouched());
}
END_TEST

/* ---- discovery ---- */

START_TEST(test_psci_features)
{
	static const u32 yes[] = {
		PSCI_VERSION, PSCI_FEATURES, PSCI_CPU_ON_32, PSCI_CPU_ON_64, PSCI_CPU_OFF,
		PSCI_AFFINITY_INFO_32, PSCI_AFFINITY_INFO_64, PSCI_MIGRATE_INFO_TYPE,
		PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET, SMCCC_VERSION,
	};
	static const u32 no[] = {
		PSCI_CPU_SUSPEND_32, PSCI_CPU_SUSPEND_64, PSCI_MIGRATE_32, PSCI_MIGRATE_64,
		PSCI_MIGRATE_INFO_UP_CPU, PSCI_CPU_FREEZE, PSCI_CPU_DEFAULT_SUSPEND_64,
		PSCI_NODE_HW_STATE_64, PSCI_SYSTEM_SUSPEND_64, PSCI_SET_SUSPEND_MODE,
		PSCI_STAT_RESIDENCY_64, PSCI_STAT_COUNT_64, PSCI_SYSTEM_RESET2_32,
		PSCI_MEM_PROTECT, PSCI_SYSTEM_OFF | SMCCC_SMC64, PSCI_VERSION | SMCCC_SMC64,
		SMCCC_ARCH_FEATURES, UMBRA_HC_VERSION, 0x840000ff,
	};
	struct vcpu *v = &rtos->vcpu[0];
	unsigned i;
	u64 ret;

	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		ck_assert_msg(call(v, PSCI_FEATURES, yes[i], 0, 0) == PSCI_RET_SUCCESS, "0x%08x", yes[i]);
		ck_assert(psci_guest_call(v, PSCI_FEATURES, (u64[6]){ yes[i] }, &ret));
		ck_assert_uint_eq(ret, PSCI_RET_SUCCESS);
	}
	for (i = 0; i < ARRAY_SIZE(no); i++) {
		ck_assert_msg(call(v, PSCI_FEATURES, no[i], 0, 0) == RET(PSCI_RET_NOT_SUPPORTED),
			      "0x%08x", no[i]);
		/* and calling those in PSCI's range: not supported, no effect */
		if (((no[i] >> SMCCC_OWNER_SHIFT) & SMCCC_OWNER_MASK) == SMCCC_OWNER_STD)
			ck_assert_msg(call(v, no[i], mpidr(rtos, 0), RTOS_RAM, 0) ==
				      RET(PSCI_RET_NOT_SUPPORTED), "0x%08x", no[i]);
	}
	/* the dispatcher's answer: a PSCI function or not */
	ck_assert(!psci_guest_call(v, PSCI_CPU_SUSPEND_64, (u64[6]){ 0 }, &ret));
	ck_assert_uint_eq(ret, RET(PSCI_RET_NOT_SUPPORTED));
	ck_assert(rtos_untouched());
}
END_TEST

START_TEST(test_psci_version_and_migrate_info)
{
	u64 ret;

	/* PSCI 1.1; no Trusted OS to migrate */
	ck_assert_uint_eq(call(lv(0), PSCI_VERSION, 0, 0, 0), 0x10001);
	ck_assert_uint_eq(call(lv(0), PSCI_MIGRATE_INFO_TYPE, 0, 0, 0), 2);
	ck_assert(psci_guest_call(lv(0), PSCI_MIGRATE_INFO_TYPE, (u64[6]){ 0 }, &ret));
	ck_assert_uint_eq(ret, 2);
	ck_assert_uint_eq(call(lv(0), PSCI_MIGRATE_INFO_UP_CPU, 0, 0, 0), RET(PSCI_RET_NOT_SUPPORTED));
	ck_assert_uint_eq(call(&rtos->vcpu[0], PSCI_MIGRATE_INFO_TYPE, 0, 0, 0), 2);
}
END_TEST

static TCase *tcase(Suite *s, const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, setup, teardown);
	suite_add_tcase(s, tc);
	return tc;
}

/* The next event of lnx from *seq on (asserted to exist). */
static struct event_rec next_ev(u64 *seq)
{
	struct event_rec ev;

	ck_assert_uint_eq(events_read(*seq, false, lnx->id, &ev, 1, seq), 1);
	return ev;
}

/* on-failure = "restart", max-restarts = 2 within 1000 ms: a panic
 * restarts it (events: panic, restart with its cause, start) until the
 * budget is spent; then it stops, saying so; a new window refills it. */
START_TEST(test_panic_restart_policy)
{
	struct event_rec ev, none;
	u64 seq, n;

	cfg.part[0].on_failure = ON_FAILURE_RESTART;
	cfg.part[0].max_restarts = 2;
	cfg.part[0].restart_window_ms = 1000;
	events_read(~0ull, true, 0, &none, 1, &seq);
	fake_arch.counter = 5000000;
	call(lv(0), UMBRA_HC_PANIC, 0, 0, 0);
	ck_assert_int_eq(lnx->state, PART_RUNNING);
	ck_assert_uint_eq(lnx->restarts, 1);
	ck_assert(!vcpu_resumable(lv(0)));
	ev = next_ev(&seq);
	ck_assert_uint_eq(ev.type, EV_PART_PANIC);
	ev = next_ev(&seq);
	ck_assert_uint_eq(ev.type, EV_PART_RESTART);
	ck_assert_uint_eq(ev.c, EV_CAUSE_PANIC);
	ck_assert_uint_eq(ev.a, 1);
	ev = next_ev(&seq);
	ck_assert_uint_eq(ev.type, EV_PART_START);
	ck_assert_uint_eq(ev.a, 1);
	ck_assert_ptr_nonnull(strstr(captured(), "umbra: linux: restarting (panic)"));

	fake_arch.counter += 500000;   /* 500 ms later: the same window */
	call(lv(0), UMBRA_HC_PANIC, 0, 0, 0);
	ck_assert_uint_eq(lnx->restarts, 2);
	fake_arch.counter += 400000;
	call(lv(0), UMBRA_HC_PANIC, 0, 0, 0);
	ck_assert_int_eq(lnx->state, PART_STOPPED);
	ck_assert_uint_eq(lnx->restarts, 2);
	ck_assert_ptr_nonnull(strstr(captured(), "linux: 2 restarts within 1000 ms: not restarted again"));
	while (events_read(seq, false, lnx->id, &ev, 1, &n) == 1 && ev.type != EV_PART_STOP)
		seq = n;
	ck_assert_uint_eq(ev.type, EV_PART_STOP);
	ck_assert_uint_eq(ev.b, 1);
	ck_assert_uint_eq(ev.c, EV_CAUSE_PANIC);
	ck_assert(rtos_untouched());
	ck_assert_int_eq(rtos->state, PART_RUNNING);
}
END_TEST

START_TEST(test_panic_window_refills)
{
	cfg.part[0].on_failure = ON_FAILURE_RESTART;
	cfg.part[0].max_restarts = 1;
	cfg.part[0].restart_window_ms = 1000;
	fake_arch.counter = 1;
	call(lv(0), UMBRA_HC_PANIC, 0, 0, 0);
	fake_arch.counter += 1000001;  /* the window is over */
	call(lv(0), UMBRA_HC_PANIC, 0, 0, 0);
	ck_assert_int_eq(lnx->state, PART_RUNNING);
	ck_assert_uint_eq(lnx->restarts, 2);
}
END_TEST

/* No on-failure: the panic is recorded and the call returns (Linux then
 * resets itself with panic=N); "stop": it stops with cause panic. */
START_TEST(test_panic_no_policy_and_stop)
{
	struct event_rec ev;
	u64 seq;

	events_read(~0ull, true, 0, &ev, 1, &seq);
	ck_assert_uint_eq(call(lv(0), UMBRA_HC_PANIC, 0, 0, 0), 0);
	ck_assert_int_eq(lnx->state, PART_RUNNING);
	ck_assert(vcpu_resumable(lv(0)));
	ev = next_ev(&seq);
	ck_assert_uint_eq(ev.type, EV_PART_PANIC);
	ck_assert_uint_eq(events_read(seq, false, lnx->id, &ev, 1, &seq), 0);

	cfg.part[0].on_failure = ON_FAILURE_STOP;
	call(lv(0), UMBRA_HC_PANIC, 0, 0, 0);
	ck_assert_int_eq(lnx->state, PART_STOPPED);
	ev = next_ev(&seq);
	ev = next_ev(&seq);
	ck_assert_uint_eq(ev.type, EV_PART_STOP);
	ck_assert_uint_eq(ev.b, 0);
	ck_assert_uint_eq(ev.c, EV_CAUSE_PANIC);
	ck_assert_uint_eq(partition_stopped_calls, 1);
}
END_TEST

/* A fault in its own vectors is a failure too: restarted by policy. */
START_TEST(test_vector_fault_restart_policy)
{
	cfg.part[0].on_failure = ON_FAILURE_RESTART;
	cfg.part[0].max_restarts = 3;
	cfg.part[0].restart_window_ms = 1000;
	fake_arch.abort_refused = true;
	fake_arch.mpidr = mpidr(lnx, 0);
	guest_abort(lv(0), 0x80000000, 0xffff800008010000ULL, true, false);
	ck_assert_int_eq(lnx->state, PART_RUNNING);
	ck_assert_uint_eq(lnx->restarts, 1);
	ck_assert_ptr_nonnull(strstr(captured(), "linux: restarting (fault in its exception vectors)"));
	ck_assert_uint_eq(partition_stopped_calls, 0);
}
END_TEST

Suite *psci_suite(void)
{
	Suite *s = suite_create("psci");

	tcase_add_test(tcase(s, "cpu_on_own_off_vcpu"), test_cpu_on_own_off_vcpu);
	tcase_add_test(tcase(s, "cpu_on_entry_checks"), test_cpu_on_entry_checks);
	tcase_add_test(tcase(s, "cpu_on_foreign_cpu"), test_cpu_on_foreign_cpu);
	tcase_add_test(tcase(s, "affinity_info"), test_affinity_info);
	tcase_add_test(tcase(s, "cpu_off_then_on_again"), test_cpu_off_then_on_again);
	tcase_add_test(tcase(s, "cpu_off_park_and_wake"), test_cpu_off_park_and_wake);
	tcase_add_test(tcase(s, "cpu_on_before_parked"), test_cpu_on_before_parked);
	tcase_add_test(tcase(s, "cpu_off_last_stops"), test_cpu_off_last_stops);
	tcase_add_test(tcase(s, "system_off_caller_only"), test_system_off_caller_only);
	tcase_add_test(tcase(s, "system_reset_caller_only"), test_system_reset_caller_only);
	tcase_add_test(tcase(s, "system_reset_counts"), test_system_reset_counts);
	tcase_add_test(tcase(s, "system_reset_resets_vgic"), test_system_reset_resets_vgic);
	tcase_add_test(tcase(s, "system_reset_fails_stops"), test_system_reset_fails_stops);
	tcase_add_test(tcase(s, "psci_features"), test_psci_features);
	tcase_add_test(tcase(s, "panic_restart_policy"), test_panic_restart_policy);
	tcase_add_test(tcase(s, "panic_window_refills"), test_panic_window_refills);
	tcase_add_test(tcase(s, "panic_no_policy_and_stop"), test_panic_no_policy_and_stop);
	tcase_add_test(tcase(s, "vector_fault_restart_policy"), test_vector_fault_restart_policy);
	tcase_add_test(tcase(s, "psci_version_and_migrate_info"), test_psci_version_and_migrate_info);
	return s;
}
