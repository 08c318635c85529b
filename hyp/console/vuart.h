/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A partition's virtual UART: the SBSA generic UART register subset (Arm
 * SBSA, appendix "Generic UART"; PL011 TRM register layout) behind trapped
 * MMIO, as Linux's amba-pl011 driver drives an "arm,sbsa-uart" and the
 * RTOS's console driver drives a PL011. Transmitted bytes go to the
 * console mux; received bytes come from the console input while the
 * partition has the focus. The interrupt is a software SPI of the vGIC.
 */
#ifndef UMBRA_VUART_H
#define UMBRA_VUART_H

#include "config/config.h"
#include "umbra/spinlock.h"
#include "umbra/types.h"

#define VUART_RX_FIFO 32
#define VUART_RX_TRIGGER 16       /* RXRIS at half full (IFLS reset value) */
#define VUART_BACKLOG 4096        /* typed bytes waiting for room in the FIFO */
#define VUART_REGS_END 0x48       /* the shadow holds the registers below this */

/* registers (offsets) and bits the model implements */
#define VUART_DR    0x00
#define VUART_RSR   0x04          /* RSR on read, ECR on write */
#define VUART_FR    0x18
#define VUART_IMSC  0x38
#define VUART_RIS   0x3c
#define VUART_MIS   0x40
#define VUART_ICR   0x44
#define VUART_FR_RXFE BIT(4)
#define VUART_FR_TXFF BIT(5)
#define VUART_FR_RXFF BIT(6)
#define VUART_FR_TXFE BIT(7)
#define VUART_INT_RX BIT(4)
#define VUART_INT_TX BIT(5)
#define VUART_INT_RT BIT(6)
#define VUART_INT_ALL 0x7ff

struct partition;

struct vuart {
	u64 base;                 /* IPA; 0: the partition has none */
	unsigned intid;           /* its software SPI */
	spinlock_t lock;
	/* While the receiver is empty, reads have no side effect: a page
	 * holding what each register reads is then mapped read-only at base,
	 * so that polling FR does not trap (writes still do). */
	u32 *shadow;
	bool shadow_mapped;
	u8 rx[VUART_RX_FIFO];
	unsigned rx_head, rx_count;
	u32 imsc;
	bool line;                /* (RIS & IMSC) != 0 as last computed */
	/* What arrives while the FIFO is full waits here, in order, and
	 * moves into the FIFO as the guest reads (a paste, a script). */
	u8 backlog[VUART_BACKLOG];
	unsigned bl_head, bl_count;
	unsigned refilled;        /* bytes moved in since the last signal */
	u32 rx_dropped;           /* bytes lost: FIFO and backlog full */
	u32 rx_reported;          /* ... of which reported */
};

/* Configure (at partition creation, with p's stage 2; survives restarts:
 * the shadow page and its tables come from p's table pool, pgtable_map's
 * error if they cannot be had) and reset. */
int vuart_setup(struct partition *p, u64 base, unsigned intid);
void vuart_reset(struct partition *p);
/* Trapped MMIO: true if ipa is p's vUART (then *val is read or written). */
bool vuart_mmio(struct partition *p, u64 ipa, unsigned size, bool write, u64 *val);
/* A byte typed for p: into its RX FIFO, or behind what waits for room
 * there (false: both full, dropped; the loss is reported on the console
 * once it ends). */
bool vuart_rx_push(struct partition *p, u8 c);

#endif
