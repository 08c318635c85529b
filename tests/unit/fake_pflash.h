/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A model of the flash bank the anti-rollback store lives in (the driver,
 * hyp/drivers/pflash.c, is built with PFLASH_FAKE_MMIO): two x16 Intel
 * command-set chips side by side on a 32-bit bus, as QEMU virt's second
 * pflash bank. Each chip (a 16-bit half of every word) has its own mode
 * and status register; tests make either chip fail or hang.
 */
#ifndef FAKE_PFLASH_H
#define FAKE_PFLASH_H

#include "umbra/types.h"
#include "config/platform.h"

#define FAKE_PFLASH_SIZE (2 * STORE_SLOT_SIZE)   /* what the store uses */
#define FAKE_PFLASH_BLOCK STORE_SLOT_SIZE        /* erase block (QEMU virt's) */
#define FAKE_PFLASH_CHIPS 2                       /* chip 0: bits 0-15, chip 1: 16-31 */

enum fake_pflash_mode {
	FAKE_PF_READ_ARRAY,
	FAKE_PF_READ_STATUS,
	FAKE_PF_ERASE_SETUP,      /* 0x20 seen, 0xd0 expected */
	FAKE_PF_PROGRAM_SETUP,    /* 0x40 seen, the data expected */
};

struct fake_pflash_chip {
	enum fake_pflash_mode mode;
	u8 status;                /* SR: 0x80 ready, error bits sticky until 0x50 */
	/* failures to come: the next erase / program of this chip sets these
	 * status bits (0x20 erase, 0x10 program, 0x08 Vpp, 0x02 locked) */
	u8 erase_fail, program_fail;
	unsigned program_fail_after;  /* ... after this many good programs */
	bool hang;                /* never ready again (status 0x00) */
};

struct fake_pflash {
	u32 array[FAKE_PFLASH_SIZE / 4] __aligned(8);
	struct fake_pflash_chip chip[FAKE_PFLASH_CHIPS];
	unsigned erases, programs;        /* completed, per bank (both chips) */
	unsigned writes, reads;           /* bus cycles */
	unsigned status_reads;            /* reads in status mode */
	unsigned bad_commands;            /* unknown command or command sequence */
	unsigned torn_words;              /* words a failed program left half done */
};
extern struct fake_pflash fake_pflash;

/* Erased (all 0xff), every chip in read-array mode, ready, no failures. */
void fake_pflash_reset(void);
/* The bank's base address for struct pflash / platform.store. */
u64 fake_pflash_base(void);
/* A chip in read-array mode and ready, status clear. */
bool fake_pflash_idle(void);

u32 pflash_fake_read32(const volatile u32 *w);
void pflash_fake_write32(volatile u32 *w, u32 v);

#endif
