// SPDX-License-Identifier: Apache-2.0
/*
 * The flash bank model of fake_pflash.h: the Intel/Sharp command set as
 * the datasheets (and QEMU's pflash_cfi01) define it, per x16 chip: read
 * array 0xff, read status 0x70, clear status 0x50, block erase 0x20 then
 * 0xd0, word program 0x40 (or 0x10) then the data. Programming only
 * clears bits (NOR). Status error bits stay set until a clear status; an
 * unknown command or a broken erase sequence sets 0x30 (sequence error).
 * A failed erase leaves its block half erased, a failed program leaves its
 * word half programmed: what a driver must never mistake for success.
 */
#include <stdlib.h>

#include "unit.h"
#include "fake_pflash.h"

#define SR_READY 0x80u
#define SR_SEQ_ERROR 0x30u

struct fake_pflash fake_pflash;

void fake_pflash_reset(void)
{
	unsigned c;

	memset(&fake_pflash, 0, sizeof(fake_pflash));
	memset(fake_pflash.array, 0xff, sizeof(fake_pflash.array));
	for (c = 0; c < FAKE_PFLASH_CHIPS; c++)
		fake_pflash.chip[c].status = SR_READY;
}

u64 fake_pflash_base(void)
{
	return (u64)(uintptr_t)fake_pflash.array;
}

bool fake_pflash_idle(void)
{
	unsigned c;

	for (c = 0; c < FAKE_PFLASH_CHIPS; c++)
		if (fake_pflash.chip[c].mode != FAKE_PF_READ_ARRAY ||
		    fake_pflash.chip[c].status != SR_READY)
			return false;
	return true;
}

/* The word index of a bus address; anything else is a driver bug. (No
 * ck_assert: called millions of times while a test waits out a hang.) */
static u64 word(const volatile u32 *w)
{
	u64 off = (u64)(uintptr_t)w - fake_pflash_base();

	if ((uintptr_t)w < fake_pflash_base() || off >= FAKE_PFLASH_SIZE || off % 4)
		abort();
	return off / 4;
}

static u16 half(u32 v, unsigned c)
{
	return (u16)(v >> (16 * c));
}

static void set_half(u32 *w, unsigned c, u16 v)
{
	*w = (*w & ~(0xffffu << (16 * c))) | (u32)v << (16 * c);
}

static u16 chip_read(struct fake_pflash_chip *ch, unsigned c, u64 i)
{
	if (ch->mode == FAKE_PF_READ_ARRAY)
		return half(fake_pflash.array[i], c);
	return ch->hang ? 0 : ch->status;
}

u32 pflash_fake_read32(const volatile u32 *w)
{
	u64 i = word(w);
	u32 v = 0;
	unsigned c;
	bool status = false;

	for (c = 0; c < FAKE_PFLASH_CHIPS; c++) {
		v |= (u32)chip_read(&fake_pflash.chip[c], c, i) << (16 * c);
		status |= fake_pflash.chip[c].mode != FAKE_PF_READ_ARRAY;
	}
	fake_pflash.reads++;
	if (status)
		fake_pflash.status_reads++;
	return v;
}

static void erase(struct fake_pflash_chip *ch, unsigned c, u64 i)
{
	u64 first = i - i % (FAKE_PFLASH_BLOCK / 4), n = FAKE_PFLASH_BLOCK / 4, k;

	if (ch->hang)
		return;
	if (ch->erase_fail) {
		n /= 2;                         /* interrupted half way */
		ch->status |= ch->erase_fail;
	}
	for (k = 0; k < n; k++)
		set_half(&fake_pflash.array[first + k], c, 0xffff);
}

static void program(struct fake_pflash_chip *ch, unsigned c, u64 i, u16 d)
{
	u16 old = half(fake_pflash.array[i], c);

	if (ch->hang)
		return;
	if (ch->program_fail && ch->program_fail_after == 0) {
		set_half(&fake_pflash.array[i], c, old & (d | 0xff00));  /* low byte only */
		ch->status |= ch->program_fail;
		ch->program_fail = 0;
		fake_pflash.torn_words++;
		return;
	}
	if (ch->program_fail)
		ch->program_fail_after--;
	set_half(&fake_pflash.array[i], c, old & d);
}

static void chip_write(struct fake_pflash_chip *ch, unsigned c, u64 i, u16 d)
{
	switch (ch->mode) {
	case FAKE_PF_ERASE_SETUP:
		ch->mode = FAKE_PF_READ_STATUS;
		if (d == 0xd0) {
			erase(ch, c, i);
		} else {
			ch->status |= SR_SEQ_ERROR;
			fake_pflash.bad_commands++;
		}
		return;
	case FAKE_PF_PROGRAM_SETUP:
		ch->mode = FAKE_PF_READ_STATUS;
		program(ch, c, i, d);
		return;
	default:
		break;
	}
	switch (d) {
	case 0xff:
		ch->mode = FAKE_PF_READ_ARRAY;
		break;
	case 0x70:
		ch->mode = FAKE_PF_READ_STATUS;
		break;
	case 0x50:
		ch->status = SR_READY;
		break;
	case 0x20:
		ch->mode = FAKE_PF_ERASE_SETUP;
		break;
	case 0x40:
	case 0x10:
		ch->mode = FAKE_PF_PROGRAM_SETUP;
		break;
	default:
		ch->status |= SR_SEQ_ERROR;
		ch->mode = FAKE_PF_READ_STATUS;
		fake_pflash.bad_commands++;
		break;
	}
}

void pflash_fake_write32(volatile u32 *w, u32 v)
{
	u64 i = word(w);
	unsigned c;
	bool erase_cycle = false, program_cycle = false;

	for (c = 0; c < FAKE_PFLASH_CHIPS; c++) {
		struct fake_pflash_chip *ch = &fake_pflash.chip[c];

		erase_cycle |= ch->mode == FAKE_PF_ERASE_SETUP && half(v, c) == 0xd0;
		program_cycle |= ch->mode == FAKE_PF_PROGRAM_SETUP;
		chip_write(ch, c, i, half(v, c));
	}
	fake_pflash.writes++;
	fake_pflash.erases += erase_cycle;
	fake_pflash.programs += program_cycle;
}
