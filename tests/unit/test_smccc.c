// SPDX-License-Identifier: Apache-2.0
/*
 * SMCCC dispatch (hyp/partition/hypercall.c), guest PSCI (psci.c), partition
 * stop (partition.c) and guest console output (console.c), driven
 * through hypercall_dispatch() like an HVC #0 from a guest. Partition RAM
 * is a host buffer (IPA == PA == host address).
 */
#include "unit.h"
#include <stdio.h>

#include "umbra_abi.h"

#define RAM_SIZE 0x10000ULL
#define SENTINEL(i) UNIT_SENTINEL(i)
#define NOT_SUPPORTED ((u64)(s64)UMBRA_E_NOT_SUPPORTED)
#define INVALID_PARAM ((u64)(s64)UMBRA_E_INVALID_PARAM)
#define BAD_ADDRESS ((u64)(s64)UMBRA_E_BAD_ADDRESS)
#define PSCI_NOT_SUPPORTED ((u64)(s64)PSCI_RET_NOT_SUPPORTED)
#define PSCI_INVALID_PARAMS ((u64)(s64)PSCI_RET_INVALID_PARAMS)
#define PSCI_ALREADY_ON ((u64)(s64)-4)
#define PSCI_INVALID_ADDRESS ((u64)(s64)-9)
#define SMCCC_ARCH_WORKAROUND_1 0x80008000u
#define SMCCC_ARCH_SOC_ID 0x80000002u
#define PSCI_CPU_SUSPEND_64 0xc4000001u
#define PSCI_CPU_ON_32 0x84000003u
#define PSCI_AFFINITY_INFO_32 0x84000004u
#define PSCI_SYSTEM_RESET2_64 0xc4000012u
#define PSCI_MEM_PROTECT 0x84000013u

static struct test_guest alpha, beta;

static void setup(void)
{
	fake_arch_reset();
	partition_stopped_calls = 0;
	capture_start();
	guest_init(&alpha, "alpha", 1, 1, 1, RAM_SIZE);
	guest_init(&beta, "beta", 2, 1, 1, RAM_SIZE);
}

static void teardown(void)
{
	unit_free_all();
}

static struct vcpu *vcpu0(struct test_guest *g)
{
	return &g->p.vcpu[0];
}

static u64 ram_base(const struct test_guest *g, unsigned region)
{
	return g->cfg.mem[region].base;
}

/* Put bytes in guest RAM; returns their IPA. */
static u64 poke(struct test_guest *g, u64 off, const void *s, size_t len)
{
	memcpy((u8 *)(uintptr_t)ram_base(g, 0) + off, s, len);
	return ram_base(g, 0) + off;
}

static void call(struct vcpu *v, u64 x0, u64 x1, u64 x2, u64 x3)
{
	unit_hvc(v, x0, x1, x2, x3);
}

static u64 call1(struct vcpu *v, u64 x0, u64 x1, u64 x2)
{
	call(v, x0, x1, x2, 0);
	return v->regs.x[0];
}

static u64 call3(struct vcpu *v, u64 x0, u64 x1, u64 x2, u64 x3)
{
	call(v, x0, x1, x2, x3);
	return v->regs.x[0];
}

/* CONSOLE_WRITE of a string placed at offset 0x100 of alpha's RAM. */
static u64 write_str(struct test_guest *g, const char *s)
{
	return call1(vcpu0(g), UMBRA_HC_CONSOLE_WRITE, poke(g, 0x100, s, strlen(s)), strlen(s));
}

/* ---- Umbra's own calls ---- */

START_TEST(test_version)
{
	struct vcpu *v = vcpu0(&alpha);

	call(v, UMBRA_HC_VERSION, 0, 0, 0);
	ck_assert_uint_eq(v->regs.x[0], UMBRA_OK);
	ck_assert_uint_eq(v->regs.x[1], (UMBRA_ABI_MAJOR << 16) | UMBRA_ABI_MINOR);
	ck_assert_uint_eq(v->regs.x[1], 0x2);   /* 0.2 */
	ck_assert_uint_eq(v->regs.x[2], 0);
	ck_assert_uint_eq(v->regs.x[3], 0);
	/* the function ID is w0: the upper half of x0 is ignored */
	call(v, 0xffffffff00000000ULL | UMBRA_HC_VERSION, 0, 0, 0);
	ck_assert_uint_eq(v->regs.x[0], UMBRA_OK);
	ck_assert_uint_eq(v->regs.x[1], 0x2);
}
END_TEST

START_TEST(test_call_uid)
{
	struct vcpu *v = vcpu0(&alpha);

	call(v, UMBRA_HC_CALL_UID, 0, 0, 0);
	ck_assert_uint_eq(v->regs.x[0], 0x0e2c9f0d);
	ck_assert_uint_eq(v->regs.x[1], 0x6e4c1a5b);
	ck_assert_uint_eq(v->regs.x[2], 0x3a7e2f9d);
	ck_assert_uint_eq(v->regs.x[3], 0x605d4c1b);
}
END_TEST

START_TEST(test_revision_and_count)
{
	struct vcpu *v = vcpu0(&alpha);

	call(v, UMBRA_HC_REVISION, 0, 0, 0);
	ck_assert_uint_eq(v->regs.x[0], UMBRA_REVISION_MAJOR);
	ck_assert_uint_eq(v->regs.x[1], UMBRA_REVISION_MINOR);
	call(v, UMBRA_HC_CALL_COUNT, 0, 0, 0);
	/* version, partition info, console write, attest, derive key, extend,
	 * device claim, release, state, channel notify, channel info, image
	 * confirm, image update, events read, events report, panic */
	ck_assert_uint_eq(v->regs.x[0], 16);
}
END_TEST

/* IMAGE_CONFIRM from an unsigned image, and IMAGE_UPDATE's argument checks
 * (no partition here has update-staging or signer-key) */
START_TEST(test_image_calls)
{
	struct vcpu *v = vcpu0(&alpha);
	u64 name = poke(&alpha, 0x100, "beta", 4);

	ck_assert_uint_eq(call1(v, UMBRA_HC_IMAGE_CONFIRM, 0, 0), (u64)(s64)UMBRA_E_DENIED);
	ck_assert_uint_eq(call3(v, UMBRA_HC_IMAGE_UPDATE, name, 0, 0), INVALID_PARAM);
	ck_assert_uint_eq(call3(v, UMBRA_HC_IMAGE_UPDATE, name, 16, 0), INVALID_PARAM);
	ck_assert_uint_eq(call3(v, UMBRA_HC_IMAGE_UPDATE, name, ~0ULL, 0), INVALID_PARAM);
	ck_assert_uint_eq(call3(v, UMBRA_HC_IMAGE_UPDATE, ram_base(&alpha, 0) + RAM_SIZE - 2, 4, 0),
			  BAD_ADDRESS);
	/* a name that is no partition with an update-staging region */
	ck_assert_uint_eq(call3(v, UMBRA_HC_IMAGE_UPDATE, name, 4, 0), INVALID_PARAM);
	ck_assert_uint_eq(call3(v, UMBRA_HC_IMAGE_UPDATE, name, 4, 4096), INVALID_PARAM);
}
END_TEST

START_TEST(test_partition_info)
{
	struct test_guest g;
	struct vcpu *v;

	call(vcpu0(&alpha), UMBRA_HC_PARTITION_INFO, 0, 0, 0);
	ck_assert_uint_eq(alpha.p.vcpu[0].regs.x[0], UMBRA_OK);
	ck_assert_uint_eq(alpha.p.vcpu[0].regs.x[1], 1);
	ck_assert_uint_eq(alpha.p.vcpu[0].regs.x[2], 1);
	ck_assert_uint_eq(alpha.p.vcpu[0].regs.x[3], RAM_SIZE);
	/* 3 vCPUs, 2 regions; asked from vCPU 2 */
	guest_init(&g, "gamma", 3, 3, 2, 2 * PAGE_SIZE);
	v = &g.p.vcpu[2];
	call(v, UMBRA_HC_PARTITION_INFO, 0, 0, 0);
	ck_assert_uint_eq(v->regs.x[0], UMBRA_OK);
	ck_assert_uint_eq(v->regs.x[1], 3);
	ck_assert_uint_eq(v->regs.x[2], 3);
	ck_assert_uint_eq(v->regs.x[3], 4 * PAGE_SIZE);
}
END_TEST

/* ---- CONSOLE_WRITE ---- */

START_TEST(test_console_write)
{
	struct vcpu *v = vcpu0(&alpha);

	ck_assert_uint_eq(write_str(&alpha, "hello\n"), 6);
	ck_assert_uint_eq(v->regs.x[1], 0);
	ck_assert_str_eq(captured(), "[alpha] hello\r\n");
	/* a line may come in pieces */
	capture_clear();
	ck_assert_uint_eq(write_str(&alpha, "abc"), 3);
	ck_assert_str_eq(captured(), "");
	ck_assert_uint_eq(write_str(&alpha, "def\nx"), 5);
	ck_assert_str_eq(captured(), "[alpha] abcdef\r\n");
}
END_TEST

START_TEST(test_console_write_zero)
{
	ck_assert_uint_eq(call1(vcpu0(&alpha), UMBRA_HC_CONSOLE_WRITE, ram_base(&alpha, 0), 0), 0);
	/* nothing is read, so the address does not matter */
	ck_assert_uint_eq(call1(vcpu0(&alpha), UMBRA_HC_CONSOLE_WRITE, 0, 0), 0);
	console_guest_flush(&alpha.p);
	ck_assert_str_eq(captured(), "");
}
END_TEST

START_TEST(test_console_write_max)
{
	char line[UMBRA_CONSOLE_WRITE_MAX + 2];
	u64 ipa;

	memset(line, 'y', sizeof(line));
	ipa = poke(&alpha, 0, line, sizeof(line));
	ck_assert_uint_eq(call1(vcpu0(&alpha), UMBRA_HC_CONSOLE_WRITE, ipa,
				UMBRA_CONSOLE_WRITE_MAX), UMBRA_CONSOLE_WRITE_MAX);
	capture_clear();
	console_guest_flush(&alpha.p);
	ck_assert_str_eq(captured(), "[alpha] yyyyyyyyyyyyyyyy\r\n"); /* 256 = 2 * 120 + 16 */
	capture_clear();
	ck_assert_uint_eq(call1(vcpu0(&alpha), UMBRA_HC_CONSOLE_WRITE, ipa,
				UMBRA_CONSOLE_WRITE_MAX + 1), INVALID_PARAM);
	ck_assert_uint_eq(call1(vcpu0(&alpha), UMBRA_HC_CONSOLE_WRITE, ipa, ~0ULL),
			  INVALID_PARAM);
	/* a length check on the low 32 bits only would let this through */
	ck_assert_uint_eq(call1(vcpu0(&alpha), UMBRA_HC_CONSOLE_WRITE, ipa, (1ULL << 32) | 5),
			  INVALID_PARAM);
	console_guest_flush(&alpha.p);
	ck_assert_str_eq(captured(), "");
}
END_TEST

START_TEST(test_console_write_straddles_ram_end)
{
	const u64 end = ram_base(&alpha, 0) + RAM_SIZE;

	memset((u8 *)(uintptr_t)(end - 10), 'z', 10);
	ck_assert_uint_eq(call1(vcpu0(&alpha), UMBRA_HC_CONSOLE_WRITE, end - 10, 11),
			  BAD_ADDRESS);
	ck_assert_uint_eq(call1(vcpu0(&alpha), UMBRA_HC_CONSOLE_WRITE, end - 10, 256),
			  BAD_ADDRESS);
	ck_assert_uint_eq(call1(vcpu0(&alpha), UMBRA_HC_CONSOLE_WRITE, ram_base(&alpha, 0) - 1, 2),
			  BAD_ADDRESS);
	console_guest_flush(&alpha.p);
	ck_assert_str_eq(captured(), "");
	/* the last bytes themselves are fine */
	ck_assert_uint_eq(call1(vcpu0(&alpha), UMBRA_HC_CONSOLE_WRITE, end - 10, 10), 10);
	console_guest_flush(&alpha.p);
	ck_assert_str_eq(captured(), "[alpha] zzzzzzzzzz\r\n");
}
END_TEST

START_TEST(test_console_write_outside_ram)
{
	const char *secret = "beta's secret\n";

	ck_assert_uint_eq(call1(vcpu0(&alpha), UMBRA_HC_CONSOLE_WRITE, 0x1000, 8), BAD_ADDRESS);
	/* another partition's memory is not the caller's */
	ck_assert_uint_eq(call1(vcpu0(&alpha), UMBRA_HC_CONSOLE_WRITE,
				poke(&beta, 0, secret, strlen(secret)), strlen(secret)),
			  BAD_ADDRESS);
	/* the upper half of an SMC64 argument counts */
	ck_assert_uint_eq(call1(vcpu0(&alpha), UMBRA_HC_CONSOLE_WRITE,
				(1ULL << 63) | ram_base(&alpha, 0), 8), BAD_ADDRESS);
	console_guest_flush(&alpha.p);
	ck_assert_str_eq(captured(), "");
}
END_TEST

START_TEST(test_console_write_wraps)
{
	ck_assert_uint_eq(call1(vcpu0(&alpha), UMBRA_HC_CONSOLE_WRITE, ~0ULL - 0xf, 0x20),
			  BAD_ADDRESS);
	ck_assert_uint_eq(call1(vcpu0(&alpha), UMBRA_HC_CONSOLE_WRITE, ~0ULL, 1), BAD_ADDRESS);
	ck_assert_uint_eq(call1(vcpu0(&alpha), UMBRA_HC_CONSOLE_WRITE, ~0ULL, 2), BAD_ADDRESS);
	console_guest_flush(&alpha.p);
	ck_assert_str_eq(captured(), "");
}
END_TEST

START_TEST(test_console_write_second_region)
{
	struct test_guest g;
	u8 *r1;

	guest_init(&g, "two", 3, 1, 2, PAGE_SIZE);
	r1 = (u8 *)(uintptr_t)ram_base(&g, 1);
	memcpy(r1 + PAGE_SIZE - 3, "ok\n", 3);
	ck_assert_uint_eq(call1(vcpu0(&g), UMBRA_HC_CONSOLE_WRITE,
				ram_base(&g, 1) + PAGE_SIZE - 3, 3), 3);
	ck_assert_str_eq(captured(), "[two] ok\r\n");
}
END_TEST

START_TEST(test_guest_ram_range)
{
	const struct partition *p = &alpha.p;
	const u64 b = ram_base(&alpha, 0);
	char buf[4];

	ck_assert(partition_ram_range(p, b, RAM_SIZE));
	ck_assert(partition_ram_range(p, b + RAM_SIZE - 1, 1));
	ck_assert(!partition_ram_range(p, b, 0));
	ck_assert(!partition_ram_range(p, b, RAM_SIZE + 1));
	ck_assert(!partition_ram_range(p, b + RAM_SIZE, 1));
	ck_assert(!partition_ram_range(p, b - 1, 1));
	ck_assert(!partition_ram_range(p, b + 1, ~0ULL));
	poke(&alpha, 8, "abcd", 4);
	ck_assert_int_eq(guest_copy_from(p, b + 8, buf, 4), 0);
	ck_assert_int_eq(memcmp(buf, "abcd", 4), 0);
	ck_assert_int_eq(guest_copy_from(p, b + RAM_SIZE - 2, buf, 4), -E_RANGE);
}
END_TEST

/* ---- function ID checks ---- */

START_TEST(test_smc32_form_of_smc64_call)
{
	struct vcpu *v = vcpu0(&alpha);
	u64 ipa = poke(&alpha, 0, "no\n", 3);

	ck_assert_uint_eq(call1(v, UMBRA_HC_CONSOLE_WRITE & ~SMCCC_SMC64, ipa, 3), NOT_SUPPORTED);
	ck_assert_uint_eq(call1(v, 0x86000002, ipa, 3), NOT_SUPPORTED);
	ck_assert_uint_eq(call1(v, UMBRA_HC_PARTITION_INFO & ~SMCCC_SMC64, 0, 0), NOT_SUPPORTED);
	/* and the SMC64 form of SMC32 calls */
	ck_assert_uint_eq(call1(v, UMBRA_HC_VERSION | SMCCC_SMC64, 0, 0), NOT_SUPPORTED);
	ck_assert_uint_eq(call1(v, UMBRA_HC_CALL_UID | SMCCC_SMC64, 0, 0), NOT_SUPPORTED);
	ck_assert_uint_eq(call1(v, SMCCC_VERSION | SMCCC_SMC64, 0, 0), NOT_SUPPORTED);
	ck_assert_uint_eq(call1(v, PSCI_SYSTEM_OFF | SMCCC_SMC64, 0, 0), PSCI_NOT_SUPPORTED);
	ck_assert_int_eq(alpha.p.state, PART_RUNNING);
	console_guest_flush(&alpha.p);
	ck_assert_str_eq(captured(), "");
}
END_TEST

START_TEST(test_smc32_args_masked)
{
	struct test_guest g;
	struct vcpu *v = vcpu0(&alpha), *t;
	const u64 junk = 0xdead00ff00000000ULL;

	/* SMC32: arguments are w1..w6 */
	ck_assert_uint_eq(call1(v, PSCI_FEATURES, junk | PSCI_SYSTEM_OFF, 0), PSCI_RET_SUCCESS);
	ck_assert_uint_eq(call1(v, PSCI_FEATURES, junk | PSCI_CPU_SUSPEND_64, 0),
			  PSCI_NOT_SUPPORTED);
	ck_assert_uint_eq(call1(v, SMCCC_ARCH_FEATURES, junk | SMCCC_VERSION, 0), 0);

	/* CPU_ON: target, entry and context all lose their upper halves */
	guest_init(&g, "gamma", 3, 2, 1, PAGE_SIZE);
	t = &g.p.vcpu[1];
	t->on = false;
	t->parked = true;
	call(vcpu0(&g), PSCI_CPU_ON_32, junk | g.cfg.cpu_mpidr[1], junk | (ram_base(&g, 0) + 0x40),
	     junk | 0x1234);
	ck_assert_uint_eq(g.p.vcpu[0].regs.x[0], PSCI_RET_SUCCESS);
	ck_assert(t->on);
	ck_assert_uint_eq(t->regs.elr, ram_base(&g, 0) + 0x40);
	ck_assert_uint_eq(t->regs.x[0], 0x1234);
	/* the SMC64 form takes them whole: Aff3 = 0xff is nobody */
	t->on = false;
	call(vcpu0(&g), PSCI_CPU_ON_64, junk | g.cfg.cpu_mpidr[1], ram_base(&g, 0), 0);
	ck_assert_uint_eq(g.p.vcpu[0].regs.x[0], PSCI_INVALID_PARAMS);
	ck_assert(!t->on);
}
END_TEST

START_TEST(test_yielding_call)
{
	struct vcpu *v = vcpu0(&alpha);
	u64 ipa = poke(&alpha, 0, "no\n", 3);

	ck_assert_uint_eq(call1(v, UMBRA_HC_VERSION & ~SMCCC_FAST_CALL, 0, 0), NOT_SUPPORTED);
	ck_assert_uint_eq(call1(v, UMBRA_HC_CONSOLE_WRITE & ~SMCCC_FAST_CALL, ipa, 3),
			  NOT_SUPPORTED);
	ck_assert_uint_eq(call1(v, PSCI_SYSTEM_OFF & ~SMCCC_FAST_CALL, 0, 0), NOT_SUPPORTED);
	ck_assert_uint_eq(call1(v, SMCCC_VERSION & ~SMCCC_FAST_CALL, 0, 0), NOT_SUPPORTED);
	ck_assert_int_eq(alpha.p.state, PART_RUNNING);
	ck_assert_uint_eq(partition_stopped_calls, 0);
	console_guest_flush(&alpha.p);
	ck_assert_str_eq(captured(), "");
}
END_TEST

START_TEST(test_unknown_owner_or_function)
{
	static const u32 fids[] = {
		0x81000000, 0x82000000, 0x83000000, 0x85000000, /* CPU, SiP, OEM, std hyp */
		0xb0000000, 0xbf000000, 0xc5000000, 0xff00ffff, /* trusted apps/OS */
		0x8600ff02, 0x86000003, 0xc6000003, 0x8600fffe, /* Umbra range, unused */
		SMCCC_ARCH_SOC_ID, SMCCC_ARCH_WORKAROUND_1,       /* arch, not offered */
	};
	struct vcpu *v = vcpu0(&alpha);
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(fids); i++)
		ck_assert_msg(call1(v, fids[i], 0, 0) == NOT_SUPPORTED, "fid 0x%08x", fids[i]);
	/* PSCI functions Umbra does not offer */
	ck_assert_uint_eq(call1(v, PSCI_CPU_SUSPEND_64, 0, 0), PSCI_NOT_SUPPORTED);
	ck_assert_uint_eq(call1(v, PSCI_SYSTEM_RESET2_64, 0, 0), PSCI_NOT_SUPPORTED);
	ck_assert_uint_eq(call1(v, 0x840000ff, 0, 0), PSCI_NOT_SUPPORTED);
	ck_assert_int_eq(alpha.p.state, PART_RUNNING);
}
END_TEST

/* ---- SMCCC architecture calls and PSCI ---- */

START_TEST(test_smccc_version)
{
	ck_assert_uint_eq(call1(vcpu0(&alpha), SMCCC_VERSION, 0, 0), 0x10002);
}
END_TEST

START_TEST(test_smccc_arch_features)
{
	struct vcpu *v = vcpu0(&alpha);

	ck_assert_uint_eq(call1(v, SMCCC_ARCH_FEATURES, SMCCC_VERSION, 0), 0);
	/* no erratum workaround calls */
	ck_assert_uint_eq(call1(v, SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_1, 0),
			  NOT_SUPPORTED);
	ck_assert_uint_eq(call1(v, SMCCC_ARCH_FEATURES, 0x80007fff, 0), NOT_SUPPORTED);
	ck_assert_uint_eq(call1(v, SMCCC_ARCH_FEATURES, 0x12345678, 0), NOT_SUPPORTED);
}
END_TEST

START_TEST(test_psci_version)
{
	ck_assert_uint_eq(call1(vcpu0(&alpha), PSCI_VERSION, 0, 0), 0x10001);
	ck_assert_uint_eq(call1(vcpu0(&alpha), PSCI_MIGRATE_INFO_TYPE, 0, 0), 2);
}
END_TEST

START_TEST(test_psci_features)
{
	static const u32 yes[] = {
		PSCI_VERSION, PSCI_FEATURES, PSCI_CPU_OFF, PSCI_CPU_ON_32, PSCI_CPU_ON_64,
		PSCI_AFFINITY_INFO_32, PSCI_AFFINITY_INFO_64, PSCI_MIGRATE_INFO_TYPE,
		PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET, SMCCC_VERSION,
	};
	static const u32 no[] = {
		PSCI_CPU_SUSPEND_64, PSCI_SYSTEM_RESET2_64, PSCI_MEM_PROTECT,
		PSCI_SYSTEM_OFF | SMCCC_SMC64, PSCI_CPU_OFF | SMCCC_SMC64, UMBRA_HC_VERSION, 0,
	};
	struct vcpu *v = vcpu0(&alpha);
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(yes); i++)
		ck_assert_msg(call1(v, PSCI_FEATURES, yes[i], 0) == PSCI_RET_SUCCESS,
			      "0x%08x", yes[i]);
	for (i = 0; i < ARRAY_SIZE(no); i++)
		ck_assert_msg(call1(v, PSCI_FEATURES, no[i], 0) == PSCI_NOT_SUPPORTED,
			      "0x%08x", no[i]);
}
END_TEST

START_TEST(test_psci_system_off)
{
	struct test_guest g;
	struct vcpu *v;
	unsigned i;

	guest_init(&g, "gamma", 3, 2, 1, RAM_SIZE);
	v = &g.p.vcpu[1];
	ck_assert_uint_eq(write_str(&g, "bye"), 3);
	/* call() checks x4..x30 and the PC/PSTATE; x0..x3 are checked here */
	call(v, PSCI_SYSTEM_OFF, 0x11, 0x22, 0x33);
	ck_assert_uint_eq(v->regs.x[0], PSCI_SYSTEM_OFF);
	ck_assert_uint_eq(v->regs.x[1], 0x11);
	ck_assert_uint_eq(v->regs.x[2], 0x22);
	ck_assert_uint_eq(v->regs.x[3], 0x33);
	ck_assert_int_eq(g.p.state, PART_STOPPED);
	for (i = 0; i < g.p.nr_vcpus; i++)
		ck_assert(!g.p.vcpu[i].on);
	/* the other vCPU's CPU was kicked out of the guest, and it parked */
	ck_assert_uint_eq(fake_gic.sgis, 1);
	ck_assert_uint_eq(fake_gic.sgi_mpidr, g.cfg.cpu_mpidr[0]);
	ck_assert_uint_eq(fake_gic.sgi_id, GIC_KICK_SGI);
	ck_assert(g.p.vcpu[0].parked);
	ck_assert_uint_eq(partition_stopped_calls, 1);
	/* the partial line first, then the stop */
	ck_assert_str_eq(captured(), "[gamma] bye\r\numbra: gamma: stopped (PSCI SYSTEM_OFF)\r\n");
	/* only that partition, once */
	ck_assert_int_eq(alpha.p.state, PART_RUNNING);
	ck_assert(alpha.p.vcpu[0].on);
	partition_stop(&g.p, EV_CAUSE_OTHER, "again");
	ck_assert_uint_eq(partition_stopped_calls, 1);
	ck_assert_uint_eq(captured_count("stopped"), 1);
}
END_TEST

START_TEST(test_psci_cpu_off)
{
	struct test_guest g;

	guest_init(&g, "gamma", 3, 2, 1, RAM_SIZE);
	call(&g.p.vcpu[1], PSCI_CPU_OFF, 0, 0, 0);
	ck_assert_uint_eq(g.p.vcpu[1].regs.x[0], PSCI_CPU_OFF); /* does not return */
	ck_assert(!g.p.vcpu[1].on);
	ck_assert(g.p.vcpu[0].on);
	ck_assert_int_eq(g.p.state, PART_RUNNING);
	ck_assert_uint_eq(partition_stopped_calls, 0);
	call(&g.p.vcpu[0], PSCI_CPU_OFF, 0, 0, 0);
	ck_assert_uint_eq(g.p.vcpu[0].regs.x[0], PSCI_CPU_OFF);
	ck_assert_int_eq(g.p.state, PART_STOPPED);
	ck_assert_uint_eq(partition_stopped_calls, 1);
	ck_assert_str_eq(captured(), "umbra: gamma: stopped (last vCPU off)\r\n");
}
END_TEST

START_TEST(test_psci_cpu_on)
{
	struct test_guest g;
	struct vcpu *v, *t;
	const u64 ram = GUEST_RAM_BASE(3, 0);
	u32 gen;

	guest_init(&g, "gamma", 3, 3, 1, PAGE_SIZE);
	v = &g.p.vcpu[0];
	t = &g.p.vcpu[2];
	t->on = false;
	t->parked = true;
	gen = t->gen;
	/* the RES1 bit 31 of an MPIDR_EL1 value is ignored */
	call(v, PSCI_CPU_ON_64, BIT(31) | g.cfg.cpu_mpidr[2], ram + PAGE_SIZE - 4, 0xc0ffee);
	ck_assert_uint_eq(v->regs.x[0], PSCI_RET_SUCCESS);
	ck_assert(t->on);
	ck_assert_uint_eq(t->regs.elr, ram + PAGE_SIZE - 4);
	ck_assert_uint_eq(t->regs.x[0], 0xc0ffee);
	ck_assert_uint_eq(t->regs.x[1], 0);
	ck_assert_uint_ne(t->gen, gen);
	ck_assert_uint_ge(fake_arch.cpu_wakes, 1);
	ck_assert_uint_eq(call1(v, PSCI_AFFINITY_INFO_64, g.cfg.cpu_mpidr[2], 0), 0);
	/* once on, it is on; so is the caller */
	ck_assert_uint_eq(call3(v, PSCI_CPU_ON_64, g.cfg.cpu_mpidr[2], ram, 0), PSCI_ALREADY_ON);
	ck_assert_uint_eq(call3(v, PSCI_CPU_ON_64, g.cfg.cpu_mpidr[0], ram, 0), PSCI_ALREADY_ON);
	ck_assert_uint_eq(t->regs.elr, ram + PAGE_SIZE - 4);
}
END_TEST

START_TEST(test_psci_cpu_on_bad_args)
{
	struct test_guest g;
	struct vcpu *v, *t;
	const u64 ram = GUEST_RAM_BASE(3, 0);

	guest_init(&g, "gamma", 3, 2, 1, PAGE_SIZE);
	v = &g.p.vcpu[0];
	t = &g.p.vcpu[1];
	t->on = false;
	t->parked = true;
	/* CPUs of other partitions, or of nobody, do not exist */
	ck_assert_uint_eq(call3(v, PSCI_CPU_ON_64, alpha.cfg.cpu_mpidr[0], ram, 0),
			  PSCI_INVALID_PARAMS);
	ck_assert_uint_eq(call3(v, PSCI_CPU_ON_64, 0x7, ram, 0), PSCI_INVALID_PARAMS);
	ck_assert_uint_eq(call3(v, PSCI_CPU_ON_64, (1ULL << 32) | g.cfg.cpu_mpidr[1], ram, 0),
			  PSCI_INVALID_PARAMS);
	/* the entry point must be in its own RAM, 4-byte aligned */
	ck_assert_uint_eq(call3(v, PSCI_CPU_ON_64, g.cfg.cpu_mpidr[1], ram + PAGE_SIZE, 0),
			  PSCI_INVALID_ADDRESS);
	ck_assert_uint_eq(call3(v, PSCI_CPU_ON_64, g.cfg.cpu_mpidr[1], ram + PAGE_SIZE - 2, 0),
			  PSCI_INVALID_ADDRESS);
	ck_assert_uint_eq(call3(v, PSCI_CPU_ON_64, g.cfg.cpu_mpidr[1], ram + 2, 0),
			  PSCI_INVALID_ADDRESS);
	ck_assert_uint_eq(call3(v, PSCI_CPU_ON_64, g.cfg.cpu_mpidr[1], ram_base(&alpha, 0), 0),
			  PSCI_INVALID_ADDRESS);
	ck_assert_uint_eq(call3(v, PSCI_CPU_ON_64, g.cfg.cpu_mpidr[1], 0, 0),
			  PSCI_INVALID_ADDRESS);
	ck_assert_uint_eq(call3(v, PSCI_CPU_ON_64, g.cfg.cpu_mpidr[1], ~3ULL, 0),
			  PSCI_INVALID_ADDRESS);
	ck_assert(!t->on);
	ck_assert_uint_eq(fake_arch.vcpu_resets, 0);
	/* nor does another partition's vCPU change */
	ck_assert(alpha.p.vcpu[0].on);
}
END_TEST

START_TEST(test_psci_affinity_info)
{
	struct test_guest g;
	struct vcpu *v;

	guest_init(&g, "gamma", 3, 2, 1, PAGE_SIZE);
	v = &g.p.vcpu[0];
	g.p.vcpu[1].on = false;
	ck_assert_uint_eq(call1(v, PSCI_AFFINITY_INFO_64, g.cfg.cpu_mpidr[0], 0), 0);
	ck_assert_uint_eq(call1(v, PSCI_AFFINITY_INFO_64, g.cfg.cpu_mpidr[1], 0), 1);
	ck_assert_uint_eq(call1(v, PSCI_AFFINITY_INFO_32, g.cfg.cpu_mpidr[1], 0), 1);
	/* only level 0; only its own CPUs */
	ck_assert_uint_eq(call1(v, PSCI_AFFINITY_INFO_64, g.cfg.cpu_mpidr[0], 1),
			  PSCI_INVALID_PARAMS);
	ck_assert_uint_eq(call1(v, PSCI_AFFINITY_INFO_64, alpha.cfg.cpu_mpidr[0], 0),
			  PSCI_INVALID_PARAMS);
	ck_assert_uint_eq(call1(v, PSCI_AFFINITY_INFO_64, 0x55, 0), PSCI_INVALID_PARAMS);
}
END_TEST

/* ---- guest console lines ---- */

START_TEST(test_console_sanitized)
{
	static const char in[] = "a\x1b[2Jb\x07" "c\td\x7f\xff" "e\0f\r\n";

	ck_assert_uint_eq(call1(vcpu0(&alpha), UMBRA_HC_CONSOLE_WRITE,
				poke(&alpha, 0, in, sizeof(in) - 1), sizeof(in) - 1),
			  sizeof(in) - 1);
	ck_assert_str_eq(captured(), "[alpha] ab.c d..e.f\r\n"); /* ESC [2J dropped */
}
END_TEST

START_TEST(test_console_long_line_split)
{
	char in[251], want[400];
	size_t n = 0;
	int i;

	memset(in, 'x', 250);
	in[250] = '\n';
	ck_assert_uint_eq(call1(vcpu0(&alpha), UMBRA_HC_CONSOLE_WRITE, poke(&alpha, 0, in, 200),
				200), 200);
	ck_assert_uint_eq(call1(vcpu0(&alpha), UMBRA_HC_CONSOLE_WRITE,
				poke(&alpha, 0, in + 200, 51), 51), 51);
	/* 250 = 120 + 120 + 10, each piece its own tagged line */
	for (i = 0; i < 3; i++) {
		int len = i < 2 ? 120 : 10;

		n += (size_t)snprintf(want + n, sizeof(want) - n, "[alpha] %.*s\r\n", len, in);
	}
	ck_assert_str_eq(captured(), want);
}
END_TEST

START_TEST(test_console_own_prefix)
{
	ck_assert_uint_eq(write_str(&alpha, "hel"), 3);
	ck_assert_uint_eq(write_str(&beta, "wor"), 3);
	ck_assert_uint_eq(write_str(&alpha, "lo\n"), 3);
	ck_assert_uint_eq(write_str(&beta, "ld\n"), 3);
	ck_assert_str_eq(captured(), "[alpha] hello\r\n[beta] world\r\n");
	/* a guest cannot start a line that looks like another's */
	capture_clear();
	ck_assert_uint_eq(write_str(&alpha, "x\n[beta] forged\numbra: forged\n"), 30);
	ck_assert_str_eq(captured(),
			 "[alpha] x\r\n[alpha] [beta] forged\r\n[alpha] umbra: forged\r\n");
	/* nor split Umbra's own lines: its partial line waits */
	capture_clear();
	ck_assert_uint_eq(write_str(&alpha, "par"), 3);
	printk("umbra: %s %d\n", "hello", 42);
	ck_assert_uint_eq(write_str(&alpha, "tial\n"), 5);
	ck_assert_str_eq(captured(), "umbra: hello 42\r\n[alpha] partial\r\n");
}
END_TEST

START_TEST(test_console_detached)
{
	console_attach(NULL);
	ck_assert_uint_eq(write_str(&alpha, "into the void\n"), 14);
	printk("umbra: nothing\n");
	ck_assert_str_eq(captured(), "");
}
END_TEST

static TCase *tcase(Suite *s, const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, setup, teardown);
	suite_add_tcase(s, tc);
	return tc;
}

Suite *smccc_suite(void)
{
	Suite *s = suite_create("smccc");

	tcase_add_test(tcase(s, "version"), test_version);
	tcase_add_test(tcase(s, "call_uid"), test_call_uid);
	tcase_add_test(tcase(s, "revision_and_count"), test_revision_and_count);
	tcase_add_test(tcase(s, "partition_info"), test_partition_info);
	tcase_add_test(tcase(s, "image_calls"), test_image_calls);
	tcase_add_test(tcase(s, "console_write"), test_console_write);
	tcase_add_test(tcase(s, "console_write_zero"), test_console_write_zero);
	tcase_add_test(tcase(s, "console_write_max"), test_console_write_max);
	tcase_add_test(tcase(s, "console_write_straddles_ram_end"),
		       test_console_write_straddles_ram_end);
	tcase_add_test(tcase(s, "console_write_outside_ram"), test_console_write_outside_ram);
	tcase_add_test(tcase(s, "console_write_wraps"), test_console_write_wraps);
	tcase_add_test(tcase(s, "console_write_second_region"),
		       test_console_write_second_region);
	tcase_add_test(tcase(s, "guest_ram_range"), test_guest_ram_range);
	tcase_add_test(tcase(s, "smc32_form_of_smc64_call"), test_smc32_form_of_smc64_call);
	tcase_add_test(tcase(s, "smc32_args_masked"), test_smc32_args_masked);
	tcase_add_test(tcase(s, "yielding_call"), test_yielding_call);
	tcase_add_test(tcase(s, "unknown_owner_or_function"), test_unknown_owner_or_function);
	tcase_add_test(tcase(s, "smccc_version"), test_smccc_version);
	tcase_add_test(tcase(s, "smccc_arch_features"), test_smccc_arch_features);
	tcase_add_test(tcase(s, "psci_version"), test_psci_version);
	tcase_add_test(tcase(s, "psci_features"), test_psci_features);
	tcase_add_test(tcase(s, "psci_system_off"), test_psci_system_off);
	tcase_add_test(tcase(s, "psci_cpu_off"), test_psci_cpu_off);
	tcase_add_test(tcase(s, "psci_cpu_on"), test_psci_cpu_on);
	tcase_add_test(tcase(s, "psci_cpu_on_bad_args"), test_psci_cpu_on_bad_args);
	tcase_add_test(tcase(s, "psci_affinity_info"), test_psci_affinity_info);
	tcase_add_test(tcase(s, "console_sanitized"), test_console_sanitized);
	tcase_add_test(tcase(s, "console_long_line_split"), test_console_long_line_split);
	tcase_add_test(tcase(s, "console_own_prefix"), test_console_own_prefix);
	tcase_add_test(tcase(s, "console_detached"), test_console_detached);
	return s;
}
