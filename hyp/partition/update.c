// SPDX-License-Identifier: Apache-2.0
/*
 * Live update of a partition's image by another partition (docs/signing.md,
 * "Live update"). The writer fills the target's update-staging region and
 * calls UMBRA_HC_IMAGE_UPDATE. While Umbra checks and copies, the region is
 * gone from the writer's stage 2, so what is verified is what is loaded.
 * The target keeps running until the new image has passed every check.
 */
#include "umbra/arch.h"
#include "umbra/log.h"
#include "umbra/spinlock.h"
#include "attest/attest_svc.h"
#include "attest/image_auth.h"
#include "devices/iommu.h"
#include "partition/partition.h"
#include "umbra_abi.h"

#define ARM64_HDR_LEN 0x40

static struct partition *parts;
static unsigned nr_parts;
static spinlock_t update_lock;          /* one update at a time */

int update_attach(struct partition *ps, unsigned n)
{
	unsigned i;
	int err;

	parts = ps;
	nr_parts = n;
	for (i = 0; i < n; i++) {
		const struct part_cfg *c = ps[i].cfg;

		if (!c->update.size)
			continue;
		err = pgtable_map(&ps[c->update_writer].s2, c->update.base, pa_init(c->update.base),
				  c->update.size, PT_R | PT_W);
		if (err)
			return err;
	}
	return 0;
}

static u64 le64(const u8 *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* The arm64 Image behind the envelope: as config.c checks a staged one. */
static bool image_fits(const struct partition *t, const u8 *img, u64 signed_size,
		       u64 *text_offset, u64 *size)
{
	const struct part_cfg *c = t->cfg;
	u64 m0 = c->mem[0].size;

	if (signed_size < ARM64_HDR_LEN || memcmp(img + 0x38, "ARM\x64", 4))
		return false;
	*text_offset = le64(img + 8);
	*size = le64(img + 16) ? le64(img + 16) : signed_size;
	if (*size > signed_size || !IS_ALIGNED(*text_offset, PAGE_SIZE) || *text_offset >= m0 ||
	    *size > m0 - *text_offset || m0 - *text_offset - *size < GUEST_DTB_MAX)
		return false;
	return !c->initrd.size ||
	       config_initrd_ipa(c) >= c->mem[0].base + *text_offset + *size;
}

static struct partition *by_name(const char *name)
{
	unsigned i;

	for (i = 0; i < nr_parts; i++)
		if (!strcmp(parts[i].cfg->name, name))
			return &parts[i];
	return NULL;
}

/* Verify, halt, install, resume; ret[0] the status, ret[1] the detail. */
static void update(struct partition *t, const u8 *staging, u64 len, u64 *ret)
{
	const struct part_cfg *c = t->cfg;
	struct image_auth a;
	struct envelope e;
	const char *why = "";
	u64 t0, t1, t2, text_offset = 0, size = 0, freq = arch_counter_freq();
	u32 before = attest_svc_measurement_tag(t);
	enum img_err err;

	err = image_auth_check_update(t, staging, len, &a, &e, &why);
	if (!err && !image_fits(t, staging + e.hdr_len, e.image_size, &text_offset, &size)) {
		err = IMG_E_FORMAT;
		why = "no arm64 Image that fits the partition behind the envelope";
	}
	if (err) {
		printk("umbra: error [%s]: update of partition '%s' refused: %s; it runs on\n",
		       img_err_name(err), c->name, why);
		log_event(t->id, EV_IMAGE_REFUSED, err, 1, 0);
		ret[0] = (u64)UMBRA_E_REFUSED;
		ret[1] = err;
		return;
	}
	t0 = arch_counter();
	if (!partition_halt(t, EV_CAUSE_UPDATE, "live update")) {
		ret[0] = (u64)UMBRA_E_BUSY;
		return;
	}
	t1 = arch_counter();
	/* the new pristine copy: a later restart reloads this image */
	memcpy(pa_to_ptr(pa_init(c->image.base)), staging, e.hdr_len + e.image_size);
	t->image_off = e.hdr_len;
	t->image_size = size;
	t->text_offset = text_offset;
	image_auth_set(t, &a);
	if (!partition_resume(t)) {   /* scrub, load, measure (new keys), start */
		printk("umbra: error [update]: partition '%s': SVN %u installed but it did not start\n",
		       c->name, a.svn);
		ret[0] = (u64)UMBRA_E_FAILED;
		return;
	}
	t2 = arch_counter();
	if (!freq)
		freq = 1;
	pr_info("%s: updated to SVN %u: down %lu us (stop %lu us, load, measure and start %lu us)",
		c->name, a.svn, (t2 - t0) * 1000000 / freq, (t1 - t0) * 1000000 / freq,
		(t2 - t1) * 1000000 / freq);
	pr_info("%s: measurement %08x... -> %08x...", c->name, before,
		attest_svc_measurement_tag(t));
	ret[0] = UMBRA_OK;
	ret[1] = (t2 - t0) * 1000000 / freq;
	log_event(t->id, EV_UPDATE, a.svn, ret[1], 0);
}

void update_call(struct vcpu *v, const u64 *a, u64 *ret)
{
	struct partition *w = v->part, *t;
	struct fpsimd_state fp;
	char name[PART_NAME_MAX];
	const struct part_cfg *c;

	ret[0] = (u64)UMBRA_E_INVALID_PARAM;
	if (a[1] == 0 || a[1] >= PART_NAME_MAX)
		return;
	if (guest_copy_from(w, a[0], name, a[1])) {
		ret[0] = (u64)UMBRA_E_BAD_ADDRESS;
		return;
	}
	name[a[1]] = '\0';
	t = by_name(name);
	if (!t || !t->cfg->update.size)
		return;
	c = t->cfg;
	if (c->update_writer != (int)w->id) {
		ret[0] = (u64)UMBRA_E_DENIED;
		return;
	}
	if (a[2] == 0) {
		ret[0] = UMBRA_OK;
		ret[1] = c->update.base;
		ret[2] = c->update.size;
		return;
	}
	if (!c->signer_key_len) {
		ret[0] = (u64)UMBRA_E_DENIED;
		return;
	}
	if (a[2] > c->update.size || a[2] > c->image.size)
		return;
	spin_lock(&update_lock);
	/* the writer cannot change what is being checked and copied (the
	 * same range as mapped: never a block split) */
	if (pgtable_unmap(&w->s2, c->update.base, c->update.size)) {
		spin_unlock(&update_lock);
		ret[0] = (u64)UMBRA_E_BUSY;
		return;
	}
	/* ... nor can its bus masters: a stage-2 SMMU walks the writer's
	 * stage 2 and may hold translations of the region */
	iommu_partition_changed(w);
	arch_fpsimd_save(&fp); /* BearSSL may use the writer's FP/SIMD registers */
	update(t, pa_to_ptr(pa_init(c->update.base)), a[2], ret);
	arch_fpsimd_restore(&fp);
	if (pgtable_map(&w->s2, c->update.base, pa_init(c->update.base), c->update.size,
			PT_R | PT_W))
		pr_err("%s: update-staging not mapped back (page-table pool)", w->cfg->name);
	spin_unlock(&update_lock);
}
