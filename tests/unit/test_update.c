// SPDX-License-Identifier: Apache-2.0
/*
 * Live update (hyp/partition/update.c, docs/signing.md "Live update"):
 * linux replaces rtos's image through rtos's update-staging region with
 * UMBRA_HC_IMAGE_UPDATE. Partitions built from tests/unit/dts/update.dts
 * as main.c builds them (anti-rollback store on the flash model, measured
 * boot on), the calls issued from linux's vCPU through hypercall_dispatch.
 * An accepted image replaces the pristine copy, RAM, measurement and SVN;
 * every refusal leaves rtos running exactly as it was.
 */
#include <libfdt.h>
#include <stdio.h>

#include "unit.h"
#include "attest/attest.h"
#include "attest/attest_svc.h"
#include "attest/image_auth.h"
#include "devices/iommu.h"
#include "fake_pflash.h"
#include "fake_smmu.h"
#include "umbra/svnstore.h"
#include "umbra_abi.h"

#define LINUX_RAM 0x50000000ULL
#define RTOS_RAM 0x58000000ULL
#define NOKEY_RAM 0x5a000000ULL
#define RAM_SIZE 0x00400000ULL
#define LINUX_IMAGE 0x41000000ULL
#define RTOS_IMAGE 0x42000000ULL
#define RTOS_INITRD 0x42100000ULL
#define INITRD_SIZE 0x3000ULL
#define NOKEY_IMAGE 0x43000000ULL
#define IMAGE_REGION 0x00100000ULL
#define STAGING 0x5c000000ULL
#define STAGING_SIZE 0x00200000ULL
#define NOKEY_STAGING 0x5c200000ULL
#define NOKEY_STAGING_SIZE 0x00010000ULL
#define IMG_SIZE 0x2000ULL
#define NAME_OFF 0x1000ULL              /* in linux's RAM */
#define MARK_OFF 0x00200000ULL          /* a marker in rtos's RAM */
#define POOL_PAGES 32
#define KICK_US 150                     /* what stopping one vCPU "takes" */
#define S(x) ((u64)(s64)(x))

static struct platform plat;
static struct umbra_config cfg;
static struct partition parts[3];
static struct page_pool pool;
static const void *fdt;
static u8 scratch[0x20000];
static u8 pristine[ENV_HDR_MIN + IMG_SIZE];   /* rtos's staged image at boot */
static void (*park_hook)(u64 mpidr, unsigned sgi);
#define linux (&parts[0])
#define rtos (&parts[1])
#define nokey (&parts[2])

static void store_record(unsigned slot, u32 gen, const char *name, u32 svn)
{
	struct svn_store s = { .generation = gen };

	ck_assert_int_eq(svnstore_raise(&s, name, svn), 0);
	svnstore_encode(&s, (u8 *)&fake_pflash.array[slot * STORE_SLOT_SIZE / 4]);
}

/* The counter runs while a vCPU is being stopped: a downtime to report. */
static void slow_kick(u64 mpidr, unsigned sgi)
{
	fake_arch.counter += KICK_US;
	park_hook(mpidr, sgi);
}

static void boot_attest(void)
{
	static const u8 uds[ATTEST_UDS_LEN] = { 9, 8, 7 };
	static const u8 seed[32] = { 1 };
	static const u8 umbra_image[64] = { 0x55 };
	struct attest_boot_info info = {
		.uds = uds,
		.umbra_image = umbra_image,
		.umbra_image_len = sizeof(umbra_image),
		.fdt = fdt,
		.fdt_size = fdt_totalsize(fdt),
		.board = "unit-test",
		.boot_seed = seed,
		.boot_seed_len = sizeof(seed),
	};

	ck_assert_int_eq(attest_svc_boot(&info), 0);
}

static void setup(void)
{
	struct diag d = { 0 };
	struct cfg_env env = unit_cfg_env(&plat);
	u8 id[32];
	unsigned i;

	fake_arch_reset();
	fake_pflash_reset();
	partition_stopped_calls = 0;
	capture_start();
	phys_map(LINUX_RAM, RAM_SIZE);
	phys_map(RTOS_RAM, RAM_SIZE);
	phys_map(NOKEY_RAM, RAM_SIZE);
	phys_map(LINUX_IMAGE, IMAGE_REGION);
	phys_map(RTOS_IMAGE, 2 * IMAGE_REGION);   /* image and initrd */
	phys_map(NOKEY_IMAGE, IMAGE_REGION);
	phys_map(STAGING, STAGING_SIZE + NOKEY_STAGING_SIZE);
	put_arm64_image(LINUX_IMAGE, 0, IMG_SIZE, 1);
	put_arm64_image(NOKEY_IMAGE, 0, IMG_SIZE, 3);
	put_arm64_image((u64)(uintptr_t)scratch, 0, IMG_SIZE, 2);
	ck_assert_uint_eq(put_signed_image(phys_ptr(RTOS_IMAGE), "rtos", 1, unit_signer("signer"),
					   scratch, IMG_SIZE), sizeof(pristine));
	memcpy(pristine, phys_ptr(RTOS_IMAGE), sizeof(pristine));
	memset(phys_ptr(RTOS_INITRD), 0x1d, INITRD_SIZE);
	store_record(0, 1, "rtos", 1);

	fdt = load_dtb("update");
	ck_assert_uint_eq(platform_parse(fdt, &plat, &d), 0);
	ck_assert_uint_eq(config_parse(fdt, &env, &cfg, &d), 0);
	/* the DTS's signer-key is this key's id */
	attest_sha256(unit_signer("signer")->pub, ATTEST_PUBKEY_LEN, id);
	ck_assert_uint_eq(cfg.part[1].signer_key_len, 32);
	ck_assert_mem_eq(cfg.part[1].signer_key, id, 32);
	plat.store = (struct mem_range){ fake_pflash_base(), FAKE_PFLASH_SIZE };
	image_auth_boot(&plat);
	boot_attest();
	page_pool_init(&pool, unit_alloc(PAGE_SIZE, POOL_PAGES * PAGE_SIZE), POOL_PAGES * PAGE_SIZE);
	for (i = 0; i < 3; i++) {
		struct partition *p = &parts[i];
		unsigned j;

		ck_assert_int_eq(partition_create(p, i, &cfg.part[i], fdt, &plat, &pool), 0);
		cpus_track(p);
		for (j = 0; j < p->nr_vcpus; j++)
			p->vcpu[j].parked = true;
		vcpu_enter_fake(&p->vcpu[0]);
	}
	ck_assert_int_eq(update_attach(parts, 3), 0);
	park_hook = fake_gic.sgi_hook;
	fake_gic.sgi_hook = slow_kick;
	fake_arch.vcpu_resets = 0;
	capture_clear();
}

static void teardown(void)
{
	unit_free_all();
}

/* IMAGE_UPDATE from caller's vCPU 0 with name at NAME_OFF of its RAM;
 * returns x0, x1 and x2 in *x1, *x2. */
static u64 update_from(struct partition *caller, const char *name, u64 name_len, u64 len,
		       u64 *x1, u64 *x2)
{
	struct vcpu *v = &caller->vcpu[0];
	u64 ipa = caller->cfg->mem[0].base + NAME_OFF;
	u64 x0;

	memcpy(phys_ptr(ipa), name, strlen(name));
	x0 = unit_hvc(v, UMBRA_HC_IMAGE_UPDATE, ipa, name_len, len);
	if (x1)
		*x1 = v->regs.x[1];
	if (x2)
		*x2 = v->regs.x[2];
	return x0;
}

static u64 update(u64 len, u64 *x1)
{
	return update_from(linux, "rtos", 4, len, x1, NULL);
}

/* An arm64 Image (text_offset, size in its header; img_len bytes) signed
 * for name with svn by key, at the start of rtos's update-staging region.
 * Returns the length to pass. */
static u64 stage(const char *name, u32 svn, const char *key, u64 text_offset, u64 size,
		 u64 img_len, u8 seed)
{
	ck_assert_uint_le(img_len, sizeof(scratch));
	put_arm64_image((u64)(uintptr_t)scratch, text_offset, img_len, seed);
	memcpy(scratch + 16, &size, 8);
	return put_signed_image(phys_ptr(STAGING), name, svn, unit_signer(key), scratch, img_len);
}

static bool writer_maps_staging(void)
{
	paddr_t pa;
	unsigned attrs;

	return pgtable_lookup(&linux->s2, STAGING, &pa, &attrs, NULL) &&
	       pa_addr(pa) == STAGING && attrs == (PT_R | PT_W) &&
	       pgtable_lookup(&linux->s2, STAGING + STAGING_SIZE - 1, NULL, NULL, NULL);
}

/* rtos as it was: the same pristine copy, RAM not scrubbed, vCPU 0 not
 * restarted, SVN 1; the writer has its region back. */
static void assert_untouched(void)
{
	ck_assert_mem_eq(phys_ptr(RTOS_IMAGE), pristine, sizeof(pristine));
	ck_assert_uint_eq(*(u32 *)phys_ptr(RTOS_RAM + MARK_OFF), 0xfeedf00d);
	ck_assert_int_eq(rtos->state, PART_RUNNING);
	ck_assert_uint_eq(rtos->restarts, 0);
	ck_assert_uint_eq(rtos->image_off, ENV_HDR_MIN);
	ck_assert_uint_eq(rtos->image_size, IMG_SIZE);
	ck_assert_uint_eq(rtos->text_offset, 0);
	ck_assert(rtos->vcpu[0].on);
	ck_assert_uint_eq(rtos->vcpu[0].entered_gen, rtos->vcpu[0].gen);
	ck_assert_uint_eq(fake_arch.vcpu_resets, 0);
	ck_assert_uint_eq(image_auth_of(1)->svn, 1);
	ck_assert(writer_maps_staging());
	ck_assert_uint_eq(captured_count("restarting"), 0);
}

START_TEST(test_update_attach)
{
	unsigned attrs;

	/* the writer maps both regions read-write (not executable); no one
	 * else maps either */
	ck_assert(writer_maps_staging());
	ck_assert(pgtable_lookup(&linux->s2, NOKEY_STAGING, NULL, &attrs, NULL));
	ck_assert_uint_eq(attrs, PT_R | PT_W);
	ck_assert(!pgtable_lookup(&linux->s2, NOKEY_STAGING + NOKEY_STAGING_SIZE, NULL, NULL, NULL));
	ck_assert(!pgtable_lookup(&rtos->s2, STAGING, NULL, NULL, NULL));
	ck_assert(!pgtable_lookup(&nokey->s2, STAGING, NULL, NULL, NULL));
	ck_assert(!pgtable_lookup(&nokey->s2, NOKEY_STAGING, NULL, NULL, NULL));
	/* rtos started from its signed image */
	ck_assert(image_auth_of(1)->is_signed);
	ck_assert_uint_eq(image_auth_of(1)->svn, 1);
	ck_assert(!image_auth_of(0)->is_signed);
}
END_TEST

/* update_attach with the writer's page-table pool exhausted fails. */
START_TEST(test_update_attach_no_memory)
{
	static struct partition ps[2];
	static struct part_cfg c[2];
	struct page_pool tiny;

	memset(ps, 0, sizeof(ps));
	memset(c, 0, sizeof(c));
	strcpy(c[0].name, "w");
	strcpy(c[1].name, "t");
	c[1].update = (struct mem_range){ STAGING, STAGING_SIZE };
	c[1].update_writer = 0;
	ps[0].cfg = &c[0];
	ps[1].cfg = &c[1];
	page_pool_init(&tiny, unit_alloc(PAGE_SIZE, PAGE_SIZE), PAGE_SIZE);
	ck_assert_int_eq(pgtable_init(&ps[0].s2, PT_S2, 1, &tiny), 0);
	ck_assert_int_eq(update_attach(ps, 2), -E_NOMEM);
	ck_assert(!pgtable_lookup(&ps[0].s2, STAGING, NULL, NULL, NULL));
}
END_TEST

/* A correctly signed SVN 2 replaces SVN 1 while rtos runs. */
START_TEST(test_update_success)
{
	struct event_rec ev[8];
	u64 len, x1, next, from = events_head();
	u32 before = attest_svc_measurement_tag(rtos), n, i;
	char line[128];
	bool restart_logged = false, update_logged = false;

	*(u32 *)phys_ptr(RTOS_RAM + MARK_OFF) = 0xfeedf00d;
	len = stage("rtos", 2, "signer", 0x80000, 0x3000, 0x3000, 9);
	memcpy(scratch, phys_ptr(STAGING), len);
	ck_assert_uint_eq(update(len, &x1), UMBRA_OK);
	/* the downtime: both vCPUs stopped (KICK_US each), nothing else */
	ck_assert_uint_eq(x1, 2 * KICK_US);
	snprintf(line, sizeof(line),
		 "rtos: updated to SVN 2: down %u us (stop %u us, load, measure and start 0 us)",
		 2 * KICK_US, 2 * KICK_US);
	ck_assert_msg(strstr(captured(), line), "no '%s' in:\n%s", line, captured());
	ck_assert_uint_eq(captured_count("rtos: restarting (live update)"), 1);
	snprintf(line, sizeof(line), "rtos: measurement %08x... -> %08x...", before,
		 attest_svc_measurement_tag(rtos));
	ck_assert_ptr_nonnull(strstr(captured(), line));
	ck_assert_uint_ne(attest_svc_measurement_tag(rtos), before);
	/* the new pristine copy, and what runs */
	ck_assert_mem_eq(phys_ptr(RTOS_IMAGE), scratch, len);
	ck_assert_uint_eq(rtos->image_off, ENV_HDR_MIN);
	ck_assert_uint_eq(rtos->image_size, 0x3000);
	ck_assert_uint_eq(rtos->text_offset, 0x80000);
	ck_assert_mem_eq(phys_ptr(RTOS_RAM + 0x80000), scratch + ENV_HDR_MIN, 0x3000);
	ck_assert_uint_eq(*(u32 *)phys_ptr(RTOS_RAM + MARK_OFF), 0);      /* scrubbed */
	ck_assert_mem_eq(phys_ptr(config_initrd_ipa(rtos->cfg)), phys_ptr(RTOS_INITRD), INITRD_SIZE);
	ck_assert_int_eq(rtos->state, PART_RUNNING);
	ck_assert_uint_eq(rtos->restarts, 1);
	ck_assert(rtos->vcpu[0].on);
	ck_assert(!rtos->vcpu[1].on);
	ck_assert_uint_eq(rtos->vcpu[0].regs.elr, RTOS_RAM + 0x80000);
	ck_assert_uint_eq(rtos->vcpu[0].regs.x[0], rtos->dtb_ipa);
	ck_assert_int_eq(fdt_check_header(phys_ptr(rtos->dtb_ipa)), 0);
	ck_assert(image_auth_of(1)->is_signed);
	ck_assert_uint_eq(image_auth_of(1)->svn, 2);
	/* linux ran on, and has its region back */
	ck_assert_int_eq(linux->state, PART_RUNNING);
	ck_assert_uint_eq(linux->restarts, 0);
	ck_assert(writer_maps_staging());
	/* the security log: a restart of rtos caused by an update */
	n = events_read(from, true, 0, ev, 8, &next);
	for (i = 0; i < n; i++)
		if (ev[i].type == EV_PART_RESTART) {
			ck_assert_uint_eq(ev[i].part, 1);
			ck_assert_uint_eq(ev[i].a, 1);
			ck_assert_uint_eq(ev[i].c, EV_CAUSE_UPDATE);
			restart_logged = true;
		} else if (ev[i].type == EV_UPDATE) {
			/* after the restart: the result, SVN and downtime */
			ck_assert(restart_logged);
			ck_assert_uint_eq(ev[i].part, 1);
			ck_assert_uint_eq(ev[i].a, 2);
			ck_assert_uint_eq(ev[i].b, 2 * KICK_US);
			update_logged = true;
		}
	ck_assert(restart_logged && update_logged);

	/* a later restart reloads the new image */
	memset(phys_ptr(RTOS_RAM + 0x80000), 0, 0x3000);
	partition_restart(rtos, EV_CAUSE_OTHER, "test");
	ck_assert_mem_eq(phys_ptr(RTOS_RAM + 0x80000), scratch + ENV_HDR_MIN, 0x3000);
	ck_assert_uint_eq(image_auth_of(1)->svn, 2);

	/* the store rises when the new image confirms: slot 1, generation 2 */
	vcpu_enter_fake(&rtos->vcpu[0]);
	ck_assert_uint_eq(unit_hvc(&rtos->vcpu[0], UMBRA_HC_IMAGE_CONFIRM, 0, 0, 0), UMBRA_OK);
	{
		struct svn_store s;

		ck_assert_int_eq(svnstore_decode((const u8 *)&fake_pflash.array[STORE_SLOT_SIZE / 4],
						 &s), 0);
		ck_assert_uint_eq(s.generation, 2);
		ck_assert_uint_eq(svnstore_get(&s, "rtos"), 2);
	}
	ck_assert(fake_pflash_idle());
}
END_TEST

/* An Image header with size 0 (pre-3.17 Linux): the signed size counts;
 * the largest image that still ends at the initrd fits. */
START_TEST(test_update_size_from_envelope)
{
	u64 len, x1, end = config_initrd_ipa(rtos->cfg) - RTOS_RAM;

	len = stage("rtos", 5, "signer", end - 0x8000, 0, 0x8000, 4);
	ck_assert_uint_eq(update(len, &x1), UMBRA_OK);
	ck_assert_uint_eq(rtos->image_size, 0x8000);
	ck_assert_uint_eq(rtos->text_offset, end - 0x8000);
	ck_assert_mem_eq(phys_ptr(RTOS_RAM + end - 0x8000), phys_ptr(STAGING + ENV_HDR_MIN), 0x8000);
	ck_assert_uint_eq(image_auth_of(1)->svn, 5);
}
END_TEST

static void expect_refused(u64 len, enum img_err err, const char *why)
{
	char line[256];
	struct event_rec ev[4];
	u64 x1, next, from = events_head();

	capture_clear();
	ck_assert_uint_eq(update(len, &x1), S(UMBRA_E_REFUSED));
	ck_assert_uint_eq(x1, err);
	/* one event: rtos's image refused, by an update, and why */
	ck_assert_uint_eq(events_read(from, true, 0, ev, 4, &next), 1);
	ck_assert_uint_eq(ev[0].type, EV_IMAGE_REFUSED);
	ck_assert_uint_eq(ev[0].part, 1);
	ck_assert_uint_eq(ev[0].a, err);
	ck_assert_uint_eq(ev[0].b, 1);
	snprintf(line, sizeof(line), "umbra: error [%s]: update of partition 'rtos' refused: %s; it runs on",
		 img_err_name(err), why);
	ck_assert_msg(strstr(captured(), line), "no '%s' in:\n%s", line, captured());
	assert_untouched();
}

/* Every reason to refuse an image: rtos runs on untouched. */
START_TEST(test_update_refused)
{
	u64 len, m0 = RAM_SIZE, initrd = config_initrd_ipa(rtos->cfg) - RTOS_RAM;
	u8 *st = phys_ptr(STAGING);

	*(u32 *)phys_ptr(RTOS_RAM + MARK_OFF) = 0xfeedf00d;
	/* an unsigned image */
	put_arm64_image(STAGING, 0, IMG_SIZE, 5);
	expect_refused(IMG_SIZE, IMG_E_ENVELOPE, "no envelope (unsigned image)");
	/* the length given cuts the image short */
	len = stage("rtos", 2, "signer", 0, IMG_SIZE, IMG_SIZE, 5);
	expect_refused(len - 1, IMG_E_ENVELOPE, "image size zero or past the end of the region");
	/* another key */
	len = stage("rtos", 2, "other", 0, IMG_SIZE, IMG_SIZE, 5);
	expect_refused(len, IMG_E_SIGNER, "signed by a key that is not the partition's signer-key");
	/* modified after signing: the image, the header */
	len = stage("rtos", 2, "signer", 0, IMG_SIZE, IMG_SIZE, 5);
	st[ENV_HDR_MIN + 0x100] ^= 1;
	expect_refused(len, IMG_E_SIGNATURE,
		       "the image's SHA-256 is not the signed one (modified after signing)");
	len = stage("rtos", 2, "signer", 0, IMG_SIZE, IMG_SIZE, 5);
	st[ENV_OFF_SVN] = 7;
	expect_refused(len, IMG_E_SIGNATURE, "the envelope's signature does not verify");
	/* another partition's image */
	len = stage("linux", 2, "signer", 0, IMG_SIZE, IMG_SIZE, 5);
	expect_refused(len, IMG_E_NAME, "signed for another partition");
	/* below the stored minimum (1) */
	len = stage("rtos", 0, "signer", 0, IMG_SIZE, IMG_SIZE, 5);
	expect_refused(len, IMG_E_ROLLBACK, "its SVN is below the stored minimum");

	/* no arm64 Image that fits rtos behind the envelope */
#define FORMAT(to, size, img_len) do { \
		len = stage("rtos", 2, "signer", to, size, img_len, 5); \
		expect_refused(len, IMG_E_FORMAT, \
			       "no arm64 Image that fits the partition behind the envelope"); \
	} while (0)
	FORMAT(0, 0x20, 0x20);                                  /* shorter than a header */
	len = stage("rtos", 2, "signer", 0, IMG_SIZE, IMG_SIZE, 5);
	st[ENV_HDR_MIN + 0x38] = 0;                               /* no magic (resigned:) */
	len = put_signed_image(st, "rtos", 2, unit_signer("signer"), st + ENV_HDR_MIN, IMG_SIZE);
	expect_refused(len, IMG_E_FORMAT, "no arm64 Image that fits the partition behind the envelope");
	FORMAT(0, IMG_SIZE + 8, IMG_SIZE);                      /* larger than signed */
	FORMAT(0x800, IMG_SIZE, IMG_SIZE);                      /* text_offset unaligned */
	FORMAT(m0, IMG_SIZE, IMG_SIZE);                         /* past memory */
	FORMAT(m0 - 0x1000, IMG_SIZE, IMG_SIZE);                /* runs off its end */
	FORMAT(m0 - GUEST_DTB_MAX - IMG_SIZE + 0x1000, IMG_SIZE, IMG_SIZE);  /* no room for the DT */
	FORMAT(initrd - IMG_SIZE + 0x1000, IMG_SIZE, IMG_SIZE); /* over the initrd */
#undef FORMAT

	/* the store unreadable (both records bad, at a reboot): every signed
	 * image is refused */
	memset(fake_pflash.array, 0x5a, FAKE_PFLASH_SIZE);
	image_auth_boot(&plat);
	len = stage("rtos", 2, "signer", 0, IMG_SIZE, IMG_SIZE, 5);
	expect_refused(len, IMG_E_ROLLBACK, "the anti-rollback store is unreadable");
	ck_assert(fake_pflash_idle());
	ck_assert_uint_eq(fake_pflash.writes, 0);
}
END_TEST

/* Who may ask, for what, with which lengths. */
START_TEST(test_update_arguments)
{
	u64 x1, x2, len;

	*(u32 *)phys_ptr(RTOS_RAM + MARK_OFF) = 0xfeedf00d;
	/* length 0 asks for the region */
	ck_assert_uint_eq(update_from(linux, "rtos", 4, 0, &x1, &x2), UMBRA_OK);
	ck_assert_uint_eq(x1, STAGING);
	ck_assert_uint_eq(x2, STAGING_SIZE);
	ck_assert_uint_eq(update_from(linux, "nokey", 5, 0, &x1, &x2), UMBRA_OK);
	ck_assert_uint_eq(x1, NOKEY_STAGING);
	ck_assert_uint_eq(x2, NOKEY_STAGING_SIZE);
	/* a valid image from then on: only the arguments are wrong */
	len = stage("rtos", 2, "signer", 0, IMG_SIZE, IMG_SIZE, 5);
	/* not the update-by partition (asking or updating) */
	ck_assert_uint_eq(update_from(nokey, "rtos", 4, 0, NULL, NULL), S(UMBRA_E_DENIED));
	ck_assert_uint_eq(update_from(nokey, "rtos", 4, len, NULL, NULL), S(UMBRA_E_DENIED));
	ck_assert_uint_eq(update_from(rtos, "rtos", 4, len, NULL, NULL), S(UMBRA_E_DENIED));
	/* no signer-key: nothing can be verified, so nothing is accepted */
	ck_assert_uint_eq(update_from(linux, "nokey", 5, 0x100, NULL, NULL), S(UMBRA_E_DENIED));
	/* no such partition, or no update-staging */
	ck_assert_uint_eq(update_from(linux, "linux", 5, len, NULL, NULL), S(UMBRA_E_INVALID_PARAM));
	ck_assert_uint_eq(update_from(linux, "rtosx", 5, len, NULL, NULL), S(UMBRA_E_INVALID_PARAM));
	ck_assert_uint_eq(update_from(linux, "rto", 3, len, NULL, NULL), S(UMBRA_E_INVALID_PARAM));
	/* name length 0, or no room for its NUL */
	ck_assert_uint_eq(update_from(linux, "rtos", 0, len, NULL, NULL), S(UMBRA_E_INVALID_PARAM));
	ck_assert_uint_eq(update_from(linux, "rtos", PART_NAME_MAX, len, NULL, NULL),
			  S(UMBRA_E_INVALID_PARAM));
	ck_assert_uint_eq(update_from(linux, "rtos", ~0ULL, len, NULL, NULL),
			  S(UMBRA_E_INVALID_PARAM));
	/* the name not in the caller's RAM: its staging region, rtos's RAM */
	ck_assert_uint_eq(unit_hvc(&linux->vcpu[0], UMBRA_HC_IMAGE_UPDATE, STAGING, 4, len),
			  S(UMBRA_E_BAD_ADDRESS));
	ck_assert_uint_eq(unit_hvc(&linux->vcpu[0], UMBRA_HC_IMAGE_UPDATE, RTOS_RAM, 4, len),
			  S(UMBRA_E_BAD_ADDRESS));
	ck_assert_uint_eq(unit_hvc(&linux->vcpu[0], UMBRA_HC_IMAGE_UPDATE,
				   LINUX_RAM + RAM_SIZE - 2, 4, len), S(UMBRA_E_BAD_ADDRESS));
	/* longer than rtos's staging region (1 MiB) or the update region (2 MiB) */
	ck_assert_uint_eq(update(IMAGE_REGION + 1, NULL), S(UMBRA_E_INVALID_PARAM));
	ck_assert_uint_eq(update(STAGING_SIZE + 1, NULL), S(UMBRA_E_INVALID_PARAM));
	ck_assert_uint_eq(update(~0ULL, NULL), S(UMBRA_E_INVALID_PARAM));
	assert_untouched();
	ck_assert_str_eq(captured(), "");
	/* exactly the staging region's size is fine (what follows the image
	 * is not looked at) */
	ck_assert_uint_eq(update(IMAGE_REGION, NULL), UMBRA_OK);
	ck_assert_uint_eq(image_auth_of(1)->svn, 2);
}
END_TEST

/* A target that is not running is not updated, even by a good image. */
START_TEST(test_update_not_running)
{
	u64 len, x1;

	partition_stop(rtos, EV_CAUSE_OTHER, "test");
	ck_assert_int_eq(rtos->state, PART_STOPPED);
	len = stage("rtos", 2, "signer", 0, IMG_SIZE, IMG_SIZE, 5);
	ck_assert_uint_eq(update(len, &x1), S(UMBRA_E_BUSY));
	ck_assert_int_eq(rtos->state, PART_STOPPED);
	ck_assert_mem_eq(phys_ptr(RTOS_IMAGE), pristine, sizeof(pristine));
	ck_assert_uint_eq(image_auth_of(1)->svn, 1);
	ck_assert_uint_eq(rtos->restarts, 0);
	ck_assert(writer_maps_staging());
	ck_assert_uint_eq(captured_count("restarting"), 0);
	/* a bad image is still refused for what it is */
	len = stage("rtos", 2, "other", 0, IMG_SIZE, IMG_SIZE, 5);
	ck_assert_uint_eq(update(len, &x1), S(UMBRA_E_REFUSED));
	ck_assert_uint_eq(x1, IMG_E_SIGNER);
}
END_TEST

/* a verified image whose start fails (here: the platform DT no longer
 * reads, so rtos's DT cannot be built) is installed, but the caller hears
 * that rtos did not start: UMBRA_E_FAILED, rtos stopped, an event saying
 * why; never UMBRA_OK */
START_TEST(test_update_start_fails)
{
	u32 *magic = (u32 *)(uintptr_t)fdt, saved = *magic;
	struct event_rec ev[8];
	u64 len, x1 = 0, next, from = events_head();
	u32 n, i;
	bool stop_logged = false;

	len = stage("rtos", 2, "signer", 0, IMG_SIZE, IMG_SIZE, 7);
	*magic = 0;
	ck_assert_uint_eq(update(len, &x1), S(UMBRA_E_FAILED));
	*magic = saved;
	ck_assert_int_eq(rtos->state, PART_STOPPED);
	ck_assert_msg(strstr(captured(), "partition 'rtos': SVN 2 installed but it did not start"),
		      "no error line in:\n%s", captured());
	ck_assert_uint_eq(captured_count("updated to SVN"), 0);
	n = events_read(from, true, 0, ev, 8, &next);
	for (i = 0; i < n; i++)
		stop_logged |= ev[i].type == EV_PART_STOP && ev[i].c == EV_CAUSE_LOAD_FAILED;
	ck_assert(stop_logged);
	/* linux ran on, and has its region back */
	ck_assert_int_eq(linux->state, PART_RUNNING);
	ck_assert(writer_maps_staging());
}
END_TEST

/* linux's bus masters behind a stage-2 SMMU walk linux's own stage 2,
 * which maps the update-staging region: while Umbra checks and copies,
 * the SMMU must not use a cached translation of it either (what is
 * verified is what is loaded). */
START_TEST(test_update_writer_dma)
{
	struct dev_cfg dma = { .path = "/dma@0", .dma = true, .iommu_phandle = 7,
			       .sid_base = 0x10, .nr_sids = 1 };
	unsigned before, i;
	bool dropped = false;
	u64 len, x1;

	fake_smmu_reset(FAKE_IDR0_S2, 16);
	plat.smmu = (struct mem_range){ 0x9050000, 0x20000 };
	plat.smmu_phandle = 7;
	cfg.part[0].dev[cfg.part[0].nr_dev++] = dma;
	ck_assert(iommu_probe(&plat));
	ck_assert_int_eq(iommu_setup(parts, 3, &plat, &pool), 0);
	ck_assert(strstr(captured(), "smmu: on (stage 2), 1 partition confined"));
	len = stage("rtos", 2, "signer", 0, IMG_SIZE, IMG_SIZE, 5);
	before = fake_smmu.nr_cmds;
	ck_assert_uint_eq(update(len, &x1), UMBRA_OK);
	ck_assert_uint_le(fake_smmu.nr_cmds, FAKE_SMMU_LOG);
	for (i = before; i < fake_smmu.nr_cmds; i++)
		if ((u8)fake_smmu.cmds[i][0] == 0x28 &&                /* TLBI_S12_VMALL */
		    ((fake_smmu.cmds[i][0] >> 32) & 0xffff) == 1)      /* linux's VMID */
			dropped = true;
	ck_assert_msg(dropped, "the SMMU kept linux's translations of the staging region");
	ck_assert(writer_maps_staging());
}
END_TEST

Suite *update_suite(void)
{
	Suite *s = suite_create("update");
	TCase *tc = tcase_create("live");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_update_attach);
	tcase_add_test(tc, test_update_attach_no_memory);
	tcase_add_test(tc, test_update_success);
	tcase_add_test(tc, test_update_size_from_envelope);
	tcase_add_test(tc, test_update_refused);
	tcase_add_test(tc, test_update_arguments);
	tcase_add_test(tc, test_update_not_running);
	tcase_add_test(tc, test_update_start_fails);
	tcase_add_test(tc, test_update_writer_dma);
	suite_add_tcase(s, tc);
	return s;
}
