/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The measured configuration: the canonical form of the /umbra node (for
 * the `umbra/config` component) and of one partition's node (for
 * `partition/config`). docs/attestation.md, "The configuration's canonical
 * form", is the specification.
 *
 *   node     = [ name, { prop-name: value, ... }, [ node, ... ] ]
 *
 * in deterministic CBOR: a node is an array of three, its name (text; ""
 * for /umbra itself), its properties as a map of text names to byte
 * strings holding the property's bytes as stored in the DTB (keys in
 * deterministic order: shorter names first, then bytewise), and its
 * subnodes in DTB order. `phandle` and `linux,phandle` are left out
 * everywhere, and `console-colour` of /umbra itself. The component's
 * value is the SHA-256 of the encoding.
 *
 * Portable like attest.c (monitor, host tools, tests): libfdt, BearSSL's
 * SHA-256 and the CBOR encoder; no allocation, no recursion. Every input
 * is checked (fdt_check_full over the whole blob, names, duplicates)
 * before it is read, so a malformed DTB is refused, never overread.
 */
#ifndef UMBRA_ATTEST_CONFIG_DIGEST_H
#define UMBRA_ATTEST_CONFIG_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "attest/attest.h"

#define ATTEST_CONFIG_PATH "/umbra"
#define ATTEST_CONFIG_COMPATIBLE "umbra,config-v1"
#define ATTEST_PARTITION_COMPATIBLE "umbra,partition"

/*
 * The canonical form of /umbra (partition NULL) or of the partition node
 * /umbra/<partition> (a child with compatible "umbra,partition" whose node
 * name is exactly partition) of the DTB at fdt, which lies in size bytes
 * of readable memory. Writes at most cap bytes to out (out may be NULL
 * with cap 0) and the encoding's length to *len.
 * Returns 0; -ATTEST_E_RANGE when cap is short (*len = bytes needed);
 * -ATTEST_E_INVAL for a malformed DTB (or size below its totalsize), no
 * /umbra with compatible "umbra,config-v1", no such partition, a node or
 * property name that is empty or not printable ASCII, or a property
 * name twice in one node.
 */
int attest_config_encode(const void *fdt, size_t size, const char *partition,
			 uint8_t *out, size_t cap, size_t *len);

/* SHA-256 of that canonical form: the component's measurement-value.
 * 0 or -ATTEST_E_INVAL (as above; out untouched then). */
int attest_config_digest(const void *fdt, size_t size, const char *partition,
			 uint8_t out[ATTEST_DIGEST_LEN]);

#endif
