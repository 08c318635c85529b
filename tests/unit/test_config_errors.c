// SPDX-License-Identifier: Apache-2.0
/*
 * Every error report of the config validator that no fixture of
 * test_config.c reached (make coverage lists them): each case is a
 * valid fixture with one property changed or a node added with libfdt,
 * and must give exactly one report with its code and words.
 */
#include <libfdt.h>
#include <stdio.h>

#include "unit.h"

#define E(x) (1u << CFG_E_##x)
#define ROOM 8192

static struct platform plat;
static struct umbra_config cfg;
static struct diag d;
static char last[256], all[2048];   /* the last report, all of them */

static void record(enum cfg_err code, const char *msg)
{
	size_t n = strlen(all);

	(void)code;
	snprintf(last, sizeof(last), "%s", msg);
	if (n < sizeof(all) - 1)
		snprintf(all + n, sizeof(all) - n, "\n  [%s] %s", cfg_err_name(code), msg);
}

static void setup(void)
{
	fake_arch_reset();
	memset(&d, 0, sizeof(d));
	d.emit = record;
	last[0] = all[0] = '\0';
}

static void teardown(void)
{
	unit_free_all();
}

/* A copy of fixture name with room for edits. */
static void *edit(const char *name)
{
	const void *fdt = load_dtb(name);
	void *copy = unit_alloc(8, fdt_totalsize(fdt) + ROOM);

	ck_assert_int_eq(fdt_open_into(fdt, copy, (int)fdt_totalsize(fdt) + ROOM), 0);
	return copy;
}

static int node(void *fdt, const char *path)
{
	int n = fdt_path_offset(fdt, path);

	ck_assert_msg(n >= 0, "%s: %s", path, fdt_strerror(n));
	return n;
}

static void set(void *fdt, const char *path, const char *prop, const void *val, int len)
{
	ck_assert_int_eq(fdt_setprop(fdt, node(fdt, path), prop, val, len), 0);
}

static void set_cells(void *fdt, const char *path, const char *prop, const u32 *c, unsigned n)
{
	fdt32_t be[64];
	unsigned i;

	ck_assert_uint_le(n, 64);
	for (i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(c[i]);
	set(fdt, path, prop, be, (int)(4 * n));
}

/* A node at parent/name with compatible and reg <0 base 0 size>. */
static int add_node(void *fdt, const char *parent, const char *name, const char *compat)
{
	int n = fdt_add_subnode(fdt, node(fdt, parent), name);

	ck_assert_int_ge(n, 0);
	if (compat)
		ck_assert_int_eq(fdt_setprop_string(fdt, n, "compatible", compat), 0);
	return n;
}

static void expect_config(void *fdt, u64 seen, const char *words)
{
	struct diag pd = { 0 };
	struct cfg_env env = { .plat = &plat, .reserved = { { 0x40000000, 0x01000000 } },
			       .nr_reserved = 1, .smmu_ok = true };

	ck_assert_uint_eq(platform_parse(fdt, &plat, &pd), 0);
	config_parse(fdt, &env, &cfg, &d);
	ck_assert_msg(d.count == 1 && d.seen == seen && strstr(last, words),
		      "count %u seen 0x%llx (want 0x%llx '%s'):%s", d.count,
		      (unsigned long long)d.seen, (unsigned long long)seen, words, all);
}

static void expect_platform(void *fdt, u64 seen, const char *words)
{
	platform_parse(fdt, &plat, &d);
	ck_assert_msg(d.count == 1 && d.seen == seen && strstr(last, words),
		      "count %u seen 0x%llx (want 0x%llx '%s'):%s", d.count,
		      (unsigned long long)d.seen, (unsigned long long)seen, words, all);
}

START_TEST(test_uds_malformed)
{
	void *f = edit("cfg-chan-valid");
	static const u32 small[] = { 0, 0x5c100000, 0, 16 };

	set_cells(f, "/umbra", "uds", small, 4);
	expect_config(f, E(PROP), "'uds' must be one <base size> pair");
}
END_TEST

START_TEST(test_uds_outside_ram)
{
	void *f = edit("cfg-chan-valid");
	static const u32 out[] = { 0, 0x20000000, 0, 0x1000 };

	set_cells(f, "/umbra", "uds", out, 4);
	expect_config(f, E(MEM_OUTSIDE_RAM), "uds 0x20000000+0x1000 is not inside RAM");
}
END_TEST

/* The UDS is Umbra's: it may not lie in Umbra's own memory (which it
 * would never survive: the BSS is zeroed, what follows the image taken). */
START_TEST(test_uds_overlaps_umbra)
{
	void *f = edit("cfg-chan-valid");
	static const u32 in[] = { 0, 0x40ff0000, 0, 0x1000 };

	set_cells(f, "/umbra", "uds", in, 4);
	expect_config(f, E(MEM_OVERLAP_UMBRA), "uds 0x40ff0000+0x1000 overlaps Umbra's own memory");
}
END_TEST

/* config_range_user names what of a parsed configuration lies in a range:
 * nothing in the gaps, each kind of range where it is. */
START_TEST(test_range_user)
{
	void *f = edit("cfg-chan-valid");
	static const u32 uds[] = { 0, 0x5d000000, 0, 0x1000 };
	struct diag pd = { 0 };
	struct cfg_env env = { .plat = &plat, .reserved = { { 0x40000000, 0x01000000 } },
			       .nr_reserved = 1, .smmu_ok = true };

	set_cells(f, "/umbra", "uds", uds, 4);
	ck_assert_uint_eq(platform_parse(f, &plat, &pd), 0);
	ck_assert_uint_eq(config_parse(f, &env, &cfg, &d), 0);
	ck_assert_ptr_null(config_range_user(&cfg, 0x40000000, 0x01000000));  /* Umbra's */
	ck_assert_ptr_null(config_range_user(&cfg, 0x43000000, 0x0d000000));  /* a gap */
	ck_assert_str_eq(config_range_user(&cfg, 0x53fff000, 0x2000), "a partition's memory");
	ck_assert_str_eq(config_range_user(&cfg, 0x59fff000, 0x1000), "a partition's memory");
	ck_assert_ptr_null(config_range_user(&cfg, 0x5a000000, 0x1000));
	ck_assert_str_eq(config_range_user(&cfg, 0x41fff000, 0x1000), "a staging region");
	ck_assert_str_eq(config_range_user(&cfg, 0x42000000, 0x1000), "a staging region");
	ck_assert_str_eq(config_range_user(&cfg, 0x5c010fff, 1), "a channel");
	ck_assert_ptr_null(config_range_user(&cfg, 0x5c011000, 0x1000));
	ck_assert_str_eq(config_range_user(&cfg, 0x09010000, 0x1000), "a device's MMIO");
	ck_assert_str_eq(config_range_user(&cfg, 0x5d000fff, 0x1000), "the UDS");
}
END_TEST

START_TEST(test_channel_read_only_list)
{
	void *f = edit("cfg-chan-valid");

	set(f, "/umbra/c1", "read-only", "rtos\0linux", 11);
	expect_config(f, E(CHANNEL), "'read-only' must name one peer");
}
END_TEST

/* A partition at name with one CPU and 16 MiB of RAM (images unchecked). */
static void add_partition(void *f, const char *name, u32 cpu, u32 ram, u32 image)
{
	char path[24];
	u32 mem[] = { 0, ram, 0, 0x01000000 }, img[] = { 0, image, 0, 0x00100000 };

	add_node(f, "/umbra", name, "umbra,partition");
	snprintf(path, sizeof(path), "/umbra/%s", name);
	set_cells(f, path, "cpus", &cpu, 1);
	set_cells(f, path, "memory", mem, 4);
	set_cells(f, path, "image", img, 4);
}

START_TEST(test_channels_too_many)
{
	/* c2..c8 with c0: eight channels, four per partition at most (the
	 * per-partition limit); c1, the last node, is the ninth. Added nodes
	 * come first in the tree, so c8 is seen first and c1 last. */
	static const char *const peers[][2] = {
		{ "linux", "rtos" }, { "linux", "p3" }, { "linux", "p4" }, { "rtos", "p3" },
		{ "rtos", "p4" }, { "p3", "p4" }, { "p3", "p4" },
	};
	void *f = edit("cfg-chan-valid");
	static const u32 cpu0 = 0;
	unsigned i;

	set_cells(f, "/umbra/linux", "cpus", &cpu0, 1);
	add_partition(f, "p3", 1, 0x60000000, 0x43000000);
	add_partition(f, "p4", 3, 0x62000000, 0x43100000);
	for (i = 0; i < 7; i++) {
		u32 mem[] = { 0, 0x5c100000 + i * 0x10000, 0, 0x1000 };
		u32 bells[] = { 70 + 2 * i, 71 + 2 * i };
		char name[8], path[16], list[16];
		int n;

		snprintf(name, sizeof(name), "c%u", i + 2);
		add_node(f, "/umbra", name, "umbra,channel");
		snprintf(path, sizeof(path), "/umbra/%s", name);
		set_cells(f, path, "memory", mem, 4);
		n = snprintf(list, sizeof(list), "%s", peers[i][0]) + 1;
		n += snprintf(list + n, sizeof(list) - (size_t)n, "%s", peers[i][1]) + 1;
		set(f, path, "peers", list, n);
		set_cells(f, path, "doorbells", bells, 2);
	}
	expect_config(f, E(TOO_MANY), "config: more than 8 channels");
	ck_assert_uint_eq(cfg.nr_chans, MAX_CHANNELS);
}
END_TEST

START_TEST(test_dma_unprotected_not_paths)
{
	void *f = edit("cfg-chan-valid");
	static const u32 one[] = { 1 };

	set_cells(f, "/umbra/linux", "dma-unprotected", one, 1);
	expect_config(f, E(PROP), "'dma-unprotected' must be a list of paths");
}
END_TEST

START_TEST(test_shared_holders_not_names)
{
	void *f = edit("cfg-shared-valid");
	static const u32 one[] = { 1 };

	set_cells(f, "/umbra/rtc", "holders", one, 1);
	expect_config(f, E(SHARED), "'holders' must list partition names");
}
END_TEST

START_TEST(test_shared_too_many)
{
	void *f = edit("cfg-shared-valid");
	char name[8];
	unsigned i;

	/* gpio and rtc, then seven more (each on its own device node) */
	for (i = 0; i < MAX_SHARED_DEVICES - 1; i++) {
		char path[24];
		u32 reg[] = { 0, 0x09100000 + i * 0x1000, 0, 0x1000 };

		snprintf(path, sizeof(path), "dev@%u", i);
		add_node(f, "/", path, "vendor,dev");
		snprintf(path, sizeof(path), "/dev@%u", i);
		set_cells(f, path, "reg", reg, 4);
		snprintf(name, sizeof(name), "s%u", i);
		add_node(f, "/umbra", name, "umbra,shared-device");
		{
			char spath[16];

			snprintf(spath, sizeof(spath), "/umbra/%s", name);
			set(f, spath, "device", path, (int)strlen(path) + 1);
			set(f, spath, "holders", "a\0b", 4);
		}
	}
	expect_config(f, E(TOO_MANY), "more than 8 shared devices");
}
END_TEST

START_TEST(test_device_page_shared_with_many)
{
	void *f = edit("cfg-chan-valid");
	static const u32 r1[] = { 0, 0x09010800, 0, 0x100 }, r2[] = { 0, 0x09010a00, 0, 0x100 };

	/* two more devices in the PL031's page, neither given to anyone */
	add_node(f, "/", "x@9010800", "vendor,x");
	set_cells(f, "/x@9010800", "reg", r1, 4);
	add_node(f, "/", "y@9010a00", "vendor,y");
	set_cells(f, "/y@9010a00", "reg", r2, 4);
	expect_config(f, E(DEVICE_PAGE), "and 1 more devices, which stay Umbra's");
}
END_TEST

START_TEST(test_pci_ranges_unusable)
{
	void *f = edit("cfg-pci");
	static const u32 cut[] = { 0x2000000, 0, 0x10000000, 0, 0x10000000 };   /* 5 cells */

	set_cells(f, "/pcie@10000000", "ranges", cut, 5);
	expect_config(f, E(DEVICE), "has no usable ranges");
}
END_TEST

START_TEST(test_pci_too_many_windows)
{
	void *f = edit("cfg-pci");
	u32 r[7 * 4];
	unsigned i;

	/* four MMIO windows: with the ECAM one more than a device holds */
	for (i = 0; i < 4; i++) {
		u32 base = 0x20000000 + i * 0x100000;
		u32 w[7] = { 0x2000000, 0, base, 0, base, 0, 0x10000 };

		memcpy(&r[7 * i], w, sizeof(w));
	}
	set_cells(f, "/pcie@10000000", "ranges", r, 28);
	expect_config(f, E(TOO_MANY), "has more than 3 windows");
}
END_TEST

START_TEST(test_console_focus_not_name)
{
	void *f = edit("cfg-chan-valid");
	static const u32 one[] = { 1 };

	set_cells(f, "/umbra", "console-focus", one, 1);
	expect_config(f, E(PROP), "console-focus must be a partition name");
}
END_TEST

START_TEST(test_platform_ram_too_many)
{
	void *f = edit("plat-ok");
	u32 reg[4 * (MAX_RAM_REGIONS + 1)];
	unsigned i;

	for (i = 0; i <= MAX_RAM_REGIONS; i++) {
		reg[4 * i] = 0;
		reg[4 * i + 1] = 0x40000000 + i * 0x1000000;
		reg[4 * i + 2] = 0;
		reg[4 * i + 3] = 0x1000000;
	}
	set_cells(f, "/memory@40000000", "reg", reg, 4 * (MAX_RAM_REGIONS + 1));
	expect_platform(f, E(TOO_MANY), "more than 8 RAM regions");
}
END_TEST

START_TEST(test_platform_cpu_bad_reg)
{
	void *f = edit("plat-ok");

	set(f, "/cpus/cpu@1", "reg", "\0\0", 2);
	expect_platform(f, E(PLATFORM), "cpu node 'cpu@1' has a bad reg");
}
END_TEST

START_TEST(test_platform_cpus_too_many)
{
	void *f = edit("plat-ok");
	unsigned i;

	for (i = 4; i <= MAX_CPUS; i++) {
		char name[16], path[24];
		u32 reg = i;

		snprintf(name, sizeof(name), "cpu@%u", i);
		add_node(f, "/cpus", name, "arm,cortex-a72");
		snprintf(path, sizeof(path), "/cpus/%s", name);
		set(f, path, "device_type", "cpu", 4);
		set_cells(f, path, "reg", &reg, 1);
	}
	expect_platform(f, E(TOO_MANY), "more than 8 CPUs");
}
END_TEST

START_TEST(test_platform_no_cpu_nodes)
{
	void *f = edit("plat-ok");
	unsigned i;

	/* /cpus is there, but nothing in it is a cpu */
	for (i = 0; i < 4; i++) {
		char path[16];

		snprintf(path, sizeof(path), "/cpus/cpu@%u", i);
		set(f, path, "device_type", "cpu-cluster", 12);
	}
	expect_platform(f, E(PLATFORM), "no CPUs in /cpus");
}
END_TEST

START_TEST(test_platform_smmu_small)
{
	void *f = edit("plat-ok");
	static const u32 reg[] = { 0, 0x09050000, 0, 0x10000 };   /* one page of two */

	add_node(f, "/", "smmuv3@9050000", "arm,smmu-v3");
	set_cells(f, "/smmuv3@9050000", "reg", reg, 4);
	expect_platform(f, E(PLATFORM), "arm,smmu-v3 node has no usable reg");
	ck_assert_uint_eq(plat.smmu.size, 0);
}
END_TEST

Suite *config_errors_suite(void)
{
	Suite *s = suite_create("config-errors");
	TCase *tc = tcase_create("unreached");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_uds_malformed);
	tcase_add_test(tc, test_uds_outside_ram);
	tcase_add_test(tc, test_uds_overlaps_umbra);
	tcase_add_test(tc, test_range_user);
	tcase_add_test(tc, test_channel_read_only_list);
	tcase_add_test(tc, test_channels_too_many);
	tcase_add_test(tc, test_dma_unprotected_not_paths);
	tcase_add_test(tc, test_shared_holders_not_names);
	tcase_add_test(tc, test_shared_too_many);
	tcase_add_test(tc, test_device_page_shared_with_many);
	tcase_add_test(tc, test_pci_ranges_unusable);
	tcase_add_test(tc, test_pci_too_many_windows);
	tcase_add_test(tc, test_console_focus_not_name);
	tcase_add_test(tc, test_platform_ram_too_many);
	tcase_add_test(tc, test_platform_cpu_bad_reg);
	tcase_add_test(tc, test_platform_cpus_too_many);
	tcase_add_test(tc, test_platform_no_cpu_nodes);
	tcase_add_test(tc, test_platform_smmu_small);
	suite_add_tcase(s, tc);
	return s;
}
