// SPDX-License-Identifier: Apache-2.0
/*
 * The attestation hypercalls (hyp/attest/attest_svc.c) through
 * hypercall_dispatch(): results, and buffer-range checks that leave every
 * byte of guest memory untouched on any error; the measured configuration
 * (umbra/config, partition/config) in the token and the keys.
 */
#define _GNU_SOURCE   /* memmem */
#include <libfdt.h>
#include <pthread.h>
#include <unistd.h>

#include "unit.h"

#include "attest/attest.h"
#include "attest/attest_svc.h"
#include "attest/image_auth.h"
#include "umbra_abi.h"

#define RAM_SIZE 0x10000ULL
#define NONCE_OFF 0x100
#define BUF_OFF 0x1000
#define S(x) ((u64)(s64)(x))

static struct test_guest g;
static u8 umbra_image[256];
/* the DTB the configuration comes from: /umbra/alpha is the guest */
static u8 config_dtb[4096];

static u64 ram(u64 off)
{
	return g.cfg.mem[0].base + off;
}

static u8 *host(u64 off)
{
	return (u8 *)(uintptr_t)ram(off);
}

static struct vcpu *call(u64 fid, u64 a1, u64 a2, u64 a3, u64 a4)
{
	struct vcpu *v = &g.p.vcpu[0];

	v->regs.x[0] = fid;
	v->regs.x[1] = a1;
	v->regs.x[2] = a2;
	v->regs.x[3] = a3;
	v->regs.x[4] = a4;
	hypercall_dispatch(v);
	return v;
}

static void boot(bool with_uds)
{
	static const u8 uds[ATTEST_UDS_LEN] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct attest_boot_info info = {
		.uds = with_uds ? uds : NULL,
		.umbra_image = umbra_image,
		.umbra_image_len = sizeof(umbra_image),
		.fdt = config_dtb,
		.fdt_size = sizeof(config_dtb),
		.board = "unit-test",
		.version = "9.8.7",
	};

	ck_assert_int_eq(attest_svc_boot(&info), 0);
	ck_assert_int_eq(attest_svc_partition(&g.p), 0);
}

static void setup(void)
{
	fake_arch_reset();
	capture_start();
	guest_init(&g, "alpha", 0, 1, 1, RAM_SIZE);
	/* the "image": the first 4 KiB of its RAM (measured as it stands) */
	g.cfg.image.base = ram(0);
	g.cfg.image.size = 0x1000;
	g.cfg.image_size = 0x1000;
	g.p.image_size = 0x1000;   /* what partition_create takes from it */
	memset(host(NONCE_OFF), 0x42, 64);
	memset(host(BUF_OFF), 0xee, RAM_SIZE - BUF_OFF);
	ck_assert_int_eq(fdt_open_into(load_dtb("attest-config"), config_dtb, sizeof(config_dtb)), 0);
	boot(true);
}

static void teardown(void)
{
	unit_free_all();
}

static bool untouched(u64 off, u64 len)
{
	u64 i;

	for (i = 0; i < len; i++)
		if (host(off)[i] != 0xee)
			return false;
	return true;
}

START_TEST(test_attest_token)
{
	struct vcpu *v = call(UMBRA_HC_ATTEST, ram(NONCE_OFF), 32, ram(BUF_OFF), 4096);
	s64 len = (s64)v->regs.x[0];

	ck_assert_int_gt(len, 200);
	ck_assert_int_le(len, ATTEST_TOKEN_MAX);
	ck_assert_uint_eq(host(BUF_OFF)[0], 0xd2); /* CBOR tag 18: COSE_Sign1 */
	ck_assert(untouched(BUF_OFF + (u64)len, 4096 - (u64)len));
	/* the same inputs give the same token (RFC 6979 signatures) */
	memset(host(BUF_OFF + 0x2000), 0, 4096);
	v = call(UMBRA_HC_ATTEST, ram(NONCE_OFF), 32, ram(BUF_OFF + 0x2000), 4096);
	ck_assert_int_eq((s64)v->regs.x[0], len);
	ck_assert(memcmp(host(BUF_OFF), host(BUF_OFF + 0x2000), (size_t)len) == 0);
}
END_TEST

static bool token_has(s64 len, const void *needle, size_t n)
{
	return memmem(host(BUF_OFF), (size_t)len, needle, n) != NULL;
}

/* umbra/image carries the release as its version (key 4), right after
 * its measurement-value */
START_TEST(test_attest_umbra_version)
{
	static const u8 type[] = { 0x01, 0x6b, 'u', 'm', 'b', 'r', 'a', '/', 'i', 'm', 'a', 'g', 'e' };
	static const u8 version[] = { 0x04, 0x65, '9', '.', '8', '.', '7' };
	s64 len = (s64)call(UMBRA_HC_ATTEST, ram(NONCE_OFF), 32, ram(BUF_OFF), 4096)->regs.x[0];
	const u8 *t, *vv;

	ck_assert_int_gt(len, 200);
	t = memmem(host(BUF_OFF), (size_t)len, type, sizeof(type));
	vv = memmem(host(BUF_OFF), (size_t)len, version, sizeof(version));
	ck_assert(t && vv);
	/* type, then value (02 58 20 + 32 bytes), then the version */
	ck_assert_ptr_eq(vv, t + sizeof(type) + 3 + 32);
}
END_TEST

/* An unsigned image: lifecycle minor 0x01 and a zero signer. A signed
 * one (docs/signing.md): its signer id and SVN in partition/image, the
 * plain lifecycle, another measurement and so other keys. */
START_TEST(test_attest_signed_image)
{
	static const u8 lc_unsigned[] = { 0x19, 0x09, 0x5b, 0x19, 0x30, 0x01 };
	static const u8 lc_secured[] = { 0x19, 0x09, 0x5b, 0x19, 0x30, 0x00 };
	static const u8 version[] = { 0x04, 0x62, '4', '2' };   /* 4: "42" */
	struct image_auth a = { .is_signed = true, .svn = 42 };
	u8 k1[32];
	s64 len;

	len = (s64)call(UMBRA_HC_ATTEST, ram(NONCE_OFF), 32, ram(BUF_OFF), 4096)->regs.x[0];
	ck_assert(token_has(len, lc_unsigned, sizeof(lc_unsigned)));
	ck_assert(!token_has(len, version, sizeof(version)));
	call(UMBRA_HC_DERIVE_KEY, ram(NONCE_OFF), 4, ram(0x100), 0);
	memcpy(k1, host(0x100), 32);

	memset(a.signer_id, 0xab, sizeof(a.signer_id));
	image_auth_set(&g.p, &a);
	ck_assert_int_eq(attest_svc_partition(&g.p), 0);
	len = (s64)call(UMBRA_HC_ATTEST, ram(NONCE_OFF), 32, ram(BUF_OFF), 4096)->regs.x[0];
	ck_assert(token_has(len, lc_secured, sizeof(lc_secured)));
	ck_assert(token_has(len, version, sizeof(version)));
	ck_assert(token_has(len, a.signer_id, sizeof(a.signer_id)));
	call(UMBRA_HC_DERIVE_KEY, ram(NONCE_OFF), 4, ram(0x100), 0);
	ck_assert(memcmp(k1, host(0x100), 32) != 0);
	memset(&a, 0, sizeof(a));
	image_auth_set(&g.p, &a);
}
END_TEST

START_TEST(test_attest_short_buffer)
{
	struct vcpu *v = call(UMBRA_HC_ATTEST, ram(NONCE_OFF), 48, ram(BUF_OFF), 16);
	u64 needed = v->regs.x[1];

	ck_assert_uint_eq(v->regs.x[0], S(UMBRA_E_NO_MEMORY));
	ck_assert(untouched(BUF_OFF, 0x2000));
	v = call(UMBRA_HC_ATTEST, ram(NONCE_OFF), 48, ram(BUF_OFF), needed);
	ck_assert_uint_eq(v->regs.x[0], needed);
}
END_TEST

START_TEST(test_attest_bad_arguments)
{
	static const u64 lens[] = { 0, 16, 31, 33, 47, 65, 1u << 20 };
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(lens); i++)
		ck_assert_uint_eq(call(UMBRA_HC_ATTEST, ram(NONCE_OFF), lens[i], ram(BUF_OFF),
				       4096)->regs.x[0], S(UMBRA_E_INVALID_PARAM));
	/* the token buffer straddles the end of RAM, or lies outside it */
	ck_assert_uint_eq(call(UMBRA_HC_ATTEST, ram(NONCE_OFF), 32, ram(RAM_SIZE - 64),
			       4096)->regs.x[0], S(UMBRA_E_BAD_ADDRESS));
	ck_assert_uint_eq(call(UMBRA_HC_ATTEST, ram(NONCE_OFF), 32, ram(RAM_SIZE), 64)->regs.x[0],
			  S(UMBRA_E_BAD_ADDRESS));
	ck_assert_uint_eq(call(UMBRA_HC_ATTEST, ram(NONCE_OFF), 32, ~0xfffULL, 0x2000)->regs.x[0],
			  S(UMBRA_E_BAD_ADDRESS));
	/* the nonce is not the caller's */
	ck_assert_uint_eq(call(UMBRA_HC_ATTEST, ram(RAM_SIZE - 16), 32, ram(BUF_OFF),
			       4096)->regs.x[0], S(UMBRA_E_BAD_ADDRESS));
	ck_assert(untouched(BUF_OFF, RAM_SIZE - BUF_OFF));
}
END_TEST

START_TEST(test_derive_key)
{
	u8 k1[32], k2[32];

	memcpy(host(NONCE_OFF), "disk", 4);
	ck_assert_uint_eq(call(UMBRA_HC_DERIVE_KEY, ram(NONCE_OFF), 4, ram(BUF_OFF), 0)->regs.x[0],
			  UMBRA_OK);
	memcpy(k1, host(BUF_OFF), 32);
	ck_assert(untouched(BUF_OFF + 32, 64));
	ck_assert_uint_eq(call(UMBRA_HC_DERIVE_KEY, ram(NONCE_OFF), 4, ram(BUF_OFF + 64), 0)->regs.x[0],
			  UMBRA_OK);
	ck_assert(memcmp(k1, host(BUF_OFF + 64), 32) == 0);          /* stable */
	ck_assert_uint_eq(call(UMBRA_HC_DERIVE_KEY, ram(NONCE_OFF), 3, ram(BUF_OFF + 128), 0)->regs.x[0],
			  UMBRA_OK);
	memcpy(k2, host(BUF_OFF + 128), 32);
	ck_assert(memcmp(k1, k2, 32) != 0);                         /* per label */
	/* measured image changes: another partition key, another sealing key */
	host(0)[0] ^= 1;
	ck_assert_int_eq(attest_svc_partition(&g.p), 0);
	ck_assert_uint_eq(call(UMBRA_HC_DERIVE_KEY, ram(NONCE_OFF), 4, ram(BUF_OFF + 192), 0)->regs.x[0],
			  UMBRA_OK);
	ck_assert(memcmp(k1, host(BUF_OFF + 192), 32) != 0);
}
END_TEST

START_TEST(test_derive_key_bad_arguments)
{
	ck_assert_uint_eq(call(UMBRA_HC_DERIVE_KEY, ram(NONCE_OFF), 65, ram(BUF_OFF), 0)->regs.x[0],
			  S(UMBRA_E_INVALID_PARAM));
	ck_assert_uint_eq(call(UMBRA_HC_DERIVE_KEY, ram(NONCE_OFF), 4, ram(RAM_SIZE - 31), 0)->regs.x[0],
			  S(UMBRA_E_BAD_ADDRESS));
	ck_assert_uint_eq(call(UMBRA_HC_DERIVE_KEY, ram(RAM_SIZE - 2), 4, ram(BUF_OFF), 0)->regs.x[0],
			  S(UMBRA_E_BAD_ADDRESS));
	ck_assert(untouched(BUF_OFF, RAM_SIZE - BUF_OFF));
}
END_TEST

START_TEST(test_extend)
{
	s64 len;

	len = (s64)call(UMBRA_HC_ATTEST, ram(NONCE_OFF), 32, ram(BUF_OFF), 4096)->regs.x[0];
	ck_assert_int_gt(len, 0);
	ck_assert_uint_eq(call(UMBRA_HC_MEASURE_EXTEND, 4, ram(NONCE_OFF), 0, 0)->regs.x[0],
			  S(UMBRA_E_INVALID_PARAM));
	ck_assert_uint_eq(call(UMBRA_HC_MEASURE_EXTEND, 0, ram(RAM_SIZE - 8), 0, 0)->regs.x[0],
			  S(UMBRA_E_BAD_ADDRESS));
	/* nothing changed yet: the same token */
	ck_assert_int_eq((s64)call(UMBRA_HC_ATTEST, ram(NONCE_OFF), 32, ram(BUF_OFF + 0x2000),
				   4096)->regs.x[0], len);
	ck_assert(memcmp(host(BUF_OFF), host(BUF_OFF + 0x2000), (size_t)len) == 0);
	ck_assert_uint_eq(call(UMBRA_HC_MEASURE_EXTEND, 2, ram(NONCE_OFF), 0, 0)->regs.x[0], UMBRA_OK);
	ck_assert_int_eq((s64)call(UMBRA_HC_ATTEST, ram(NONCE_OFF), 32, ram(BUF_OFF + 0x2000),
				   4096)->regs.x[0], len);
	ck_assert(memcmp(host(BUF_OFF), host(BUF_OFF + 0x2000), (size_t)len) != 0);
}
END_TEST

static bool contains(const u8 *p, size_t len, const char *s)
{
	size_t n = strlen(s), i;

	for (i = 0; i + n <= len; i++)
		if (!memcmp(p + i, s, n))
			return true;
	return false;
}

/* label and key outside the measured "image" (the first 4 KiB) */
static void seal_key(u8 key[32])
{
	memcpy(host(0x8000), "disk", 4);
	ck_assert_uint_eq(call(UMBRA_HC_DERIVE_KEY, ram(0x8000), 4, ram(0x9000), 0)->regs.x[0],
			  UMBRA_OK);
	memcpy(key, host(0x9000), 32);
}

static s64 token_at(u64 off)
{
	memset(host(NONCE_OFF), 0x42, 32);
	return (s64)call(UMBRA_HC_ATTEST, ram(NONCE_OFF), 32, ram(off), 4096)->regs.x[0];
}

static void set_bootargs(const char *s)
{
	int node = fdt_path_offset(config_dtb, "/umbra/alpha");

	ck_assert_int_ge(node, 0);
	ck_assert_int_eq(fdt_setprop_string(config_dtb, node, "bootargs", s), 0);
}

START_TEST(test_config_measured)
{
	u8 k1[32], k2[32], k3[32];
	s64 len = token_at(BUF_OFF);

	ck_assert_int_gt(len, 0);
	ck_assert(contains(host(BUF_OFF), (size_t)len, "umbra/config"));
	ck_assert(contains(host(BUF_OFF), (size_t)len, "partition/config"));
	seal_key(k1);
	/* a restart re-measures the same node: the same key */
	ck_assert_int_eq(attest_svc_partition(&g.p), 0);
	seal_key(k2);
	ck_assert(memcmp(k1, k2, 32) == 0);
	/* other bootargs: partition/config changes, and with it the key */
	set_bootargs("console=ttyAMA0 rdinit=/bin/sh");
	ck_assert_int_eq(attest_svc_partition(&g.p), 0);
	seal_key(k2);
	ck_assert(memcmp(k1, k2, 32) != 0);
	/* ... also when Umbra boots from it (umbra/config changes as well) */
	boot(true);
	seal_key(k3);
	ck_assert(memcmp(k1, k3, 32) != 0);
	ck_assert(memcmp(k2, k3, 32) != 0);
	/* back to the first config: the first key */
	set_bootargs("console=ttyAMA0");
	boot(true);
	seal_key(k2);
	ck_assert(memcmp(k1, k2, 32) == 0);
	/* a node outside /umbra is not the configuration */
	ck_assert_int_eq(fdt_setprop_string(config_dtb, fdt_path_offset(config_dtb, "/chosen"),
					    "bootargs", "quiet"), 0);
	boot(true);
	seal_key(k2);
	ck_assert(memcmp(k1, k2, 32) == 0);
}
END_TEST

START_TEST(test_config_unmeasurable)
{
	static const u8 uds[ATTEST_UDS_LEN] = { 1 };
	struct attest_boot_info info = {
		.uds = uds,
		.umbra_image = umbra_image,
		.umbra_image_len = sizeof(umbra_image),
		.fdt = config_dtb,
		.fdt_size = 64,          /* shorter than the DTB */
		.board = "unit-test",
	};

	ck_assert_int_eq(attest_svc_boot(&info), -ATTEST_E_INVAL);
	ck_assert(!attest_svc_available());
	/* a partition with no node of its own cannot be measured */
	boot(true);
	memcpy(g.cfg.name, "beta", 5);
	ck_assert_int_eq(attest_svc_partition(&g.p), -ATTEST_E_INVAL);
	/* nothing of its earlier measurement stays usable: refused */
	ck_assert_uint_eq(call(UMBRA_HC_ATTEST, ram(NONCE_OFF), 32, ram(BUF_OFF), 4096)->regs.x[0],
			  S(UMBRA_E_NOT_SUPPORTED));
	ck_assert_uint_eq(call(UMBRA_HC_MEASURE_EXTEND, 4, ram(NONCE_OFF), 32, 0)->regs.x[0],
			  S(UMBRA_E_NOT_SUPPORTED));
	ck_assert(untouched(BUF_OFF, 4096));
}
END_TEST

static void *attest_call(void *done)
{
	call(UMBRA_HC_ATTEST, ram(NONCE_OFF), 32, ram(BUF_OFF), 4096);
	__atomic_store_n((bool *)done, true, __ATOMIC_RELEASE);
	return NULL;
}

/* While its measurement is being made (partition.c: at boot, on another
 * of its CPUs while it runs), its attestation calls wait for it, and so
 * does the measurement tag a live update reads. */
START_TEST(test_attest_waits_for_measurement)
{
	static bool done;
	pthread_t t;
	s64 len;

	done = false;
	__atomic_store_n(&g.p.measuring, true, __ATOMIC_RELEASE);
	ck_assert_int_eq(pthread_create(&t, NULL, attest_call, &done), 0);
	usleep(100 * 1000);
	ck_assert(!__atomic_load_n(&done, __ATOMIC_ACQUIRE));
	ck_assert(untouched(BUF_OFF, 4096));
	__atomic_store_n(&g.p.measuring, false, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	ck_assert(done);
	len = (s64)g.p.vcpu[0].regs.x[0];
	ck_assert_int_gt(len, 200);
	ck_assert_uint_eq(host(BUF_OFF)[0], 0xd2);
}
END_TEST

START_TEST(test_without_device_secret)
{
	boot(false);
	ck_assert_uint_eq(call(UMBRA_HC_ATTEST, ram(NONCE_OFF), 32, ram(BUF_OFF), 4096)->regs.x[0],
			  S(UMBRA_E_NOT_SUPPORTED));
	ck_assert_uint_eq(call(UMBRA_HC_DERIVE_KEY, ram(NONCE_OFF), 4, ram(BUF_OFF), 0)->regs.x[0],
			  S(UMBRA_E_NOT_SUPPORTED));
	ck_assert_uint_eq(call(UMBRA_HC_MEASURE_EXTEND, 0, ram(NONCE_OFF), 0, 0)->regs.x[0],
			  S(UMBRA_E_NOT_SUPPORTED));
	ck_assert(untouched(BUF_OFF, RAM_SIZE - BUF_OFF));
}
END_TEST

static struct vcpu *call5(u64 fid, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5)
{
	g.p.vcpu[0].regs.x[5] = a5;
	return call(fid, a1, a2, a3, a4);
}

/* EVENTS_READ: the caller's own events only unless it is an event-reader;
 * records in the wire form; buffers checked like every other call. */
START_TEST(test_events_read_call)
{
	struct vcpu *v = call(UMBRA_HC_EVENTS_READ, 0, 0, 0, 0);
	u64 head = v->regs.x[2];
	u8 want[EVENT_WIRE_SIZE];
	struct event_rec r;
	u64 next;

	ck_assert_uint_eq(v->regs.x[0], 0);
	log_event(g.p.id + 1, EV_TRAP, 1, 2, 3);      /* another partition's */
	log_event(g.p.id, EV_S2_FAULT, 0x9000000, 0x40080000, 1);
	v = call(UMBRA_HC_EVENTS_READ, head, ram(BUF_OFF), 4 * UMBRA_EVENT_SIZE, 0);
	ck_assert_uint_eq(v->regs.x[0], 1);
	ck_assert_uint_eq(v->regs.x[1], head + 2);
	ck_assert_uint_eq(v->regs.x[2], head + 2);
	events_read(head + 1, true, 0, &r, 1, &next);
	event_encode(&r, want);
	ck_assert(memcmp(host(BUF_OFF), want, sizeof(want)) == 0);
	ck_assert(untouched(BUF_OFF + UMBRA_EVENT_SIZE, 3 * UMBRA_EVENT_SIZE));
	g.cfg.event_reader = true;
	v = call(UMBRA_HC_EVENTS_READ, head, ram(BUF_OFF), 4 * UMBRA_EVENT_SIZE, 0);
	ck_assert_uint_eq(v->regs.x[0], 2);
	ck_assert_uint_eq(host(BUF_OFF)[16], (u8)(g.p.id + 1));
	/* bad buffers: nothing written */
	memset(host(BUF_OFF), 0xee, 0x1000);
	ck_assert_uint_eq(call(UMBRA_HC_EVENTS_READ, head, ram(BUF_OFF), UMBRA_EVENT_SIZE - 1,
			       0)->regs.x[0], S(UMBRA_E_INVALID_PARAM));
	ck_assert_uint_eq(call(UMBRA_HC_EVENTS_READ, head, ram(RAM_SIZE - 16), UMBRA_EVENT_SIZE,
			       0)->regs.x[0], S(UMBRA_E_BAD_ADDRESS));
	ck_assert_uint_eq(call(UMBRA_HC_EVENTS_READ, head, ~0ULL - 8, 0x100, 0)->regs.x[0],
			  S(UMBRA_E_BAD_ADDRESS));
	ck_assert(untouched(BUF_OFF, 0x1000));
}
END_TEST

/* find needle in hay */
static bool find_bytes(const u8 *hay, size_t n, const u8 *needle, size_t m)
{
	for (size_t i = 0; i + m <= n; i++)
		if (!memcmp(hay + i, needle, m))
			return true;
	return false;
}

/* EVENTS_REPORT: the report bytes, then a token whose claim -76001 is
 * SHA-256 of exactly those bytes; ATTEST never carries that claim. */
START_TEST(test_events_report_binding)
{
	u64 head = call(UMBRA_HC_EVENTS_READ, 0, 0, 0, 0)->regs.x[2];
	/* CBOR: key -76001 (0x3a 0x000128e0), then a 32-byte bstr */
	u8 claim[5 + 2 + ATTEST_DIGEST_LEN] = { 0x3a, 0x00, 0x01, 0x28, 0xe0, 0x58, 0x20 };

	log_event(g.p.id, EV_PART_PANIC, 0, 0, 0);
	log_event(g.p.id, EV_PART_RESTART, 1, 0, EV_CAUSE_PANIC);
	struct vcpu *v = call5(UMBRA_HC_EVENTS_REPORT, ram(NONCE_OFF), 32, head, ram(BUF_OFF), 8192);
	s64 total = (s64)v->regs.x[0];
	u64 rlen = v->regs.x[1];

	ck_assert_uint_eq(rlen, UMBRA_REPORT_HDR_SIZE + 2 * UMBRA_EVENT_SIZE);
	ck_assert_int_gt(total, (s64)rlen + 200);
	ck_assert_uint_eq(v->regs.x[2], head + 2);
	ck_assert(memcmp(host(BUF_OFF), UMBRA_REPORT_MAGIC, 8) == 0);
	ck_assert_uint_eq(host(BUF_OFF + rlen)[0], 0xd2);
	attest_sha256(host(BUF_OFF), rlen, claim + 7);
	ck_assert(find_bytes(host(BUF_OFF + rlen), (size_t)total - rlen, claim, sizeof(claim)));
	/* one byte of the events changed: not the digest in the token */
	host(BUF_OFF)[UMBRA_REPORT_HDR_SIZE + 20] ^= 1;
	attest_sha256(host(BUF_OFF), rlen, claim + 7);
	ck_assert(!find_bytes(host(BUF_OFF + rlen), (size_t)total - rlen, claim, sizeof(claim)));
	/* a plain token never has the claim's key */
	v = call(UMBRA_HC_ATTEST, ram(NONCE_OFF), 32, ram(BUF_OFF + 0x3000), 4096);
	ck_assert(!find_bytes(host(BUF_OFF + 0x3000), v->regs.x[0], claim, 5));
}
END_TEST

START_TEST(test_events_report_bad_arguments)
{
	struct vcpu *v = call5(UMBRA_HC_EVENTS_REPORT, ram(NONCE_OFF), 32, 0, ram(BUF_OFF), 64);
	u64 needed = v->regs.x[1];

	ck_assert_uint_eq(v->regs.x[0], S(UMBRA_E_NO_MEMORY));
	ck_assert(untouched(BUF_OFF, 0x2000));
	ck_assert_uint_eq(call5(UMBRA_HC_EVENTS_REPORT, ram(NONCE_OFF), 31, 0, ram(BUF_OFF),
				8192)->regs.x[0], S(UMBRA_E_INVALID_PARAM));
	ck_assert_uint_eq(call5(UMBRA_HC_EVENTS_REPORT, ram(RAM_SIZE - 8), 32, 0, ram(BUF_OFF),
				8192)->regs.x[0], S(UMBRA_E_BAD_ADDRESS));
	ck_assert_uint_eq(call5(UMBRA_HC_EVENTS_REPORT, ram(NONCE_OFF), 32, 0, ram(RAM_SIZE - 64),
				8192)->regs.x[0], S(UMBRA_E_BAD_ADDRESS));
	ck_assert(untouched(BUF_OFF, 0x2000));
	v = call5(UMBRA_HC_EVENTS_REPORT, ram(NONCE_OFF), 32, 0, ram(BUF_OFF), needed);
	ck_assert_uint_eq(v->regs.x[0], needed);
}
END_TEST

Suite *attest_svc_suite(void)
{
	Suite *s = suite_create("attest_svc");
	TCase *tc = tcase_create("hypercalls");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_attest_token);
	tcase_add_test(tc, test_attest_waits_for_measurement);
	tcase_add_test(tc, test_attest_umbra_version);
	tcase_add_test(tc, test_attest_short_buffer);
	tcase_add_test(tc, test_attest_signed_image);
	tcase_add_test(tc, test_attest_bad_arguments);
	tcase_add_test(tc, test_derive_key);
	tcase_add_test(tc, test_derive_key_bad_arguments);
	tcase_add_test(tc, test_extend);
	tcase_add_test(tc, test_config_measured);
	tcase_add_test(tc, test_config_unmeasurable);
	tcase_add_test(tc, test_without_device_secret);
	tcase_add_test(tc, test_events_read_call);
	tcase_add_test(tc, test_events_report_binding);
	tcase_add_test(tc, test_events_report_bad_arguments);
	suite_add_tcase(s, tc);
	return s;
}
