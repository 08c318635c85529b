// SPDX-License-Identifier: Apache-2.0
/*
 * The GICv3 driver (hyp/drivers/gicv3.c) against a distributor and
 * redistributors in host memory. The driver is included here, not
 * linked, so a test can reset its per-CPU table between rounds.
 *
 * Regression: CPUs run gic_cpu_init at the same time when Umbra starts
 * them; every one must find its own redistributor afterwards (a lost
 * registration left a CPU's kick SGI and timer PPI disabled: a vCPU that
 * never woke up).
 */
#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../../../hyp/drivers/gicv3.c"

#define NR_TEST_CPUS 4
#define ROUNDS 50000

static _Thread_local u64 this_mpidr;
u64 arch_this_mpidr(void) { return this_mpidr; }
void arch_gic_cpuif_init(void) {}

static u8 *fake_gicd, *fake_gicr;
static pthread_barrier_t start, done;
static int init_rc[NR_TEST_CPUS];

/* CPU i (MPIDR Aff0 = i; CPU 0's MPIDR is 0, as on QEMU virt): each
 * round, all CPUs come up together, as after Umbra's PSCI CPU_ONs. */
static void *cpu_thread(void *arg)
{
	unsigned i = (unsigned)(uintptr_t)arg, round;

	this_mpidr = i;
	for (round = 0; round < ROUNDS; round++) {
		pthread_barrier_wait(&start);
		init_rc[i] = gic_cpu_init(i);
		pthread_barrier_wait(&done);
	}
	return NULL;
}

static void setup(void)
{
	unsigned i;

	fake_gicd = aligned_alloc(4096, 0x10000);
	fake_gicr = aligned_alloc(4096, (size_t)GICR_FRAME * NR_TEST_CPUS);
	ck_assert(fake_gicd && fake_gicr);
	memset(fake_gicd, 0, 0x10000);
	memset(fake_gicr, 0, (size_t)GICR_FRAME * NR_TEST_CPUS);
	*(u32 *)(fake_gicd + GICD_TYPER) = 2; /* 96 INTIDs */
	for (i = 0; i < NR_TEST_CPUS; i++)
		*(u64 *)(fake_gicr + (size_t)i * GICR_FRAME + GICR_TYPER) =
			((u64)i << 32) | (i == NR_TEST_CPUS - 1 ? GICR_TYPER_LAST : 0);
	ck_assert_int_eq(gic_dist_init((uintptr_t)fake_gicd, (uintptr_t)fake_gicr,
				       (u64)GICR_FRAME * NR_TEST_CPUS), 0);
}

static void teardown(void)
{
	free(fake_gicd);
	free(fake_gicr);
}

static u32 sgi_isenabler0(unsigned cpu)
{
	return *(volatile u32 *)(fake_gicr + (size_t)cpu * GICR_FRAME + GICR_SGI + GICD_ISENABLER);
}

START_TEST(test_concurrent_cpu_init)
{
	pthread_t t[NR_TEST_CPUS];
	unsigned round, i, lost = 0;

	pthread_barrier_init(&start, NULL, NR_TEST_CPUS + 1);
	pthread_barrier_init(&done, NULL, NR_TEST_CPUS + 1);
	for (i = 0; i < NR_TEST_CPUS; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, cpu_thread, (void *)(uintptr_t)i), 0);
	for (round = 0; round < ROUNDS; round++) {
		memset(frames, 0, sizeof(frames)); /* a fresh boot */
		pthread_barrier_wait(&start);
		pthread_barrier_wait(&done);
		/* each CPU enables its kick SGI: it must land in its own frame */
		for (i = 0; i < NR_TEST_CPUS; i++) {
			ck_assert_int_eq(init_rc[i], 0);
			*(volatile u32 *)(fake_gicr + (size_t)i * GICR_FRAME + GICR_SGI +
					  GICD_ISENABLER) = 0;
			this_mpidr = i;
			gic_set_enable(GIC_KICK_SGI, true);
			if (sgi_isenabler0(i) != BIT(GIC_KICK_SGI))
				lost++;
		}
	}
	for (i = 0; i < NR_TEST_CPUS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&start);
	pthread_barrier_destroy(&done);
	ck_assert_msg(lost == 0, "%u of %u CPU registrations lost", lost,
		      ROUNDS * NR_TEST_CPUS);
}
END_TEST

/* A CPU started again (PSCI CPU_ON after a power-down) keeps its frame,
 * and a table that is full refuses a newcomer instead of overwriting. */
START_TEST(test_restart_and_full)
{
	unsigned i;

	memset(frames, 0, sizeof(frames));
	this_mpidr = 1;
	ck_assert_int_eq(gic_cpu_init(1), 0);
	ck_assert_int_eq(gic_cpu_init(1), 0);
	ck_assert_ptr_eq(sgi_frame(), fake_gicr + GICR_FRAME + GICR_SGI);
	for (i = 0; i < MAX_CPUS; i++)
		if (!frames[i].key)
			frames[i].key = FRAME_VALID | (0x100 + i); /* strangers */
	this_mpidr = 2;
	ck_assert_int_eq(gic_cpu_init(2), -E_RANGE);
	ck_assert_ptr_null(sgi_frame());
	this_mpidr = 7; /* no redistributor at all */
	ck_assert_int_eq(gic_cpu_init(7), -E_NOENT);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("gicv3");
	TCase *tc = tcase_create("cpu_init");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_concurrent_cpu_init);
	tcase_add_test(tc, test_restart_and_full);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
