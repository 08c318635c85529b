// SPDX-License-Identifier: Apache-2.0
/*
 * umbra-config-check: validate a platform DTB with its /umbra config on the
 * host, with the monitor's own code (hyp/config/config.c, platform.c), before
 * flashing or booting it.
 *
 *   umbra-config-check [--umbra FILE@ADDR] [--image FILE@ADDR]... PLATFORM.dtb
 *
 * --umbra names the Umbra image and where the bootloader will load it
 * (its memory is reserved); --image names a partition image and where it
 * will be placed, so its header is checked as at boot. Exit status: 0 if
 * the configuration is valid, 1 if not, 2 on usage or I/O errors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "umbra_version.h"

#include "config/config.h"

struct placed {
	const char *path;
	u8 *data;
	u64 addr, size;
};

static struct placed files[MAX_PARTITIONS + 1];
static unsigned nr_files;

static u8 *read_file(const char *path, u64 *size)
{
	FILE *f = fopen(path, "rb");
	u8 *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*size = (u64)n;
	}
	fclose(f);
	return buf;
}

static int place(const char *spec, struct placed *p)
{
	const char *at = strrchr(spec, '@');
	char *end, *path;

	if (!at || at == spec)
		return -1;
	path = strndup(spec, (size_t)(at - spec));
	p->addr = strtoull(at + 1, &end, 0);
	if (!path || *end)
		return -1;
	p->path = path;
	p->data = read_file(path, &p->size);
	if (!p->data) {
		fprintf(stderr, "umbra-config-check: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	return 0;
}

/* Physical memory as the bootloader will leave it: the placed files. */
static const void *phys_view(u64 pa, u64 len)
{
	unsigned i;

	for (i = 0; i < nr_files; i++)
		if (range_within(pa, len, files[i].addr, files[i].size))
			return files[i].data + (pa - files[i].addr);
	return NULL;
}

static void emit(enum cfg_err code, const char *msg)
{
	printf("error [%s]: %s\n", cfg_err_name(code), msg);
}

static void usage(void)
{
	fprintf(stderr, "usage: umbra-config-check [--umbra FILE@ADDR] [--image FILE@ADDR]... PLATFORM.dtb\n"
			"       umbra-config-check --version\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static struct platform plat;
	static struct umbra_config cfg;
	struct cfg_env env = { .plat = &plat, .phys_view = phys_view, .smmu_ok = true };
	struct diag d = { .emit = emit };
	const char *dtb_path = NULL;
	u8 *dtb;
	u64 dtb_size, umbra_size;
	unsigned i;
	int a;

	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("umbra-config-check " UMBRA_VERSION "\n");
		return 0;
	}
	for (a = 1; a < argc; a++) {
		bool umbra = strcmp(argv[a], "--umbra") == 0;

		if (umbra || strcmp(argv[a], "--image") == 0) {
			if (a + 1 >= argc || nr_files == ARRAY_SIZE(files) ||
			    place(argv[++a], &files[nr_files]))
				usage();
			if (umbra && files[nr_files].size < 24) {
				fprintf(stderr, "umbra-config-check: %s: too short for an arm64 Image header\n",
					files[nr_files].path);
				return 2;
			}
			if (umbra) {
				/* its memory: image_size from its own header */
				memcpy(&umbra_size, files[nr_files].data + 16, 8);
				env.reserved[env.nr_reserved++] = (struct mem_range){
					files[nr_files].addr, umbra_size };
			}
			nr_files++;
		} else if (argv[a][0] == '-' || dtb_path) {
			usage();
		} else {
			dtb_path = argv[a];
		}
	}
	if (!dtb_path)
		usage();
	dtb = read_file(dtb_path, &dtb_size);
	if (!dtb) {
		fprintf(stderr, "umbra-config-check: %s: %s\n", dtb_path, strerror(errno));
		return 2;
	}
	/* the blob's size first: nothing may read past the file */
	if (dtb_check(dtb, dtb_size, &d) == 0 && platform_parse(dtb, &plat, &d) == 0)
		config_parse(dtb, &env, &cfg, &d);
	if (d.count) {
		printf("%s: %u configuration error%s\n", dtb_path, d.count, d.count == 1 ? "" : "s");
		return 1;
	}
	for (i = 0; i < cfg.nr_parts; i++) {
		const struct part_cfg *p = &cfg.part[i];

		printf("partition %u '%s': %u CPU%s, %u memory region%s, image 0x%llx+0x%llx%s\n",
		       i, p->name, p->nr_cpus, p->nr_cpus == 1 ? "" : "s", p->nr_mem,
		       p->nr_mem == 1 ? "" : "s", (unsigned long long)p->image.base,
		       (unsigned long long)p->image.size,
		       p->image_size ? "" : " (not given: header not checked)");
	}
	/* each channel once, from its first peer's end */
	for (i = 0; i < cfg.nr_parts; i++) {
		const struct part_cfg *p = &cfg.part[i];
		unsigned k, j;

		for (k = 0; k < p->nr_chan; k++) {
			const struct chan_end *e = &p->chan[k];
			const struct part_cfg *q = &cfg.part[e->peer];
			bool peer_ro = false;

			if (!e->first)
				continue;
			for (j = 0; j < q->nr_chan; j++)
				peer_ro |= q->chan[j].id == e->id && q->chan[j].read_only;
			printf("channel %u: 0x%llx+0x%llx, '%s' (doorbell SPI %u%s) <-> '%s' (SPI %u%s)\n",
			       e->id, (unsigned long long)e->mem.base, (unsigned long long)e->mem.size,
			       p->name, e->intid - 32, e->read_only ? ", read-only" : "",
			       e->peer_name, e->peer_intid - 32, peer_ro ? ", read-only" : "");
		}
	}
	if (!env.nr_reserved)
		printf("note: no --umbra given: overlaps with Umbra's memory not checked\n");
	else
		printf("note: at boot Umbra also takes the RAM right after its image (stacks, the "
		       "partitions' page tables and state, its DT copy; the boot line 'memory: N KiB "
		       "in all'): not checked here, it refuses to start if anything lies there\n");
	printf("%s: configuration valid\n", dtb_path);
	return 0;
}
