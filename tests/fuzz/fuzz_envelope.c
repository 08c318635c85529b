// SPDX-License-Identifier: Apache-2.0
/*
 * libFuzzer target: a partition's staging region holding a signed image
 * (envelope || image, docs/signing.md), through everything boot does with
 * it before the copy: envelope_parse(), the configuration's image checks
 * (config_parse() of tests/fuzz/envelope.dts, whose partition 'rtos' has
 * a signer-key, with the region's size set to the input's length and its
 * bytes behind phys_view), and image_auth_verify() with the configured
 * key, its key id and no key. The region is a heap buffer of exactly the
 * input's size: AddressSanitizer sees any read past it.
 *
 * Checked besides the sanitizers: an accepted envelope has every field in
 * range and lies inside the region; the configuration accepts an image
 * only behind a valid envelope, wholly inside the signed bytes, and
 * fitting the partition's memory; image_auth_verify() trusts only what
 * parses, signed for 'rtos' with an SVN not below the minimum, and
 * refuses everything when the store is unreadable.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "attest/attest.h"
#include "attest/image_auth.h"
#include "config/config.h"
#include "umbra/envelope.h"

#define IMG_BASE 0x41000000ULL
#define MIN_SVN 2

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

static u8 fdt[8192];
static int node;                  /* /umbra/rtos */
static u8 key[65], key_id[32];
static const u8 *region;
static size_t region_len;

/* The staging region is the input; anything else is not readable. */
static const void *view(u64 pa, u64 len)
{
	if (pa < IMG_BASE || pa - IMG_BASE > region_len || len > region_len - (pa - IMG_BASE))
		return NULL;
	return region + (pa - IMG_BASE);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[512];
	const u8 *k;
	size_t n;
	FILE *f;
	int len;

	(void)argc;
	(void)argv;
	snprintf(path, sizeof(path), "%s/envelope.dtb", FUZZ_DTB_DIR);
	f = fopen(path, "rb");
	n = f ? fread(fdt, 1, sizeof(fdt), f) : 0;
	if (f)
		fclose(f);
	node = n ? fdt_path_offset(fdt, "/umbra/rtos") : -1;
	k = node >= 0 ? fdt_getprop(fdt, node, "signer-key", &len) : NULL;
	if (!k || len != 65) {
		fprintf(stderr, "fuzz-envelope: cannot read %s\n", path);
		exit(1);
	}
	memcpy(key, k, sizeof(key));
	attest_sha256(key, sizeof(key), key_id);
	return 0;
}

static void check_envelope(const u8 *buf, size_t size, enum img_err err, const struct envelope *e,
			   const char *why)
{
	size_t n;

	if (err != IMG_OK) {
		if (err != IMG_E_ENVELOPE || !why || !*why)
			abort();
		return;
	}
	if (!envelope_present(buf, size) || e->version != ENV_VERSION ||
	    e->hdr_len < ENV_HDR_MIN || e->hdr_len > ENV_HDR_MAX || e->hdr_len % 8 ||
	    e->hdr_len > size || e->image_size == 0 || e->image_size > size - e->hdr_len ||
	    e->signed_len != (u64)e->hdr_len - ENV_SIG_LEN || e->key[0] != 0x04)
		abort();
	n = strnlen(e->name, sizeof(e->name));
	if (n == 0 || n == sizeof(e->name) || memcmp(e->name, buf + ENV_OFF_NAME, n))
		abort();
	while (n--)
		if (e->name[n] < 0x21 || e->name[n] > 0x7e)
			abort();
}

/* What config_parse() made of the staged image. */
static void check_config(const u8 *buf, size_t size, enum img_err perr, const struct envelope *e)
{
	static struct platform plat;
	static struct umbra_config cfg;
	struct cfg_env env = {
		.plat = &plat,
		.reserved = { { 0x40000000, 0x01000000 } },
		.nr_reserved = 1,
		.phys_view = view,
	};
	struct diag d = { .emit = NULL };
	const struct part_cfg *pc;
	fdt64_t cells[2] = { cpu_to_fdt64(IMG_BASE), cpu_to_fdt64(size) };

	if (!size)
		return;   /* an empty image region is a configuration error */
	if (fdt_setprop_inplace(fdt, node, "image", cells, sizeof(cells)))
		abort();
	region = buf;
	region_len = size;
	memset(&plat, 0, sizeof(plat));
	memset(&cfg, 0, sizeof(cfg));
	if (platform_parse(fdt, &plat, &d) || config_parse(fdt, &env, &cfg, &d) || cfg.nr_parts != 1)
		abort();   /* a problem of the image is the partition's, not the config's */
	pc = &cfg.part[0];
	if ((pc->image_err == IMG_E_ENVELOPE) != (perr != IMG_OK))
		abort();
	if (pc->image_err) {
		if (pc->image_size || !pc->image_why || !*pc->image_why)
			abort();
		return;
	}
	/* started: only signed bytes are copied, and they fit */
	if (pc->image_off != e->hdr_len || pc->image_size == 0 || pc->image_size > e->image_size ||
	    pc->text_offset % PAGE_SIZE || pc->text_offset >= pc->mem[0].size ||
	    pc->image_size > pc->mem[0].size - pc->text_offset ||
	    pc->mem[0].size - pc->text_offset - pc->image_size < GUEST_DTB_MAX)
		abort();
}

static void check_auth(const u8 *buf, size_t size, enum img_err perr, const struct envelope *e)
{
	struct image_auth a;
	const char *why;
	enum img_err err;

	/* no signer configured: nothing is trusted, a broken envelope is refused */
	err = image_auth_verify(buf, size, "rtos", NULL, 0, 0, true, &a, &why);
	if (a.is_signed || err != (envelope_present(buf, size) ? perr : IMG_OK))
		abort();

	err = image_auth_verify(buf, size, "rtos", key, sizeof(key), MIN_SVN, true, &a, &why);
	if (perr != IMG_OK ? err != perr : err == IMG_E_ENVELOPE)
		abort();
	if (err == IMG_OK && (!a.is_signed || a.svn != e->svn || a.svn < MIN_SVN ||
			      strcmp(e->name, "rtos") || memcmp(a.signer_id, key_id, 32)))
		abort();
	if (err != IMG_OK && (a.is_signed || !why || !*why))
		abort();

	/* by key id, with the store unreadable: never trusted */
	err = image_auth_verify(buf, size, "rtos", key_id, sizeof(key_id), 0, false, &a, &why);
	if (err == IMG_OK || a.is_signed)
		abort();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u8 *buf = malloc(size ? size : 1);   /* exactly its size: ASan sees overreads */
	struct envelope e;
	const char *why = NULL;
	enum img_err err;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	err = envelope_parse(buf, size, &e, &why);
	check_envelope(buf, size, err, &e, why);
	check_config(buf, size, err, &e);
	check_auth(buf, size, err, &e);
	free(buf);
	return 0;
}
