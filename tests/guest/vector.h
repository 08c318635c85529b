// SPDX-License-Identifier: Apache-2.0
/*
 * The verification-vector table: tools/vecgen.py compiles tests/vectors/
 * *.vec into a const array of struct vec (build/tests/guest/vectors.c) and
 * the test guest runs it. The table holds no pointers: names and buffers
 * are offsets into vec_names[] and vec_pool[], and addresses that depend on
 * the partition are (symbol, offset) pairs resolved at run time from the
 * guest's device tree. See tests/vectors/README.md for the text format.
 */
#ifndef GUEST_VECTOR_H
#define GUEST_VECTOR_H

#include <stdint.h>

enum vec_op {
	VEC_HVC,          /* HVC #0: fid, args[0..nargs) in x1.. */
	VEC_SMC,          /* SMC #0, same registers */
	VEC_READ,         /* load of `width` bytes from args[0] */
	VEC_WRITE,        /* store of args[1] (`width` bytes) to args[0] */
};

enum vec_expect {
	VEC_EXPECT_RESULT, /* calls: the registers in `check` equal want[] */
	VEC_EXPECT_OK,     /* no exception (reads: value == want[0] if check) */
	VEC_EXPECT_ABORT,  /* synchronous external abort: EC 0x25, DFSC 0x10 */
};

/* What a value is relative to. Everything but VEC_SYM_NONE is only known
 * at run time. */
enum vec_sym {
	VEC_SYM_NONE,     /* a plain number */
	VEC_SYM_RAM_BASE, /* first /memory region: base */
	VEC_SYM_RAM_END,  /*   base + size */
	VEC_SYM_RAM_SIZE, /*   size */
	VEC_SYM_GICD,     /* arm,gic-v3 reg[0] */
	VEC_SYM_GICR,     /* arm,gic-v3 reg[1] */
	VEC_SYM_UART,     /* arm,pl011 reg[0] */
	VEC_SYM_DTB,      /* the device tree's address (x0 at entry) */
	VEC_SYM_BUF,      /* vec_pool + offset */
	VEC_NR_SYMS
};

struct vec_val {
	uint64_t off;     /* the value, or the offset from sym (mod 2^64) */
	uint32_t sym;     /* enum vec_sym */
	uint32_t reserved;
};

#define VEC_MAX_ARGS 6

/* struct vec.check: compare result register xn (reads: the value read,
 * n = 0) with want[n]; x0 was written as ret= (print it signed). */
#define VEC_CHECK_X(n)  (1u << (n))
#define VEC_SHOW_RET    (1u << 4)

struct vec {
	uint32_t name;    /* offset of the NUL-terminated name in vec_names */
	uint32_t fid;     /* calls: function ID */
	uint8_t op;       /* enum vec_op */
	uint8_t expect;   /* enum vec_expect */
	uint8_t nargs;    /* calls: arguments given (the rest are 0) */
	uint8_t width;    /* probes: access size in bytes (1, 2, 4, 8) */
	uint8_t check;    /* VEC_CHECK_X(n), VEC_SHOW_RET */
	uint8_t reserved[3];
	struct vec_val args[VEC_MAX_ARGS];
	struct vec_val want[4];
};

extern const struct vec vec_table[];
extern const uint32_t vec_count;
extern const char vec_names[];
extern const unsigned char vec_pool[];

#endif
