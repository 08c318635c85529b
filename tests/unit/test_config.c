// SPDX-License-Identifier: Apache-2.0
/*
 * Platform discovery (hyp/config/platform.c) and config validation
 * (hyp/config/config.c) on the DTBs built from tests/unit/dts/. Every
 * invalid case asserts the exact diagnostic codes and their count.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"
#include "umbra/envelope.h"
#include "attest/attest.h"
#include "attest/config_digest.h"

#define E(x) (1ull << CFG_E_##x)
#define UMBRA_BASE 0x40000000ULL        /* Umbra's reserved memory */
#define UMBRA_SIZE 0x01000000ULL
#define STAGING_A 0x41000000ULL          /* staging regions in the fixtures */
#define STAGING_B 0x42000000ULL
#define WINDOW_SIZE 4096
#define MAX_MSGS 16

static struct platform plat;
static struct cfg_env env;
static struct umbra_config cfg;
static struct diag d;
static char msgs[MAX_MSGS][256];
static enum cfg_err codes[MAX_MSGS];
static unsigned nr_msgs;
static char dump[MAX_MSGS * 280];

static void record(enum cfg_err code, const char *msg)
{
	if (nr_msgs < MAX_MSGS) {
		codes[nr_msgs] = code;
		snprintf(msgs[nr_msgs], sizeof(msgs[0]), "%s", msg);
	}
	nr_msgs++;
}

static const char *all_msgs(void)
{
	size_t n = 0;
	unsigned i;

	dump[0] = '\0';
	for (i = 0; i < nr_msgs && i < MAX_MSGS; i++)
		n += (size_t)snprintf(dump + n, sizeof(dump) - n, "\n  [%s] %s",
				      cfg_err_name(codes[i]), msgs[i]);
	return nr_msgs ? dump : " (none)";
}

/* Physical memory as the image check sees it: two 4 KiB windows at the
 * fixtures' staging regions, zero (nothing loaded) unless a test puts an
 * arm64 Image header there. */
static struct {
	u64 pa;
	u8 *mem;
} windows[2];

static const void *phys_view(u64 pa, u64 len)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(windows); i++)
		if (pa >= windows[i].pa && len <= WINDOW_SIZE &&
		    pa - windows[i].pa <= WINDOW_SIZE - len)
			return windows[i].mem + (pa - windows[i].pa);
	return NULL;
}

static void put_le64(u8 *p, u64 v)
{
	unsigned i;

	for (i = 0; i < 8; i++)
		p[i] = (u8)(v >> (8 * i));
}

/* An arm64 Image header (Documentation/arch/arm64/booting.rst). */
static void load_image(u64 pa, u64 text_offset, u64 image_size, u32 magic)
{
	u8 *h = (u8 *)phys_view(pa, 64);

	ck_assert_ptr_nonnull(h);
	memset(h, 0, 64);
	h[0] = 0x4d; /* "MZ" + branch, as Linux has */
	h[1] = 0x5a;
	put_le64(h + 8, text_offset);
	put_le64(h + 16, image_size);
	put_le64(h + 24, 0xa); /* flags: LE, 4K pages, anywhere */
	h[0x38] = (u8)magic;
	h[0x39] = (u8)(magic >> 8);
	h[0x3a] = (u8)(magic >> 16);
	h[0x3b] = (u8)(magic >> 24);
}

static void setup(void)
{
	fake_arch_reset();
	memset(&d, 0, sizeof(d));
	d.emit = record;
	nr_msgs = 0;
	memset(&env, 0, sizeof(env));
	env.plat = &plat;
	env.reserved[0] = (struct mem_range){ UMBRA_BASE, UMBRA_SIZE };
	env.nr_reserved = 1;
	windows[0].pa = STAGING_A;
	windows[0].mem = unit_alloc(8, WINDOW_SIZE);
	windows[1].pa = STAGING_B;
	windows[1].mem = unit_alloc(8, WINDOW_SIZE);
}

static void teardown(void)
{
	unit_free_all();
}

/* Parse the platform (must be clean) from pfdt, then the config in cfdt. */
static unsigned parse_fdts(const void *pfdt, const void *cfdt)
{
	struct diag pd = { .emit = record };
	unsigned n;

	ck_assert_msg(platform_parse(pfdt, &plat, &pd) == 0, "platform: %s", all_msgs());
	nr_msgs = 0;
	n = config_parse(cfdt, &env, &cfg, &d);
	ck_assert_uint_eq(n, d.count);
	ck_assert_uint_eq(nr_msgs, d.count);
	return n;
}

static unsigned parse(const char *name)
{
	const void *fdt = load_dtb(name);

	return parse_fdts(fdt, fdt);
}

static void expect(const char *name, u64 seen, unsigned count)
{
	memset(&d, 0, sizeof(d));
	d.emit = record;
	parse(name);
	ck_assert_msg(d.seen == seen && d.count == count,
		      "%s: seen 0x%llx count %u, want seen 0x%llx count %u; reported:%s",
		      name, (unsigned long long)d.seen, d.count, (unsigned long long)seen, count, all_msgs());
}

static bool msg_has(unsigned i, const char *s)
{
	return i < nr_msgs && i < MAX_MSGS && strstr(msgs[i], s);
}

/* ---- valid configurations ---- */

START_TEST(test_valid)
{
	const struct part_cfg *l = &cfg.part[0], *r = &cfg.part[1];

	env.phys_view = phys_view;
	load_image(STAGING_A, 0, 0x200000, ARM64_IMAGE_MAGIC);
	load_image(STAGING_B, 0x80000, 0x100000, ARM64_IMAGE_MAGIC);
	expect("cfg-valid", 0, 0);
	ck_assert_uint_eq(cfg.nr_parts, 2);

	ck_assert_str_eq(l->name, "linux");
	ck_assert_uint_eq(l->nr_cpus, 2);
	ck_assert_uint_eq(l->cpu_mpidr[0], 0);
	ck_assert_uint_eq(l->cpu_mpidr[1], 1);
	ck_assert_uint_eq(l->nr_mem, 1);
	ck_assert_uint_eq(l->mem[0].base, 0x50000000);
	ck_assert_uint_eq(l->mem[0].size, 0x04000000);
	ck_assert_uint_eq(l->image.base, STAGING_A);
	ck_assert_uint_eq(l->image.size, 0x01000000);
	ck_assert_uint_eq(l->text_offset, 0);
	ck_assert_uint_eq(l->image_size, 0x200000);

	ck_assert_str_eq(r->name, "rtos");
	ck_assert_uint_eq(r->nr_cpus, 1);
	ck_assert_uint_eq(r->cpu_mpidr[0], 2);
	ck_assert_uint_eq(r->nr_mem, 2);
	ck_assert_uint_eq(r->mem[0].base, 0x58000000);
	ck_assert_uint_eq(r->mem[0].size, 0x02000000);
	ck_assert_uint_eq(r->mem[1].base, 0x60000000);
	ck_assert_uint_eq(r->mem[1].size, 0x00200000);
	ck_assert_uint_eq(r->image.base, STAGING_B);
	ck_assert_uint_eq(r->image.size, 0x00400000);
	ck_assert_uint_eq(r->text_offset, 0x80000);
	ck_assert_uint_eq(r->image_size, 0x100000);
}
END_TEST

START_TEST(test_valid_without_phys_view)
{
	/* the host checker cannot see images: nothing read, nothing reported */
	expect("cfg-valid", 0, 0);
	ck_assert_uint_eq(cfg.nr_parts, 2);
	ck_assert_uint_eq(cfg.part[0].image_size, 0);
}
END_TEST

START_TEST(test_valid_one_cell)
{
	expect("cfg-valid-cells1", 0, 0);
	ck_assert_uint_eq(cfg.nr_parts, 1);
	ck_assert_str_eq(cfg.part[0].name, "guest");
	ck_assert_uint_eq(cfg.part[0].cpu_mpidr[0], 3);
	ck_assert_uint_eq(cfg.part[0].mem[0].base, 0x50000000);
	ck_assert_uint_eq(cfg.part[0].mem[0].size, 0x04000000);
	ck_assert_uint_eq(cfg.part[0].image.base, STAGING_A);
	ck_assert_uint_eq(cfg.part[0].image.size, 0x01000000);
}
END_TEST

static const char *const valid_edges[] = {
	"cfg-name-15",        /* longest name */
	"cfg-mem-second-4k",  /* only the first region must be 2 MiB aligned */
	"cfg-mem-adjacent",   /* touching regions do not overlap */
	"cfg-mem-bank2",      /* a region in another RAM bank */
};

START_TEST(test_valid_edges)
{
	expect(valid_edges[_i], 0, 0);
	if (_i == 0)
		ck_assert_str_eq(cfg.part[0].name, "abcdefghijklmno");
	if (_i == 3)
		ck_assert_uint_eq(plat.nr_ram, 2);
}
END_TEST

/* ---- one class of error per test ---- */

START_TEST(test_no_config)
{
	expect("plat-ok", E(NO_CONFIG), 1);
	ck_assert_uint_eq(cfg.nr_parts, 0);
	expect("cfg-bad-compatible", E(NO_CONFIG), 1);
	ck_assert_uint_eq(cfg.nr_parts, 0);
}
END_TEST

START_TEST(test_no_partitions)
{
	expect("cfg-no-partitions", E(NO_PARTITIONS), 1);
}
END_TEST

START_TEST(test_too_many_partitions)
{
	/* the fifth is not parsed at all (it reuses CPU 3: no cpu-twice) */
	expect("cfg-too-many-partitions", E(TOO_MANY), 1);
	ck_assert_uint_eq(cfg.nr_parts, MAX_PARTITIONS);
	ck_assert_str_eq(cfg.part[3].name, "p3");
}
END_TEST

START_TEST(test_bad_cells)
{
	expect("cfg-bad-cells", E(PROP), 1);
}
END_TEST

START_TEST(test_prop_cpus)
{
	expect("cfg-cpus-missing", E(PROP), 1);
	ck_assert(msg_has(0, "'cpus'") && msg_has(0, "'guest'"));
	expect("cfg-cpus-malformed", E(PROP), 1);
	expect("cfg-cpus-too-many", E(TOO_MANY), 1);
}
END_TEST

START_TEST(test_prop_memory)
{
	expect("cfg-memory-missing", E(PROP), 1);
	ck_assert(msg_has(0, "'memory'"));
	expect("cfg-memory-malformed", E(PROP), 1);
	expect("cfg-memory-empty", E(PROP), 1);
	expect("cfg-memory-too-many", E(TOO_MANY), 1);
}
END_TEST

START_TEST(test_prop_image)
{
	expect("cfg-image-prop-missing", E(PROP), 1);
	ck_assert(msg_has(0, "'image'"));
	expect("cfg-image-prop-malformed", E(PROP), 1);
	expect("cfg-image-prop-two", E(PROP), 1);
}
END_TEST

START_TEST(test_name_too_long)
{
	expect("cfg-name-16", E(NAME), 1);
	ck_assert(msg_has(0, "abcdefghijklmnop"));
	ck_assert_str_eq(cfg.part[0].name, "abcdefghijklmno");
}
END_TEST

/* Two partitions both named "twin": only a generated DTB can have that
 * (dtc merges nodes of the same name). */
static void *twin_dtb(void)
{
	const size_t size = 4096;
	void *fdt = unit_alloc(8, size);
	unsigned i;

	ck_assert_int_eq(fdt_create(fdt, (int)size), 0);
	ck_assert_int_eq(fdt_finish_reservemap(fdt), 0);
	ck_assert_int_eq(fdt_begin_node(fdt, ""), 0);
	ck_assert_int_eq(fdt_begin_node(fdt, "umbra"), 0);
	ck_assert_int_eq(fdt_property_string(fdt, "compatible", "umbra,config-v1"), 0);
	ck_assert_int_eq(fdt_property_u32(fdt, "#address-cells", 1), 0);
	ck_assert_int_eq(fdt_property_u32(fdt, "#size-cells", 1), 0);
	for (i = 0; i < 2; i++) {
		fdt32_t mem[2] = { cpu_to_fdt32(0x50000000 + i * 0x08000000),
				   cpu_to_fdt32(0x04000000) };
		fdt32_t img[2] = { cpu_to_fdt32((u32)STAGING_A + i * 0x01000000),
				   cpu_to_fdt32(0x01000000) };

		ck_assert_int_eq(fdt_begin_node(fdt, "twin"), 0);
		ck_assert_int_eq(fdt_property_string(fdt, "compatible", "umbra,partition"), 0);
		ck_assert_int_eq(fdt_property_u32(fdt, "cpus", i), 0);
		ck_assert_int_eq(fdt_property(fdt, "memory", mem, sizeof(mem)), 0);
		ck_assert_int_eq(fdt_property(fdt, "image", img, sizeof(img)), 0);
		ck_assert_int_eq(fdt_end_node(fdt), 0);
	}
	ck_assert_int_eq(fdt_end_node(fdt), 0);
	ck_assert_int_eq(fdt_end_node(fdt), 0);
	ck_assert_int_eq(fdt_finish(fdt), 0);
	return fdt;
}

START_TEST(test_name_duplicate)
{
	parse_fdts(load_dtb("plat-ok"), twin_dtb());
	ck_assert_msg(d.seen == E(NAME) && d.count == 1, "reported:%s", all_msgs());
	ck_assert(msg_has(0, "'twin'"));
	/* names equal after truncation: two too long, one duplicate */
	expect("cfg-name-dup-truncated", E(NAME), 3);
	ck_assert(msg_has(2, "two partitions are named 'partition-alpha'"));
}
END_TEST

START_TEST(test_cpu_unknown)
{
	expect("cfg-cpu-unknown", E(CPU_UNKNOWN), 2);
	ck_assert(msg_has(0, "'guest'") && msg_has(0, "0x4 "));
	ck_assert(msg_has(1, "'other'") && msg_has(1, "0x100"));
}
END_TEST

START_TEST(test_cpu_twice_same)
{
	expect("cfg-cpu-twice-same", E(CPU_TWICE), 1);
}
END_TEST

START_TEST(test_cpu_twice_other)
{
	expect("cfg-cpu-twice-other", E(CPU_TWICE), 1);
	ck_assert(msg_has(0, "'b'") && msg_has(0, "given to 'a'"));
}
END_TEST

START_TEST(test_mem_align)
{
	expect("cfg-mem-first-not-2m", E(MEM_ALIGN), 1);
	ck_assert(msg_has(0, "2 MiB"));
	expect("cfg-mem-base-unaligned", E(MEM_ALIGN), 1);
	expect("cfg-mem-size-unaligned", E(MEM_ALIGN), 1);
	expect("cfg-mem-size-zero", E(MEM_ALIGN), 1);
}
END_TEST

START_TEST(test_mem_wrap)
{
	/* dt/bindings/umbra.md: mem-align covers wrapping regions */
	expect("cfg-mem-wrap", E(MEM_ALIGN), 1);
}
END_TEST

START_TEST(test_mem_outside_ram)
{
	expect("cfg-mem-outside", E(MEM_OUTSIDE_RAM), 1);
	expect("cfg-mem-straddle", E(MEM_OUTSIDE_RAM), 1);
}
END_TEST

START_TEST(test_mem_overlap_umbra)
{
	expect("cfg-mem-umbra", E(MEM_OVERLAP_UMBRA), 1);
	expect("cfg-mem-umbra-edge", E(MEM_OVERLAP_UMBRA), 1);
	/* every reserved range counts, not just the first */
	env.reserved[0] = (struct mem_range){ 0x7f000000, 0x100000 };
	env.reserved[1] = (struct mem_range){ 0x40800000, 0x1000 };
	env.nr_reserved = 2;
	expect("cfg-mem-umbra", E(MEM_OVERLAP_UMBRA), 1);
}
END_TEST

START_TEST(test_mem_overlap)
{
	expect("cfg-mem-overlap-other", E(MEM_OVERLAP), 1);
	ck_assert(msg_has(0, "'b'") && msg_has(0, "partition 'a'"));
	expect("cfg-mem-overlap-own", E(MEM_OVERLAP), 1);
	ck_assert(msg_has(0, "its own"));
}
END_TEST

START_TEST(test_image_outside_ram)
{
	expect("cfg-image-outside", E(IMAGE_OUTSIDE_RAM), 1);
	expect("cfg-image-straddle", E(IMAGE_OUTSIDE_RAM), 1);
	expect("cfg-image-unaligned", E(IMAGE_OUTSIDE_RAM), 1);
}
END_TEST

START_TEST(test_image_overlap)
{
	expect("cfg-image-over-own", E(IMAGE_OVERLAP), 1);
	expect("cfg-image-over-other", E(IMAGE_OVERLAP), 1);
	ck_assert(msg_has(0, "partition 'a'"));
	expect("cfg-image-over-umbra", E(IMAGE_OVERLAP), 1);
	ck_assert(msg_has(0, "Umbra"));
	expect("cfg-image-over-image", E(IMAGE_OVERLAP), 1);
	ck_assert(msg_has(0, "image of 'a'"));
}
END_TEST

START_TEST(test_image_missing)
{
	env.phys_view = phys_view;
	expect("cfg-one", E(IMAGE_MISSING), 1);      /* nothing loaded */
	ck_assert(msg_has(0, "0x41000000"));
	load_image(STAGING_A, 0, 0x100000, 0x65555555);
	expect("cfg-one", E(IMAGE_MISSING), 1);      /* not an arm64 Image */
	load_image(STAGING_A, 0, 0x100000, ARM64_IMAGE_MAGIC);
	expect("cfg-one", 0, 0);
}
END_TEST

START_TEST(test_image_too_big)
{
	env.phys_view = phys_view;
	load_image(STAGING_A, 0, 0x01000000 + 0x1000, ARM64_IMAGE_MAGIC);
	expect("cfg-one", E(IMAGE_TOO_BIG), 1);
	/* exactly the staging region is fine */
	load_image(STAGING_A, 0, 0x01000000, ARM64_IMAGE_MAGIC);
	expect("cfg-one", 0, 0);
	/* image_size 0 (pre-3.17 Linux) stands for the whole region */
	load_image(STAGING_A, 0, 0, ARM64_IMAGE_MAGIC);
	expect("cfg-one", 0, 0);
	ck_assert_uint_eq(cfg.part[0].image_size, 0x01000000);
}
END_TEST

START_TEST(test_image_and_dt_fit)
{
	/* first region 4 MiB: image + 64 KiB guest DT must fit */
	const u64 room = 0x400000 - GUEST_DTB_MAX;

	env.phys_view = phys_view;
	load_image(STAGING_A, 0, room, ARM64_IMAGE_MAGIC);
	expect("cfg-small-ram", 0, 0);
	load_image(STAGING_A, 0x200000, room - 0x200000, ARM64_IMAGE_MAGIC);
	expect("cfg-small-ram", 0, 0);
	load_image(STAGING_A, 0, room + 0x1000, ARM64_IMAGE_MAGIC);
	expect("cfg-small-ram", E(IMAGE_TOO_BIG), 1);
	ck_assert(msg_has(0, "64 KiB"));
	load_image(STAGING_A, 0x1000, room, ARM64_IMAGE_MAGIC);
	expect("cfg-small-ram", E(IMAGE_TOO_BIG), 1);
	load_image(STAGING_A, 0x800, 0x1000, ARM64_IMAGE_MAGIC);   /* offset unaligned */
	expect("cfg-small-ram", E(IMAGE_TOO_BIG), 1);
	load_image(STAGING_A, 0x400000, 0x1000, ARM64_IMAGE_MAGIC); /* offset past RAM */
	expect("cfg-small-ram", E(IMAGE_TOO_BIG), 1);
	load_image(STAGING_A, ~0xfffULL, 0x2000, ARM64_IMAGE_MAGIC); /* huge offset */
	expect("cfg-small-ram", E(IMAGE_TOO_BIG), 1);
}
END_TEST

START_TEST(test_many_errors)
{
	static const enum cfg_err want[] = {
		CFG_E_CPU_UNKNOWN, CFG_E_CPU_TWICE, CFG_E_PROP, CFG_E_MEM_OUTSIDE_RAM,
		CFG_E_MEM_OVERLAP_UMBRA, CFG_E_IMAGE_OUTSIDE_RAM,
	};
	u64 seen = 0;
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(want); i++)
		seen |= 1u << want[i];
	expect("cfg-many-errors", seen, ARRAY_SIZE(want));
	for (i = 0; i < nr_msgs; i++)
		ck_assert_msg(msg_has(i, "'p1'") || msg_has(i, "'p2'"),
			      "message names no partition:%s", all_msgs());
}
END_TEST

/* ---- devices, initrd, bootargs ---- */

START_TEST(test_extras_valid)
{
	const struct part_cfg *a = &cfg.part[0], *b = &cfg.part[1];

	expect("cfg-extras-valid", 0, 0);
	ck_assert_uint_eq(a->nr_dev, 3);
	ck_assert_str_eq(a->dev[0].path, "/pl031@9010000");
	ck_assert_uint_eq(a->dev[0].nr_reg, 1);
	ck_assert_uint_eq(a->dev[0].reg[0].base, 0x09010000);
	ck_assert_uint_eq(a->dev[0].reg[0].size, 0x1000);
	ck_assert_uint_eq(a->dev[0].nr_spi, 1);
	ck_assert_uint_eq(a->dev[0].spi[0], 34);
	ck_assert(!a->dev[0].dma);
	ck_assert_str_eq(a->dev[1].path, "/virtio_mmio@a000000");
	ck_assert_uint_eq(a->dev[1].spi[0], 48);
	ck_assert(a->dev[1].dma && a->dev[1].dma_unprotected);
	ck_assert(a->dev[2].dma && a->dev[2].dma_unprotected);
	ck_assert_uint_eq(a->initrd.base, 0x42800000);
	ck_assert_uint_eq(a->initrd.size, 0x00200000);
	ck_assert_str_eq(a->bootargs, "console=ttyAMA0 root=/dev/ram0");
	ck_assert_uint_eq(b->nr_dev, 1);
	ck_assert_uint_eq(b->dev[0].spi[0], 39);
	ck_assert_uint_eq(b->initrd.size, 0);
	ck_assert_str_eq(b->bootargs, "");
	/* the initrd goes below the DT slot at the top of memory[0] */
	ck_assert_uint_eq(config_initrd_ipa(a), 0x54000000 - GUEST_DTB_MAX - 0x00200000);
}
END_TEST

START_TEST(test_device)
{
	expect("cfg-dev-not-found", E(DEVICE), 1);
	ck_assert(msg_has(0, "'/nope@0' not found"));
	expect("cfg-dev-umbra", E(DEVICE), 4);
	ck_assert(msg_has(0, "intc@8000000") && msg_has(1, "memory@40000000") &&
		  msg_has(2, "cpu@1") && msg_has(3, "'/smmuv3@9050000' belongs to Umbra"));
	expect("cfg-dev-no-reg", E(DEVICE), 1);
	expect("cfg-dev-ppi", E(DEVICE), 1);
	ck_assert(msg_has(0, "per-CPU interrupt 23"));
	expect("cfg-dev-in-ram", E(DEVICE), 1);
	ck_assert(msg_has(0, "overlaps RAM"));
	expect("cfg-dev-malformed", E(PROP), 1);
	expect("cfg-dev-too-many", E(TOO_MANY), 1);
}
END_TEST

START_TEST(test_device_twice)
{
	expect("cfg-dev-twice-same", E(DEVICE_TWICE), 1);
	expect("cfg-dev-twice-other", E(DEVICE_TWICE), 1);
	ck_assert(msg_has(0, "'b'") && msg_has(0, "already given to partition 'a'"));
	/* two owners' sub-page devices in one page: each pair once; the DMA
	 * opt-in is missing for both virtio transports */
	expect("cfg-dev-page-shared", E(DEVICE_PAGE) | E(DMA), 3);
	ck_assert(msg_has(1, "MMIO page") && msg_has(1, "of partition 'a'"));
	expect("cfg-dev-irq-shared", E(IRQ_TWICE), 1);
	ck_assert(msg_has(0, "interrupt"));
}
END_TEST

/* A device smaller than a page: every device in its page needs its owner. */
START_TEST(test_device_page_umbra)
{
	expect("cfg-dev-page-umbra", E(DEVICE_PAGE), 1);
	ck_assert(msg_has(0, "'/virtio_mmio@a000200', which stays Umbra's"));
}
END_TEST

START_TEST(test_device_umbra_region)
{
	expect("cfg-dev-umbra-region", E(DEVICE_UMBRA), 3);
	ck_assert(msg_has(0, "ingic") && msg_has(1, "inits") && msg_has(2, "inumbra"));
}
END_TEST

START_TEST(test_device_dma)
{
	expect("cfg-dev-dma", E(DMA) | E(PROP), 2);
	ck_assert(msg_has(0, "dma-unprotected '/pl031@9010000' is not one of its devices"));
	ck_assert(msg_has(1, "'/virtio_mmio@a000000' can master the bus"));
	ck_assert(cfg.part[0].dev[1].dma_unprotected && !cfg.part[0].dev[0].dma_unprotected);
}
END_TEST

/* A PCIe host bridge behind the SMMU Umbra drives: no dma-unprotected
 * needed; its ECAM and the windows inside the IPA space, its INTx SPIs,
 * its StreamIDs. */
START_TEST(test_pci_confined)
{
	const struct dev_cfg *dc;

	env.smmu_ok = true;
	expect("cfg-pci", 0, 0);
	ck_assert_uint_eq(plat.smmu.base, 0x09050000);
	ck_assert_uint_eq(plat.smmu_evt_intid, 74 + 32);
	ck_assert_uint_eq(plat.smmu_gerr_intid, 77 + 32);
	dc = &cfg.part[0].dev[0];
	ck_assert(dc->pci && dc->dma);
	ck_assert_uint_eq(dc->nr_reg, 3);                     /* the 512 GiB window is left out */
	ck_assert_uint_eq(dc->reg[0].base, 0x4010000000ULL);
	ck_assert_uint_eq(dc->reg[1].base, 0x3eff0000);
	ck_assert_uint_eq(dc->reg[2].base, 0x10000000);
	ck_assert_uint_eq(dc->reg[2].size, 0x2eff0000);
	ck_assert_uint_eq(dc->nr_spi, 4);                      /* SPIs 3-6, each once */
	ck_assert_uint_eq(dc->spi[0], 35);
	ck_assert_uint_eq(dc->spi[3], 38);
	ck_assert_uint_eq(dc->iommu_phandle, plat.smmu_phandle);
	ck_assert_uint_eq(dc->sid_base, 0);
	ck_assert_uint_eq(dc->nr_sids, 0x10000);
}
END_TEST

/* The same without an SMMU Umbra drives: its DMA is unconfined. */
START_TEST(test_pci_unconfined)
{
	expect("cfg-pci", E(DMA), 1);
	ck_assert(msg_has(0, "'/pcie@10000000' can master the bus (DMA) and no IOMMU confines it"));
}
END_TEST

START_TEST(test_pci_bad)
{
	env.smmu_ok = true;
	expect("cfg-pci-bad", E(DEVICE) | E(SHARED) | E(DMA), 7);
	ck_assert(msg_has(0, "'/pcie@3f100000' has a malformed interrupt-map"));
	ck_assert(msg_has(1, "'/pcie@3f200000': only one iommu-map range"));
	ck_assert(msg_has(2, "a PCIe host bridge cannot be a shared device"));
	ck_assert(msg_has(3, "device '/dma@9080000' shares IOMMU stream IDs with '/dma@9070000'"));
	/* the bridge's 64 Ki StreamIDs cover both */
	ck_assert(msg_has(4, "'/pcie@10000000' shares IOMMU stream IDs with '/dma@9070000'"));
	ck_assert(msg_has(5, "'/pcie@10000000' shares IOMMU stream IDs with '/dma@9080000'"));
	/* a shared device is never confined: its streams would move */
	ck_assert(msg_has(6, "'/pcie@10000000' can master the bus"));
}
END_TEST

START_TEST(test_shared_dma)
{
	expect("cfg-shared-dma", E(DMA), 1);
	ck_assert(msg_has(0, "shared device 0 ('s0'): device '/dma0@9070000' can master the bus"));
	ck_assert(cfg.shared[1].dev.dma && cfg.shared[1].dev.dma_unprotected);
}
END_TEST

START_TEST(test_shared_valid)
{
	expect("cfg-shared-valid", 0, 0);
	ck_assert_uint_eq(cfg.nr_shared, 2);
	ck_assert_str_eq(cfg.shared[0].name, "gpio");
	ck_assert_str_eq(cfg.shared[0].dev.path, "/pl061@9030000");
	ck_assert_uint_eq(cfg.shared[0].dev.spi[0], 39);
	ck_assert_uint_eq(cfg.shared[0].holders, 3);
	ck_assert_int_eq(cfg.shared[0].owner, 0);
	ck_assert_str_eq(cfg.shared[1].dev.path, "/pl031@9010000");
	ck_assert_uint_eq(cfg.shared[1].holders, 3);
	ck_assert_int_eq(cfg.shared[1].owner, -1);
}
END_TEST

START_TEST(test_shared_bad)
{
	expect("cfg-shared-bad", E(SHARED) | E(IRQ_TWICE) | E(DEVICE_TWICE), 6);
	ck_assert(msg_has(0, "holder 'nobody' is no partition"));
	ck_assert(msg_has(1, "owner 'a' is not one of its holders"));
	ck_assert(msg_has(2, "shared device 2 ('s2'): 'device' must be a path"));
	ck_assert(msg_has(3, "'revocable'"));
	ck_assert(msg_has(4, "shared device 0 ('s0')") && msg_has(4, "interrupt"));
	ck_assert(msg_has(5, "shared device 1 ('s1')") && msg_has(5, "already given to partition 'a'"));
}
END_TEST

/* event-reader, on-failure and its bounds (config_policy.c) */
START_TEST(test_policy)
{
	const struct part_cfg *g = &cfg.part[0];

	expect("cfg-policy-restart", 0, 0);
	ck_assert(g->event_reader);
	ck_assert_uint_eq(g->on_failure, ON_FAILURE_RESTART);
	ck_assert_uint_eq(g->max_restarts, 5);
	ck_assert_uint_eq(g->restart_window_ms, 1000);
	expect("cfg-policy-stop", 0, 0);
	ck_assert(!g->event_reader);
	ck_assert_uint_eq(g->on_failure, ON_FAILURE_STOP);
	ck_assert_uint_eq(g->max_restarts, DEFAULT_MAX_RESTARTS);
	ck_assert_uint_eq(g->restart_window_ms, DEFAULT_RESTART_WINDOW_MS);
	expect("cfg-bootargs-255", 0, 0);
	ck_assert_uint_eq(g->on_failure, ON_FAILURE_NONE);
	expect("cfg-policy-bad-value", E(PROP), 1);
	ck_assert(msg_has(0, "'on-failure' must be \"stop\" or \"restart\""));
	expect("cfg-policy-bounds-without-restart", E(PROP), 1);
	ck_assert(msg_has(0, "need on-failure = \"restart\""));
	expect("cfg-policy-bad-cells", E(PROP), 2);
	ck_assert(msg_has(0, "'max-restarts' must be one cell"));
	ck_assert(msg_has(1, "'restart-window-ms' must not be 0"));
}
END_TEST

START_TEST(test_bootargs)
{
	expect("cfg-bootargs-255", 0, 0);
	ck_assert_uint_eq(strlen(cfg.part[0].bootargs), 255);
	expect("cfg-bootargs-256", E(PROP), 1);
	ck_assert_str_eq(cfg.part[0].bootargs, "");
	expect("cfg-bootargs-not-string", E(PROP), 1);
}
END_TEST

START_TEST(test_initrd)
{
	expect("cfg-initrd-outside", E(INITRD), 1);
	expect("cfg-initrd-umbra", E(INITRD), 1);
	ck_assert(msg_has(0, "Umbra"));
	expect("cfg-initrd-memory", E(INITRD), 1);
	ck_assert(msg_has(0, "memory"));
	expect("cfg-initrd-image", E(INITRD), 1);
	ck_assert(msg_has(0, "image"));
	expect("cfg-initrd-malformed", E(PROP), 1);
	expect("cfg-initrd-empty", E(PROP), 1);
}
END_TEST

START_TEST(test_initrd_fit)
{
	/* 4 MiB: a 1 MiB image, the 2 MiB initrd and the 64 KiB DT fit; a
	 * 2 MiB image does not (the initrd would start inside it) */
	env.phys_view = phys_view;
	load_image(STAGING_A, 0, 0x100000, ARM64_IMAGE_MAGIC);
	expect("cfg-initrd-fit", 0, 0);
	load_image(STAGING_A, 0, 0x200000, ARM64_IMAGE_MAGIC);
	expect("cfg-initrd-fit", E(INITRD), 1);
	ck_assert(msg_has(0, "do not fit"));
	/* without the image size nothing can be said */
	env.phys_view = NULL;
	expect("cfg-initrd-fit", 0, 0);
}
END_TEST

/* ---- the platform ---- */

START_TEST(test_platform)
{
	const void *fdt = load_dtb("plat-ok");
	struct mem_range uart;
	unsigned i;

	ck_assert_uint_eq(platform_parse(fdt, &plat, &d), 0);
	ck_assert_uint_eq(d.count, 0);
	ck_assert_uint_eq(plat.nr_ram, 1);
	ck_assert_uint_eq(plat.ram[0].base, 0x40000000);
	ck_assert_uint_eq(plat.ram[0].size, 0x40000000);
	ck_assert_uint_eq(plat.nr_cpus, 4);
	for (i = 0; i < 4; i++) {
		ck_assert_uint_eq(plat.cpu_mpidr[i], i);
		ck_assert_int_eq(platform_cpu_index(&plat, i), (int)i);
	}
	ck_assert_int_eq(platform_cpu_index(&plat, 4), -1);
	ck_assert_uint_eq(plat.gicd.base, 0x08000000);
	ck_assert_uint_eq(plat.gicd.size, 0x10000);
	ck_assert_uint_eq(plat.gicr.base, 0x080a0000);
	ck_assert_uint_eq(plat.gicr.size, 0xf60000);
	ck_assert_uint_eq(plat.maint_intid, 25);
	ck_assert_uint_eq(plat.uart.base, 0x09000000);
	ck_assert_uint_eq(plat.uart.size, 0x1000);
	ck_assert_uint_eq(plat.uart_intid, 33);
	ck_assert_uint_eq(plat.timer_intid[0], 29);
	ck_assert_uint_eq(plat.timer_intid[1], 30);
	ck_assert_uint_eq(plat.timer_intid[2], 27);
	ck_assert_uint_eq(plat.timer_intid[3], 26);
	ck_assert(!plat.psci_hvc);
	ck_assert(platform_in_ram(&plat, 0x40000000, 0x40000000));
	ck_assert(!platform_in_ram(&plat, 0x7ffff000, 0x2000));
	ck_assert(!platform_in_ram(&plat, 0x3ffff000, 0x2000));
	ck_assert_int_ge(platform_find_console(fdt, &uart), 0);
	ck_assert_uint_eq(uart.base, 0x09000000);
}
END_TEST

/* The anti-rollback store: two blocks at the start of the second bank of
 * the cfi-flash (QEMU virt's DT: both banks in one node); none with a
 * 16-bit flash bus, a single bank, or no flash at all. */
START_TEST(test_platform_store)
{
	static u8 buf[65536];
	const fdt32_t one_bank[] = { 0, 0, 0, cpu_to_fdt32(0x4000000) };
	int node;

	ck_assert_int_eq(fdt_open_into(load_dtb("guest-dt"), buf, sizeof(buf)), 0);
	ck_assert_uint_eq(platform_parse(buf, &plat, &d), 0);
	ck_assert_uint_eq(plat.store.base, 0x04000000);
	ck_assert_uint_eq(plat.store.size, 2 * STORE_SLOT_SIZE);
	node = fdt_node_offset_by_compatible(buf, -1, "cfi-flash");
	ck_assert_int_ge(node, 0);
	ck_assert_int_eq(fdt_setprop_u32(buf, node, "bank-width", 2), 0);
	ck_assert_uint_eq(platform_parse(buf, &plat, &d), 0);
	ck_assert_uint_eq(plat.store.size, 0);
	ck_assert_int_eq(fdt_setprop_u32(buf, node, "bank-width", 4), 0);
	ck_assert_int_eq(fdt_setprop(buf, node, "reg", one_bank, sizeof(one_bank)), 0);
	ck_assert_uint_eq(platform_parse(buf, &plat, &d), 0);
	ck_assert_uint_eq(plat.store.size, 0);
	ck_assert_int_eq(fdt_del_node(buf, node), 0);
	ck_assert_uint_eq(platform_parse(buf, &plat, &d), 0);
	ck_assert_uint_eq(plat.store.size, 0);
}
END_TEST

START_TEST(test_platform_variants)
{
	const void *fdt = load_dtb("plat-stdout-alias");

	ck_assert_uint_eq(platform_parse(fdt, &plat, &d), 0);
	ck_assert_uint_eq(plat.uart.base, 0x09000000);
	fdt = load_dtb("plat-two-banks");
	ck_assert_uint_eq(platform_parse(fdt, &plat, &d), 0);
	ck_assert_uint_eq(plat.nr_ram, 2);
	ck_assert_uint_eq(plat.ram[1].base, 0x100000000ULL);
	ck_assert(platform_in_ram(&plat, 0x100000000ULL, 0x10000000));
	/* within RAM, but across two banks with a gap */
	ck_assert(!platform_in_ram(&plat, 0x7ffff000, 0x80002000));
	ck_assert_uint_eq(d.count, 0);
}
END_TEST

static const char *const bad_platforms[] = {
	"plat-no-gic", "plat-gic-no-gicr", "plat-no-memory", "plat-no-cpus",
	"plat-no-stdout", "plat-stdout-not-pl011", "plat-no-timer",
};

START_TEST(test_platform_incomplete)
{
	const void *fdt = load_dtb(bad_platforms[_i]);
	unsigned n = platform_parse(fdt, &plat, &d);

	ck_assert_msg(n == 1 && d.count == 1 && d.seen == E(PLATFORM),
		      "%s: %u problems, seen 0x%llx:%s", bad_platforms[_i], n, (unsigned long long)d.seen,
		      all_msgs());
	ck_assert(msg_has(0, "platform: "));
}
END_TEST

START_TEST(test_platform_corrupt)
{
	u8 *junk = unit_alloc(8, 512);
	u8 *copy;
	const u8 *good = load_dtb("plat-ok");
	u32 size = fdt_totalsize(good);

	memset(junk, 0xa5, 512);
	ck_assert_uint_eq(platform_parse(junk, &plat, &d), 1);
	ck_assert_uint_eq(d.seen, E(DTB));
	/* and config parsing of it finds no config, without crashing */
	ck_assert_uint_eq(config_parse(junk, &env, &cfg, &d), 1);
	ck_assert_uint_eq(d.seen, E(DTB) | E(NO_CONFIG));

	/* right magic, structure block pointing outside the blob */
	copy = unit_alloc(8, size);
	memcpy(copy, good, size);
	fdt_set_off_dt_struct(copy, size + 0x1000);
	memset(&d, 0, sizeof(d));
	ck_assert_uint_eq(platform_parse(copy, &plat, &d), 1);
	ck_assert_uint_eq(d.seen, E(DTB));
}
END_TEST

static TCase *tcase(Suite *s, const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, setup, teardown);
	suite_add_tcase(s, tc);
	return tc;
}


/* ---- channels ---- */

START_TEST(test_channel_valid)
{
	const struct part_cfg *l = &cfg.part[0], *r = &cfg.part[1];

	expect("cfg-chan-valid", 0, 0);
	ck_assert_uint_eq(cfg.nr_chans, 2);
	ck_assert_uint_eq(cfg.chan_mem[0].base, 0x5c000000);
	ck_assert_uint_eq(cfg.chan_mem[0].size, 0x10000);
	ck_assert_uint_eq(cfg.chan_mem[1].base, 0x5c010000);
	ck_assert_uint_eq(l->nr_chan, 2);
	ck_assert_uint_eq(r->nr_chan, 2);
	/* channel 0: linux gets SPI 64, rtos SPI 65 (INTID = 32 + SPI) */
	ck_assert_uint_eq(l->chan[0].id, 0);
	ck_assert_uint_eq(l->chan[0].intid, 96);
	ck_assert_uint_eq(l->chan[0].peer_intid, 97);
	ck_assert_uint_eq(l->chan[0].peer, 1);
	ck_assert_str_eq(l->chan[0].peer_name, "rtos");
	ck_assert(!l->chan[0].read_only);
	ck_assert(l->chan[0].first && !r->chan[0].first);
	ck_assert_uint_eq(r->chan[0].id, 0);
	ck_assert_uint_eq(r->chan[0].intid, 97);
	ck_assert_uint_eq(r->chan[0].peer, 0);
	ck_assert_str_eq(r->chan[0].peer_name, "linux");
	/* channel 1: peers listed rtos first; read-only for rtos only */
	ck_assert_uint_eq(r->chan[1].id, 1);
	ck_assert_uint_eq(r->chan[1].intid, 98);
	ck_assert(r->chan[1].read_only);
	ck_assert(r->chan[1].first && !l->chan[1].first);
	ck_assert_uint_eq(l->chan[1].id, 1);
	ck_assert_uint_eq(l->chan[1].intid, 99);
	ck_assert(!l->chan[1].read_only);
	ck_assert_uint_eq(l->chan[1].mem.size, 0x1000);
}
END_TEST

START_TEST(test_channel_node)
{
	expect("cfg-chan-peers-one", E(CHANNEL), 1);
	ck_assert(msg_has(0, "exactly two"));
	expect("cfg-chan-peers-three", E(CHANNEL), 1);
	expect("cfg-chan-peer-unknown", E(CHANNEL), 1);
	ck_assert(msg_has(0, "'nope'"));
	expect("cfg-chan-peer-same", E(CHANNEL), 1);
	expect("cfg-chan-ro-stranger", E(CHANNEL), 1);
	ck_assert(msg_has(0, "'guest'"));
	expect("cfg-chan-doorbells-one", E(CHANNEL), 1);
	expect("cfg-chan-memory-two", E(CHANNEL), 1);
	/* a rejected channel gives its peers nothing */
	ck_assert_uint_eq(cfg.part[0].nr_chan + cfg.part[1].nr_chan, 0);
	expect("cfg-chan-too-many", E(TOO_MANY), 1);
	ck_assert_uint_eq(cfg.part[0].nr_chan, MAX_PART_CHANNELS);
}
END_TEST

START_TEST(test_channel_mem)
{
	expect("cfg-chan-mem-align", E(CHANNEL_MEM), 1);
	ck_assert(msg_has(0, "page aligned"));
	expect("cfg-chan-mem-size-zero", E(CHANNEL_MEM), 1);
	expect("cfg-chan-mem-outside", E(CHANNEL_MEM), 1);
	ck_assert(msg_has(0, "not inside RAM"));
	expect("cfg-chan-mem-umbra", E(CHANNEL_MEM), 1);
	ck_assert(msg_has(0, "Umbra"));
	expect("cfg-chan-mem-partition", E(CHANNEL_MEM), 1);
	ck_assert(msg_has(0, "'rtos'"));
	expect("cfg-chan-mem-image", E(CHANNEL_MEM), 1);
	expect("cfg-chan-mem-overlap", E(CHANNEL_MEM), 1);
	ck_assert(msg_has(0, "another channel"));
}
END_TEST

/* An enveloped image: found behind the envelope; a broken envelope or a
 * bad Image inside is the partition's own problem (image_err), not a
 * configuration error. */
START_TEST(test_enveloped_image)
{
	u8 *w = (u8 *)phys_view(STAGING_B, WINDOW_SIZE);
	const struct part_cfg *r = &cfg.part[1];
	u64 big = 0x300000;

	env.phys_view = phys_view;
	load_image(STAGING_A, 0, 0x200000, ARM64_IMAGE_MAGIC);
	memset(w, 0, WINDOW_SIZE);
	memcpy(w, "UMBRASIG", 8);
	w[8] = 1;                       /* version */
	w[10] = 0;                      /* header 256 */
	w[11] = 1;
	memcpy(w + 16, &big, 8);        /* image size */
	memcpy(w + 64, "rtos", 4);
	w[96] = 0x04;
	load_image(STAGING_B + 256, 0x80000, 0x100000, ARM64_IMAGE_MAGIC);
	expect("cfg-valid", 0, 0);
	ck_assert_uint_eq(r->image_off, 256);
	ck_assert_uint_eq(r->image_size, 0x100000);
	ck_assert_uint_eq(r->image_err, IMG_OK);
	/* the Image is larger than what the envelope signs */
	big = 0x80000;
	memcpy(w + 16, &big, 8);
	expect("cfg-valid", 0, 0);
	ck_assert_uint_eq(r->image_err, IMG_E_FORMAT);
	/* no Image behind the envelope */
	big = 0x300000;
	memcpy(w + 16, &big, 8);
	w[256 + 0x38] = 0;
	expect("cfg-valid", 0, 0);
	ck_assert_uint_eq(r->image_err, IMG_E_FORMAT);
	/* a header length past the region: image-envelope, no diagnostic */
	w[11] = 0xff;
	w[10] = 0xf8;
	expect("cfg-valid", 0, 0);
	ck_assert_uint_eq(r->image_err, IMG_E_ENVELOPE);
	ck_assert_ptr_nonnull(r->image_why);
}
END_TEST

/* signer-key and update-staging (docs/signing.md) */
START_TEST(test_signer_and_update)
{
	expect("cfg-update-valid", 0, 0);
	ck_assert_uint_eq(cfg.part[1].signer_key_len, 32);
	ck_assert_uint_eq(cfg.part[1].signer_key[31], 0x32);
	ck_assert_uint_eq(cfg.part[1].update.base, 0x5d000000);
	ck_assert_int_eq(cfg.part[1].update_writer, 0);
	ck_assert_uint_eq(cfg.part[0].update.size, 0);
	expect("cfg-update-self", E(UPDATE), 1);
	ck_assert(msg_has(0, "not another partition"));
	expect("cfg-update-unknown", E(UPDATE), 1);
	expect("cfg-update-no-by", E(UPDATE), 1);
	expect("cfg-update-overlap", E(UPDATE), 1);
	ck_assert(msg_has(0, "overlaps"));
	expect("cfg-update-outside", E(UPDATE), 1);
	expect("cfg-update-align", E(UPDATE), 1);
	expect("cfg-signer-key-bad", E(PROP), 1);
	ck_assert(msg_has(0, "signer-key"));
	expect("cfg-signer-key-compressed", E(PROP), 1);
}
END_TEST

START_TEST(test_channel_irq)
{
	expect("cfg-chan-irq-device", E(CHANNEL_IRQ), 1);
	ck_assert(msg_has(0, "device"));
	expect("cfg-chan-irq-uart", E(CHANNEL_IRQ), 1);
	ck_assert(msg_has(0, "UART"));
	expect("cfg-chan-irq-vuart", E(CHANNEL_IRQ), 1);
	ck_assert(msg_has(0, "its virtual UART's interrupt"));
	expect("cfg-chan-irq-range", E(CHANNEL_IRQ), 1);
	expect("cfg-chan-irq-twice", E(CHANNEL_IRQ), 1);
	ck_assert(msg_has(0, "already a doorbell"));
	ck_assert_uint_eq(cfg.nr_chans, 2);
	ck_assert_uint_eq(cfg.part[0].nr_chan, 1);
}
END_TEST

/* ---- virtual UARTs ---- */

START_TEST(test_vuart_valid)
{
	expect("cfg-vuart-valid", 0, 0);
	ck_assert_uint_eq(cfg.part[0].vuart, 0x09100000);
	ck_assert_uint_eq(cfg.part[0].vuart_intid, 101 + 32);
	ck_assert_uint_eq(cfg.part[1].vuart, 0x09100000);
	ck_assert_uint_eq(cfg.part[1].vuart_intid, 100 + 32);
	ck_assert_int_eq(cfg.console_focus, 1);
	ck_assert(cfg.console_colour);
	/* without vuart properties: none, and the default focus */
	expect("cfg-extras-valid", 0, 0);
	ck_assert_uint_eq(cfg.part[0].vuart, 0);
	ck_assert_int_eq(cfg.console_focus, -1);
	ck_assert(!cfg.console_colour);
}
END_TEST

static const struct {
	const char *name;
	u32 seen;
	const char *msg;            /* in the (only) message */
} vuart_bad[] = {
	{ "cfg-vuart-unaligned", E(VUART), "not a page-aligned address" },
	{ "cfg-vuart-above-ipa", E(VUART), "0x8000000000 is not a page-aligned address below 0x8000000000" },
	{ "cfg-vuart-in-ram", E(VUART), "is in RAM" },
	{ "cfg-vuart-on-gic", E(VUART), "overlaps the GIC" },
	{ "cfg-vuart-on-device", E(VUART), "overlaps the MMIO of '/pl031@9010000'" },
	{ "cfg-vuart-malformed", E(VUART), "must be one address (2 cells)" },
	{ "cfg-vuart-no-irq", E(VUART_IRQ), "must be one SPI number" },
	{ "cfg-vuart-irq-range", E(VUART_IRQ), "below 988" },
	{ "cfg-vuart-irq-device", E(VUART_IRQ), "is the interrupt of '/pl031@9010000'" },
	{ "cfg-vuart-console-owned", E(DEVICE), "is Umbra's console" },
	{ "cfg-vuart-focus-unknown", E(VUART), "console-focus: no partition 'guest'" },
};

START_TEST(test_vuart_bad)
{
	expect(vuart_bad[_i].name, vuart_bad[_i].seen, 1);
	ck_assert_msg(msg_has(0, vuart_bad[_i].msg), "%s: want '%s', got:%s", vuart_bad[_i].name,
		      vuart_bad[_i].msg, all_msgs());
}
END_TEST

/*
 * A blob is checked before anything parses it (issue 18, item 5). On the
 * main of 2026-12-05 umbra-config-check gave half a platform DTB to the
 * parsers, which read past it (AddressSanitizer) or reported five
 * misleading errors, and a file under 8 bytes skipped even the header
 * check; there was no dtb_check() and no [truncated].
 */
START_TEST(test_dtb_truncated)
{
	const u8 *fdt = load_dtb("plat-ok");
	u64 total = fdt_totalsize(fdt), cuts[] = { 0, 5, 39, 40, total / 2, total - 1 };
	unsigned i;

	ck_assert_int_eq(dtb_check(fdt, total, &d), 0);
	ck_assert_uint_eq(d.count, 0);
	for (i = 0; i < ARRAY_SIZE(cuts); i++) {
		/* exactly the bytes there are, on the heap: ASan sees any overread */
		u8 *cut = malloc(cuts[i] ? cuts[i] : 1);

		memcpy(cut, fdt, cuts[i]);
		nr_msgs = 0;
		memset(&d, 0, sizeof(d));
		d.emit = record;
		ck_assert_int_eq(dtb_check(cut, cuts[i], &d), -1);
		ck_assert_msg(d.count == 1 && d.seen == E(TRUNCATED), "%lu bytes:%s",
			      (unsigned long)cuts[i], all_msgs());
		free(cut);
	}
	ck_assert_str_eq(cfg_err_name(CFG_E_TRUNCATED), "truncated");
}
END_TEST

START_TEST(test_dtb_broken)
{
	const u8 *fdt = load_dtb("plat-ok");
	u64 total = fdt_totalsize(fdt);
	u8 *bad = unit_alloc(8, total);

	/* no magic */
	memcpy(bad, fdt, total);
	bad[0] ^= 0xff;
	ck_assert_int_eq(dtb_check(bad, total, &d), -1);
	ck_assert_msg(d.seen == E(DTB), "%s", all_msgs());
	/* the first structure token garbled: libfdt's full check refuses it */
	memcpy(bad, fdt, total);
	bad[fdt_off_dt_struct(fdt) + 3] = 0x7f;
	memset(&d, 0, sizeof(d));
	d.emit = record;
	ck_assert_int_eq(dtb_check(bad, total, &d), -1);
	ck_assert_msg(d.count == 1 && d.seen == E(DTB), "%s", all_msgs());
	/* every token sound but the nesting not: the root's FDT_END_NODE
	 * made a NOP; libfdt's full check refuses it */
	memcpy(bad, fdt, total);
	fdt32_st(bad + fdt_off_dt_struct(fdt) + fdt_size_dt_struct(fdt) - 8, FDT_NOP);
	memset(&d, 0, sizeof(d));
	d.emit = record;
	nr_msgs = 0;
	ck_assert_int_eq(dtb_check(bad, total, &d), -1);
	ck_assert_msg(d.count == 1 && d.seen == E(DTB) && !strstr(all_msgs(), "bad token"), "%s",
		      all_msgs());
	/* more bytes than totalsize are fine (a buffer bigger than its tree) */
	memcpy(bad, fdt, total);
	ck_assert_int_eq(dtb_check(bad, total, &d), 0);
}
END_TEST

/* Found by fuzz-config: a property whose length is -12 (0xfffffff4) makes
 * libfdt 1.6.1's fdt_next_tag() return the offset it was given, and
 * fdt_check_full() loops for ever: Umbra would hang at boot. dtb_check()
 * walks the structure block itself first (this test hangs without it). */
START_TEST(test_dtb_prop_len_loop)
{
	const u8 *fdt = load_dtb("plat-ok");
	u64 total = fdt_totalsize(fdt);
	u8 *bad = unit_alloc(8, total);
	u32 off = fdt_off_dt_struct(fdt), i, lens[] = { 0xfffffff4, 0x80000000, 0xffffffff };
	int prop = fdt_first_property_offset(fdt, 0);
	uint8_t digest[ATTEST_DIGEST_LEN];

	ck_assert_int_ge(prop, 0);
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		memcpy(bad, fdt, total);
		fdt32_st(bad + off + prop + 4, lens[i]);
		memset(&d, 0, sizeof(d));
		d.emit = record;
		nr_msgs = 0;
		ck_assert_int_eq(dtb_check(bad, total, &d), -1);
		ck_assert_msg(d.count == 1 && d.seen == E(DTB) && strstr(all_msgs(), "bad token"),
			      "0x%x:%s", lens[i], all_msgs());
		/* the configuration digest (host tools read any file) too */
		ck_assert_int_eq(attest_config_digest(bad, total, NULL, digest), -ATTEST_E_INVAL);
	}
	/* a version before 17 (no structure size) is refused */
	memcpy(bad, fdt, total);
	fdt32_st(bad + 20, 16);
	memset(&d, 0, sizeof(d));
	d.emit = record;
	nr_msgs = 0;
	ck_assert_int_eq(dtb_check(bad, total, &d), -1);
	ck_assert_msg(strstr(all_msgs(), "version 16"), "%s", all_msgs());
}
END_TEST

Suite *config_suite(void)
{
	Suite *s = suite_create("config");

	tcase_add_test(tcase(s, "valid"), test_valid);
	tcase_add_test(tcase(s, "dtb_truncated"), test_dtb_truncated);
	tcase_add_test(tcase(s, "dtb_broken"), test_dtb_broken);
	tcase_add_test(tcase(s, "dtb_prop_len_loop"), test_dtb_prop_len_loop);
	tcase_add_test(tcase(s, "valid_without_phys_view"), test_valid_without_phys_view);
	tcase_add_test(tcase(s, "valid_one_cell"), test_valid_one_cell);
	tcase_add_loop_test(tcase(s, "valid_edges"), test_valid_edges, 0,
			    (int)ARRAY_SIZE(valid_edges));
	tcase_add_test(tcase(s, "vuart_valid"), test_vuart_valid);
	tcase_add_loop_test(tcase(s, "vuart_bad"), test_vuart_bad, 0, (int)ARRAY_SIZE(vuart_bad));
	tcase_add_test(tcase(s, "no_config"), test_no_config);
	tcase_add_test(tcase(s, "no_partitions"), test_no_partitions);
	tcase_add_test(tcase(s, "pci_confined"), test_pci_confined);
	tcase_add_test(tcase(s, "pci_unconfined"), test_pci_unconfined);
	tcase_add_test(tcase(s, "pci_bad"), test_pci_bad);
	tcase_add_test(tcase(s, "too_many_partitions"), test_too_many_partitions);
	tcase_add_test(tcase(s, "bad_cells"), test_bad_cells);
	tcase_add_test(tcase(s, "prop_cpus"), test_prop_cpus);
	tcase_add_test(tcase(s, "prop_memory"), test_prop_memory);
	tcase_add_test(tcase(s, "prop_image"), test_prop_image);
	tcase_add_test(tcase(s, "name_too_long"), test_name_too_long);
	tcase_add_test(tcase(s, "name_duplicate"), test_name_duplicate);
	tcase_add_test(tcase(s, "cpu_unknown"), test_cpu_unknown);
	tcase_add_test(tcase(s, "cpu_twice_same"), test_cpu_twice_same);
	tcase_add_test(tcase(s, "cpu_twice_other"), test_cpu_twice_other);
	tcase_add_test(tcase(s, "mem_align"), test_mem_align);
	tcase_add_test(tcase(s, "mem_wrap"), test_mem_wrap);
	tcase_add_test(tcase(s, "mem_outside_ram"), test_mem_outside_ram);
	tcase_add_test(tcase(s, "mem_overlap_umbra"), test_mem_overlap_umbra);
	tcase_add_test(tcase(s, "mem_overlap"), test_mem_overlap);
	tcase_add_test(tcase(s, "image_outside_ram"), test_image_outside_ram);
	tcase_add_test(tcase(s, "image_overlap"), test_image_overlap);
	tcase_add_test(tcase(s, "image_missing"), test_image_missing);
	tcase_add_test(tcase(s, "image_too_big"), test_image_too_big);
	tcase_add_test(tcase(s, "image_and_dt_fit"), test_image_and_dt_fit);
	tcase_add_test(tcase(s, "many_errors"), test_many_errors);
	tcase_add_test(tcase(s, "extras_valid"), test_extras_valid);
	tcase_add_test(tcase(s, "device"), test_device);
	tcase_add_test(tcase(s, "device_twice"), test_device_twice);
	tcase_add_test(tcase(s, "device_page_umbra"), test_device_page_umbra);
	tcase_add_test(tcase(s, "device_umbra_region"), test_device_umbra_region);
	tcase_add_test(tcase(s, "device_dma"), test_device_dma);
	tcase_add_test(tcase(s, "shared_valid"), test_shared_valid);
	tcase_add_test(tcase(s, "shared_dma"), test_shared_dma);
	tcase_add_test(tcase(s, "shared_bad"), test_shared_bad);
	tcase_add_test(tcase(s, "bootargs"), test_bootargs);
	tcase_add_test(tcase(s, "policy"), test_policy);
	tcase_add_test(tcase(s, "initrd"), test_initrd);
	tcase_add_test(tcase(s, "initrd_fit"), test_initrd_fit);
	tcase_add_test(tcase(s, "platform"), test_platform);
	tcase_add_test(tcase(s, "platform_variants"), test_platform_variants);
	tcase_add_loop_test(tcase(s, "platform_incomplete"), test_platform_incomplete, 0,
			    (int)ARRAY_SIZE(bad_platforms));
	tcase_add_test(tcase(s, "platform_corrupt"), test_platform_corrupt);
	tcase_add_test(tcase(s, "channel_valid"), test_channel_valid);
	tcase_add_test(tcase(s, "channel_node"), test_channel_node);
	tcase_add_test(tcase(s, "channel_mem"), test_channel_mem);
	tcase_add_test(tcase(s, "channel_irq"), test_channel_irq);
	tcase_add_test(tcase(s, "signer_update"), test_signer_and_update);
	tcase_add_test(tcase(s, "signer_update"), test_enveloped_image);
	tcase_add_test(tcase(s, "signer_update"), test_platform_store);
	return s;
}
