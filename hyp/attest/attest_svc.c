// SPDX-License-Identifier: Apache-2.0
/*
 * Measured boot and the attestation hypercalls (docs/attestation.md).
 * Tokens are built in Umbra's own buffer and only then copied to the guest
 * (a guest must not be able to change what gets signed). Every guest
 * pointer is checked to lie wholly in the caller's RAM before anything is
 * read or written; on any error nothing is written.
 */
#include "umbra/arch.h"
#include "attest/attest.h"
#include "attest/attest_svc.h"
#include "attest/config_digest.h"
#include "attest/image_auth.h"
#include "umbra/lib.h"
#include "umbra/log.h"
#include "vm/vm.h"
#include "umbra/spinlock.h"
#include "umbra_abi.h"

static struct attest_device device;
static bool available;
static spinlock_t lock;                 /* device, tokens, registers */
static u8 token[ATTEST_TOKEN_MAX];
/* a failure report, built here so that what is hashed is what is returned */
static u8 report[EVENT_REPORT_HDR + UMBRA_REPORT_MAX_EVENTS * EVENT_WIRE_SIZE];

static struct attest_partition part_state[MAX_PARTITIONS];
/* The DTB the configuration came from (Umbra's private copy, never
 * written after boot): partition/config is measured from it. */
static const void *config_fdt;
static size_t config_fdt_size;

int attest_svc_boot(const struct attest_boot_info *info)
{
	struct attest_component comp[2];
	struct attest_device_params prm = { 0 };
	u8 digest[ATTEST_DIGEST_LEN], impl[ATTEST_IMPL_ID_LEN];
	int err;

	available = false;
	if (!info->uds)
		return 0;
	attest_sha256(info->umbra_image, info->umbra_image_len, digest);
	err = attest_component_set(&comp[0], ATTEST_PREFIX_UMBRA "image", digest, info->version,
				   NULL);
	if (err)
		return err;
	/* the whole /umbra node, canonical form (docs/attestation.md) */
	err = attest_config_digest(info->fdt, info->fdt_size, NULL, digest);
	if (!err)
		err = attest_component_set(&comp[1], ATTEST_PREFIX_UMBRA "config", digest,
					   NULL, NULL);
	if (err)
		return err;
	config_fdt = info->fdt;
	config_fdt_size = info->fdt_size;
	attest_implementation_id(info->board, impl);
	prm.uds = info->uds;
	prm.comp = comp;
	prm.nr_comp = 2;
	prm.implementation_id = impl;
	prm.lifecycle = info->debug ? ATTEST_LIFECYCLE_NON_PSA_ROT_DEBUG : ATTEST_LIFECYCLE_SECURED;
	prm.boot_seed = info->boot_seed;
	prm.boot_seed_len = info->boot_seed_len;
	err = attest_device_init(&device, &prm);
	available = err == 0;
	return err;
}

bool attest_svc_available(void)
{
	return available;
}

int attest_svc_partition(struct partition *p)
{
	const struct part_cfg *c = p->cfg;
	const struct image_auth *a = image_auth_of(p->id);
	struct attest_component comp[3];
	u8 digest[ATTEST_DIGEST_LEN];
	char svn[12];
	size_t n = 0;
	int err;

	if (!available || p->id >= MAX_PARTITIONS)
		return 0;
	/* the pristine copies in the staging regions: what will run; a signed
	 * image's component names its signer and carries its SVN */
	attest_sha256(pa_to_ptr(pa_init(c->image.base + p->image_off)), p->image_size, digest);
	snprintf(svn, sizeof(svn), "%u", a->svn);
	err = attest_component_set(&comp[n++], ATTEST_PREFIX_PARTITION "image", digest,
				   a->is_signed ? svn : NULL, a->is_signed ? a->signer_id : NULL);
	if (!err && c->initrd.size) {
		attest_sha256(pa_to_ptr(pa_init(c->initrd.base)), c->initrd.size, digest);
		err = attest_component_set(&comp[n++], ATTEST_PREFIX_PARTITION "initrd", digest,
					   NULL, NULL);
	}
	/* its own node of /umbra (bootargs, memory, devices, ...): the same
	 * DTB every time, so the same digest at every restart */
	if (!err)
		err = attest_config_digest(config_fdt, config_fdt_size, c->name, digest);
	if (!err)
		err = attest_component_set(&comp[n++], ATTEST_PREFIX_PARTITION "config", digest,
					   NULL, NULL);
	spin_lock(&lock);
	if (!err)
		err = attest_partition_init(&part_state[p->id], &device, comp, n,
					    -(int32_t)(p->id + 1));
	if (!err && !a->is_signed)
		part_state[p->id].lifecycle_minor = ATTEST_LIFECYCLE_MINOR_UNSIGNED;
	if (err)   /* no state of an earlier life stays usable (client_id 0) */
		attest_wipe(&part_state[p->id], sizeof(part_state[p->id]));
	spin_unlock(&lock);
	return err;
}

u32 attest_svc_measurement_tag(const struct partition *p)
{
	const u8 *m = part_state[p->id < MAX_PARTITIONS ? p->id : 0].measurement;

	partition_wait_measured(p);

	return (u32)m[0] << 24 | (u32)m[1] << 16 | (u32)m[2] << 8 | m[3];
}

/* Copy out to the guest after checking the whole range. */
static bool copy_to_guest(const struct partition *p, u64 ipa, const void *src, u64 len)
{
	if (!partition_ram_range(p, ipa, len))
		return false;
	memcpy(pa_to_ptr(pa_init(ipa)), src, len);
	/* a guest with its MMU off reads memory, not the cache */
	arch_dcache_clean_range(pa_to_ptr(pa_init(ipa)), len);
	return true;
}

static s64 do_attest(struct partition *p, const u64 *a, u64 *ret)
{
	u8 nonce[ATTEST_NONCE_MAX];
	size_t len = 0;
	int err;

	if (a[1] != 32 && a[1] != 48 && a[1] != 64)
		return UMBRA_E_INVALID_PARAM;
	if (!partition_ram_range(p, a[2], a[3]))
		return UMBRA_E_BAD_ADDRESS;
	if (guest_copy_from(p, a[0], nonce, a[1]))
		return UMBRA_E_BAD_ADDRESS;
	spin_lock(&lock);
	err = attest_partition_token(&device, &part_state[p->id], nonce, a[1], token,
				     sizeof(token), &len);
	if (!err && len > a[3]) {
		ret[1] = len;
		spin_unlock(&lock);
		return UMBRA_E_NO_MEMORY;
	}
	if (!err)
		copy_to_guest(p, a[2], token, len);
	attest_wipe(token, sizeof(token));
	spin_unlock(&lock);
	return err ? UMBRA_E_INVALID_PARAM : (s64)len;
}

/* EVENTS_REPORT: the events from a[2] on and a token whose claim
 * ATTEST_CLAIM_UMBRA_EVENTS is SHA-256 of exactly those report bytes.
 * Umbra builds both: the partition can neither choose the events a
 * report token vouches for nor get that claim from ATTEST. */
static s64 do_report(struct partition *p, const u64 *a, u64 *ret)
{
	u8 nonce[ATTEST_NONCE_MAX], digest[ATTEST_DIGEST_LEN];
	size_t rlen, tlen = 0;
	u64 next;
	int err;

	if (a[1] != 32 && a[1] != 48 && a[1] != 64)
		return UMBRA_E_INVALID_PARAM;
	if (!partition_ram_range(p, a[3], a[4]))
		return UMBRA_E_BAD_ADDRESS;
	if (guest_copy_from(p, a[0], nonce, a[1]))
		return UMBRA_E_BAD_ADDRESS;
	spin_lock(&lock);
	rlen = events_report(a[2], p->cfg->event_reader, p->id, report,
			     UMBRA_REPORT_MAX_EVENTS, &next);
	attest_sha256(report, rlen, digest);
	err = attest_partition_report_token(&device, &part_state[p->id], nonce, a[1], digest,
					    token, sizeof(token), &tlen);
	if (!err && rlen + tlen > a[4]) {
		ret[1] = rlen + tlen;
		spin_unlock(&lock);
		return UMBRA_E_NO_MEMORY;
	}
	if (!err) {
		copy_to_guest(p, a[3], report, rlen);
		copy_to_guest(p, a[3] + rlen, token, tlen);
		ret[1] = rlen;
		ret[2] = next;
	}
	attest_wipe(token, sizeof(token));
	spin_unlock(&lock);
	return err ? UMBRA_E_INVALID_PARAM : (s64)(rlen + tlen);
}

static s64 do_derive_key(struct partition *p, const u64 *a)
{
	u8 label[ATTEST_SEAL_LABEL_MAX], key[ATTEST_SEAL_KEY_LEN];
	int err;

	if (a[1] > ATTEST_SEAL_LABEL_MAX)
		return UMBRA_E_INVALID_PARAM;
	if (!partition_ram_range(p, a[2], sizeof(key)) ||
	    (a[1] && guest_copy_from(p, a[0], label, a[1])))
		return UMBRA_E_BAD_ADDRESS;
	err = attest_partition_seal_key(&part_state[p->id], label, a[1], key);
	if (!err)
		copy_to_guest(p, a[2], key, sizeof(key));
	attest_wipe(key, sizeof(key));
	return err ? UMBRA_E_INVALID_PARAM : UMBRA_OK;
}

static s64 do_extend(struct partition *p, const u64 *a)
{
	u8 digest[ATTEST_DIGEST_LEN];
	int err;

	if (a[0] >= ATTEST_NR_RMR)
		return UMBRA_E_INVALID_PARAM;
	if (guest_copy_from(p, a[1], digest, sizeof(digest)))
		return UMBRA_E_BAD_ADDRESS;
	spin_lock(&lock);
	err = attest_partition_extend(&part_state[p->id], (unsigned)a[0], digest);
	spin_unlock(&lock);
	return err ? UMBRA_E_INVALID_PARAM : UMBRA_OK;
}

void attest_svc_call(struct vcpu *v, u32 fid, const u64 *a, u64 *ret)
{
	struct partition *p = v->part;
	struct fpsimd_state fp;
	s64 r;

	if (!available || p->id >= MAX_PARTITIONS) {
		ret[0] = (u64)UMBRA_E_NOT_SUPPORTED;
		return;
	}
	partition_wait_measured(p);
	if (!part_state[p->id].client_id) {   /* it could not be measured */
		ret[0] = (u64)UMBRA_E_NOT_SUPPORTED;
		return;
	}
	arch_fpsimd_save(&fp); /* BearSSL uses the guest's FP/SIMD registers */
	switch (fid) {
	case UMBRA_HC_ATTEST:
		r = do_attest(p, a, ret);
		break;
	case UMBRA_HC_DERIVE_KEY:
		r = do_derive_key(p, a);
		break;
	case UMBRA_HC_MEASURE_EXTEND:
		r = do_extend(p, a);
		break;
	case UMBRA_HC_EVENTS_REPORT:
		r = do_report(p, a, ret);
		break;
	default:
		r = UMBRA_E_NOT_SUPPORTED;
		break;
	}
	arch_fpsimd_restore(&fp);
	ret[0] = (u64)r;
}
