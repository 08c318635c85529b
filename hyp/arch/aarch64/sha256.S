// SPDX-License-Identifier: Apache-2.0
/* SHA-256 compression with the Armv8 Cryptographic Extension (SHA256H,
 * SHA256H2, SHA256SU0, SHA256SU1; ID_AA64ISAR0_EL1.SHA2). Measuring a
 * partition's images is most of Umbra's boot: this is about 15 times
 * fewer instructions than the portable code (docs/performance.md).
 *
 * It runs at EL2 on whatever CPU measures, whose FP/SIMD registers may be
 * a guest's: the registers it uses are saved and restored here. FPSR and
 * FPCR are untouched (integer SIMD only). */
#include "asm.h"

	.arch	armv8-a+crypto

/* Four rounds with schedule group w0 (v0 ABCD, v1 EFGH, x3 the next four
 * constants); ext: also compute the group 4 on into w0. */
.macro	quad w0, w1, w2, w3, ext
	ld1	{v20.4s}, [x3], #16
	add	v20.4s, v20.4s, \w0\().4s
	.if	\ext
	sha256su0 \w0\().4s, \w1\().4s
	.endif
	mov	v21.16b, v0.16b
	sha256h	q0, q1, v20.4s
	sha256h2 q1, q21, v20.4s
	.if	\ext
	sha256su1 \w0\().4s, \w2\().4s, \w3\().4s
	.endif
.endm

/* void arch_sha256_blocks(u32 state[8], const void *data, u64 nblocks)
 * state: a, b, ..., h; data: nblocks 64-byte blocks, any alignment. */
FUNC(arch_sha256_blocks)
	sub	sp, sp, #160
	stp	q0, q1, [sp, #0]
	stp	q2, q3, [sp, #32]
	stp	q16, q17, [sp, #64]
	stp	q18, q19, [sp, #96]
	stp	q20, q21, [sp, #128]
	ld1	{v0.4s, v1.4s}, [x0]		// ABCD, EFGH
	cbz	x2, 3f
1:	ld1	{v16.16b-v19.16b}, [x1], #64	// W0..W15
	rev32	v16.16b, v16.16b		// big-endian words
	rev32	v17.16b, v17.16b
	rev32	v18.16b, v18.16b
	rev32	v19.16b, v19.16b
	mov	v2.16b, v0.16b
	mov	v3.16b, v1.16b
	adr_l	x3, sha256_k
	/* 16 groups of 4 rounds; the first 12 also extend the schedule: the
	 * group in w0 is used, then replaced by the one 4 groups on (FIPS
	 * 180-4 6.2.2) */
	.rept	3
	quad	v16, v17, v18, v19, 1
	quad	v17, v18, v19, v16, 1
	quad	v18, v19, v16, v17, 1
	quad	v19, v16, v17, v18, 1
	.endr
	quad	v16, v17, v18, v19, 0
	quad	v17, v18, v19, v16, 0
	quad	v18, v19, v16, v17, 0
	quad	v19, v16, v17, v18, 0
	add	v0.4s, v0.4s, v2.4s
	add	v1.4s, v1.4s, v3.4s
	subs	x2, x2, #1
	b.ne	1b
	st1	{v0.4s, v1.4s}, [x0]
3:	ldp	q0, q1, [sp, #0]
	ldp	q2, q3, [sp, #32]
	ldp	q16, q17, [sp, #64]
	ldp	q18, q19, [sp, #96]
	ldp	q20, q21, [sp, #128]
	add	sp, sp, #160
	ret
ENDFUNC(arch_sha256_blocks)

	.section .rodata.sha256_k, "a"
	.balign	16
sha256_k:	// FIPS 180-4 4.2.2
	.word	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5
	.word	0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5
	.word	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3
	.word	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174
	.word	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc
	.word	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da
	.word	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7
	.word	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967
	.word	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13
	.word	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85
	.word	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3
	.word	0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070
	.word	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5
	.word	0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3
	.word	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208
	.word	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
