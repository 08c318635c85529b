// SPDX-License-Identifier: Apache-2.0
/* Helpers for the unit tests, and the stubs for what main.c provides. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "unit.h"
#include "attest/attest.h"
#include "umbra/envelope.h"

#define CAPTURE_MAX 65536
#define MAX_ALLOCS 64

static char cap[CAPTURE_MAX];
static size_t cap_len;

static void capture_putc(char c)
{
	if (cap_len + 1 < CAPTURE_MAX)
		cap[cap_len++] = c;
}

void capture_start(void)
{
	capture_clear();
	console_attach(capture_putc);
}

const char *captured(void)
{
	cap[cap_len] = '\0';
	return cap;
}

void capture_clear(void)
{
	cap_len = 0;
	cap[0] = '\0';
}

unsigned captured_count(const char *needle)
{
	const char *s = captured();
	unsigned n = 0;

	while ((s = strstr(s, needle))) {
		n++;
		s += strlen(needle);
	}
	return n;
}

unsigned partition_stopped_calls;

void umbra_partition_stopped(void)
{
	partition_stopped_calls++;
}

static struct {
	void *p;
	size_t map_size;   /* 0: from aligned_alloc */
} allocs[MAX_ALLOCS];
static unsigned nr_allocs;

static void *track(void *p, size_t map_size)
{
	ck_assert_uint_lt(nr_allocs, MAX_ALLOCS);
	allocs[nr_allocs].p = p;
	allocs[nr_allocs++].map_size = map_size;
	return p;
}

void *unit_alloc(size_t align, size_t size)
{
	void *p = aligned_alloc(align, ALIGN_UP(size, align));

	ck_assert_ptr_nonnull(p);
	track(p, 0);
	memset(p, 0, size);
	return p;
}

void *phys_map(u64 pa, u64 size)
{
	void *p = mmap((void *)(uintptr_t)pa, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	ck_assert_msg(p == (void *)(uintptr_t)pa, "cannot map 0x%llx+0x%llx at its own address",
		      (unsigned long long)pa, (unsigned long long)size);
	return track(p, size);
}

static unsigned nr_tracked;

void unit_free_all(void)
{
	nr_tracked = 0;
	while (nr_allocs) {
		nr_allocs--;
		if (allocs[nr_allocs].map_size)
			munmap(allocs[nr_allocs].p, allocs[nr_allocs].map_size);
		else
			free(allocs[nr_allocs].p);
	}
}

#define MAX_TRACKED 8
static struct partition *tracked[MAX_TRACKED];

static void park_on_kick(u64 mpidr, unsigned sgi)
{
	unsigned i, j;

	if (sgi != GIC_KICK_SGI)
		return;
	for (i = 0; i < nr_tracked; i++)
		for (j = 0; j < tracked[i]->nr_vcpus; j++) {
			struct vcpu *v = &tracked[i]->vcpu[j];

			if (tracked[i]->cfg->cpu_mpidr[j] == mpidr && !vcpu_resumable(v))
				v->parked = true;
		}
}

void cpus_track(struct partition *p)
{
	unsigned i;

	for (i = 0; i < nr_tracked; i++)
		if (tracked[i] == p)
			return;
	ck_assert_uint_lt(nr_tracked, MAX_TRACKED);
	tracked[nr_tracked++] = p;
	fake_gic.sgi_hook = park_on_kick;
}

void vcpu_enter_fake(struct vcpu *v)
{
	v->entered_gen = v->gen;
	v->parked = false;
}

void *load_dtb(const char *name)
{
	char path[512];
	FILE *f;
	long len;
	void *buf;

	snprintf(path, sizeof(path), "%s/%s.dtb", UNIT_DTB_DIR, name);
	f = fopen(path, "rb");
	ck_assert_msg(f, "cannot open %s (run via make unit)", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	ck_assert_int_gt(len, 0);
	rewind(f);
	buf = unit_alloc(8, (size_t)len);
	ck_assert_uint_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	return buf;
}

void guest_init(struct test_guest *g, const char *name, unsigned id,
		unsigned nr_vcpus, unsigned nr_regions, u64 region_size)
{
	unsigned i;

	memset(g, 0, sizeof(*g));
	snprintf(g->cfg.name, sizeof(g->cfg.name), "%s", name);
	g->cfg.nr_cpus = nr_vcpus;
	for (i = 0; i < nr_vcpus; i++)
		g->cfg.cpu_mpidr[i] = ((u64)id << 8) | i;
	g->cfg.nr_mem = nr_regions;
	ck_assert_uint_le(region_size, 0x01000000);
	for (i = 0; i < nr_regions; i++) {
		g->cfg.mem[i].base = GUEST_RAM_BASE(id, i);
		g->cfg.mem[i].size = region_size;
		phys_map(g->cfg.mem[i].base, region_size);
	}
	g->p.id = id;
	g->p.cfg = &g->cfg;
	g->p.nr_vcpus = nr_vcpus;
	g->p.state = PART_RUNNING;
	for (i = 0; i < nr_vcpus; i++) {
		g->p.vcpu[i].part = &g->p;
		g->p.vcpu[i].index = i;
		g->p.vcpu[i].on = true;
	}
	cpus_track(&g->p);
}

void guest_stage2(struct test_guest *g, unsigned pages)
{
	page_pool_init(&g->pool, unit_alloc(PAGE_SIZE, (size_t)pages * PAGE_SIZE),
		       (size_t)pages * PAGE_SIZE);
	ck_assert_int_eq(pgtable_init(&g->p.s2, PT_S2, (u16)(g->p.id + 1), &g->pool), 0);
}

void *phys_ptr(u64 pa)
{
	return (void *)(uintptr_t)pa;
}

const void *phys_identity_view(u64 pa, u64 len)
{
	(void)len;
	return phys_ptr(pa);
}

struct cfg_env unit_cfg_env(const struct platform *plat)
{
	struct cfg_env env = {
		.plat = plat,
		.reserved = { { UNIT_UMBRA_BASE, UNIT_UMBRA_SIZE } },
		.nr_reserved = 1,
		.phys_view = phys_identity_view,
	};

	return env;
}

u64 unit_hvc(struct vcpu *v, u64 x0, u64 x1, u64 x2, u64 x3)
{
	unsigned i;

	fake_arch.mpidr = v->part->cfg->cpu_mpidr[v->index];
	for (i = 0; i < 31; i++)
		v->regs.x[i] = UNIT_SENTINEL(i);
	v->regs.x[0] = x0;
	v->regs.x[1] = x1;
	v->regs.x[2] = x2;
	v->regs.x[3] = x3;
	v->regs.elr = 0x50001000;
	v->regs.spsr = 0x3c5;
	hypercall_dispatch(v);
	for (i = 4; i < 31; i++)
		ck_assert_msg(v->regs.x[i] == UNIT_SENTINEL(i), "x%u clobbered", i);
	ck_assert_uint_eq(v->regs.elr, 0x50001000);
	ck_assert_uint_eq(v->regs.spsr, 0x3c5);
	return v->regs.x[0];
}

void put_arm64_image(u64 pa, u64 text_offset, u64 size, u8 seed)
{
	u8 *p = phys_ptr(pa);
	u64 i;

	for (i = 0; i < size; i++)
		p[i] = (u8)(seed + i * 7);
	memset(p, 0, 64);
	memcpy(p + 8, &text_offset, 8);
	memcpy(p + 16, &size, 8);
	memcpy(p + 0x38, "ARM\x64", 4);
}

const struct attest_keypair *unit_signer(const char *seed)
{
	static struct attest_keypair k[4];
	static char seeds[4][16];
	unsigned i;

	for (i = 0; i < 4 && seeds[i][0]; i++)
		if (!strcmp(seeds[i], seed))
			return &k[i];
	ck_assert_uint_lt(i, 4);
	ck_assert_uint_lt(strlen(seed), sizeof(seeds[i]));
	ck_assert_int_eq(attest_derive_keypair(seed, strlen(seed), NULL, 0, "test", &k[i]), 0);
	strcpy(seeds[i], seed);
	return &k[i];
}

static void put_le(u8 *p, u64 v, unsigned n)
{
	while (n--) {
		*p++ = (u8)v;
		v >>= 8;
	}
}

u64 put_signed_image(void *dst, const char *name, u32 svn, const struct attest_keypair *k,
		     const void *img, u64 img_len)
{
	u8 *e = dst;

	memmove(e + ENV_HDR_MIN, img, img_len);
	memset(e, 0, ENV_HDR_MIN);
	memcpy(e, ENV_MAGIC, ENV_MAGIC_LEN);
	put_le(e + ENV_OFF_VERSION, ENV_VERSION, 2);
	put_le(e + ENV_OFF_HDR_LEN, ENV_HDR_MIN, 2);
	put_le(e + ENV_OFF_IMAGE_SIZE, img_len, 8);
	put_le(e + ENV_OFF_SVN, svn, 4);
	attest_sha256(e + ENV_HDR_MIN, img_len, e + ENV_OFF_DIGEST);
	ck_assert_uint_lt(strlen(name), ENV_NAME_LEN);
	memcpy(e + ENV_OFF_NAME, name, strlen(name));
	memcpy(e + ENV_OFF_KEY, k->pub, ENV_KEY_LEN);
	ck_assert_int_eq(attest_sign(k->priv, e, ENV_HDR_MIN - ENV_SIG_LEN,
				     e + ENV_HDR_MIN - ENV_SIG_LEN), 0);
	return ENV_HDR_MIN + img_len;
}
