/* SPDX-License-Identifier: Apache-2.0 */
/* Shared helpers of the host unit tests (support.c). */
#ifndef UNIT_H
#define UNIT_H

#include <check.h>

#include "arch/fake.h"
#include "config/config.h"
#include "console/console.h"
#include "console/internal.h"
#include "partition/partition.h"

/* ck_assert_msg() without Check's per-call bookkeeping (a pipe write per
 * assertion in fork mode), for assertions in long loops. */
#define expect_true(cond, ...) do { if (!(cond)) ck_abort_msg(__VA_ARGS__); } while (0)

Suite *pgtable_suite(void);
Suite *config_suite(void);
Suite *config_errors_suite(void);
Suite *smccc_suite(void);
Suite *fault_suite(void);
Suite *partition_suite(void);
Suite *vgic_suite(void);
Suite *vgic_mmio_suite(void);
Suite *vgic_delivery_suite(void);
Suite *psci_suite(void);
Suite *guest_dt_suite(void);
Suite *attest_svc_suite(void);
Suite *device_suite(void);
Suite *channel_suite(void);
Suite *chan_ring_suite(void);
Suite *vuart_suite(void);
Suite *console_suite(void);
Suite *smmu_suite(void);
Suite *idregs_suite(void);
Suite *events_suite(void);
Suite *signing_suite(void);
Suite *pflash_suite(void);
Suite *update_suite(void);
Suite *image_auth_suite(void);
Suite *attest_lib_suite(void);
Suite *printf_suite(void);
Suite *p256_suite(void);

/* Console capture: everything the monitor prints, as bytes. */
void capture_start(void);
const char *captured(void);
void capture_clear(void);
unsigned captured_count(const char *needle);

/* Calls of the umbra_partition_stopped() stub (main.c is not built). */
extern unsigned partition_stopped_calls;

/* A DTB built from tests/unit/dts/<name>.dts; freed by unit_free_all(). */
void *load_dtb(const char *name);
void *unit_alloc(size_t align, size_t size);   /* zeroed, freed likewise */
/* "Physical memory": zeroed host memory mapped at exactly pa (below
 * 4 GiB is fine on x86-64 Linux, also under ASan), unmapped likewise. */
void *phys_map(u64 pa, u64 size);
void unit_free_all(void);
/* "Physical" address pa (mapped with phys_map) as a pointer; the
 * cfg_env.phys_view that shows physical memory as it is. */
void *phys_ptr(u64 pa);
const void *phys_identity_view(u64 pa, u64 len);
/* What the config checks see in the partition tests: the platform, Umbra
 * at UNIT_UMBRA_BASE+UNIT_UMBRA_SIZE, physical memory as it is. */
#define UNIT_UMBRA_BASE 0x40000000ULL
#define UNIT_UMBRA_SIZE 0x01000000ULL
struct cfg_env unit_cfg_env(const struct platform *plat);
/* One SMCCC call from v on its own CPU: all other registers hold
 * UNIT_SENTINEL(n), and those the ABI preserves (x4..x30: no call takes
 * more than 3 arguments), ELR and SPSR must still hold theirs afterwards.
 * Returns x0. */
#define UNIT_SENTINEL(n) (0x5a5a000000000000ULL | (u64)(n))
u64 unit_hvc(struct vcpu *v, u64 x0, u64 x1, u64 x2, u64 x3);
/* An arm64 Image at pa: header, then a byte pattern up to size. */
void put_arm64_image(u64 pa, u64 text_offset, u64 size, u8 seed);

/* A signed image (docs/signing.md) at dst: an ENV_HDR_MIN envelope for
 * name and svn, signed with the test key unit_signer(seed), then img_len
 * bytes from img. Returns the total length. */
struct attest_keypair;
const struct attest_keypair *unit_signer(const char *seed);
u64 put_signed_image(void *dst, const char *name, u32 svn, const struct attest_keypair *k,
		     const void *img, u64 img_len);

/* The other CPUs, as far as the monitor can see them: a vCPU whose CPU gets
 * the kick SGI while it may not resume parks at once (as trap.c would).
 * Partitions registered here are the ones searched. */
void cpus_track(struct partition *p);
/* Run v's CPU into the guest as vcpu_park() would (entered_gen = gen). */
void vcpu_enter_fake(struct vcpu *v);

/* A partition built by hand (state RUNNING, vCPUs 0..nr_vcpus-1 on and in
 * the guest, vCPU i on MPIDR (id << 8) | i) with nr_regions regions of RAM
 * at PA 0x50000000 + id * 64 MiB + r * 16 MiB (IPA == PA). */
struct test_guest {
	struct part_cfg cfg;
	struct partition p;
	struct page_pool pool;    /* guest_stage2's */
};
#define GUEST_RAM_BASE(id, r) (0x50000000ULL + (u64)(id) * 0x04000000 + (u64)(r) * 0x01000000)
void guest_init(struct test_guest *g, const char *name, unsigned id,
		unsigned nr_vcpus, unsigned nr_regions, u64 region_size);
/* An empty stage 2 for g, with a pool of its own (freed by unit_free_all). */
void guest_stage2(struct test_guest *g, unsigned pages);

#endif
