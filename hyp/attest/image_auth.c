// SPDX-License-Identifier: Apache-2.0
/*
 * Signed images and anti-rollback (docs/signing.md). The images are
 * verified where they are staged, in memory no partition can map, so
 * nothing can change them between the check and the copy. The store is two
 * records in the second flash bank, also never mapped by a partition.
 */
#include "umbra/arch.h"
#include "umbra/log.h"
#include "umbra/spinlock.h"
#include "umbra/svnstore.h"
#include "attest/attest.h"
#include "attest/image_auth.h"
#include "attest/p256.h"
#include "drivers/pflash.h"
#include "mm/mmu.h"
#include "vm/vm.h"
#include "umbra_abi.h"

static struct image_auth auth[MAX_PARTITIONS];
/* the minimum SVN each partition's running image lets the store rise to
 * once it confirms (0: nothing to raise) */
static u32 pending[MAX_PARTITIONS];

static struct pflash flash;
static struct svn_store store;
static enum svn_state store_state = SVN_BLANK;
static unsigned store_slot;           /* the slot holding the newest record */
static bool have_store;
static spinlock_t store_lock;

void image_auth_boot(const struct platform *plat)
{
	static u8 rec[2][SVN_REC_LEN] __aligned(4);

	if (!plat->store.size || mmu_map_device(plat->store.base, plat->store.size)) {
		pr_warn("anti-rollback: no flash store: minimum SVNs are not kept");
		return;
	}
	flash.base = (volatile u32 *)(uintptr_t)plat->store.base;
	flash.size = plat->store.size;
	have_store = true;
	pflash_read(&flash, 0, rec[0], SVN_REC_LEN);
	pflash_read(&flash, STORE_SLOT_SIZE, rec[1], SVN_REC_LEN);
	store_state = svnstore_load(rec[0], rec[1], &store, &store_slot);
	if (store_state == SVN_CORRUPT)
		pr_err("anti-rollback: both store records are bad: signed images are refused");
	else
		pr_info("anti-rollback: store at 0x%lx, %s (generation %u, %u entries)",
			plat->store.base, store_state == SVN_BLANK ? "blank" : "valid",
			store.generation, store.count);
}

enum img_err image_auth_verify(const u8 *region, u64 region_len, const char *name,
			       const u8 *key, unsigned key_len, u32 min_svn, bool store_ok,
			       struct image_auth *out, const char **why)
{
	struct envelope e;
	u8 id[32], want[32], h[32];
	enum img_err err;

	memset(out, 0, sizeof(*out));
	*why = "";
	if (!envelope_present(region, region_len) && !key_len)
		return IMG_OK;   /* an unsigned development image */
	err = envelope_parse(region, region_len, &e, why);
	if (err)
		return err;
	if (!key_len)
		return IMG_OK;   /* no signer configured: the envelope is not trusted */
	attest_sha256(e.key, sizeof(e.key), id);
	if (key_len == 65)
		attest_sha256(key, 65, want);
	else
		memcpy(want, key, 32);
	if (memcmp(id, want, 32)) {
		*why = "signed by a key that is not the partition's signer-key";
		return IMG_E_SIGNER;
	}
	attest_sha256(region, e.signed_len, h);
	if (p256_ecdsa_verify(e.key, h, e.sig)) {
		*why = "the envelope's signature does not verify";
		return IMG_E_SIGNATURE;
	}
	attest_sha256(region + e.hdr_len, e.image_size, h);
	if (memcmp(h, e.digest, sizeof(h))) {
		*why = "the image's SHA-256 is not the signed one (modified after signing)";
		return IMG_E_SIGNATURE;
	}
	if (strcmp(e.name, name)) {
		*why = "signed for another partition";
		return IMG_E_NAME;
	}
	if (!store_ok) {
		*why = "the anti-rollback store is unreadable";
		return IMG_E_ROLLBACK;
	}
	if (e.svn < min_svn) {
		*why = "its SVN is below the stored minimum";
		return IMG_E_ROLLBACK;
	}
	out->is_signed = true;
	out->svn = e.svn;
	memcpy(out->signer_id, id, sizeof(id));
	return IMG_OK;
}

static u32 min_svn_of(const char *name)
{
	u32 m;

	spin_lock(&store_lock);
	m = svnstore_get(&store, name);
	spin_unlock(&store_lock);
	return m;
}

enum img_err image_auth_partition(const struct partition *p)
{
	const struct part_cfg *c = p->cfg;
	struct image_auth a;
	const char *why = c->image_why;
	enum img_err err = (enum img_err)c->image_err;
	u32 min = min_svn_of(c->name);

	if (p->id >= MAX_PARTITIONS)
		return IMG_E_ENVELOPE;
	if (!err)
		err = image_auth_verify(pa_to_ptr(pa_init(c->image.base)), c->image.size, c->name,
					c->signer_key, c->signer_key_len, min,
					store_state != SVN_CORRUPT, &a, &why);
	if (err) {
		printk("umbra: error [%s]: partition '%s': %s: it does not start\n",
		       img_err_name(err), c->name, why);
		log_event(p->id, EV_IMAGE_REFUSED, err, 0, 0);
		return err;
	}
	auth[p->id] = a;
	pending[p->id] = a.is_signed && a.svn > min ? a.svn : 0;
	if (!a.is_signed)
		pr_warn("partition '%s': unsigned image (development only; its token says so)",
			c->name);
	else
		pr_info("partition '%s': image signed by %02x%02x%02x%02x..., SVN %u (minimum %u)",
			c->name, a.signer_id[0], a.signer_id[1], a.signer_id[2], a.signer_id[3],
			a.svn, min);
	return IMG_OK;
}

enum img_err image_auth_check_update(const struct partition *p, const u8 *region, u64 len,
				     struct image_auth *a, struct envelope *env,
				     const char **why)
{
	const struct part_cfg *c = p->cfg;
	enum img_err err;

	if (!envelope_present(region, len)) {
		*why = "no envelope (unsigned image)";
		return IMG_E_ENVELOPE;
	}
	err = image_auth_verify(region, len, c->name, c->signer_key, c->signer_key_len,
				min_svn_of(c->name), store_state != SVN_CORRUPT, a, why);
	if (!err)
		err = envelope_parse(region, len, env, why);
	return err;
}

void image_auth_set(const struct partition *p, const struct image_auth *a)
{
	if (p->id >= MAX_PARTITIONS)
		return;
	spin_lock(&store_lock);
	auth[p->id] = *a;
	pending[p->id] = a->is_signed && a->svn > svnstore_get(&store, p->cfg->name) ? a->svn : 0;
	spin_unlock(&store_lock);
}

const struct image_auth *image_auth_of(unsigned id)
{
	return id < MAX_PARTITIONS ? &auth[id] : NULL;
}

/* Write the raised record to the slot not holding the newest one: a torn
 * write leaves the previous record intact. */
static int store_write(void)
{
	static u8 rec[SVN_REC_LEN] __aligned(4);
	unsigned slot = store_slot ^ 1;

	store.generation++;
	svnstore_encode(&store, rec);
	if (pflash_erase(&flash, slot * STORE_SLOT_SIZE) ||
	    pflash_program(&flash, slot * STORE_SLOT_SIZE, rec, sizeof(rec)))
		return -1;
	store_slot = slot;
	store_state = SVN_VALID;
	return 0;
}

s64 image_auth_confirm(struct vcpu *v)
{
	const struct partition *p = v->part;
	s64 r = UMBRA_OK;

	if (p->id >= MAX_PARTITIONS || !auth[p->id].is_signed)
		return UMBRA_E_DENIED;
	spin_lock(&store_lock);
	if (pending[p->id] > svnstore_get(&store, p->cfg->name)) {
		struct svn_store before = store;

		if (!have_store || svnstore_raise(&store, p->cfg->name, pending[p->id]) ||
		    store_write()) {
			store = before;
			r = UMBRA_E_BUSY;
		} else {
			pr_info("partition '%s': confirmed: minimum SVN now %u (store generation %u)",
				p->cfg->name, pending[p->id], store.generation);
		}
	}
	if (r == UMBRA_OK)
		pending[p->id] = 0;
	spin_unlock(&store_lock);
	return r;
}
