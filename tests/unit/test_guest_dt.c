// SPDX-License-Identifier: Apache-2.0
/*
 * Partition device trees (hyp/partition/guest_dt.c, dt/bindings/umbra.md) built
 * from a platform DT shaped like QEMU virt's (dts/qemu-virt.dtsi) with the
 * run configuration's two partitions (dts/run-config.dtsi): "linux" on
 * CPUs 0-2 with bootargs, an initrd and the PL011; "rtos" on CPU 3 with
 * two memory regions and no devices.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>

#include "partition/guest_dt.h"
#include "unit.h"

#define GICD_BASE 0x08000000ULL
#define GICR_BASE 0x080a0000ULL
#define LINUX_BOOTARGS "console=ttyAMA0 earlycon=pl011,0x9000000 rdinit=/init"
#define INITRD_SIZE 0x123400ULL

static struct platform plat;
static struct umbra_config cfg;
static const void *pfdt;
static void *linux_dt, *rtos_dt;
static const struct part_cfg *linux_cfg, *rtos_cfg;

/* (config_parse with phys_view NULL skips the image checks: nothing of
 * the images matters to the DT) */
static void parse(const char *fixture)
{
	struct diag d = { 0 };
	struct cfg_env env = {
		.plat = &plat,
		.reserved = { { 0x40000000, 0x01000000 } },
		.nr_reserved = 1,
		.smmu_ok = true,
	};

	pfdt = load_dtb(fixture);
	ck_assert_uint_eq(platform_parse(pfdt, &plat, &d), 0);
	ck_assert_uint_eq(config_parse(pfdt, &env, &cfg, &d), 0);
}

static u64 initrd_of(const struct part_cfg *c)
{
	return c->initrd.size ? config_initrd_ipa(c) : 0;
}

static void *build(const struct part_cfg *c, unsigned restarts)
{
	void *g = unit_alloc(8, GUEST_DTB_MAX);

	ck_assert_int_eq(guest_dt_build(g, GUEST_DTB_MAX, pfdt, c, &plat, initrd_of(c), restarts), 0);
	ck_assert_int_eq(fdt_check_full(g, GUEST_DTB_MAX), 0);
	return g;
}

static void setup(void)
{
	fake_arch_reset();
	capture_start();
	parse("guest-dt");
	ck_assert_uint_eq(cfg.nr_parts, 2);
	linux_cfg = &cfg.part[0];
	rtos_cfg = &cfg.part[1];
	ck_assert_str_eq(linux_cfg->name, "linux");
	ck_assert_str_eq(rtos_cfg->name, "rtos");
	linux_dt = build(linux_cfg, 0);
	rtos_dt = build(rtos_cfg, 0);
}

static void teardown(void)
{
	unit_free_all();
}

static int node(const void *g, const char *path)
{
	int n = fdt_path_offset(g, path);

	ck_assert_msg(n >= 0, "%s missing: %s", path, fdt_strerror(n));
	return n;
}

static bool has_node(const void *g, const char *path)
{
	return fdt_path_offset(g, path) >= 0;
}

static const char *str(const void *g, const char *path, const char *prop)
{
	int len;
	const char *s = fdt_getprop(g, node(g, path), prop, &len);

	ck_assert_msg(s, "%s:%s missing", path, prop);
	ck_assert_msg(len > 0 && s[len - 1] == '\0', "%s:%s not a string", path, prop);
	return s;
}

static bool has_prop(const void *g, const char *path, const char *prop)
{
	int n = fdt_path_offset(g, path);

	return n >= 0 && fdt_getprop(g, n, prop, NULL);
}

/* A property of n cells-wide numbers: its len (bytes), and value i. */
static u64 cells(const void *g, int n, const char *prop, unsigned i, unsigned width, int *len)
{
	const void *p = fdt_getprop(g, n, prop, len);

	ck_assert_msg(p, "property %s missing", prop);
	ck_assert_int_ge(*len, (int)((i + 1) * width * 4));
	return fdt_cells_read(p, i * width, width);
}

static u32 u32_prop(const void *g, const char *path, const char *prop)
{
	int len;
	u64 v = cells(g, node(g, path), prop, 0, 1, &len);

	ck_assert_int_eq(len, 4);
	return (u32)v;
}

static bool any_compatible(const void *g, const char *compat)
{
	return fdt_node_offset_by_compatible(g, -1, compat) >= 0;
}

/* ---- memory, CPUs, GIC, PSCI ---- */

static void assert_memory(const void *g, const struct part_cfg *c)
{
	int n = node(g, "/memory"), len, other;
	unsigned i;

	ck_assert_str_eq(fdt_getprop(g, n, "device_type", NULL), "memory");
	ck_assert_int_eq(fdt_address_cells(g, 0), 2);
	ck_assert_int_eq(fdt_size_cells(g, 0), 2);
	for (i = 0; i < c->nr_mem; i++) {
		ck_assert_uint_eq(cells(g, n, "reg", 2 * i, 2, &len), c->mem[i].base);
		ck_assert_uint_eq(cells(g, n, "reg", 2 * i + 1, 2, &len), c->mem[i].size);
	}
	ck_assert_int_eq(len, (int)(c->nr_mem * 16));
	/* the only memory node */
	other = fdt_node_offset_by_prop_value(g, n, "device_type", "memory", 7);
	ck_assert_int_lt(other, 0);
	ck_assert_int_eq(fdt_node_offset_by_prop_value(g, -1, "device_type", "memory", 7), n);
	ck_assert(!has_node(g, "/memory@40000000"));
}

START_TEST(test_memory)
{
	assert_memory(linux_dt, linux_cfg);
	ck_assert_uint_eq(linux_cfg->nr_mem, 1);
	ck_assert_uint_eq(linux_cfg->mem[0].base, 0x50000000);
	ck_assert_uint_eq(linux_cfg->mem[0].size, 0x20000000);
	assert_memory(rtos_dt, rtos_cfg);
	ck_assert_uint_eq(rtos_cfg->nr_mem, 2);
	ck_assert_uint_eq(rtos_cfg->mem[1].base, 0x74000000);
}
END_TEST

static void assert_cpus(const void *g, const struct part_cfg *c)
{
	int cpus = node(g, "/cpus"), n, len;
	unsigned seen = 0, i;

	ck_assert_int_eq(fdt_address_cells(g, cpus), 1);
	ck_assert(!has_node(g, "/cpus/cpu-map"));
	fdt_for_each_subnode(n, g, cpus) {
		u64 mpidr = cells(g, n, "reg", 0, 1, &len);
		bool mine = false;

		ck_assert_int_eq(len, 4);
		ck_assert_str_eq(fdt_getprop(g, n, "device_type", NULL), "cpu");
		ck_assert_str_eq(fdt_getprop(g, n, "enable-method", NULL), "psci");
		for (i = 0; i < c->nr_cpus; i++)
			if (c->cpu_mpidr[i] == mpidr) {
				mine = true;
				seen |= 1u << i;
			}
		ck_assert_msg(mine, "%s has CPU 0x%llx (%s)", c->name, (unsigned long long)mpidr,
			      fdt_get_name(g, n, NULL));
	}
	ck_assert_uint_eq(seen, (1u << c->nr_cpus) - 1);
}

START_TEST(test_cpus)
{
	assert_cpus(linux_dt, linux_cfg);
	ck_assert(has_node(linux_dt, "/cpus/cpu@0") && has_node(linux_dt, "/cpus/cpu@1") &&
		  has_node(linux_dt, "/cpus/cpu@2"));
	ck_assert(!has_node(linux_dt, "/cpus/cpu@3"));
	ck_assert_uint_eq(u32_prop(linux_dt, "/cpus/cpu@2", "reg"), 2);
	assert_cpus(rtos_dt, rtos_cfg);
	ck_assert(has_node(rtos_dt, "/cpus/cpu@3"));
	ck_assert(!has_node(rtos_dt, "/cpus/cpu@0"));
	ck_assert_uint_eq(u32_prop(rtos_dt, "/cpus/cpu@3", "reg"), 3);
}
END_TEST

static void assert_gic(const void *g, unsigned nr_vcpus)
{
	int gic = fdt_node_offset_by_compatible(g, -1, "arm,gic-v3"), len, parent;
	u32 phandle;

	ck_assert_int_ge(gic, 0);
	ck_assert_uint_eq(cells(g, gic, "reg", 0, 2, &len), GICD_BASE);
	ck_assert_uint_eq(cells(g, gic, "reg", 1, 2, &len), VGIC_DIST_SIZE);
	ck_assert_uint_eq(cells(g, gic, "reg", 2, 2, &len), GICR_BASE);
	ck_assert_uint_eq(cells(g, gic, "reg", 3, 2, &len), (u64)nr_vcpus * VGIC_FRAME);
	ck_assert_int_eq(len, 32);
	/* no ITS: no LPIs, no MSIs */
	ck_assert(!any_compatible(g, "arm,gic-v3-its"));
	ck_assert(!has_node(g, "/intc@8000000/its@8080000"));
	ck_assert_ptr_null(fdt_getprop(g, gic, "msi-controller", NULL));
	ck_assert_ptr_null(fdt_getprop(g, gic, "#redistributor-regions", NULL));
	ck_assert_ptr_nonnull(fdt_getprop(g, gic, "interrupt-controller", NULL));
	/* still everyone's interrupt parent */
	phandle = fdt_get_phandle(g, gic);
	ck_assert_uint_ne(phandle, 0);
	ck_assert_uint_eq(u32_prop(g, "/", "interrupt-parent"), phandle);
	parent = fdt_node_offset_by_phandle(g, u32_prop(g, "/", "interrupt-parent"));
	ck_assert_int_eq(parent, gic);
}

START_TEST(test_gic)
{
	assert_gic(linux_dt, 3);
	assert_gic(rtos_dt, 1);
}
END_TEST

START_TEST(test_psci_and_timer)
{
	const void *dts[] = { linux_dt, rtos_dt };
	unsigned i;

	for (i = 0; i < 2; i++) {
		const void *g = dts[i];

		ck_assert_str_eq(str(g, "/psci", "method"), "hvc");
		ck_assert_int_eq(fdt_node_check_compatible(g, node(g, "/psci"), "arm,psci-1.0"), 0);
		/* the arch timer and the fixed clock are per CPU or no
		 * devices: they stay; the PMU only where partitions get it
		 * (below) */
		ck_assert(any_compatible(g, "arm,armv8-timer"));
		ck_assert(!has_node(g, "/pmu"));
		ck_assert(has_node(g, "/apb-pclk"));
		ck_assert_str_eq(str(g, "/", "compatible"), "linux,dummy-virt");
	}
}
END_TEST

/* The PMU node follows the PMU policy (arch_pmu_offered(): PMUv3p1, so
 * that partitions never count EL2). On the main of 2026-12-05 every
 * partition's DT had it, and its counters counted Umbra. */
START_TEST(test_pmu_node_policy)
{
	ck_assert(!has_node(linux_dt, "/pmu") && !any_compatible(linux_dt, "arm,armv8-pmuv3"));
	fake_arch.pmu_offered = true;
	ck_assert(has_node(build(linux_cfg, 0), "/pmu"));
	ck_assert(has_node(build(rtos_cfg, 0), "/pmu"));
}
END_TEST

/* ---- devices ---- */

START_TEST(test_owned_uart)
{
	int uart, len;

	/* linux owns the PL011, node and all */
	uart = node(linux_dt, "/pl011@9000000");
	ck_assert_uint_eq(cells(linux_dt, uart, "reg", 0, 2, &len), 0x09000000);
	ck_assert_uint_eq(cells(linux_dt, uart, "reg", 1, 2, &len), 0x1000);
	ck_assert_uint_eq(cells(linux_dt, uart, "interrupts", 1, 1, &len), 1);
	ck_assert_int_eq(fdt_node_check_compatible(linux_dt, uart, "arm,pl011"), 0);
	/* its clocks still resolve */
	ck_assert_int_ge(fdt_node_offset_by_phandle(linux_dt,
						    (u32)cells(linux_dt, uart, "clocks", 0, 1, &len)), 0);
	/* and its console */
	ck_assert_str_eq(str(linux_dt, "/chosen", "stdout-path"), "/pl011@9000000");
	/* rtos: neither */
	ck_assert(!has_node(rtos_dt, "/pl011@9000000"));
	ck_assert(!any_compatible(rtos_dt, "arm,pl011"));
	ck_assert(!has_prop(rtos_dt, "/chosen", "stdout-path"));
}
END_TEST

START_TEST(test_platform_devices_removed)
{
	static const char *const paths[] = {
		"/fw-cfg@9020000", "/virtio_mmio@a000000", "/virtio_mmio@a000200",
		"/pcie@10000000", "/pl061@9030000", "/pl031@9010000", "/flash@0",
		"/platform-bus@c000000", "/gpio-keys", "/aliases", "/umbra",
	};
	static const char *const compats[] = {
		"qemu,fw-cfg-mmio", "virtio,mmio", "pci-host-ecam-generic", "arm,pl061",
		"arm,pl031", "cfi-flash", "qemu,platform", "gpio-keys", "umbra,config-v1",
		"umbra,partition",
	};
	const void *dts[] = { linux_dt, rtos_dt };
	unsigned i, j;

	for (i = 0; i < 2; i++) {
		for (j = 0; j < ARRAY_SIZE(paths); j++)
			ck_assert_msg(!has_node(dts[i], paths[j]), "%s in %s's DT", paths[j],
				      i ? "rtos" : "linux");
		for (j = 0; j < ARRAY_SIZE(compats); j++)
			ck_assert_msg(!any_compatible(dts[i], compats[j]), "%s in %s's DT",
				      compats[j], i ? "rtos" : "linux");
	}
}
END_TEST

/* Every phandle a kept node refers to (interrupt-parent, clocks, gpios)
 * still resolves. */
static void assert_references(const void *g)
{
	static const char *const props[] = { "interrupt-parent", "clocks", "gpios", "msi-parent" };
	int n, len;
	unsigned i, k;

	for (n = fdt_next_node(g, -1, NULL); n >= 0; n = fdt_next_node(g, n, NULL))
		for (i = 0; i < ARRAY_SIZE(props); i++) {
			const fdt32_t *p = fdt_getprop(g, n, props[i], &len);

			if (!p)
				continue;
			/* clocks here all have #clock-cells 0: each cell a phandle */
			for (k = 0; k < (strcmp(props[i], "clocks") ? 1u : (unsigned)len / 4); k++)
				ck_assert_msg(fdt_node_offset_by_phandle(g, fdt32_ld(&p[k])) >= 0,
					      "%s of %s dangles", props[i], fdt_get_name(g, n, NULL));
		}
}

START_TEST(test_references_resolve)
{
	assert_references(linux_dt);
	assert_references(rtos_dt);
}
END_TEST

START_TEST(test_gpio_keys_follow_pl061)
{
	struct part_cfg c = *linux_cfg;
	void *g;
	int keys;

	/* given the PL061, gpio-keys keeps its provider and stays */
	snprintf(c.dev[c.nr_dev].path, DEV_PATH_MAX, "/pl061@9030000");
	c.nr_dev++;
	g = build(&c, 0);
	ck_assert(has_node(g, "/pl061@9030000"));
	keys = node(g, "/gpio-keys/poweroff");
	ck_assert_int_eq(fdt_node_offset_by_phandle(g, fdt32_ld(fdt_getprop(g, keys, "gpios", NULL))),
			 node(g, "/pl061@9030000"));
	assert_references(g);
	/* without it, both go */
	ck_assert(!has_node(linux_dt, "/gpio-keys"));
	ck_assert(!has_node(linux_dt, "/pl061@9030000"));
}
END_TEST

/* ---- /chosen, /model ---- */

START_TEST(test_chosen_linux)
{
	const void *g = linux_dt;
	const u64 initrd = config_initrd_ipa(linux_cfg);
	int chosen = node(g, "/chosen"), len;

	ck_assert_str_eq(str(g, "/chosen", "bootargs"), LINUX_BOOTARGS);
	ck_assert_uint_eq(linux_cfg->initrd.size, INITRD_SIZE);
	ck_assert_uint_eq(cells(g, chosen, "linux,initrd-start", 0, 2, &len), initrd);
	ck_assert_int_eq(len, 8);
	ck_assert_uint_eq(cells(g, chosen, "linux,initrd-end", 0, 2, &len), initrd + INITRD_SIZE);
	ck_assert_int_eq(len, 8);
	/* in its own RAM, below the DT slot */
	ck_assert_uint_ge(initrd, linux_cfg->mem[0].base);
	ck_assert_uint_le(initrd + INITRD_SIZE,
			  linux_cfg->mem[0].base + linux_cfg->mem[0].size - GUEST_DTB_MAX);
	ck_assert_str_eq(str(g, "/chosen", "umbra,partition"), "linux");
	ck_assert_uint_eq(u32_prop(g, "/chosen", "umbra,restarts"), 0);
	ck_assert(!has_prop(g, "/chosen", "rng-seed"));
	ck_assert(!has_prop(g, "/chosen", "kaslr-seed"));
}
END_TEST

START_TEST(test_chosen_rtos)
{
	const void *g = rtos_dt;

	/* no bootargs, no initrd in its config: nothing of the machine's
	 * (meant for Umbra, or naming memory that is not rtos's) */
	ck_assert_msg(!has_prop(g, "/chosen", "bootargs"), "rtos got bootargs \"%s\"",
		      str(g, "/chosen", "bootargs"));
	ck_assert(!has_prop(g, "/chosen", "linux,initrd-start"));
	ck_assert(!has_prop(g, "/chosen", "linux,initrd-end"));
	ck_assert_str_eq(str(g, "/chosen", "umbra,partition"), "rtos");
	ck_assert_uint_eq(u32_prop(g, "/chosen", "umbra,restarts"), 0);
	ck_assert(!has_prop(g, "/chosen", "rng-seed"));
	ck_assert(!has_prop(g, "/chosen", "kaslr-seed"));
}
END_TEST

START_TEST(test_model_and_restarts)
{
	void *g;

	ck_assert_str_eq(str(linux_dt, "/", "model"), "linux");
	ck_assert_str_eq(str(rtos_dt, "/", "model"), "rtos");
	g = build(rtos_cfg, 7);
	ck_assert_uint_eq(u32_prop(g, "/chosen", "umbra,restarts"), 7);
	g = build(linux_cfg, 0xffffffff);
	ck_assert_uint_eq(u32_prop(g, "/chosen", "umbra,restarts"), 0xffffffff);
	ck_assert_str_eq(str(g, "/chosen", "bootargs"), LINUX_BOOTARGS);
}
END_TEST

START_TEST(test_chosen_created)
{
	/* a platform DT without /chosen gets one */
	void *p = unit_alloc(8, fdt_totalsize(pfdt) + 256);
	void *g = unit_alloc(8, GUEST_DTB_MAX);

	ck_assert_int_eq(fdt_open_into(pfdt, p, (int)fdt_totalsize(pfdt) + 256), 0);
	ck_assert_int_eq(fdt_del_node(p, fdt_path_offset(p, "/chosen")), 0);
	ck_assert_int_eq(guest_dt_build(g, GUEST_DTB_MAX, p, rtos_cfg, &plat, 0, 2), 0);
	ck_assert_str_eq(str(g, "/chosen", "umbra,partition"), "rtos");
	ck_assert_uint_eq(u32_prop(g, "/chosen", "umbra,restarts"), 2);
	ck_assert(!has_prop(g, "/chosen", "stdout-path"));
}
END_TEST

/* ---- size and errors ---- */

static int build_into(size_t size, void **out)
{
	/* exactly size bytes of heap: AddressSanitizer sees any overrun */
	void *g = malloc(size ? size : 1);
	int err;

	ck_assert_ptr_nonnull(g);
	err = guest_dt_build(g, size, pfdt, linux_cfg, &plat, initrd_of(linux_cfg), 0);
	if (out && !err)
		*out = g;
	else
		free(g);
	return err;
}

START_TEST(test_buffer_sizes)
{
	size_t need = fdt_totalsize(linux_dt), lo = 0, hi = GUEST_DTB_MAX, s;
	void *g;
	int err;

	ck_assert_uint_le(need, GUEST_DTB_MAX);
	/* the smallest buffer it can be built in */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (build_into(mid, NULL) == 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	ck_assert_uint_ge(lo, need);
	/* no more than the platform DT it starts from, and a little room */
	ck_assert_uint_le(lo, fdt_totalsize(pfdt) + 1024);
	/* from there up: the same DT, fitting the buffer */
	for (s = lo; s < lo + 64; s += 7) {
		ck_assert_int_eq(build_into(s, &g), 0);
		ck_assert_uint_le(fdt_totalsize(g), s);
		ck_assert_int_eq(fdt_check_full(g, s), 0);
		ck_assert_uint_eq(fdt_totalsize(g), need);
		ck_assert_int_eq(memcmp(g, linux_dt, need), 0);
		free(g);
	}
	/* below: every size is an error, NOSPACE, and nothing overruns */
	for (s = 0; s < lo; s += s < 64 ? 1 : 61) {
		err = build_into(s, NULL);
		ck_assert_msg(err == -FDT_ERR_NOSPACE, "size %zu: %d (%s)", s, err, fdt_strerror(err));
	}
	ck_assert_int_eq(build_into(lo - 1, NULL), -FDT_ERR_NOSPACE);
}
END_TEST

START_TEST(test_bad_platform_dt)
{
	void *p = unit_alloc(8, fdt_totalsize(pfdt));
	void *g = unit_alloc(8, GUEST_DTB_MAX);

	memcpy(p, pfdt, fdt_totalsize(pfdt));
	((u8 *)p)[0] ^= 0xff;
	ck_assert_int_eq(guest_dt_build(g, GUEST_DTB_MAX, p, linux_cfg, &plat, 0, 0),
			 -FDT_ERR_BADMAGIC);
}
END_TEST

/* ---- other platforms ---- */

START_TEST(test_stdout_path_alias)
{
	void *g;
	const char *sp, *colon;
	int uart;

	parse("guest-dt-alias");
	g = build(&cfg.part[0], 0);
	/* /aliases is gone: the console must be named by its path */
	ck_assert(!has_node(g, "/aliases"));
	sp = str(g, "/chosen", "stdout-path");
	colon = strchr(sp, ':');
	uart = fdt_path_offset_namelen(g, sp, colon ? (int)(colon - sp) : (int)strlen(sp));
	ck_assert_msg(uart >= 0, "stdout-path \"%s\" does not resolve: %s", sp, fdt_strerror(uart));
	ck_assert_int_eq(uart, node(g, "/pl011@9000000"));
	ck_assert_str_eq(sp, "/pl011@9000000:115200n8");
	g = build(&cfg.part[1], 0);
	ck_assert(!has_prop(g, "/chosen", "stdout-path"));
}
END_TEST

START_TEST(test_root_one_cell)
{
	const struct part_cfg *c;
	struct mem_range r;
	void *g;
	int n, len;

	parse("guest-dt-cells1");
	c = &cfg.part[0];
	g = build(c, 0);
	/* every reg at the root in the root's cells: the memory, the vGIC
	 * and the RTC it owns as the platform has it */
	n = node(g, "/memory");
	ck_assert_int_eq(platform_node_reg(g, n, 0, &r), 0);
	ck_assert_uint_eq(r.base, 0x50000000);
	ck_assert_uint_eq(r.size, 0x04000000);
	ck_assert_int_ne(platform_node_reg(g, n, 1, &r), 0);
	n = fdt_node_offset_by_compatible(g, -1, "arm,gic-v3");
	ck_assert_int_eq(platform_node_reg(g, n, 0, &r), 0);
	ck_assert_uint_eq(r.base, GICD_BASE);
	ck_assert_uint_eq(r.size, VGIC_DIST_SIZE);
	ck_assert_int_eq(platform_node_reg(g, n, 1, &r), 0);
	ck_assert_uint_eq(r.base, GICR_BASE);
	ck_assert_uint_eq(r.size, VGIC_FRAME);
	ck_assert_ptr_null(fdt_getprop(g, n, "msi-controller", NULL));
	ck_assert_ptr_null(fdt_getprop(g, n, "#redistributor-regions", NULL));
	n = node(g, "/pl031@9010000");
	ck_assert_int_eq(platform_node_reg(g, n, 0, &r), 0);
	ck_assert_uint_eq(r.base, 0x09010000);
	ck_assert_uint_eq(r.size, 0x1000);
	/* two-cell CPU addresses: its CPU 0x100 only */
	n = node(g, "/cpus/cpu@100");
	ck_assert_uint_eq(cells(g, n, "reg", 0, 2, &len), 0x100);
	ck_assert(!has_node(g, "/cpus/cpu@0"));
	ck_assert(!has_node(g, "/pl011@9000000"));
	ck_assert(!has_prop(g, "/chosen", "stdout-path"));
}
END_TEST

/* ---- growth, malformed and odd platform DTs ---- */

/* A writable copy of the platform DT with room to change it. */
static void *pfdt_copy(void)
{
	int size = (int)fdt_totalsize(pfdt) + 4096;
	void *p = unit_alloc(8, (size_t)size);

	ck_assert_int_eq(fdt_open_into(pfdt, p, size), 0);
	return p;
}

/* rtos with everything the builder adds: a vUART, two channels, bootargs,
 * an initrd. */
static struct part_cfg rich_rtos(void)
{
	struct part_cfg c = *rtos_cfg;
	unsigned i;

	c.vuart = 0x09100000;
	c.vuart_intid = 101 + GIC_SPI_BASE;
	memset(c.bootargs, 'b', BOOTARGS_MAX - 1);
	c.bootargs[BOOTARGS_MAX - 1] = 0;
	c.initrd = (struct mem_range){ 0x48000000, 0x3000 };
	c.nr_chan = 2;
	for (i = 0; i < 2; i++) {
		c.chan[i] = (struct chan_end){
			.id = i, .mem = { 0x5c000000 + i * 0x10000, 0x10000 },
			.intid = 64 + i + GIC_SPI_BASE, .read_only = i == 1, .first = i == 0,
		};
		strcpy(c.chan[i].peer_name, "linux");
	}
	return c;
}

/* Built from a platform DT with nothing left to remove (rtos's own DT,
 * without a model, /chosen, memory node and PSCI method), so every node
 * and property added needs room: for every buffer size from the platform
 * DT's up, -FDT_ERR_NOSPACE, then (and from there on) exactly the DT a
 * roomy buffer gets; nothing written past the buffer. */
START_TEST(test_growth_every_size)
{
	struct part_cfg c = rich_rtos();
	void *base = unit_alloc(8, GUEST_DTB_MAX);
	void *want = unit_alloc(8, GUEST_DTB_MAX), *g;
	size_t s, first_ok = 0, need;
	int err;

	ck_assert_int_eq(fdt_open_into(rtos_dt, base, GUEST_DTB_MAX), 0);
	ck_assert_int_eq(fdt_delprop(base, 0, "model"), 0);
	ck_assert_int_eq(fdt_del_node(base, fdt_path_offset(base, "/chosen")), 0);
	ck_assert_int_eq(fdt_del_node(base, fdt_path_offset(base, "/memory")), 0);
	ck_assert_int_eq(fdt_delprop(base, fdt_path_offset(base, "/psci"), "method"), 0);
	ck_assert_int_eq(fdt_pack(base), 0);

	ck_assert_int_eq(guest_dt_build(want, GUEST_DTB_MAX, base, &c, &plat, config_initrd_ipa(&c),
					0), 0);
	need = fdt_totalsize(want);
	ck_assert_uint_gt(need, fdt_totalsize(base) + 600);  /* it did grow */
	ck_assert_str_eq(str(want, "/chosen", "stdout-path"), "/vuart@9100000");
	ck_assert_str_eq(str(want, "/chosen", "bootargs"), c.bootargs);
	ck_assert_int_ge(fdt_node_offset_by_compatible(want, -1, "umbra,channel"), 0);
	for (s = fdt_totalsize(base); s < need + 64; s++) {
		g = malloc(s);
		ck_assert_ptr_nonnull(g);
		err = guest_dt_build(g, s, base, &c, &plat, config_initrd_ipa(&c), 0);
		if (!first_ok && !err)
			first_ok = s;
		if (first_ok) {
			ck_assert_msg(!err, "size %zu: %s after success at %zu", s, fdt_strerror(err),
				      first_ok);
			ck_assert_uint_eq(fdt_totalsize(g), need);
			ck_assert_int_eq(memcmp(g, want, need), 0);
		} else {
			ck_assert_msg(err == -FDT_ERR_NOSPACE, "size %zu: %s", s, fdt_strerror(err));
		}
		free(g);
	}
	ck_assert_uint_ge(first_ok, need);
}
END_TEST

/* Cells a reg cannot be written in: refused, not truncated. */
START_TEST(test_bad_cells)
{
	void *p = pfdt_copy(), *g = unit_alloc(8, GUEST_DTB_MAX);
	struct part_cfg c;

	ck_assert_int_eq(fdt_setprop_u32(p, 0, "#size-cells", 3), 0);
	ck_assert_int_eq(guest_dt_build(g, GUEST_DTB_MAX, p, rtos_cfg, &plat, 0, 0),
			 -FDT_ERR_BADNCELLS);
	parse("guest-dt-cells1");
	c = cfg.part[0];
	c.mem[0].base = 0x100000000ULL;                        /* above 4 GiB, one cell */
	ck_assert_int_eq(guest_dt_build(g, GUEST_DTB_MAX, pfdt, &c, &plat, 0, 0),
			 -FDT_ERR_BADVALUE);
	c = cfg.part[0];
	c.mem[0].size = 0x100000000ULL;
	ck_assert_int_eq(guest_dt_build(g, GUEST_DTB_MAX, pfdt, &c, &plat, 0, 0),
			 -FDT_ERR_BADVALUE);
}
END_TEST

/* A platform without /cpus or a GIC node, with other nodes under /cpus,
 * with a device node whose path is too long to be anyone's. */
START_TEST(test_odd_platforms)
{
	struct part_cfg c = *rtos_cfg;
	void *p = pfdt_copy(), *g;
	char name[DEV_PATH_MAX + 16];
	int n;

	/* /cpus: other nodes stay, cpu-map goes, other CPUs go */
	n = fdt_add_subnode(p, fdt_path_offset(p, "/cpus"), "idle-states");
	ck_assert_int_ge(n, 0);
	ck_assert_int_eq(fdt_setprop_string(p, n, "entry-method", "psci"), 0);
	/* a device whose path does not fit a path buffer: removed */
	memset(name, 'd', sizeof(name) - 1);
	name[sizeof(name) - 1] = 0;
	n = fdt_add_subnode(p, 0, name);
	ck_assert_int_ge(n, 0);
	ck_assert_int_eq(fdt_setprop_u64(p, n, "reg", 0x0b000000), 0);
	g = unit_alloc(8, GUEST_DTB_MAX);
	ck_assert_int_eq(guest_dt_build(g, GUEST_DTB_MAX, p, &c, &plat, 0, 0), 0);
	ck_assert(has_node(g, "/cpus/idle-states"));
	ck_assert(!has_node(g, "/cpus/cpu-map"));
	ck_assert(has_node(g, "/cpus/cpu@3"));
	ck_assert(!has_node(g, "/cpus/cpu@0"));
	ck_assert_int_lt(fdt_subnode_offset(g, 0, name), 0);
	/* no /cpus at all, no GIC node: built all the same; the vUART has
	 * no interrupt-parent to name */
	ck_assert_int_eq(fdt_del_node(p, fdt_path_offset(p, "/cpus")), 0);
	ck_assert_int_eq(fdt_del_node(p, fdt_node_offset_by_compatible(p, -1, "arm,gic-v3")), 0);
	c.vuart = 0x09100000;
	c.vuart_intid = 101 + GIC_SPI_BASE;
	g = unit_alloc(8, GUEST_DTB_MAX);
	ck_assert_int_eq(guest_dt_build(g, GUEST_DTB_MAX, p, &c, &plat, 0, 0), 0);
	ck_assert(!has_node(g, "/cpus"));
	ck_assert_int_lt(fdt_node_offset_by_compatible(g, -1, "arm,gic-v3"), 0);
	ck_assert(has_node(g, "/vuart@9100000"));
	ck_assert(!has_prop(g, "/vuart@9100000", "interrupt-parent"));
	ck_assert_str_eq(str(g, "/chosen", "stdout-path"), "/vuart@9100000");
}
END_TEST

/* stdout-path options too long to keep: the console by its path alone. */
START_TEST(test_long_console_options)
{
	char sp[DEV_PATH_MAX + 64] = "/pl011@9000000:";
	void *p = pfdt_copy(), *g = unit_alloc(8, GUEST_DTB_MAX);

	memset(sp + strlen(sp), '9', sizeof(sp) - strlen(sp) - 1);
	ck_assert_int_eq(fdt_setprop_string(p, fdt_path_offset(p, "/chosen"), "stdout-path", sp), 0);
	ck_assert_int_eq(guest_dt_build(g, GUEST_DTB_MAX, p, linux_cfg, &plat, 0, 0), 0);
	ck_assert_str_eq(str(g, "/chosen", "stdout-path"), "/pl011@9000000");
	/* short ones are kept */
	ck_assert_int_eq(fdt_setprop_string(p, fdt_path_offset(p, "/chosen"), "stdout-path",
					    "/pl011@9000000:9600"), 0);
	ck_assert_int_eq(guest_dt_build(g, GUEST_DTB_MAX, p, linux_cfg, &plat, 0, 0), 0);
	ck_assert_str_eq(str(g, "/chosen", "stdout-path"), "/pl011@9000000:9600");
}
END_TEST

/* A bus master that is not a PCIe host: its IOMMU and MSI links go, the
 * rest stays; a bus master the platform DT does not have is skipped. A
 * PCIe host without ranges is refused. */
START_TEST(test_bus_masters)
{
	const fdt32_t link[2] = { cpu_to_fdt32(1), cpu_to_fdt32(2) };
	struct part_cfg c = *linux_cfg;
	void *p = pfdt_copy(), *g = unit_alloc(8, GUEST_DTB_MAX);
	int n = fdt_path_offset(p, "/pl011@9000000");

	ck_assert_str_eq(c.dev[0].path, "/pl011@9000000");
	ck_assert_int_eq(fdt_setprop(p, n, "iommus", link, sizeof(link)), 0);
	ck_assert_int_eq(fdt_setprop(p, n, "msi-parent", link, 4), 0);
	c.dev[0].dma = true;
	c.dev[1] = c.dev[0];
	strcpy(c.dev[1].path, "/dma@1000");
	c.nr_dev = 2;
	ck_assert_int_eq(guest_dt_build(g, GUEST_DTB_MAX, p, &c, &plat, 0, 0), 0);
	ck_assert(!has_prop(g, "/pl011@9000000", "iommus"));
	ck_assert(!has_prop(g, "/pl011@9000000", "msi-parent"));
	ck_assert(has_prop(g, "/pl011@9000000", "interrupts"));
	ck_assert(!has_node(g, "/dma@1000"));

	parse("cfg-pci");
	p = pfdt_copy();
	ck_assert_int_eq(fdt_delprop(p, fdt_path_offset(p, "/pcie@10000000"), "ranges"), 0);
	ck_assert_int_eq(guest_dt_build(g, GUEST_DTB_MAX, p, &cfg.part[0], &plat, 0, 0),
			 -FDT_ERR_BADVALUE);
}
END_TEST

static TCase *tcase(Suite *s, const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, setup, teardown);
	suite_add_tcase(s, tc);
	return tc;
}

/* Channel nodes (dts/cfg-chan-valid.dts: channel 0 linux<->rtos, SPIs
 * 64/65; channel 1 rtos<->linux, SPIs 66/67, read-only for rtos). */
static void check_chan(const void *g, int node, u32 id, u64 base, u64 size, u32 spi,
		       const char *peer, bool first, bool ro)
{
	const fdt32_t *p;
	int len;
	u32 gic_ph = fdt_get_phandle(g, fdt_node_offset_by_compatible(g, -1, "arm,gic-v3"));

	ck_assert_int_ge(node, 0);
	ck_assert_int_eq(fdt_parent_offset(g, node), 0);
	ck_assert_ptr_null(fdt_getprop(g, node, "device_type", NULL));
	p = fdt_getprop(g, node, "reg", &len);
	ck_assert_int_eq(len, 16);
	ck_assert_uint_eq(fdt_cells_read(p, 0, 2), base);
	ck_assert_uint_eq(fdt_cells_read(p, 2, 2), size);
	p = fdt_getprop(g, node, "interrupts", &len);
	ck_assert_int_eq(len, 12);
	ck_assert_uint_eq(fdt32_ld(&p[0]), 0);
	ck_assert_uint_eq(fdt32_ld(&p[1]), spi);
	ck_assert_uint_eq(fdt32_ld(&p[2]), 1);
	p = fdt_getprop(g, node, "interrupt-parent", &len);
	ck_assert(p && len == 4 && gic_ph && fdt32_ld(p) == gic_ph);
	p = fdt_getprop(g, node, "umbra,channel-id", &len);
	ck_assert(p && len == 4 && fdt32_ld(p) == id);
	ck_assert_str_eq(fdt_getprop(g, node, "umbra,peer", NULL), peer);
	ck_assert(!!fdt_getprop(g, node, "umbra,first-peer", NULL) == first);
	ck_assert(!!fdt_getprop(g, node, "read-only", NULL) == ro);
}

START_TEST(test_channels)
{
	void *l, *r;
	int n0, n1, len;

	parse("cfg-chan-valid");
	l = build(&cfg.part[0], 0);
	r = build(&cfg.part[1], 0);
	/* in id order */
	n0 = fdt_node_offset_by_compatible(l, -1, "umbra,channel");
	n1 = fdt_node_offset_by_compatible(l, n0, "umbra,channel");
	check_chan(l, n0, 0, 0x5c000000, 0x10000, 64, "rtos", true, false);
	check_chan(l, n1, 1, 0x5c010000, 0x1000, 67, "rtos", false, false);
	ck_assert_int_lt(fdt_node_offset_by_compatible(l, n1, "umbra,channel"), 0);
	ck_assert_str_eq(fdt_get_name(l, n0, NULL), "channel@5c000000");
	n0 = fdt_node_offset_by_compatible(r, -1, "umbra,channel");
	n1 = fdt_node_offset_by_compatible(r, n0, "umbra,channel");
	check_chan(r, n0, 0, 0x5c000000, 0x10000, 65, "linux", false, false);
	check_chan(r, n1, 1, 0x5c010000, 0x1000, 66, "linux", true, true);
	/* the regions are not RAM to the guest */
	n0 = fdt_node_offset_by_prop_value(l, -1, "device_type", "memory", 7);
	ck_assert_int_lt(fdt_node_offset_by_prop_value(l, n0, "device_type", "memory", 7), 0);
	ck_assert(fdt_getprop(l, n0, "reg", &len) && len == 16);
	/* no channel, no node */
	ck_assert_int_lt(fdt_node_offset_by_compatible(linux_dt, -1, "umbra,channel"), 0);
}
END_TEST

/* A PCIe host bridge as its partition sees it: no link to the SMMU or the
 * ITS (legacy INTx only), only the windows it has; the SMMU is gone. */
START_TEST(test_pci_node)
{
	void *g;
	int n, len;
	const fdt32_t *r;

	parse("cfg-pci");
	g = build(&cfg.part[0], 0);
	n = fdt_path_offset(g, "/pcie@10000000");
	ck_assert_int_ge(n, 0);
	ck_assert_ptr_null(fdt_getprop(g, n, "iommu-map", NULL));
	ck_assert_ptr_null(fdt_getprop(g, n, "msi-map", NULL));
	ck_assert_ptr_nonnull(fdt_getprop(g, n, "interrupt-map", NULL));
	ck_assert_ptr_nonnull(fdt_getprop(g, n, "reg", NULL));
	r = fdt_getprop(g, n, "ranges", &len);
	ck_assert_int_eq(len, 2 * 7 * 4);                      /* I/O and 32-bit MMIO */
	ck_assert_uint_eq(fdt32_ld(&r[0]), 0x1000000);
	ck_assert_uint_eq(fdt32_ld(&r[7]), 0x2000000);
	ck_assert_uint_eq(fdt32_ld(&r[7 + 4]), 0x10000000);
	ck_assert_int_lt(fdt_node_offset_by_compatible(g, -1, "arm,smmu-v3"), 0);
	ck_assert_int_lt(fdt_path_offset(g, "/dma@9070000"), 0);
}
END_TEST

/* A partition with a virtual UART: an SBSA generic UART node with its
 * software SPI (edge), the rate Linux's driver requires, and its console;
 * the physical PL011 stays Umbra's. */
START_TEST(test_vuart_node)
{
	struct part_cfg c = *rtos_cfg;
	const char *path = "/vuart@9100000";
	void *g;
	int n, len, gic;

	c.vuart = 0x09100000;
	c.vuart_intid = 101 + GIC_SPI_BASE;
	g = build(&c, 0);
	n = node(g, path);
	ck_assert_str_eq(str(g, path, "compatible"), "arm,sbsa-uart");
	ck_assert_uint_eq(cells(g, n, "reg", 0, 2, &len), 0x09100000);
	ck_assert_uint_eq(cells(g, n, "reg", 1, 2, &len), VUART_SIZE);
	ck_assert_int_eq(len, 16);
	ck_assert_uint_eq(cells(g, n, "interrupts", 0, 1, &len), 0);    /* SPI */
	ck_assert_uint_eq(cells(g, n, "interrupts", 1, 1, &len), 101);
	ck_assert_uint_eq(cells(g, n, "interrupts", 2, 1, &len), 1);    /* edge rising */
	ck_assert_int_eq(len, 12);
	ck_assert_uint_eq(u32_prop(g, path, "current-speed"), 115200);
	gic = fdt_node_offset_by_compatible(g, -1, "arm,gic-v3");
	ck_assert_int_ge(gic, 0);
	ck_assert_uint_eq(u32_prop(g, path, "interrupt-parent"), fdt_get_phandle(g, gic));
	ck_assert_str_eq(str(g, "/chosen", "stdout-path"), path);
	ck_assert(!has_node(g, "/pl011@9000000"));
	/* a partition that owns the PL011 but has a vUART: the vUART is its console */
	c = *linux_cfg;
	c.vuart = 0x09100000;
	c.vuart_intid = 100 + GIC_SPI_BASE;
	g = build(&c, 0);
	ck_assert_str_eq(str(g, "/chosen", "stdout-path"), path);
}
END_TEST

Suite *guest_dt_suite(void)
{
	Suite *s = suite_create("guest_dt");

	tcase_add_test(tcase(s, "memory"), test_memory);
	tcase_add_test(tcase(s, "cpus"), test_cpus);
	tcase_add_test(tcase(s, "gic"), test_gic);
	tcase_add_test(tcase(s, "psci_and_timer"), test_psci_and_timer);
	tcase_add_test(tcase(s, "pmu_node_policy"), test_pmu_node_policy);
	tcase_add_test(tcase(s, "owned_uart"), test_owned_uart);
	tcase_add_test(tcase(s, "vuart_node"), test_vuart_node);
	tcase_add_test(tcase(s, "platform_devices_removed"), test_platform_devices_removed);
	tcase_add_test(tcase(s, "references_resolve"), test_references_resolve);
	tcase_add_test(tcase(s, "gpio_keys_follow_pl061"), test_gpio_keys_follow_pl061);
	tcase_add_test(tcase(s, "chosen_linux"), test_chosen_linux);
	tcase_add_test(tcase(s, "chosen_rtos"), test_chosen_rtos);
	tcase_add_test(tcase(s, "model_and_restarts"), test_model_and_restarts);
	tcase_add_test(tcase(s, "chosen_created"), test_chosen_created);
	tcase_add_test(tcase(s, "buffer_sizes"), test_buffer_sizes);
	tcase_add_test(tcase(s, "bad_platform_dt"), test_bad_platform_dt);
	tcase_add_test(tcase(s, "stdout_path_alias"), test_stdout_path_alias);
	tcase_add_test(tcase(s, "root_one_cell"), test_root_one_cell);
	tcase_add_test(tcase(s, "channels"), test_channels);
	tcase_add_test(tcase(s, "pci_node"), test_pci_node);
	tcase_add_test(tcase(s, "growth_every_size"), test_growth_every_size);
	tcase_add_test(tcase(s, "bad_cells"), test_bad_cells);
	tcase_add_test(tcase(s, "odd_platforms"), test_odd_platforms);
	tcase_add_test(tcase(s, "long_console_options"), test_long_console_options);
	tcase_add_test(tcase(s, "bus_masters"), test_bus_masters);
	return s;
}
