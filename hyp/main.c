// SPDX-License-Identifier: Apache-2.0
/*
 * Boot flow after the MMU is on (head.S -> mmu_early_init -> umbra_main):
 * console, platform discovery, config validation, partitions, start.
 * Any problem before a partition starts: report all of it, start nothing,
 * power off.
 */
#include <libfdt.h>

#include "umbra/arch.h"
#include "attest/attest.h"
#include "attest/attest_svc.h"
#include "attest/image_auth.h"
#include "devices/channel.h"
#include "console/console.h"
#include "drivers/pl011.h"
#include "devices/device.h"
#include "devices/iommu.h"
#include "drivers/gic.h"
#include "mm/mmu.h"
#include "partition/partition.h"
#include "umbra_abi.h"
#include "umbra_version.h"

static struct partition *partitions;     /* cfg.nr_parts of them, after the image */
static unsigned nr_partitions;

static struct platform plat;
static struct umbra_config cfg;
static const void *boot_fdt;            /* the DTB as loaded: read until copied */
static void *platform_dtb;               /* Umbra's copy, after the image */
static u64 platform_dtb_size;
static u32 running;

static __noreturn void halt_boot(const char *why)
{
	pr_info("%s: no partition started; powering off", why);
	arch_system_off();
}

static void diag_print(enum cfg_err code, const char *msg)
{
	printk("umbra: error [%s]: %s\n", cfg_err_name(code), msg);
}

void umbra_partition_stopped(void)
{
	if (__atomic_sub_fetch(&running, 1, __ATOMIC_ACQ_REL) == 0) {
		pr_info("all partitions are off: powering off");
		arch_system_off();
	}
}

static const void *phys_view(u64 pa, u64 len)
{
	/* config validation only asks for ranges it checked lie in RAM */
	(void)len;
	return pa_to_ptr(pa_init(pa));
}

static int cpu_of(u64 mpidr)
{
	return platform_cpu_index(&plat, mpidr);
}

/* The vCPU pinned to each logical CPU, if any. */
static struct vcpu *pinned[MAX_CPUS];

/* Every CPU that runs a vCPU ends here (the boot CPU too): set up its GIC
 * interfaces, then wait for its vCPU to be started. */
__noreturn void secondary_main(unsigned idx)
{
	struct vcpu *v = idx < MAX_CPUS ? pinned[idx] : NULL;
	int err = gic_cpu_init(arch_this_mpidr());

	if (err) {
		pr_info("CPU 0x%lx: no usable GIC redistributor (error %d)", arch_this_mpidr(), err);
		arch_cpu_idle();
	}
	gic_set_enable(GIC_KICK_SGI, true);
	if (plat.maint_intid)
		gic_set_enable(plat.maint_intid, true);
	if (!v)
		arch_cpu_idle();
	partition_help_load(v->part); /* at boot: the scrub and copy of its partition */
	vcpu_park(v);
}

extern const bool umbra_test_build;

/* The device identity: read the UDS once, derive, scrub it everywhere. */
static void attestation_boot(void)
{
	static u8 uds[ATTEST_UDS_LEN];
	struct attest_boot_info info = {
		.umbra_image = (const void *)mmu_image_base(),
		.umbra_image_len = mmu_image_ro_end() - mmu_image_base(),
		.fdt = platform_dtb,
		.fdt_size = platform_dtb_size,
		.board = fdt_stringlist_get(platform_dtb, 0, "compatible", 0, NULL),
		.version = UMBRA_VERSION,
		.debug = umbra_test_build,
	};
	int chosen = fdt_path_offset(platform_dtb, "/chosen"), len = 0, err;
	const u8 *seed = chosen >= 0 ? fdt_getprop(platform_dtb, chosen, "rng-seed", &len) : NULL;

	/* every measurement, Umbra's own first, with the CPU's SHA-256 */
	if (arch_has_sha256() && !attest_use_sha256_blocks(arch_sha256_blocks))
		pr_info("error [attest]: the CPU's SHA-256 instructions give a wrong digest: not used");
	if (!cfg.uds.size) {
		pr_info("attestation: no device secret (uds) configured: not available");
		return;
	}
	if (seed && len >= ATTEST_BOOT_SEED_MIN) {
		info.boot_seed = seed;
		info.boot_seed_len = MIN((size_t)len, (size_t)ATTEST_BOOT_SEED_MAX);
	}
	if (!info.board)
		info.board = "unknown";
	memcpy(uds, pa_to_ptr(pa_init(cfg.uds.base)), sizeof(uds));
	memset(pa_to_ptr(pa_init(cfg.uds.base)), 0, cfg.uds.size);
	arch_dcache_clean_range(pa_to_ptr(pa_init(cfg.uds.base)), cfg.uds.size);
	info.uds = uds;
	err = attest_svc_boot(&info);
	attest_wipe(uds, sizeof(uds));
	if (err)
		pr_info("attestation: cannot derive the device identity (error %d)", err);
	else
		pr_info("attestation: device identity derived, device secret scrubbed");
}

/* A device's MMIO as device_map() maps it: its pages, in runs that leave
 * out a page the partition already has (shared with another of its
 * devices: at either end). The tables of each run, all of them: they stay
 * when the device moves away and back. */
static void census_dev(struct pt_census *c, const struct dev_cfg *dc)
{
	unsigned r;

	for (r = 0; r < dc->nr_reg; r++) {
		u64 start = ALIGN_DOWN(dc->reg[r].base, PAGE_SIZE);
		u64 len = ALIGN_UP(dc->reg[r].base + dc->reg[r].size, PAGE_SIZE) - start;

		pt_census_add(c, start, len);
		if (len > PAGE_SIZE) {
			pt_census_add(c, start + PAGE_SIZE, len - PAGE_SIZE);
			pt_census_add(c, start, len - PAGE_SIZE);
		}
	}
}

/* The partitions' table pages for this configuration: partition i's stage
 * 2 has what partition_create (its RAM, devices, channels, the vUART's
 * shadow page, which also comes from the pool), update_attach
 * (update regions it writes) and device moves (shared devices it may
 * hold) map; its SMMU view (iommu.c, build_view) its RAM and channels.
 * Each is counted as its own tables would be built (pt_census). */
static u64 partition_table_pages(const struct umbra_config *c, bool smmu, bool *overflow)
{
	struct pt_census census;
	u64 pages = 0;
	unsigned i, k;

	*overflow = false;
	for (i = 0; i < c->nr_parts; i++) {
		const struct part_cfg *pc = &c->part[i];
		bool dma = false;

		memset(&census, 0, sizeof(census));
		for (k = 0; k < pc->nr_mem; k++)
			pt_census_add(&census, pc->mem[k].base, pc->mem[k].size);
		for (k = 0; k < pc->nr_dev; k++) {
			census_dev(&census, &pc->dev[k]);
			dma |= pc->dev[k].nr_sids != 0;
		}
		for (k = 0; k < pc->nr_chan; k++)
			pt_census_add(&census, pc->chan[k].mem.base, pc->chan[k].mem.size);
		for (k = 0; k < c->nr_parts; k++)
			if (c->part[k].update.size && c->part[k].update_writer == (int)i)
				pt_census_add(&census, c->part[k].update.base, c->part[k].update.size);
		for (k = 0; k < c->nr_shared; k++)
			if (c->shared[k].holders & BIT(i))
				census_dev(&census, &c->shared[k].dev);
		if (pc->vuart)  /* the tables of its vUART's shadow, and the page */
			pt_census_add(&census, pc->vuart, PAGE_SIZE);
		pages += pt_census_pages(&census) + (pc->vuart ? 1 : 0);
		*overflow |= census.overflow;
		if (!smmu || !dma)
			continue;
		memset(&census, 0, sizeof(census));
		for (k = 0; k < pc->nr_mem; k++)
			pt_census_add(&census, pc->mem[k].base, pc->mem[k].size);
		for (k = 0; k < pc->nr_chan; k++)
			pt_census_add(&census, pc->chan[k].mem.base, pc->chan[k].mem.size);
		pages += pt_census_pages(&census);
		*overflow |= census.overflow;
	}
	return pages;
}

/* The bytes of a checked DTB that hold something: its blocks, not the
 * free space a loader may leave at its end (QEMU's leave ~30 KiB). */
static u64 fdt_used_size(const void *fdt)
{
	u64 rsv = fdt_off_mem_rsvmap(fdt) + (u64)(fdt_num_mem_rsv(fdt) + 1) * 16;
	u64 dt = (u64)fdt_off_dt_struct(fdt) + fdt_size_dt_struct(fdt);
	u64 str = (u64)fdt_off_dt_strings(fdt) + fdt_size_dt_strings(fdt);

	if (fdt_version(fdt) < 17)    /* no size_dt_struct */
		return fdt_totalsize(fdt);
	return MAX(MAX(rsv, dt), MAX(str, (u64)FDT_V17_SIZE));
}

/* The top of each CPU's stack but the boot CPU's (head.S has that one). */
static u64 stack_top[MAX_CPUS];

/* What the configuration needs goes right after the image, as much as it
 * needs: the EL2 stacks of the CPUs its partitions run on (all but the boot
 * CPU), the partitions' tables, the partitions, and Umbra's copy of the DTB
 * (the original may lie in a partition's RAM: the copy is made before any
 * partition is loaded). That RAM becomes Umbra's like the image: it must be
 * RAM and no range of the configuration may lie in it, checked before any
 * of it is written. */
static void place_after_image(struct cfg_env *env, struct diag *d)
{
	bool overflow, need[MAX_CPUS] = { false };
	u64 pages = partition_table_pages(&cfg, env->smmu_ok, &overflow);
	u64 parts = ALIGN_UP(cfg.nr_parts * sizeof(struct partition), PAGE_SIZE);
	u64 dtb = ALIGN_UP(platform_dtb_size, PAGE_SIZE), start = mmu_umbra_end();
	unsigned i, k, n = 0, boot_cpu = (unsigned)cpu_of(arch_this_mpidr());
	const char *what;
	u8 *stacks;

	if (overflow) {
		pr_info("page tables: too many ranges to count; taking %u pages", PT_POOL_FALLBACK);
		pages = PT_POOL_FALLBACK;
	}
	for (i = 0; i < cfg.nr_parts; i++)
		for (k = 0; k < cfg.part[i].nr_cpus; k++) {
			int c = cpu_of(cfg.part[i].cpu_mpidr[k]);

			if (c >= 0 && c < MAX_CPUS && (unsigned)c != boot_cpu && !need[c]) {
				need[c] = true;
				n++;
			}
		}
	stacks = n ? mmu_carve((u64)n * STACK_SIZE, STACK_SIZE) : NULL;
	mmu_pool_place(pages);
	partitions = mmu_carve(parts, PAGE_SIZE);
	platform_dtb = mmu_carve(dtb, PAGE_SIZE);
	if (!platform_in_ram(&plat, start, mmu_umbra_end() - start)) {
		pr_info("the %lu KiB after the image (0x%lx) are not RAM",
			(mmu_umbra_end() - start) / 1024, start);
		halt_boot("no room for Umbra's tables and stacks");
	}
	/* config_parse kept all of the configuration off the image; the
	 * same for this memory, against every range the configuration has */
	what = config_range_user(&cfg, start, mmu_umbra_end() - start);
	if (what) {
		diag_report(d, CFG_E_MEM_OVERLAP_UMBRA, "%s lies in 0x%lx-0x%lx, right after "
			    "Umbra's image: Umbra takes that memory for this configuration",
			    what, start, mmu_umbra_end());
		halt_boot("invalid configuration");
	}
	/* the original may overlap any of it: copied first (memmove) */
	memmove(platform_dtb, boot_fdt, platform_dtb_size);
	fdt_set_totalsize(platform_dtb, (u32)platform_dtb_size);
	if (dtb_check(platform_dtb, platform_dtb_size, d))
		halt_boot("broken device tree copy");
	mmu_unmap_boot_dtb();
	boot_fdt = NULL;
	memset(partitions, 0, parts);
	if (n)
		memset(stacks, 0, (u64)n * STACK_SIZE);   /* as the boot CPU's (BSS) */
	for (i = 0; i < MAX_CPUS; i++)
		if (need[i]) {
			stacks += STACK_SIZE;
			stack_top[i] = (u64)stacks;
		}
}

static void map_platform(void)
{
	unsigned i;
	int err = 0;

	for (i = 0; !err && i < plat.nr_ram; i++)
		err = mmu_map_ram(plat.ram[i].base, plat.ram[i].size);
	if (!err)
		err = mmu_map_device(plat.gicd.base, plat.gicd.size);
	if (!err)
		err = mmu_map_device(plat.gicr.base, plat.gicr.size);
	if (err) {
		pr_info("cannot map the platform at EL2 (error %d)", err);
		halt_boot("out of page-table memory");
	}
}

/* With virtual UARTs, console input is Umbra's (config validation made
 * sure no partition owns the UART then). The UART's receive interrupt goes
 * to the first CPU of the partition that has the input at boot: a CPU
 * that runs a vCPU, so it takes interrupts, and the one whose partition
 * the typing is for, not a real-time partition's in the usual setup. */
static void console_input_setup(void)
{
	int first = cfg.console_focus;
	unsigned i;

	console_set_colour(cfg.console_colour);
	for (i = 0; first < 0 && i < cfg.nr_parts; i++)
		if (cfg.part[i].vuart)
			first = (int)i;
	if (first < 0)
		return;
	if (!plat.uart_intid) {
		pr_info("console: the UART has no interrupt: no console input");
		return;
	}
	console_set_focus(&partitions[first]);
	pl011_rx_enable();
	console_attach_input(pl011_getc);
	vgic_set_umbra_spi(plat.uart_intid, console_rx_irq);
	gic_set_priority(plat.uart_intid, GIC_PRIO_DEFAULT);
	gic_route_spi(plat.uart_intid, cfg.part[first].cpu_mpidr[0]);
	gic_set_enable(plat.uart_intid, true);
	console_input_announce();
}

/* The CPUs of p's vCPUs but the boot CPU, also when p was refused or
 * stopped: an update can start it later. */
static void start_cpus(struct partition *p, unsigned boot_cpu)
{
	unsigned k;

	for (k = 0; k < p->cfg->nr_cpus; k++) {
		int i = cpu_of(p->cfg->cpu_mpidr[k]), err;

		if (i < 0 || (unsigned)i == boot_cpu)
			continue;
		err = arch_cpu_on(plat.cpu_mpidr[i], (unsigned)i, stack_top[i]);
		if (err) {
			pr_info("%s: CPU 0x%lx did not start (PSCI %d)", p->cfg->name,
				plat.cpu_mpidr[i], err);
			if (k == 0)
				partition_stop(p, EV_CAUSE_OTHER, "its first CPU did not start");
		}
	}
}

__noreturn void umbra_main(u64 dtb_pa)
{
	struct diag d = { .emit = diag_print };
	struct cfg_env env = { .plat = &plat, .phys_view = phys_view };
	struct mem_range uart;
	unsigned i, boot_cpu;
	int err;

	boot_fdt = mmu_boot_dtb();
	if (boot_fdt && platform_find_console(boot_fdt, &uart) >= 0 &&
	    mmu_map_device(uart.base, PAGE_SIZE) == 0) {
		pl011_init(pa_init(uart.base));
		console_attach(pl011_putc);
	}
	pr_info("Umbra " UMBRA_VERSION " at EL2 (ABI %u.%u): image 0x%lx-0x%lx, DTB 0x%lx",
		UMBRA_ABI_MAJOR, UMBRA_ABI_MINOR, mmu_image_base(), mmu_image_end(), dtb_pa);
	if (!boot_fdt)
		halt_boot("no valid device tree at x0");

	/* The original, read-only where it was loaded, until the configuration
	 * is known; then a copy after the image (place_after_image). */
	if (dtb_check(boot_fdt, mmu_boot_dtb_size(), &d))
		halt_boot("broken device tree");
	platform_dtb_size = fdt_used_size(boot_fdt);
	if (platform_parse(boot_fdt, &plat, &d))
		halt_boot("platform device tree errors");
	/* in RAM (its pages: the RAM map has whole pages), it stays readable
	 * through the RAM map, RW as RAM is; elsewhere its own map stays */
	if (platform_in_ram(&plat, ALIGN_DOWN((u64)boot_fdt, PAGE_SIZE),
			    ALIGN_UP((u64)boot_fdt + platform_dtb_size, PAGE_SIZE) -
			    ALIGN_DOWN((u64)boot_fdt, PAGE_SIZE)))
		mmu_unmap_boot_dtb();
	map_platform();
	if (gic_dist_init(plat.gicd.base, plat.gicr.base, plat.gicr.size))
		halt_boot("GIC distributor does not respond");
	vgic_set_hw_ppi(plat.timer_intid[2], plat.timer_intid[1], plat.maint_intid);

	env.smmu_ok = iommu_probe(&plat);
	env.reserved[env.nr_reserved++] = (struct mem_range){
		mmu_image_base(), mmu_image_end() - mmu_image_base() };
	if (config_parse(boot_fdt, &env, &cfg, &d)) {
		pr_info("%u configuration error%s", d.count, d.count == 1 ? "" : "s");
		halt_boot("invalid configuration");
	}
	place_after_image(&env, &d);

	attestation_boot();
	image_auth_boot(&plat);
	device_warn_dma(&cfg);
	device_init(&cfg, partitions);
	channel_boot(&cfg);

	for (i = 0; i < cfg.nr_parts; i++) {
		unsigned k;

		for (k = 0; k < cfg.part[i].nr_cpus; k++)
			pinned[cpu_of(cfg.part[i].cpu_mpidr[k])] = &partitions[i].vcpu[k];
		err = partition_setup(&partitions[i], i, &cfg.part[i], platform_dtb, &plat,
				      mmu_pool());
		if (err == PARTITION_REFUSED)
			continue;
		if (err)
			halt_boot("partition setup failed");
		running++;
	}
	nr_partitions = cfg.nr_parts;
	if (update_attach(partitions, nr_partitions))
		halt_boot("update-staging regions cannot be mapped");
	if (iommu_setup(partitions, nr_partitions, &plat, mmu_pool()))
		halt_boot("DMA confinement failed");
	pr_info("memory: %lu KiB in all (image and data; after it: tables, partitions, DTB copy), page tables: Umbra's %lu of "
		"%lu pages, the partitions' %lu of %lu", (mmu_umbra_end() - mmu_image_base()) / 1024,
		(u64)mmu_el2_pool()->used, (u64)mmu_el2_pool()->npages, (u64)mmu_pool()->used,
		(u64)mmu_pool()->npages);
	if (!running)
		halt_boot("every image was refused");
	console_input_setup();

	/* one partition after the other, so that it runs while the next one
	 * is scrubbed, copied and measured; its CPUs start first and help
	 * load it (partition_help_load, in secondary_main) */
	boot_cpu = (unsigned)cpu_of(arch_this_mpidr());
	for (i = 0; i < cfg.nr_parts; i++) {
		struct partition *p = &partitions[i];

		if (p->state == PART_RESTARTING)
			partition_offer_load(p);
		start_cpus(p, boot_cpu);
		if (p->state == PART_RESTARTING && partition_boot(p))
			partition_stop(p, EV_CAUSE_LOAD_FAILED, "it did not load");
		else if (p->state == PART_RUNNING)
			pr_info("partition %u '%s': %u vCPU%s on CPU 0x%lx, RAM 0x%lx+0x%lx, entry 0x%lx",
				i, cfg.part[i].name, cfg.part[i].nr_cpus,
				cfg.part[i].nr_cpus == 1 ? "" : "s", cfg.part[i].cpu_mpidr[0],
				cfg.part[i].mem[0].base, cfg.part[i].mem[0].size, p->entry_ipa);
	}
	secondary_main(boot_cpu);
}
