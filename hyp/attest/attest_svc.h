/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The monitor's attestation service: measured boot (Umbra's image and
 * configuration, each partition's images and configuration), the device
 * identity from the UDS, and the
 * ATTEST / DERIVE_KEY / MEASURE_EXTEND hypercalls. Protocol and key
 * derivation: docs/attestation.md (built on umbra/attest.h).
 */
#ifndef UMBRA_ATTEST_SVC_H
#define UMBRA_ATTEST_SVC_H

#include "umbra/types.h"

struct partition;
struct vcpu;

struct attest_boot_info {
	const u8 *uds;              /* 32 bytes, or NULL: no attestation */
	const void *umbra_image;    /* Umbra's text + rodata, as loaded */
	u64 umbra_image_len;
	const void *fdt;            /* the DTB the configuration was read from */
	size_t fdt_size;            /* readable bytes at fdt */
	const char *board;          /* for the implementation id */
	const char *version;        /* the release, umbra/image's version (NULL: none) */
	const u8 *boot_seed;        /* NULL: no boot-seed claim */
	size_t boot_seed_len;
	bool debug;                 /* a test build: lifecycle non-PSA-RoT debug */
};

/* Once at boot, before any partition is measured. */
int attest_svc_boot(const struct attest_boot_info *info);
bool attest_svc_available(void);
/* Measure p's pristine images and its node of the configuration, derive
 * its keys (creation and every restart). */
int attest_svc_partition(struct partition *p);

/* The first bytes of p's current measurement M_P, for the log. */
u32 attest_svc_measurement_tag(const struct partition *p);

/* Hypercalls: a[] are the arguments x1.., ret[] the results x0... */
void attest_svc_call(struct vcpu *v, u32 fid, const u64 *a, u64 *ret);

/* arch: keep the guest's FP/SIMD registers across BearSSL (which uses
 * them) while a hypercall is served. */
struct fpsimd_state {
	u64 v[64];  /* q0..q31 */
	u64 fpsr, fpcr;
} __aligned(16);
void arch_fpsimd_save(struct fpsimd_state *s);
void arch_fpsimd_restore(const struct fpsimd_state *s);

#endif
