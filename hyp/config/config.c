// SPDX-License-Identifier: Apache-2.0
/*
 * Partition configuration (binding: dt/bindings/umbra.md): parse the /umbra
 * node and validate all of it against the platform and Umbra's own memory.
 * Every problem is reported; the caller starts nothing if any was found.
 */
#include <libfdt.h>

#include "config/config.h"
#include "umbra/envelope.h"
#include "umbra/lib.h"

#define IMAGE_HDR_TEXT_OFFSET 8
#define IMAGE_HDR_SIZE_OFFSET 16
#define IMAGE_HDR_MAGIC_OFFSET 0x38
#define IMAGE_HDR_LEN 0x40

/* Read a list of (base, size) pairs into r[]; returns count or -1. */
static int read_ranges(const void *fdt, int node, const char *prop, int ac, int sc,
		       struct mem_range *r, unsigned max, bool *too_many)
{
	int len;
	const void *p = fdt_getprop(fdt, node, prop, &len);
	unsigned stride = (unsigned)(ac + sc), n, i;

	*too_many = false;
	if (!p || len <= 0 || len % (int)(4 * stride))
		return -1;
	n = (unsigned)len / (4 * stride);
	if (n > max) {
		*too_many = true;
		return -1;
	}
	for (i = 0; i < n; i++) {
		r[i].base = fdt_cells_read(p, i * stride, (unsigned)ac);
		r[i].size = fdt_cells_read(p, i * stride + (unsigned)ac, (unsigned)sc);
	}
	return (int)n;
}

static void parse_cpus(const void *fdt, int node, const struct cfg_env *env,
		       struct part_cfg *pc, struct diag *d)
{
	int len, i, n;
	const fdt32_t *p = fdt_getprop(fdt, node, "cpus", &len);

	if (!p || len <= 0 || len % 4) {
		diag_report(d, CFG_E_PROP, "partition '%s': property 'cpus' missing or malformed",
			    pc->name);
		return;
	}
	n = len / 4;
	if (n > MAX_PART_CPUS) {
		diag_report(d, CFG_E_TOO_MANY, "partition '%s': more than %u CPUs", pc->name,
			    MAX_PART_CPUS);
		return;
	}
	for (i = 0; i < n; i++) {
		u64 mpidr = fdt32_ld(&p[i]);

		if (platform_cpu_index(env->plat, mpidr) < 0)
			diag_report(d, CFG_E_CPU_UNKNOWN,
				    "partition '%s': CPU 0x%lx is not in the platform's /cpus",
				    pc->name, mpidr);
		pc->cpu_mpidr[pc->nr_cpus++] = mpidr;
	}
}

static void parse_bootargs(const void *fdt, int node, struct part_cfg *pc, struct diag *d)
{
	int len;
	const char *args = fdt_getprop(fdt, node, "bootargs", &len);

	if (!args)
		return;
	if (len <= 0 || args[len - 1] != '\0' || (unsigned)len > BOOTARGS_MAX)
		diag_report(d, CFG_E_PROP,
			    "partition '%s': 'bootargs' must be a string of at most %u bytes",
			    pc->name, BOOTARGS_MAX - 1);
	else
		memcpy(pc->bootargs, args, (size_t)len);
}

/* devices = "/path", ...: each must exist, have MMIO, and only GIC SPIs. */
static void parse_devices(const void *fdt, int node, struct part_cfg *pc, struct diag *d)
{
	int len, pos;
	const char *list = fdt_getprop(fdt, node, "devices", &len);
	char who[PART_NAME_MAX + 16];

	if (!list)
		return;
	if (len <= 0 || list[len - 1] != '\0') {
		diag_report(d, CFG_E_PROP, "partition '%s': 'devices' must be a list of paths",
			    pc->name);
		return;
	}
	snprintf(who, sizeof(who), "partition '%s'", pc->name);
	for (pos = 0; pos < len; pos += (int)strlen(list + pos) + 1) {
		if (pc->nr_dev == MAX_PART_DEVICES) {
			diag_report(d, CFG_E_TOO_MANY, "partition '%s': more than %u devices",
				    pc->name, MAX_PART_DEVICES);
			return;
		}
		if (config_read_device(fdt, who, list + pos, &pc->dev[pc->nr_dev], d))
			pc->nr_dev++;
	}
}

static bool overlaps_reserved(const struct cfg_env *env, const struct mem_range *r)
{
	unsigned i;

	for (i = 0; i < env->nr_reserved; i++)
		if (ranges_overlap(r->base, r->size, env->reserved[i].base, env->reserved[i].size))
			return true;
	return false;
}

/* uds = <base size>: where the loader put the 32-byte device secret. It
 * becomes Umbra's: no partition may own it (checked as Umbra's memory). */
static void parse_uds(const void *fdt, int root, int ac, int sc, struct cfg_env *env,
		      struct umbra_config *cfg, struct diag *d)
{
	struct mem_range r;
	bool too_many;

	if (!fdt_getprop(fdt, root, "uds", NULL))
		return;
	if (read_ranges(fdt, root, "uds", ac, sc, &r, 1, &too_many) != 1 || r.size < 32 ||
	    !range_valid(r.base, r.size)) {
		diag_report(d, CFG_E_PROP,
			    "config: 'uds' must be one <base size> pair of at least 32 bytes");
		return;
	}
	if (!platform_in_ram(env->plat, r.base, r.size)) {
		diag_report(d, CFG_E_MEM_OUTSIDE_RAM, "config: uds 0x%lx+0x%lx is not inside RAM",
			    r.base, r.size);
		return;
	}
	if (overlaps_reserved(env, &r)) {
		diag_report(d, CFG_E_MEM_OVERLAP_UMBRA, "config: uds 0x%lx+0x%lx overlaps Umbra's own memory",
			    r.base, r.size);
		return;
	}
	cfg->uds = r;
	if (env->nr_reserved < ARRAY_SIZE(env->reserved))
		env->reserved[env->nr_reserved++] = r;
}

/* signer-key: the P-256 public key (SEC1 uncompressed, 65 bytes) or its
 * SHA-256 (32 bytes) that must have signed the partition's image. */
static void parse_signer_key(const void *fdt, int node, struct part_cfg *pc, struct diag *d)
{
	int len;
	const u8 *k = fdt_getprop(fdt, node, "signer-key", &len);

	if (!k)
		return;
	if ((len != 65 || k[0] != 0x04) && len != 32) {
		diag_report(d, CFG_E_PROP,
			    "partition '%s': signer-key must be a 65-byte SEC1 P-256 key or its 32-byte SHA-256",
			    pc->name);
		return;
	}
	memcpy(pc->signer_key, k, (size_t)len);
	pc->signer_key_len = (u8)len;
}

static void parse_partition(const void *fdt, int node, int ac, int sc,
			    const struct cfg_env *env, struct part_cfg *pc,
			    struct diag *d)
{
	int nlen, n;
	const char *name = fdt_get_name(fdt, node, &nlen);
	bool too_many;
	struct mem_range img;

	if (!name || nlen <= 0 || (unsigned)nlen >= PART_NAME_MAX) {
		diag_report(d, CFG_E_NAME, "partition node '%s': name must be 1-%u characters",
			    name ? name : "?", PART_NAME_MAX - 1);
		nlen = name ? (int)MIN((unsigned)nlen, PART_NAME_MAX - 1) : 0;
	}
	if (name)
		memcpy(pc->name, name, (size_t)nlen);
	pc->name[nlen] = '\0';

	parse_cpus(fdt, node, env, pc, d);

	n = read_ranges(fdt, node, "memory", ac, sc, pc->mem, MAX_PART_REGIONS, &too_many);
	if (too_many)
		diag_report(d, CFG_E_TOO_MANY, "partition '%s': more than %u memory regions",
			    pc->name, MAX_PART_REGIONS);
	else if (n < 0)
		diag_report(d, CFG_E_PROP, "partition '%s': property 'memory' missing or malformed",
			    pc->name);
	else
		pc->nr_mem = (unsigned)n;

	n = read_ranges(fdt, node, "image", ac, sc, &img, 1, &too_many);
	if (n != 1)
		diag_report(d, CFG_E_PROP,
			    "partition '%s': property 'image' must be one <base size> pair",
			    pc->name);
	else
		pc->image = img;

	if (fdt_getprop(fdt, node, "initrd", NULL)) {
		if (read_ranges(fdt, node, "initrd", ac, sc, &img, 1, &too_many) != 1 ||
		    !range_valid(img.base, img.size))
			diag_report(d, CFG_E_PROP,
				    "partition '%s': property 'initrd' must be one <base size> pair",
				    pc->name);
		else
			pc->initrd = img;
	}
	parse_bootargs(fdt, node, pc, d);
	parse_signer_key(fdt, node, pc, d);
	if (fdt_getprop(fdt, node, "update-staging", NULL)) {
		const char *by = fdt_getprop(fdt, node, "update-by", &n);

		if (read_ranges(fdt, node, "update-staging", ac, sc, &img, 1, &too_many) != 1 ||
		    !by || n < 2 || n > PART_NAME_MAX || by[n - 1])
			diag_report(d, CFG_E_UPDATE,
				    "partition '%s': update-staging must be one <base size> pair, with update-by naming a partition",
				    pc->name);
		else {
			pc->update = img;
			memcpy(pc->update_by, by, (size_t)n);
		}
	}
	parse_devices(fdt, node, pc, d);
	config_parse_dma_opt_in(fdt, node, pc, d);
	config_parse_vuart(fdt, node, ac, pc, d);
	config_parse_policy(fdt, node, pc, d);
}


static void check_memory(const struct cfg_env *env, const struct umbra_config *cfg,
			 unsigned pi, struct diag *d)
{
	const struct part_cfg *pc = &cfg->part[pi];
	unsigned i, qj, j;

	for (i = 0; i < pc->nr_mem; i++) {
		const struct mem_range *r = &pc->mem[i];

		if (!range_valid(r->base, r->size) || !IS_ALIGNED(r->base | r->size, PAGE_SIZE) ||
		    (i == 0 && !IS_ALIGNED(r->base, SZ_2M))) {
			diag_report(d, CFG_E_MEM_ALIGN,
				    "partition '%s': memory 0x%lx+0x%lx must be page aligned%s",
				    pc->name, r->base, r->size,
				    i == 0 ? " (and start 2 MiB aligned)" : "");
			continue;
		}
		if (!platform_in_ram(env->plat, r->base, r->size))
			diag_report(d, CFG_E_MEM_OUTSIDE_RAM,
				    "partition '%s': memory 0x%lx+0x%lx is not inside RAM",
				    pc->name, r->base, r->size);
		if (overlaps_reserved(env, r))
			diag_report(d, CFG_E_MEM_OVERLAP_UMBRA,
				    "partition '%s': memory 0x%lx+0x%lx overlaps Umbra's own memory",
				    pc->name, r->base, r->size);
		/* against this partition's earlier regions and all earlier
		 * partitions' regions: each pair reported once */
		for (qj = 0; qj <= pi; qj++) {
			const struct part_cfg *q = &cfg->part[qj];

			for (j = 0; j < (qj == pi ? i : q->nr_mem); j++)
				if (ranges_overlap(r->base, r->size, q->mem[j].base, q->mem[j].size))
					diag_report(d, CFG_E_MEM_OVERLAP,
						    "partition '%s': memory 0x%lx+0x%lx overlaps %s'%s' memory 0x%lx+0x%lx",
						    pc->name, r->base, r->size,
						    qj == pi ? "its own " : "partition ",
						    q->name, q->mem[j].base, q->mem[j].size);
		}
	}
}

static void check_cpus(const struct umbra_config *cfg, unsigned pi, struct diag *d)
{
	const struct part_cfg *pc = &cfg->part[pi];
	unsigned i, qj, j;

	for (i = 0; i < pc->nr_cpus; i++)
		for (qj = 0; qj <= pi; qj++) {
			const struct part_cfg *q = &cfg->part[qj];

			for (j = 0; j < (qj == pi ? i : q->nr_cpus); j++)
				if (pc->cpu_mpidr[i] == q->cpu_mpidr[j])
					diag_report(d, CFG_E_CPU_TWICE,
						    "partition '%s': CPU 0x%lx is already given to '%s'",
						    pc->name, pc->cpu_mpidr[i], q->name);
		}
}

static void check_image_content(const struct cfg_env *env, struct part_cfg *pc,
				struct diag *d);

static void check_image(const struct cfg_env *env, struct umbra_config *cfg,
			unsigned pi, struct diag *d)
{
	struct part_cfg *pc = &cfg->part[pi];
	const struct mem_range *img = &pc->image;
	unsigned qj, j;

	if (!img->size)
		return; /* already reported as a property error */
	if (!range_valid(img->base, img->size) || !IS_ALIGNED(img->base, 8) ||
	    !platform_in_ram(env->plat, img->base, img->size)) {
		diag_report(d, CFG_E_IMAGE_OUTSIDE_RAM,
			    "partition '%s': image 0x%lx+0x%lx is not inside RAM (or not 8-byte aligned)",
			    pc->name, img->base, img->size);
		return;
	}
	if (overlaps_reserved(env, img))
		diag_report(d, CFG_E_IMAGE_OVERLAP,
			    "partition '%s': image 0x%lx+0x%lx overlaps Umbra's own memory",
			    pc->name, img->base, img->size);
	/* Staging regions stay Umbra's (pristine copies): no partition may
	 * own them, and no two images may share one. */
	for (qj = 0; qj < cfg->nr_parts; qj++) {
		const struct part_cfg *q = &cfg->part[qj];

		for (j = 0; j < q->nr_mem; j++)
			if (ranges_overlap(img->base, img->size, q->mem[j].base, q->mem[j].size))
				diag_report(d, CFG_E_IMAGE_OVERLAP,
					    "partition '%s': image 0x%lx+0x%lx overlaps partition '%s' memory 0x%lx+0x%lx",
					    pc->name, img->base, img->size, q->name,
					    q->mem[j].base, q->mem[j].size);
		if (qj < pi && ranges_overlap(img->base, img->size, q->image.base, q->image.size))
			diag_report(d, CFG_E_IMAGE_OVERLAP,
				    "partition '%s': image overlaps the image of '%s'",
				    pc->name, q->name);
	}

	if (env->phys_view)
		check_image_content(env, pc, d);
}

/* A signed (enveloped) image's problems are its own: that partition does
 * not start, the others do. */
static void image_refuse(struct part_cfg *pc, enum img_err e, const char *why)
{
	if (!pc->image_err) {
		pc->image_err = (u8)e;
		pc->image_why = why;
	}
}

static void check_image_content(const struct cfg_env *env, struct part_cfg *pc,
				struct diag *d)
{
	const struct mem_range *img = &pc->image;
	const u8 *hdr, *region = env->phys_view(img->base, MIN(img->size, (u64)ENV_HDR_MAX));
	u64 avail = img->size;
	bool env_img = false;
	u32 magic;

	if (region && (pc->signer_key_len || envelope_present(region, img->size))) {
		struct envelope e;
		const char *why;

		if (envelope_parse(region, img->size, &e, &why) != IMG_OK) {
			image_refuse(pc, IMG_E_ENVELOPE, why);
			return;
		}
		pc->image_off = e.hdr_len;
		avail = e.image_size;   /* only signed bytes are ever copied */
		env_img = true;
	}
	if (avail < IMAGE_HDR_LEN) {
		if (env_img)
			image_refuse(pc, IMG_E_FORMAT, "image shorter than an arm64 Image header");
		return;
	}
	hdr = env->phys_view(img->base + pc->image_off, IMAGE_HDR_LEN);
	if (!hdr)
		return;
	magic = (u32)hdr[IMAGE_HDR_MAGIC_OFFSET] | (u32)hdr[IMAGE_HDR_MAGIC_OFFSET + 1] << 8 |
		(u32)hdr[IMAGE_HDR_MAGIC_OFFSET + 2] << 16 | (u32)hdr[IMAGE_HDR_MAGIC_OFFSET + 3] << 24;
	if (magic != ARM64_IMAGE_MAGIC) {
		if (env_img)
			image_refuse(pc, IMG_E_FORMAT, "no arm64 Image inside the envelope");
		else
			diag_report(d, CFG_E_IMAGE_MISSING,
				    "partition '%s': no arm64 Image at 0x%lx (bad magic 0x%08x): was it loaded?",
				    pc->name, img->base, magic);
		return;
	}
	memcpy(&pc->text_offset, hdr + IMAGE_HDR_TEXT_OFFSET, 8);
	memcpy(&pc->image_size, hdr + IMAGE_HDR_SIZE_OFFSET, 8);
	if (pc->image_size == 0) /* pre-3.17 Linux: size unknown, use the region */
		pc->image_size = avail;
	if (pc->image_size > avail) {
		if (env_img)
			image_refuse(pc, IMG_E_FORMAT, "arm64 Image larger than the signed payload");
		else
			diag_report(d, CFG_E_IMAGE_TOO_BIG,
				    "partition '%s': image needs 0x%lx bytes, staging region has 0x%lx",
				    pc->name, pc->image_size, img->size);
	} else if (pc->nr_mem && (!IS_ALIGNED(pc->text_offset, PAGE_SIZE) ||
				pc->text_offset >= pc->mem[0].size ||
				pc->image_size > pc->mem[0].size - pc->text_offset ||
				pc->mem[0].size - pc->text_offset - pc->image_size < GUEST_DTB_MAX)) {
		if (env_img)
			image_refuse(pc, IMG_E_FORMAT, "image plus its device tree do not fit in memory");
		else
			diag_report(d, CFG_E_IMAGE_TOO_BIG,
				    "partition '%s': image (offset 0x%lx, 0x%lx bytes) plus its %u KiB device tree do not fit in memory 0x%lx+0x%lx",
				    pc->name, pc->text_offset, pc->image_size, GUEST_DTB_MAX / 1024,
				    pc->mem[0].base, pc->mem[0].size);
	}
	if (pc->image_err)
		pc->image_size = 0;
}

/* The initrd goes just below the DT slot at the top of memory[0]. */
u64 config_initrd_ipa(const struct part_cfg *pc)
{
	return ALIGN_DOWN(pc->mem[0].base + pc->mem[0].size - GUEST_DTB_MAX - pc->initrd.size,
			  PAGE_SIZE);
}

static void check_initrd(const struct cfg_env *env, const struct umbra_config *cfg,
			 unsigned pi, struct diag *d)
{
	const struct part_cfg *pc = &cfg->part[pi];
	const struct mem_range *rd = &pc->initrd;
	unsigned qj, j;

	if (!rd->size)
		return;
	if (!platform_in_ram(env->plat, rd->base, rd->size)) {
		diag_report(d, CFG_E_INITRD, "partition '%s': initrd 0x%lx+0x%lx is not inside RAM",
			    pc->name, rd->base, rd->size);
		return;
	}
	if (overlaps_reserved(env, rd))
		diag_report(d, CFG_E_INITRD, "partition '%s': initrd overlaps Umbra's own memory",
			    pc->name);
	for (qj = 0; qj < cfg->nr_parts; qj++) {
		const struct part_cfg *q = &cfg->part[qj];

		for (j = 0; j < q->nr_mem; j++)
			if (ranges_overlap(rd->base, rd->size, q->mem[j].base, q->mem[j].size))
				diag_report(d, CFG_E_INITRD,
					    "partition '%s': initrd overlaps partition '%s' memory",
					    pc->name, q->name);
		if (ranges_overlap(rd->base, rd->size, q->image.base, q->image.size) ||
		    (qj < pi && ranges_overlap(rd->base, rd->size, q->initrd.base, q->initrd.size)))
			diag_report(d, CFG_E_INITRD,
				    "partition '%s': initrd overlaps an image of '%s'", pc->name, q->name);
	}
	if (pc->nr_mem && pc->image_size &&
	    (rd->size > pc->mem[0].size ||
	     config_initrd_ipa(pc) < pc->mem[0].base + pc->text_offset + pc->image_size))
		diag_report(d, CFG_E_INITRD,
			    "partition '%s': image, initrd (0x%lx bytes) and DT do not fit in memory 0x%lx+0x%lx",
			    pc->name, rd->size, pc->mem[0].base, pc->mem[0].size);
}

/* The update-staging region: whole pages of RAM that only the writer
 * maps (besides Umbra), overlapping nothing else. */
static void check_update(const struct cfg_env *env, struct umbra_config *cfg, unsigned pi,
			 struct diag *d)
{
	struct part_cfg *pc = &cfg->part[pi];
	const struct mem_range *r = &pc->update;
	unsigned qj, j;
	bool bad = false;

	if (!r->size)
		return;
	pc->update_writer = config_part_index(cfg, pc->update_by);
	if (pc->update_writer < 0 || pc->update_writer == (int)pi)
		diag_report(d, CFG_E_UPDATE, "partition '%s': update-by '%s' is not another partition",
			    pc->name, pc->update_by);
	if (!range_valid(r->base, r->size) || !IS_ALIGNED(r->base | r->size, PAGE_SIZE) ||
	    !platform_in_ram(env->plat, r->base, r->size) || overlaps_reserved(env, r)) {
		diag_report(d, CFG_E_UPDATE,
			    "partition '%s': update-staging 0x%lx+0x%lx must be whole pages of RAM, not Umbra's",
			    pc->name, r->base, r->size);
		return;
	}
	for (qj = 0; qj < cfg->nr_parts; qj++) {
		const struct part_cfg *q = &cfg->part[qj];

		for (j = 0; j < q->nr_mem; j++)
			bad |= ranges_overlap(r->base, r->size, q->mem[j].base, q->mem[j].size);
		bad |= ranges_overlap(r->base, r->size, q->image.base, q->image.size);
		bad |= ranges_overlap(r->base, r->size, q->initrd.base, q->initrd.size);
		if (qj < pi)
			bad |= ranges_overlap(r->base, r->size, q->update.base, q->update.size);
	}
	for (j = 0; j < cfg->nr_chans; j++)
		bad |= ranges_overlap(r->base, r->size, cfg->chan_mem[j].base, cfg->chan_mem[j].size);
	if (bad)
		diag_report(d, CFG_E_UPDATE,
			    "partition '%s': update-staging overlaps a partition's memory, an image, an initrd or a channel",
			    pc->name);
}

int config_part_index(const struct umbra_config *cfg, const char *name)
{
	unsigned i;

	for (i = 0; i < cfg->nr_parts; i++)
		if (strcmp(cfg->part[i].name, name) == 0)
			return (int)i;
	return -1;
}

static bool in_range(u64 base, u64 size, const struct mem_range *r)
{
	return r->size && ranges_overlap(base, size, r->base, r->size);
}

/* a device's MMIO as it is mapped: whole pages */
static bool dev_in_range(u64 base, u64 size, const struct dev_cfg *dc)
{
	unsigned r;

	for (r = 0; r < dc->nr_reg; r++) {
		u64 start = ALIGN_DOWN(dc->reg[r].base, PAGE_SIZE);
		u64 end = ALIGN_UP(dc->reg[r].base + dc->reg[r].size, PAGE_SIZE);

		if (ranges_overlap(base, size, start, end - start))
			return true;
	}
	return false;
}

/* Whatever of cfg lies in [base, base + size): every memory range a parsed
 * configuration holds (struct umbra_config: partition memory, staging
 * regions, update regions, channels, device pages, the UDS). Names the
 * first one found, or NULL. */
const char *config_range_user(const struct umbra_config *cfg, u64 base, u64 size)
{
	unsigned i, k;

	for (i = 0; i < cfg->nr_parts; i++) {
		const struct part_cfg *pc = &cfg->part[i];

		for (k = 0; k < pc->nr_mem; k++)
			if (in_range(base, size, &pc->mem[k]))
				return "a partition's memory";
		if (in_range(base, size, &pc->image) || in_range(base, size, &pc->initrd))
			return "a staging region";
		if (in_range(base, size, &pc->update))
			return "an update-staging region";
		for (k = 0; k < pc->nr_chan; k++)
			if (in_range(base, size, &pc->chan[k].mem))
				return "a channel";
		for (k = 0; k < pc->nr_dev; k++)
			if (dev_in_range(base, size, &pc->dev[k]))
				return "a device's MMIO";
	}
	for (i = 0; i < cfg->nr_shared; i++)
		if (dev_in_range(base, size, &cfg->shared[i].dev))
			return "a device's MMIO";
	for (i = 0; i < cfg->nr_chans; i++)
		if (in_range(base, size, &cfg->chan_mem[i]))
			return "a channel";
	if (in_range(base, size, &cfg->uds))
		return "the UDS";
	return NULL;
}

unsigned config_parse(const void *fdt, struct cfg_env *env,
		      struct umbra_config *cfg, struct diag *d)
{
	unsigned before = d->count, i, j;
	int root, node, ac, sc;

	memset(cfg, 0, sizeof(*cfg));
	root = fdt_path_offset(fdt, "/umbra");
	if (root < 0 || fdt_node_check_compatible(fdt, root, "umbra,config-v1") != 0) {
		diag_report(d, CFG_E_NO_CONFIG,
			    "config: no /umbra node with compatible \"umbra,config-v1\"");
		return d->count - before;
	}
	ac = fdt_address_cells(fdt, root);
	sc = fdt_size_cells(fdt, root);
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2) {
		diag_report(d, CFG_E_PROP, "config: /umbra #address-cells/#size-cells must be 1 or 2");
		return d->count - before;
	}
	parse_uds(fdt, root, ac, sc, env, cfg, d);
	fdt_for_each_subnode(node, fdt, root) {
		if (fdt_node_check_compatible(fdt, node, "umbra,partition") != 0)
			continue;
		if (cfg->nr_parts == MAX_PARTITIONS) {
			diag_report(d, CFG_E_TOO_MANY, "config: more than %u partitions",
				    MAX_PARTITIONS);
			break;
		}
		parse_partition(fdt, node, ac, sc, env, &cfg->part[cfg->nr_parts++], d);
	}
	if (!cfg->nr_parts) {
		diag_report(d, CFG_E_NO_PARTITIONS, "config: /umbra has no partitions");
		return d->count - before;
	}
	for (i = 0; i < cfg->nr_parts; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(cfg->part[i].name, cfg->part[j].name) == 0)
				diag_report(d, CFG_E_NAME, "config: two partitions are named '%s'",
					    cfg->part[i].name);
		check_cpus(cfg, i, d);
		check_memory(env, cfg, i, d);
	}
	for (i = 0; i < cfg->nr_parts; i++) {
		check_image(env, cfg, i, d);
		check_initrd(env, cfg, i, d);
		config_check_vuart(fdt, env->plat, &cfg->part[i], d);
	}
	config_parse_shared(fdt, root, cfg, d);
	config_check_devices(fdt, env, cfg, d);
	config_channels(fdt, root, ac, sc, env, cfg, d);
	for (i = 0; i < cfg->nr_parts; i++)
		check_update(env, cfg, i, d);
	config_check_console(fdt, root, env->plat, cfg, d);
	return d->count - before;
}
