/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared by the libFuzzer targets of hyp/ (fuzz_support.c): partitions
 * built by hand on the fake arch, as the unit tests build them but
 * without Check, and a reader that turns the fuzzer's bytes into
 * operations.
 */
#ifndef UMBRA_FUZZ_H
#define UMBRA_FUZZ_H

#include <stddef.h>

#include "arch/fake.h"
#include "config/config.h"
#include "partition/partition.h"

/* A partition with its RAM at FZ_RAM_BASE(id) (IPA == PA == host
 * address: mapped once, zeroed on every init), vCPU i on MPIDR
 * (id << 8) | i, running. */
#define FZ_RAM_BASE(id) (0x50000000ULL + (u64)(id) * 0x04000000)
#define FZ_RAM_MAX 0x10000ULL
struct fz_guest {
	struct part_cfg cfg;
	struct partition p;
};
void fz_guest_init(struct fz_guest *g, const char *name, unsigned id, unsigned nr_vcpus,
		   u64 ram_size);
/* Monitor output is thrown away (it is long: every refused access logs). */
void fz_console_quiet(void);

struct fz_in {
	const u8 *p;
	size_t n;
};
static inline bool fz_more(const struct fz_in *in) { return in->n > 0; }
u64 fz_bytes(struct fz_in *in, unsigned n);   /* n <= 8, little endian, 0 past the end */
static inline u8 fz_u8(struct fz_in *in) { return (u8)fz_bytes(in, 1); }
static inline u32 fz_u32(struct fz_in *in) { return (u32)fz_bytes(in, 4); }
static inline u64 fz_u64(struct fz_in *in) { return fz_bytes(in, 8); }
/* A value biased towards the interesting: 0, ~0, sign and size
 * boundaries, addresses around base..base+size, or raw. */
u64 fz_value(struct fz_in *in, u64 base, u64 size);

/* The partitions of a real configuration (a DTB built into FUZZ_DTB_DIR), created with partition_create() as at boot, images
 * staged as test_psci.c stages them: fz_world_init() once, then
 * fz_world_reset() before every input. Only vCPU 0 of each runs at first. */
#define FZ_MAX_PARTS 4
extern struct partition fz_parts[FZ_MAX_PARTS];
extern unsigned fz_nr_parts;
void fz_world_init(const char *dtb);
void fz_world_reset(void);
/* What the CPUs do between traps: one whose vCPU was (re)started enters it. */
void fz_world_schedule(void);
/* The signed image in every update-staging region (envelope and image,
 * not what follows) is still the one staged before the input. */
bool fz_update_intact(void);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

#endif
