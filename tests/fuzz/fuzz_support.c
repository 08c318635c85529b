// SPDX-License-Identifier: Apache-2.0
/* Helpers of the hyp/ fuzz targets (fuzz.h) and what main.c provides. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "attest/attest.h"
#include "attest/attest_svc.h"
#include "console/console.h"
#include "fuzz.h"
#include "umbra/envelope.h"

void umbra_partition_stopped(void)
{
}

static void drop(char c)
{
	(void)c;
}

void fz_console_quiet(void)
{
	console_attach(drop);
}

/* RAM of partitions 0..7: mapped at its own address on first use and
 * kept (mapping per input would dominate the run time). */
static bool mapped[8];

void fz_guest_init(struct fz_guest *g, const char *name, unsigned id, unsigned nr_vcpus,
		   u64 ram_size)
{
	unsigned i;

	if (id >= 8 || ram_size > FZ_RAM_MAX || nr_vcpus > MAX_PART_CPUS)
		abort();
	if (!mapped[id]) {
		void *p = mmap((void *)(uintptr_t)FZ_RAM_BASE(id), FZ_RAM_MAX,
			       PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

		if (p != (void *)(uintptr_t)FZ_RAM_BASE(id)) {
			fprintf(stderr, "fuzz: cannot map guest RAM at 0x%llx\n",
				(unsigned long long)FZ_RAM_BASE(id));
			abort();
		}
		mapped[id] = true;
	}
	memset((void *)(uintptr_t)FZ_RAM_BASE(id), 0, FZ_RAM_MAX);
	memset(g, 0, sizeof(*g));
	snprintf(g->cfg.name, sizeof(g->cfg.name), "%s", name);
	g->cfg.nr_cpus = nr_vcpus;
	for (i = 0; i < nr_vcpus; i++)
		g->cfg.cpu_mpidr[i] = ((u64)id << 8) | i;
	g->cfg.nr_mem = 1;
	g->cfg.mem[0].base = FZ_RAM_BASE(id);
	g->cfg.mem[0].size = ram_size;
	g->p.id = id;
	g->p.cfg = &g->cfg;
	g->p.nr_vcpus = nr_vcpus;
	g->p.state = PART_RUNNING;
	for (i = 0; i < nr_vcpus; i++) {
		g->p.vcpu[i].part = &g->p;
		g->p.vcpu[i].index = i;
		g->p.vcpu[i].on = true;
	}
}

u64 fz_bytes(struct fz_in *in, unsigned n)
{
	u64 v = 0;
	unsigned i;

	for (i = 0; i < n && in->n; i++, in->p++, in->n--)
		v |= (u64)in->p[0] << (8 * i);
	return v;
}

u64 fz_value(struct fz_in *in, u64 base, u64 size)
{
	static const u64 edges[] = {
		0, 1, ~0ULL, 0x7fffffffULL, 0x80000000ULL, 0xffffffffULL, 0x100000000ULL,
		0x7fffffffffffffffULL, 0x8000000000000000ULL, 0xfffffffffffff000ULL,
	};
	u8 kind = fz_u8(in);

	switch (kind & 3) {
	case 0:
		return edges[(kind >> 2) % (sizeof(edges) / sizeof(edges[0]))];
	case 1:  /* around the start of the region */
		return base + (u64)(s64)(int16_t)fz_bytes(in, 2);
	case 2:  /* around its end */
		return base + size + (u64)(s64)(int16_t)fz_bytes(in, 2);
	default:
		return fz_u64(in);
	}
}

/* ---- a configuration's partitions (fz_world_*) ---- */

#define W_UMBRA 0x40000000ULL
#define W_UMBRA_SIZE 0x01000000ULL
#define W_POOL_PAGES 64

struct partition fz_parts[FZ_MAX_PARTS];
unsigned fz_nr_parts;
static struct platform w_plat;
static struct umbra_config w_cfg;
static void *w_fdt;
static u8 *w_pool_mem;
static struct page_pool w_pool;

static const void *identity_view(u64 pa, u64 len)
{
	(void)len;
	return (const void *)(uintptr_t)pa;
}

static void map_at(u64 pa, u64 size)
{
	if (mmap((void *)(uintptr_t)pa, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != (void *)(uintptr_t)pa) {
		fprintf(stderr, "fuzz: cannot map 0x%llx\n", (unsigned long long)pa);
		abort();
	}
}

/* An arm64 Image header and a pattern, as the staging region holds it. */
static void put_image(u64 pa, u64 text_offset, u64 size)
{
	u8 *p = (u8 *)(uintptr_t)pa;

	memset(p, 0x5a, size);
	memset(p, 0, 64);
	memcpy(p + 8, &text_offset, 8);
	memcpy(p + 16, &size, 8);
	memcpy(p + 0x38, "ARM\x64", 4);
}

/* Signed images (docs/signing.md): the key of `umbra-sign keygen --seed
 * fuzz`, which world.dts names as c's signer-key. */
#define W_SIGNED_SVN 1           /* the staged image's */
#define W_UPDATE_SVN 2           /* the one waiting in update-staging */
#define W_IMAGE_LEN 0x2000
#define W_UPDATE_LEN 0x1000

/* envelope || arm64 Image at pa, signed for name */
static void put_signed(u64 pa, const char *name, u32 svn, u64 size,
		       const struct attest_keypair *kp)
{
	u8 *h = (u8 *)(uintptr_t)pa;
	u16 hdr_len = ENV_HDR_MIN;

	put_image(pa + ENV_HDR_MIN, 0, size);
	memset(h, 0, ENV_HDR_MIN);
	memcpy(h, ENV_MAGIC, ENV_MAGIC_LEN);
	h[ENV_OFF_VERSION] = ENV_VERSION;
	memcpy(h + ENV_OFF_HDR_LEN, &hdr_len, 2);   /* the host is little-endian too */
	memcpy(h + ENV_OFF_IMAGE_SIZE, &size, 8);
	memcpy(h + ENV_OFF_SVN, &svn, 4);
	attest_sha256(h + ENV_HDR_MIN, size, h + ENV_OFF_DIGEST);
	memcpy(h + ENV_OFF_NAME, name, strlen(name));
	memcpy(h + ENV_OFF_KEY, kp->pub, ENV_KEY_LEN);
	if (attest_sign(kp->priv, h, ENV_HDR_MIN - ENV_SIG_LEN, h + ENV_HDR_MIN - ENV_SIG_LEN))
		abort();
}

/* What the harness staged (images, update-staging), restored before
 * every input: an update or a partition's stores change it. */
static struct {
	u64 pa;
	size_t len;
	u8 *copy;
} w_staged[2 * FZ_MAX_PARTS];
static unsigned w_nr_staged;

static void keep_staged(u64 pa, size_t len)
{
	u8 *copy = malloc(len);

	if (!copy || w_nr_staged == ARRAY_SIZE(w_staged))
		abort();
	memcpy(copy, (const void *)(uintptr_t)pa, len);
	w_staged[w_nr_staged].pa = pa;
	w_staged[w_nr_staged].len = len;
	w_staged[w_nr_staged++].copy = copy;
}

bool fz_update_intact(void)
{
	unsigned i, j;

	for (i = 0; i < fz_nr_parts; i++) {
		const struct part_cfg *c = &w_cfg.part[i];

		for (j = 0; c->update.size && j < w_nr_staged; j++)
			if (w_staged[j].pa == c->update.base &&
			    memcmp((const void *)(uintptr_t)c->update.base, w_staged[j].copy,
				   ENV_HDR_MIN + W_UPDATE_LEN))
				return false;
	}
	return true;
}

/* The kick SGI parks a CPU whose vCPU may not resume (as trap.c would). */
static void park_on_kick(u64 mpidr, unsigned sgi)
{
	unsigned i, j;

	if (sgi != GIC_KICK_SGI)
		return;
	for (i = 0; i < fz_nr_parts; i++)
		for (j = 0; j < fz_parts[i].nr_vcpus; j++) {
			struct vcpu *v = &fz_parts[i].vcpu[j];

			if (fz_parts[i].cfg->cpu_mpidr[j] == mpidr && !vcpu_resumable(v))
				v->parked = true;
		}
}

void fz_world_init(const char *dtb)
{
	struct cfg_env env = {
		.plat = &w_plat,
		.reserved = { { W_UMBRA, W_UMBRA_SIZE } },
		.nr_reserved = 1,
		.phys_view = identity_view,
	};
	struct diag d = { .emit = NULL };
	static const u8 uds[ATTEST_UDS_LEN] = { 0x75, 0x6d, 0x62, 0x72, 0x61, 0x66, 0x7a };
	struct attest_boot_info info = {
		.uds = uds, .umbra_image = uds, .umbra_image_len = sizeof(uds), .board = "fuzz",
	};
	struct attest_keypair kp;
	char path[512];
	unsigned i;
	FILE *f;
	long len;

	snprintf(path, sizeof(path), "%s/%s.dtb", FUZZ_DTB_DIR, dtb);
	f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) <= 0) {
		fprintf(stderr, "fuzz: cannot read %s\n", path);
		exit(1);
	}
	rewind(f);
	w_fdt = malloc((size_t)len);
	if (!w_fdt || fread(w_fdt, 1, (size_t)len, f) != (size_t)len)
		abort();
	fclose(f);
	/* first without the images (phys_view NULL) to learn where they go */
	env.phys_view = NULL;
	if (platform_parse(w_fdt, &w_plat, &d) || config_parse(w_fdt, &env, &w_cfg, &d) ||
	    w_cfg.nr_parts > FZ_MAX_PARTS) {
		fprintf(stderr, "fuzz: %s is not a valid configuration\n", path);
		exit(1);
	}
	if (attest_derive_keypair("fuzz", 4, NULL, 0, "umbra-sign test key", &kp))
		abort();
	for (i = 0; i < w_cfg.nr_parts; i++) {
		const struct part_cfg *c = &w_cfg.part[i];
		unsigned r;

		for (r = 0; r < c->nr_mem; r++)
			map_at(c->mem[r].base, c->mem[r].size);
		map_at(c->image.base, c->image.size);
		if (c->signer_key_len) {
			if (c->signer_key_len != ENV_KEY_LEN || memcmp(c->signer_key, kp.pub, ENV_KEY_LEN)) {
				fprintf(stderr, "fuzz: %s: '%s' is not signed by the fuzz key\n", path,
					c->name);
				exit(1);
			}
			put_signed(c->image.base, c->name, W_SIGNED_SVN, W_IMAGE_LEN, &kp);
			keep_staged(c->image.base, ENV_HDR_MIN + W_IMAGE_LEN);
		} else {
			put_image(c->image.base, 0, W_IMAGE_LEN);
		}
		if (c->update.size) {
			map_at(c->update.base, c->update.size);
			put_signed(c->update.base, c->name, W_UPDATE_SVN, W_UPDATE_LEN, &kp);
			keep_staged(c->update.base, c->update.size);
		}
		if (c->initrd.size) {
			map_at(c->initrd.base, ALIGN_UP(c->initrd.size, PAGE_SIZE));
			memset((void *)(uintptr_t)c->initrd.base, 0x1d, c->initrd.size);
		}
	}
	for (i = 0; i < w_cfg.nr_chans; i++)
		map_at(w_cfg.chan_mem[i].base, w_cfg.chan_mem[i].size);
	/* then as at boot, images read */
	memset(&w_cfg, 0, sizeof(w_cfg));
	env.phys_view = identity_view;
	env.nr_reserved = 1;
	if (config_parse(w_fdt, &env, &w_cfg, &d)) {
		fprintf(stderr, "fuzz: %s: the images are refused\n", path);
		exit(1);
	}
	fz_nr_parts = w_cfg.nr_parts;
	/* attestation (ATTEST, DERIVE_KEY, EVENTS_REPORT) with a fixed device secret */
	info.fdt = w_fdt;
	info.fdt_size = (size_t)len;
	if (attest_svc_boot(&info)) {
		fprintf(stderr, "fuzz: no attestation\n");
		exit(1);
	}
	attest_wipe(&kp, sizeof(kp));
	w_pool_mem = aligned_alloc(PAGE_SIZE, W_POOL_PAGES * PAGE_SIZE);
	if (!w_pool_mem)
		abort();
}

void fz_world_reset(void)
{
	unsigned i, j;

	fake_arch_reset();
	fz_console_quiet();
	fake_gic.sgi_hook = park_on_kick;
	page_pool_init(&w_pool, w_pool_mem, W_POOL_PAGES * PAGE_SIZE);
	for (i = 0; i < w_nr_staged; i++)
		memcpy((void *)(uintptr_t)w_staged[i].pa, w_staged[i].copy, w_staged[i].len);
	memset(fz_parts, 0, sizeof(fz_parts));
	for (i = 0; i < fz_nr_parts; i++) {
		struct partition *p = &fz_parts[i];

		if (partition_create(p, i, &w_cfg.part[i], w_fdt, &w_plat, &w_pool))
			abort();
		/* main.c: every CPU waits in vcpu_park(); vCPU 0's enters */
		for (j = 0; j < p->nr_vcpus; j++)
			p->vcpu[j].parked = true;
		p->vcpu[0].entered_gen = p->vcpu[0].gen;
		p->vcpu[0].parked = false;
	}
	if (update_attach(fz_parts, fz_nr_parts))
		abort();
}

void fz_world_schedule(void)
{
	unsigned i, j;

	for (i = 0; i < fz_nr_parts; i++)
		for (j = 0; j < fz_parts[i].nr_vcpus; j++) {
			struct vcpu *v = &fz_parts[i].vcpu[j];

			if (v->parked && v->on && v->entered_gen != v->gen) {
				v->entered_gen = v->gen;
				v->parked = false;
			}
		}
}
