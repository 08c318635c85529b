// SPDX-License-Identifier: Apache-2.0
/*
 * NIST P-256 signing and verification arithmetic (p256.h). Elements mod p and mod n are
 * 4 little-endian 64-bit limbs; products go through unsigned __int128.
 * Mod p everything stays in Montgomery form (a·2^256 mod p). Points are
 * projective (X:Y:Z) with the complete formulas of Renes, Costello and
 * Batina (ePrint 2015/1060, algorithms 5 and 6, a = -3): no exceptional
 * case, the point at infinity is (0:1:0). k·G is a comb with 4 teeth 64
 * bits apart: 64 doublings and 64 mixed additions of table[d], d the
 * 4 bits k[i], k[64+i], k[128+i], k[192+i], read by a masked scan.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attest/p256.h"

typedef uint64_t fe[4];
typedef unsigned __int128 u128;

struct jpoint {
	fe x, y, z;
};

struct apoint {
	fe x, y;
};

static const fe P = { 0xffffffffffffffff, 0x00000000ffffffff, 0x0000000000000000,
		      0xffffffff00000001 };
static const fe N = { 0xf3b9cac2fc632551, 0xbce6faada7179e84, 0xffffffffffffffff,
		      0xffffffff00000000 };
#define P_M0 1u                        /* -p^-1 mod 2^64 */
#define N_M0 0xccd1c8aaee00bc4full     /* -n^-1 mod 2^64 */
/* b, 1 and 2^512 mod p in Montgomery form; 2^512 mod n */
static const fe B_MONT = { 0xd89cdf6229c4bddf, 0xacf005cd78843090, 0xe5a220abf7212ed6,
			   0xdc30061d04874834 };
static const fe ONE_P = { 0x0000000000000001, 0xffffffff00000000, 0xffffffffffffffff,
			  0x00000000fffffffe };
static const fe RR_P = { 0x0000000000000003, 0xfffffffbffffffff, 0xfffffffffffffffe,
			 0x00000004fffffffd };
static const fe RR_N = { 0x83244c95be79eea2, 0x4699799c49bd6fa6, 0x2845b2392b6bec59,
			 0x66e12d94f3d95620 };

/* G, affine, Montgomery form: table[0] */
static const struct apoint G_MONT = {
	{ 0x79e730d418a9143c, 0x75ba95fc5fedb601, 0x79fb732b77622510, 0x18905f76a53755c6 },
	{ 0xddf25357ce95560a, 0x8b4ab8e4ba19e45c, 0xd2e88688dd21f325, 0x8571ff1825885d85 },
};

/*
 * table[d - 1] = sum of bit j of d · 2^(64 j) · G, affine, Montgomery
 * form: made once, at the first use (comb_table, at boot), rather than
 * stored (960 bytes of image).
 */
static struct apoint table[15];
static bool table_made;

/* all ones when c (0 or 1) is 1 */
static uint64_t mask(uint64_t c)
{
	return (uint64_t)0 - c;
}

/* r = (hi:t) mod m, given (hi:t) < 2m: one masked subtraction */
static void reduce_once(fe r, const fe t, uint64_t hi, const fe m)
{
	uint64_t d[4], borrow = 0, keep;
	int i;

#pragma GCC unroll 4
	for (i = 0; i < 4; i++) {
		u128 x = (u128)t[i] - m[i] - borrow;

		d[i] = (uint64_t)x;
		borrow = (uint64_t)(x >> 64) & 1;
	}
	/* t < m exactly when the subtraction borrows out of hi */
	keep = mask(borrow & (hi ^ 1));
#pragma GCC unroll 4
	for (i = 0; i < 4; i++)
		r[i] = (t[i] & keep) | (d[i] & ~keep);
}

/*
 * r = a·b·2^-256 mod m (CIOS), a, b < m; r may alias a or b. Inlined
 * into fmul and nmul, so each is compiled for its constant modulus.
 */
static inline __attribute__((always_inline)) void mont_mul(fe r, const fe a, const fe b, const fe m, uint64_t m0)
{
	uint64_t t[6] = { 0 };
	int i, j;

	for (i = 0; i < 4; i++) {
		u128 c = 0;
		uint64_t q;

#pragma GCC unroll 4
		for (j = 0; j < 4; j++) {
			c += (u128)a[j] * b[i] + t[j];
			t[j] = (uint64_t)c;
			c >>= 64;
		}
		c += t[4];
		t[4] = (uint64_t)c;
		t[5] = (uint64_t)(c >> 64);
		q = t[0] * m0;
		c = ((u128)q * m[0] + t[0]) >> 64;
#pragma GCC unroll 3
		for (j = 1; j < 4; j++) {
			c += (u128)q * m[j] + t[j];
			t[j - 1] = (uint64_t)c;
			c >>= 64;
		}
		c += t[4];
		t[3] = (uint64_t)c;
		t[4] = t[5] + (uint64_t)(c >> 64);
	}
	reduce_once(r, t, t[4], m);
}

/* r = a + b mod m, a, b < m */
static void mod_add(fe r, const fe a, const fe b, const fe m)
{
	uint64_t t[4];
	u128 c = 0;
	int i;

#pragma GCC unroll 4
	for (i = 0; i < 4; i++) {
		c += (u128)a[i] + b[i];
		t[i] = (uint64_t)c;
		c >>= 64;
	}
	reduce_once(r, t, (uint64_t)c, m);
}

/* r = a - b mod m, a, b < m */
static void mod_sub(fe r, const fe a, const fe b, const fe m)
{
	uint64_t t[4], borrow = 0, add;
	u128 c = 0;
	int i;

#pragma GCC unroll 4
	for (i = 0; i < 4; i++) {
		u128 x = (u128)a[i] - b[i] - borrow;

		t[i] = (uint64_t)x;
		borrow = (uint64_t)(x >> 64) & 1;
	}
	add = mask(borrow);
#pragma GCC unroll 4
	for (i = 0; i < 4; i++) {
		c += (u128)t[i] + (m[i] & add);
		r[i] = (uint64_t)c;
		c >>= 64;
	}
}

static void fmul(fe r, const fe a, const fe b)
{
	mont_mul(r, a, b, P, P_M0);
}

static void nmul(fe r, const fe a, const fe b)
{
	mont_mul(r, a, b, N, N_M0);
}

static void fadd(fe r, const fe a, const fe b)
{
	mod_add(r, a, b, P);
}

static void fsub(fe r, const fe a, const fe b)
{
	mod_sub(r, a, b, P);
}

typedef void (*mul_fn)(fe r, const fe a, const fe b);

/* r = a^e in Montgomery form for a public exponent e (square and multiply) */
static void mont_pow(fe r, const fe a, const fe e, mul_fn mul, const fe one)
{
	fe acc;
	int i;

	for (i = 0; i < 4; i++)
		acc[i] = one[i];
	for (i = 255; i >= 0; i--) {
		mul(acc, acc, acc);
		if ((e[i / 64] >> (i % 64)) & 1)   /* public: the exponent */
			mul(acc, acc, a);
	}
	for (i = 0; i < 4; i++)
		r[i] = acc[i];
}

/* r = 2·P (RCB algorithm 6); r may alias p */
static void point_double(struct jpoint *r, const struct jpoint *p)
{
	fe t0, t1, t2, t3, x3, y3, z3;

	fmul(t0, p->x, p->x);
	fmul(t1, p->y, p->y);
	fmul(t2, p->z, p->z);
	fmul(t3, p->x, p->y);
	fadd(t3, t3, t3);
	fmul(z3, p->x, p->z);
	fadd(z3, z3, z3);
	fmul(y3, B_MONT, t2);
	fsub(y3, y3, z3);
	fadd(x3, y3, y3);
	fadd(y3, x3, y3);
	fsub(x3, t1, y3);
	fadd(y3, t1, y3);
	fmul(y3, x3, y3);
	fmul(x3, x3, t3);
	fadd(t3, t2, t2);
	fadd(t2, t2, t3);
	fmul(z3, B_MONT, z3);
	fsub(z3, z3, t2);
	fsub(z3, z3, t0);
	fadd(t3, z3, z3);
	fadd(z3, z3, t3);
	fadd(t3, t0, t0);
	fadd(t0, t3, t0);
	fsub(t0, t0, t2);
	fmul(t0, t0, z3);
	fadd(y3, y3, t0);
	fmul(t0, p->y, p->z);
	fadd(t0, t0, t0);
	fmul(z3, t0, z3);
	fsub(x3, x3, z3);
	fmul(z3, t0, t1);
	fadd(z3, z3, z3);
	fadd(z3, z3, z3);
	for (int i = 0; i < 4; i++) {
		r->x[i] = x3[i];
		r->y[i] = y3[i];
		r->z[i] = z3[i];
	}
}

/* r = p + q, q affine and not the point at infinity (RCB algorithm 5) */
static void point_add_affine(struct jpoint *r, const struct jpoint *p,
			     const struct apoint *q)
{
	fe t0, t1, t2, t3, t4, x3, y3, z3;

	fmul(t0, p->x, q->x);
	fmul(t1, p->y, q->y);
	fadd(t3, q->x, q->y);
	fadd(t4, p->x, p->y);
	fmul(t3, t3, t4);
	fadd(t4, t0, t1);
	fsub(t3, t3, t4);
	fmul(t4, q->y, p->z);
	fadd(t4, t4, p->y);
	fmul(y3, q->x, p->z);
	fadd(y3, y3, p->x);
	fmul(z3, B_MONT, p->z);
	fsub(x3, y3, z3);
	fadd(z3, x3, x3);
	fadd(x3, x3, z3);
	fsub(z3, t1, x3);
	fadd(x3, t1, x3);
	fmul(y3, B_MONT, y3);
	fadd(t1, p->z, p->z);
	fadd(t2, t1, p->z);
	fsub(y3, y3, t2);
	fsub(y3, y3, t0);
	fadd(t1, y3, y3);
	fadd(y3, t1, y3);
	fadd(t1, t0, t0);
	fadd(t0, t1, t0);
	fsub(t0, t0, t2);
	fmul(t1, t4, y3);
	fmul(t2, t0, y3);
	fmul(y3, x3, z3);
	fadd(y3, y3, t2);
	fmul(x3, t3, x3);
	fsub(x3, x3, t1);
	fmul(z3, t4, z3);
	fmul(t1, t3, t0);
	fadd(z3, z3, t1);
	for (int i = 0; i < 4; i++) {
		r->x[i] = x3[i];
		r->y[i] = y3[i];
		r->z[i] = z3[i];
	}
}

static void decode(fe r, const uint8_t b[P256_SCALAR_LEN])
{
	int i, j;

	for (i = 0; i < 4; i++) {
		r[i] = 0;
		for (j = 0; j < 8; j++)
			r[i] = (r[i] << 8) | b[(3 - i) * 8 + j];
	}
}

static void encode(uint8_t b[P256_SCALAR_LEN], const fe a)
{
	int i, j;

	for (i = 0; i < 4; i++)
		for (j = 0; j < 8; j++)
			b[(3 - i) * 8 + j] = (uint8_t)(a[i] >> (56 - 8 * j));
}

/* 1 when a < m, else 0: the subtraction a - m borrows; constant time */
static uint64_t below(const fe a, const fe m)
{
	uint64_t borrow = 0;
	int i;

	for (i = 0; i < 4; i++) {
		u128 x = (u128)a[i] - m[i] - borrow;

		borrow = (uint64_t)(x >> 64) & 1;
	}
	return borrow;
}

/* 1 when 0 < k < n, else 0; constant time */
static uint64_t scalar_ok(const fe k)
{
	uint64_t any = k[0] | k[1] | k[2] | k[3];

	/* k != 0: the top bit of any | -any */
	return below(k, N) & ((any | (0 - any)) >> 63);
}

static void wipe(void *p, unsigned n)
{
	volatile uint8_t *v = p;

	while (n--)
		*v++ = 0;
}

/* (x, y) = (X/Z, Y/Z) out of Montgomery form; Z != 0. 1/Z by Fermat. */
static void to_affine(fe x, fe y, const struct jpoint *q)
{
	static const fe p_minus_2 = { 0xfffffffffffffffd, 0x00000000ffffffff,
				      0x0000000000000000, 0xffffffff00000001 };
	static const fe one = { 1, 0, 0, 0 };
	fe zi;

	mont_pow(zi, q->z, p_minus_2, fmul, ONE_P);
	fmul(x, q->x, zi);
	fmul(y, q->y, zi);
	fmul(x, x, one);
	fmul(y, y, one);
	wipe(zi, sizeof(zi));
}

/* the point at infinity (0:1:0), or a (affine, Montgomery) as projective */
static void to_proj(struct jpoint *q, const struct apoint *a)
{
	int j;

	for (j = 0; j < 4; j++) {
		q->x[j] = a ? a->x[j] : 0;
		q->y[j] = a ? a->y[j] : ONE_P[j];
		q->z[j] = a ? ONE_P[j] : 0;
	}
}

/* a = q, affine in Montgomery form (to_affine's plain result times R) */
static void to_affine_mont(struct apoint *a, const struct jpoint *q)
{
	to_affine(a->x, a->y, q);
	fmul(a->x, a->x, RR_P);
	fmul(a->y, a->y, RR_P);
}

/* The comb's table from G: 192 doublings, 11 additions, 18 inversions.
 * Nothing secret goes in. The first use is at boot, on the boot CPU
 * (the attestation key or an image signature), before any other runs. */
static void comb_table(void)
{
	struct apoint b[4]; /* 2^(64 j) · G */
	struct jpoint q, s;
	unsigned d, i, j;

	if (__atomic_load_n(&table_made, __ATOMIC_ACQUIRE))
		return;
	b[0] = G_MONT;
	for (j = 1; j < 4; j++) {
		to_proj(&q, &b[j - 1]);
		for (i = 0; i < 64; i++)
			point_double(&q, &q);
		to_affine_mont(&b[j], &q);
	}
	for (d = 1; d <= 15; d++) {
		to_proj(&q, NULL);
		for (j = 0; j < 4; j++)
			if ((d >> j) & 1) {
				point_add_affine(&s, &q, &b[j]);
				q = s;
			}
		to_affine_mont(&table[d - 1], &q);
	}
	__atomic_store_n(&table_made, true, __ATOMIC_RELEASE);
}

/* q = k·G, projective; k < n (k = 0 gives the point at infinity) */
static void comb(struct jpoint *out, const fe k)
{
	struct jpoint q, s;
	struct apoint t;
	int i, j, e;

	comb_table();
	to_proj(&q, NULL);
	for (i = 63; i >= 0; i--) {
		uint64_t d = 0, use;

		point_double(&q, &q);
		for (j = 0; j < 4; j++)
			d |= ((k[j] >> i) & 1) << j;
		/* t = table[d - 1] by a full masked scan */
		for (j = 0; j < 4; j++)
			t.x[j] = t.y[j] = 0;
		for (e = 1; e <= 15; e++) {
			uint64_t m = mask((((d ^ (uint64_t)e) - 1) >> 63) & 1);

			for (j = 0; j < 4; j++) {
				t.x[j] |= table[e - 1].x[j] & m;
				t.y[j] |= table[e - 1].y[j] & m;
			}
		}
		point_add_affine(&s, &q, &t);
		/* keep q when d = 0 (table entry "infinity") */
		use = mask(((0 - d) >> 63) & 1);
		for (j = 0; j < 4; j++) {
			q.x[j] = (s.x[j] & use) | (q.x[j] & ~use);
			q.y[j] = (s.y[j] & use) | (q.y[j] & ~use);
			q.z[j] = (s.z[j] & use) | (q.z[j] & ~use);
		}
	}
	*out = q;
	wipe(&q, sizeof(q));
	wipe(&s, sizeof(s));
	wipe(&t, sizeof(t));
}

/* (x, y) = k·G, plain (not Montgomery) affine coordinates; 0 < k < n */
static void mulgen(fe x, fe y, const fe k)
{
	struct jpoint q;

	comb(&q, k);
	to_affine(x, y, &q);
	wipe(&q, sizeof(q));
}

int p256_mulgen(const uint8_t k[P256_SCALAR_LEN], uint8_t pub[P256_POINT_LEN])
{
	fe kk, x, y;
	int ret = -1;

	decode(kk, k);
	if (scalar_ok(kk)) {
		mulgen(x, y, kk);
		pub[0] = 0x04;
		encode(pub + 1, x);
		encode(pub + 1 + P256_SCALAR_LEN, y);
		ret = 0;
	}
	wipe(kk, sizeof(kk));
	return ret;
}

void p256_reduce_n(const uint8_t in[P256_SCALAR_LEN], uint8_t out[P256_SCALAR_LEN])
{
	fe a;

	decode(a, in);
	reduce_once(a, a, 0, N);
	encode(out, a);
}

/* r = a^-1·2^256 mod n (Montgomery form) for 0 < a < n, by Fermat */
static void inv_n(fe r, const fe a)
{
	static const fe n_minus_2 = { 0xf3b9cac2fc63254f, 0xbce6faada7179e84,
				      0xffffffffffffffff, 0xffffffff00000000 };
	/* 2^256 mod n: 1 in Montgomery form */
	static const fe one_n = { 0x0c46353d039cdaaf, 0x4319055258e8617b,
				  0x0000000000000000, 0x00000000ffffffff };

	nmul(r, a, RR_N);
	mont_pow(r, r, n_minus_2, nmul, one_n);
}

int p256_ecdsa_sign(const uint8_t d[P256_SCALAR_LEN], const uint8_t h[P256_SCALAR_LEN],
		    const uint8_t k[P256_SCALAR_LEN], uint8_t sig[P256_SIG_LEN])
{
	fe dd, kk, hh, r, y, t;

	decode(dd, d);
	decode(kk, k);
	decode(hh, h);
	if (!(scalar_ok(dd) & scalar_ok(kk)))
		return -1;
	mulgen(r, y, kk);
	reduce_once(r, r, 0, N);            /* x < p < 2n */
	inv_n(kk, kk);         /* k^-1·R */
	nmul(dd, dd, RR_N);    /* d·R */
	nmul(t, r, dd);        /* r·d */
	mod_add(t, t, hh, N);               /* h + r·d */
	nmul(t, t, kk);        /* (h + r·d) / k */
	encode(sig, r);
	encode(sig + P256_SCALAR_LEN, t);
	wipe(dd, sizeof(dd));
	wipe(kk, sizeof(kk));
	wipe(t, sizeof(t));
	return 0;
}

/* Q from 0x04 || X || Y, Montgomery form: 0, or -1 when the encoding is
 * not of a point of the curve (X, Y < p and y² = x³ - 3x + b; P-256 has
 * cofactor 1, so such a point has order n) */
static int point_decode(struct apoint *q, const uint8_t pub[P256_POINT_LEN])
{
	fe y2, rhs, t;

	if (pub[0] != 0x04)
		return -1;
	decode(q->x, pub + 1);
	decode(q->y, pub + 1 + P256_SCALAR_LEN);
	if (!below(q->x, P) || !below(q->y, P))
		return -1;
	fmul(q->x, q->x, RR_P);
	fmul(q->y, q->y, RR_P);
	fmul(y2, q->y, q->y);
	fmul(rhs, q->x, q->x);
	fmul(rhs, rhs, q->x);
	fadd(t, q->x, q->x);
	fadd(t, t, q->x);
	fsub(rhs, rhs, t);
	fadd(rhs, rhs, B_MONT);
	return (y2[0] ^ rhs[0]) | (y2[1] ^ rhs[1]) | (y2[2] ^ rhs[2]) | (y2[3] ^ rhs[3]) ? -1 : 0;
}

/*
 * u1·G + u2·Q with u1 < n, 0 < u2 < n (SEC 1 4.1.4 step 5). u1·G by the
 * comb, u2·Q by double-and-add over Q's bits (all public: no masking),
 * u2·Q to affine (never infinity: Q has order n), then one complete
 * mixed addition.
 */
static void mul2(struct jpoint *r, const fe u1, const fe u2, const struct apoint *q)
{
	struct jpoint acc = { { 0 }, { 0 }, { 0 } };
	struct apoint a;
	int i;

	for (i = 0; i < 4; i++)
		acc.y[i] = ONE_P[i];
	for (i = 255; i >= 0; i--) {
		point_double(&acc, &acc);
		if ((u2[i / 64] >> (i % 64)) & 1)
			point_add_affine(&acc, &acc, q);
	}
	to_affine(a.x, a.y, &acc);
	fmul(a.x, a.x, RR_P);
	fmul(a.y, a.y, RR_P);
	comb(r, u1);
	point_add_affine(r, r, &a);
}

int p256_ecdsa_verify(const uint8_t pub[P256_POINT_LEN], const uint8_t h[P256_SCALAR_LEN],
		      const uint8_t sig[P256_SIG_LEN])
{
	static const fe zero = { 0, 0, 0, 0 };
	struct apoint q;
	struct jpoint rp;
	fe r, s, e, w, u1, u2, x, y;

	decode(r, sig);
	decode(s, sig + P256_SCALAR_LEN);
	if (!scalar_ok(r) || !scalar_ok(s) || point_decode(&q, pub))
		return -1;
	decode(e, h);
	reduce_once(e, e, 0, N);
	inv_n(w, s);           /* s^-1·R */
	nmul(u1, e, w);        /* e/s */
	nmul(u2, r, w);        /* r/s, not 0 */
	mul2(&rp, u1, u2, &q);
	if (!below(zero, rp.z))  /* the point at infinity: Z = 0 */
		return -1;
	to_affine(x, y, &rp);
	reduce_once(x, x, 0, N);   /* x < p < 2n */
	return (x[0] ^ r[0]) | (x[1] ^ r[1]) | (x[2] ^ r[2]) | (x[3] ^ r[3]) ? -1 : 0;
}
