// SPDX-License-Identifier: Apache-2.0
/* CFI flash, Intel command set (JEDEC JESD68 / Intel 28F series): block
 * erase 0x20+0xd0, word program 0x40, read status 0x70, clear status 0x50,
 * read array 0xff. Commands go to every chip of the bank (two x16 chips
 * side by side on a 32-bit bus: the byte in both halves). Every wait is
 * bounded: a flash that never reports ready is an error, not a hang. */
#include "drivers/pflash.h"

#define CMD(c) ((u32)(c) * 0x00010001u)
#define SR_READY 0x80u
#define SR_ERRORS 0x3au           /* erase, program, Vpp, locked */
#define WAIT_SPINS (1u << 22)

/* Flash access: a host test supplies a chip model instead. */
#ifdef PFLASH_FAKE_MMIO
u32 pflash_fake_read32(const volatile u32 *w);
void pflash_fake_write32(volatile u32 *w, u32 v);
#define rd32(w) pflash_fake_read32(w)
#define wr32(w, v) pflash_fake_write32(w, v)
#else
#define rd32(w) (*(w))
#define wr32(w, v) (*(w) = (v))
#endif

void pflash_read(const struct pflash *f, u64 off, void *buf, u64 len)
{
	u32 *out = buf;
	u64 i;

	for (i = 0; i < len / 4; i++)
		out[i] = rd32(&f->base[off / 4 + i]);
}

static int wait_ready(volatile u32 *w)
{
	unsigned spins;
	u32 st = 0;

	for (spins = 0; spins < WAIT_SPINS; spins++) {
		st = rd32(w);
		if ((st & CMD(SR_READY)) == CMD(SR_READY))
			break;
	}
	if (spins == WAIT_SPINS || (st & CMD(SR_ERRORS))) {
		wr32(w, CMD(0x50));
		wr32(w, CMD(0xff));
		return -1;
	}
	wr32(w, CMD(0xff));
	return 0;
}

int pflash_erase(const struct pflash *f, u64 off)
{
	volatile u32 *w = &f->base[off / 4];

	if (off >= f->size)
		return -1;
	wr32(w, CMD(0x50));
	wr32(w, CMD(0x20));
	wr32(w, CMD(0xd0));
	return wait_ready(w);
}

int pflash_program(const struct pflash *f, u64 off, const void *buf, u64 len)
{
	const u32 *in = buf;
	u64 i;

	if (off > f->size || len > f->size - off)
		return -1;
	for (i = 0; i < len / 4; i++) {
		volatile u32 *w = &f->base[off / 4 + i];

		wr32(w, CMD(0x40));
		wr32(w, in[i]);
		if (wait_ready(w))
			return -1;
	}
	return 0;
}
