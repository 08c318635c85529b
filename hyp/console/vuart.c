// SPDX-License-Identifier: Apache-2.0
/*
 * The virtual UART's register model (vuart.h). What is implemented is what
 * the SBSA generic UART has and its drivers touch: DR, RSR/ECR, FR, IMSC,
 * RIS, MIS, ICR. Every other offset reads as zero and ignores writes;
 * accesses must be naturally aligned and at most 32 bits wide (SBSA allows
 * 8, 16 and 32), anything else is RAZ/WI too.
 *
 * The transmitter never fills: each byte written to DR goes straight into
 * the partition's console buffer (which counts what it must drop), so
 * TXFF stays clear, TXFE set, BUSY clear, and TXRIS is always set (the
 * FIFO is at or below any trigger level). The receiver is a 32-byte FIFO;
 * RTRIS while it holds data (the "timeout": no more is coming now), RXRIS
 * from half full. No line errors exist on this link: RSR and the error
 * interrupt bits read as zero. Nothing typed is lost to a full FIFO: it
 * waits in a backlog (VUART_BACKLOG bytes) and enters the FIFO as the
 * guest reads DR, as if a real line had flow control. Only a full backlog
 * drops bytes, counted and reported.
 *
 * The interrupt is a software SPI, raised when (RIS & IMSC) becomes
 * non-zero and whenever a byte arrives while it is (a level the guest has
 * not yet drained is signalled again, so a handler that left it pending
 * runs again).
 */
#include "console/console.h"
#include "umbra/lib.h"
#include "vm/vm.h"
#include "console/internal.h"

static u32 ris(const struct vuart *u)
{
	return VUART_INT_TX | (u->rx_count ? VUART_INT_RT : 0) |
	       (u->rx_count >= VUART_RX_TRIGGER ? VUART_INT_RX : 0);
}

/* Under u->lock: the new level, and whether to signal it. */
static bool update_line(struct vuart *u, bool new_data)
{
	bool was = u->line;

	u->line = (ris(u) & u->imsc) != 0;
	return u->line && (!was || new_data);
}

void vuart_setup(struct partition *p, u64 base, unsigned intid)
{
	con_port(p)->vuart.base = base;
	con_port(p)->vuart.intid = intid;
	if (base)
		vgic_own_soft_spi(p, intid);
}

void vuart_reset(struct partition *p)
{
	struct vuart *u = &con_port(p)->vuart;

	spin_lock(&u->lock);
	u->rx_head = u->rx_count = 0;
	u->bl_head = u->bl_count = u->refilled = 0;
	u->imsc = 0;
	u->line = false;
	spin_unlock(&u->lock);
}

/* Under u->lock: move what waits into the FIFO as far as it has room.
 * True once a FIFO's worth has moved since the guest was last signalled:
 * a driver that reads a FIFO's worth per interrupt still gets one for the
 * rest (the interrupt is a software SPI: edges, not a level). */
static bool refill(struct vuart *u)
{
	while (u->bl_count && u->rx_count < VUART_RX_FIFO) {
		u->rx[(u->rx_head + u->rx_count++) % VUART_RX_FIFO] = u->backlog[u->bl_head];
		u->bl_head = (u->bl_head + 1) % VUART_BACKLOG;
		u->bl_count--;
		u->refilled++;
	}
	if (u->refilled < VUART_RX_FIFO)
		return false;
	u->refilled = 0;
	return true;
}

bool vuart_rx_push(struct partition *p, u8 c)
{
	struct vuart *u = &con_port(p)->vuart;
	u32 lost = 0;
	bool raise, ok = true;

	if (!u->base)
		return false;
	spin_lock(&u->lock);
	if (!u->bl_count && u->rx_count < VUART_RX_FIFO)
		u->rx[(u->rx_head + u->rx_count++) % VUART_RX_FIFO] = c;
	else if (u->bl_count < VUART_BACKLOG)
		u->backlog[(u->bl_head + u->bl_count++) % VUART_BACKLOG] = c;
	else
		ok = false;
	if (!ok) {
		u->rx_dropped++;
	} else if (u->rx_dropped != u->rx_reported) {
		lost = u->rx_dropped - u->rx_reported;   /* the loss ended: say it */
		u->rx_reported = u->rx_dropped;
	}
	raise = update_line(u, ok);
	spin_unlock(&u->lock);
	if (lost)
		pr_warn("console: %u byte%s typed for '%s' dropped: it did not read its input",
			lost, lost == 1 ? "" : "s", p->cfg->name);
	if (raise)
		vgic_raise_spi(p, u->intid);
	return ok;
}

static u32 reg_read(struct vuart *u, u64 reg)
{
	u32 v = 0;

	switch (reg) {
	case VUART_DR:
		if (u->rx_count) {
			v = u->rx[u->rx_head];
			u->rx_head = (u->rx_head + 1) % VUART_RX_FIFO;
			u->rx_count--;
		}
		break;
	case VUART_FR:
		v = VUART_FR_TXFE | (u->rx_count ? 0 : VUART_FR_RXFE) |
		    (u->rx_count == VUART_RX_FIFO ? VUART_FR_RXFF : 0);
		break;
	case VUART_IMSC:
		v = u->imsc;
		break;
	case VUART_RIS:
		v = ris(u);
		break;
	case VUART_MIS:
		v = ris(u) & u->imsc;
		break;
	default: /* RSR (no errors), ICR (write only), the rest: RAZ */
		break;
	}
	return v;
}

bool vuart_mmio(struct partition *p, u64 ipa, unsigned size, bool write, u64 *val)
{
	struct vuart *u = &con_port(p)->vuart;
	u64 off = ipa - u->base, reg = off & ~3UL;
	unsigned shift = (unsigned)(off & 3) * 8;
	bool raise, fresh = false;
	char c;

	if (!u->base || ipa < u->base || off >= VUART_SIZE)
		return false;
	if (size > 4 || (off & (size - 1))) {
		if (!write)
			*val = 0;
		return true; /* RAZ/WI, the partition carries on */
	}
	if (write && reg == VUART_DR && shift == 0) {
		c = (char)*val; /* outside the lock: the console may take a while */
		console_guest_write(p, &c, 1);
		return true;
	}
	spin_lock(&u->lock);
	if (!write) {
		/* a read of DR's upper bytes must not pop a byte */
		u32 v = (reg == VUART_DR && shift) ? 0 : reg_read(u, reg);

		*val = (v >> shift) & (size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1);
		if (reg == VUART_DR && !shift)
			fresh = refill(u);
	} else if (reg == VUART_IMSC) {
		u32 mask = (size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1) << shift;

		u->imsc = ((u->imsc & ~mask) | (((u32)*val << shift) & mask)) & VUART_INT_ALL;
	}
	/* ICR and ECR clear latched conditions; the model latches none */
	raise = update_line(u, fresh);
	spin_unlock(&u->lock);
	if (raise)
		vgic_raise_spi(p, u->intid);
	return true;
}
