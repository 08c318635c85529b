// SPDX-License-Identifier: Apache-2.0
/*
 * The canonical form of Umbra's configuration and its digest
 * (docs/attestation.md, "The configuration's canonical form"; the format
 * is summarised in config_digest.h). One implementation for the monitor,
 * umbra-provision, umbra-verify and the tests.
 *
 * The walk is iterative: fdt_next_node gives the nodes of the subtree in
 * DTB order (pre-order), which is exactly the order in which the nested
 * arrays of the encoding list them, since each node's array head carries
 * its child count. Properties are emitted in key order by selection (each
 * round takes the smallest name above the last one): quadratic in a
 * node's property count, but without a buffer or a limit.
 */
#include <string.h>

#include <libfdt.h>
#include <bearssl/bearssl_hash.h>

#include "attest/config_digest.h"
#include "umbra/cbor.h"
#include "umbra/fdt_struct.h"

/* Where the encoding goes: into SHA-256, into a buffer, or both. */
struct sink {
	br_sha256_context *h;
	struct cbor_enc *e;
};

static void put(struct sink *s, const void *p, size_t n)
{
	if (s->h)
		br_sha256_update(s->h, p, n);
	if (s->e)
		cbor_put_raw(s->e, p, n);
}

static void put_head(struct sink *s, unsigned major, uint64_t v)
{
	uint8_t buf[CBOR_HEAD_MAX];
	struct cbor_enc e;

	cbor_init(&e, buf, sizeof(buf));
	cbor_put_head(&e, major, v);
	put(s, buf, cbor_len(&e));
}

static void put_string(struct sink *s, unsigned major, const void *p, size_t n)
{
	put_head(s, major, n);
	put(s, p, n);
}

static bool printable(const char *s, size_t n)
{
	size_t i;

	if (!n)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] < 0x21 || s[i] > 0x7e)
			return false;
	return true;
}

/* Left out of the measurement: numbers dtc and fdtoverlay assign (they
 * change with the platform tree), and, on /umbra itself, console-colour
 * (scripts/run-qemu.sh adds it when its output is a terminal: how the
 * console looks, not what runs). */
static bool excluded(const char *name, bool umbra_root)
{
	return !strcmp(name, "phandle") || !strcmp(name, "linux,phandle") ||
	       (umbra_root && !strcmp(name, "console-colour"));
}

/* Deterministic CBOR key order for text keys: shorter first, then bytewise. */
static int key_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return memcmp(a, b, alen);
}

struct prop {
	const char *name;
	size_t name_len;
	const void *val;
	int len;
};

static bool prop_at(const void *fdt, int off, struct prop *p)
{
	p->val = fdt_getprop_by_offset(fdt, off, &p->name, &p->len);
	if (!p->val || p->len < 0)
		return false;
	p->name_len = strlen(p->name);  /* fdt_get_string checked its NUL */
	return true;
}

/* One node: [name, {props}, <head of the children array>]. */
static int emit_node(const void *fdt, int node, const char *name, size_t name_len,
		     bool umbra_root, struct sink *s)
{
	const struct prop *last = NULL;
	struct prop cur, best = { 0 }, prev;
	size_t nprops = 0, nchildren = 0;
	bool dup;
	int off;

	fdt_for_each_property_offset(off, fdt, node) {
		if (!prop_at(fdt, off, &cur) || !printable(cur.name, cur.name_len))
			return -ATTEST_E_INVAL;
		if (!excluded(cur.name, umbra_root))
			nprops++;
	}
	if (off != -FDT_ERR_NOTFOUND)
		return -ATTEST_E_INVAL;
	fdt_for_each_subnode(off, fdt, node)
		nchildren++;
	if (off != -FDT_ERR_NOTFOUND)
		return -ATTEST_E_INVAL;

	put_head(s, CBOR_MT_ARRAY, 3);
	put_string(s, CBOR_MT_TSTR, name, name_len);
	put_head(s, CBOR_MT_MAP, nprops);
	while (nprops--) {
		bool found = false;

		dup = false;
		fdt_for_each_property_offset(off, fdt, node) {
			int c;

			if (!prop_at(fdt, off, &cur) || excluded(cur.name, umbra_root))
				continue;
			if (last && key_cmp(cur.name, cur.name_len, last->name,
					    last->name_len) <= 0)
				continue;
			c = found ? key_cmp(cur.name, cur.name_len, best.name, best.name_len) : -1;
			if (c < 0) {
				best = cur;
				found = true;
				dup = false;
			} else if (c == 0) {
				dup = true;
			}
		}
		/* a name twice: the DTB is malformed (and ambiguous to readers) */
		if (!found || dup)
			return -ATTEST_E_INVAL;
		put_string(s, CBOR_MT_TSTR, best.name, best.name_len);
		put_string(s, CBOR_MT_BSTR, best.val, (size_t)best.len);
		prev = best;
		last = &prev;
	}
	put_head(s, CBOR_MT_ARRAY, nchildren);
	return 0;
}

/* The node to measure: /umbra, or its partition child called exactly name. */
static int find_node(const void *fdt, const char *partition)
{
	int root = fdt_path_offset(fdt, ATTEST_CONFIG_PATH), node, len;
	const char *name;

	if (root < 0 || fdt_node_check_compatible(fdt, root, ATTEST_CONFIG_COMPATIBLE) != 0)
		return -1;
	if (!partition)
		return root;
	fdt_for_each_subnode(node, fdt, root) {
		name = fdt_get_name(fdt, node, &len);
		if (name && (size_t)len == strlen(partition) && !memcmp(name, partition, (size_t)len) &&
		    fdt_node_check_compatible(fdt, node, ATTEST_PARTITION_COMPATIBLE) == 0)
			return node;
	}
	return -1;
}

static int walk(const void *fdt, size_t size, const char *partition, struct sink *s)
{
	int top, node, depth = 0, len, err;
	const char *name;

	/* the header, then a structure block libfdt cannot loop on (its
	 * 1.6.1 stands still on a negative property length), then the rest */
	if (!fdt || size < FDT_V17_SIZE || fdt_check_header(fdt) != 0 ||
	    fdt_version(fdt) < 17 || fdt_totalsize(fdt) > size || fdt_struct_walk(fdt) >= 0 ||
	    fdt_check_full(fdt, size) != 0)
		return -ATTEST_E_INVAL;
	top = find_node(fdt, partition);
	if (top < 0)
		return -ATTEST_E_INVAL;
	node = top;
	do {
		name = fdt_get_name(fdt, node, &len);
		if (!name || len < 0)
			return -ATTEST_E_INVAL;
		if (node == top && !partition)
			err = emit_node(fdt, node, "", 0, true, s);   /* /umbra: no name */
		else if (!printable(name, (size_t)len))
			return -ATTEST_E_INVAL;
		else
			err = emit_node(fdt, node, name, (size_t)len, false, s);
		if (err)
			return err;
		node = fdt_next_node(fdt, node, &depth);
	} while (node >= 0 && depth > 0);
	if (node < 0 && node != -FDT_ERR_NOTFOUND)
		return -ATTEST_E_INVAL;
	return 0;
}

int attest_config_encode(const void *fdt, size_t size, const char *partition,
			 uint8_t *out, size_t cap, size_t *len)
{
	struct cbor_enc e;
	struct sink s = { NULL, &e };
	int err;

	if (!len || (!out && cap))
		return -ATTEST_E_INVAL;
	cbor_init(&e, out, cap);
	err = walk(fdt, size, partition, &s);
	if (err)
		return err;
	*len = cbor_len(&e);
	return cbor_ok(&e) ? 0 : -ATTEST_E_RANGE;
}

int attest_config_digest(const void *fdt, size_t size, const char *partition,
			 uint8_t out[ATTEST_DIGEST_LEN])
{
	br_sha256_context h;
	struct sink s = { &h, NULL };
	int err;

	if (!out)
		return -ATTEST_E_INVAL;
	br_sha256_init(&h);
	err = walk(fdt, size, partition, &s);
	if (err)
		return err;
	br_sha256_out(&h, out);
	return 0;
}
