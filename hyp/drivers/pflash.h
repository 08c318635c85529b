/* SPDX-License-Identifier: Apache-2.0 */
/* CFI parallel NOR flash with the Intel/Sharp command set (cfi-flash, as
 * QEMU virt's pflash_cfi01), 32-bit bank width: just what the
 * anti-rollback store needs. */
#ifndef UMBRA_PFLASH_H
#define UMBRA_PFLASH_H

#include "umbra/types.h"

struct pflash {
	volatile u32 *base;         /* mapped at EL2 as device memory */
	u64 size;
};

/* Read len bytes (multiple of 4) at off (multiple of 4). */
void pflash_read(const struct pflash *f, u64 off, void *buf, u64 len);
/* Erase the block at off; 0 or -1 (the chip reported an error or timed out). */
int pflash_erase(const struct pflash *f, u64 off);
/* Program len bytes (multiple of 4) at off into erased flash; 0 or -1. */
int pflash_program(const struct pflash *f, u64 off, const void *buf, u64 len);

#endif
