// SPDX-License-Identifier: Apache-2.0
/*
 * The virtual UART's register model (vuart.h). What is implemented is what
 * the SBSA generic UART has and its drivers touch: DR, RSR/ECR, FR, IMSC,
 * RIS, MIS, ICR. Every other offset reads as zero and ignores writes;
 * writes must be naturally aligned and at most 32 bits wide (SBSA allows
 * 8, 16 and 32), anything else is ignored too.
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
 *
 * A driver polls FR before each byte it sends. While the receiver is
 * empty no read has a side effect, so a shadow page holding what each
 * register reads is mapped read-only at the vUART's address: reads then do
 * not trap, writes (stage-2 permission faults) still do. A byte arriving
 * unmaps it, and emptying the FIFO maps it again. A trapped 64-bit read
 * gives the bytes such a page holds, as an untrapped one does. (Accesses
 * a trap cannot emulate, pair loads say, succeed from the page but are
 * refused while it is unmapped; misaligned ones may take an Alignment
 * fault against the page's Device type: neither is the SBSA's.)
 */
#include "console/console.h"
#include "mm/pgtable.h"
#include "umbra/arch.h"
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

/* Reads without a side effect, byte by byte, as a page holding each
 * register's value gives them. DR reads as zero here: only a read of it
 * at its own offset, 32 bits or narrower, pops a byte. */
static u64 peek(struct vuart *u, u64 off, unsigned size)
{
	u64 v = 0;
	unsigned i;

	for (i = size; i--;) {
		u64 o = off + i, reg = o & ~3UL;
		u32 r = (reg == VUART_DR || reg >= VUART_REGS_END) ? 0 : reg_read(u, reg);

		v = v << 8 | ((r >> (8 * (o & 3))) & 0xff);
	}
	return v;
}

/* Under u->lock: the shadow page mapped, with what reads give, while the
 * FIFO is empty (then nothing waits behind it either: refill moves the
 * backlog in as DR is read), unmapped otherwise. pgtable_unmap returns once
 * no CPU's TLB has the page, so once a byte is in the FIFO every read
 * traps and sees it, the handler of the interrupt raised next included.
 * The first map (vuart_setup) builds the tables; later calls allocate
 * nothing. Returns pgtable_map's error (0 when there was nothing to map). */
static int shadow_sync(struct partition *p, struct vuart *u)
{
	u64 off;
	int err = 0;

	if (!u->shadow)
		return 0;
	if (u->rx_count) {
		if (u->shadow_mapped && pgtable_unmap(&p->s2, u->base, PAGE_SIZE) == 0)
			u->shadow_mapped = false;
		return 0;
	}
	for (off = 0; off < VUART_REGS_END; off += 4)
		u->shadow[off / 4] = (u32)peek(u, off, 4);
	/* the guest reads it as Device memory, past the caches */
	arch_dcache_clean_range(u->shadow, VUART_REGS_END);
	if (!u->shadow_mapped) {
		err = pgtable_map(&p->s2, u->base, ptr_to_pa(u->shadow), PAGE_SIZE,
				  PT_R | PT_DEVICE);
		u->shadow_mapped = !err;
	}
	return err;
}

int vuart_setup(struct partition *p, u64 base, unsigned intid)
{
	struct vuart *u = &con_port(p)->vuart;

	memset(u, 0, sizeof(*u));
	u->base = base;
	u->intid = intid;
	if (!base)
		return 0;
	vgic_own_soft_spi(p, intid);
	u->shadow = page_pool_alloc(p->s2.pool);
	if (!u->shadow)
		return -E_NOMEM;
	/* zeroed through the cache, read past it: all of it goes to memory */
	arch_dcache_clean_range(u->shadow, PAGE_SIZE);
	return shadow_sync(p, u);
}

void vuart_reset(struct partition *p)
{
	struct vuart *u = &con_port(p)->vuart;

	spin_lock(&u->lock);
	u->rx_head = u->rx_count = 0;
	u->bl_head = u->bl_count = u->refilled = 0;
	u->imsc = 0;
	u->line = false;
	shadow_sync(p, u);
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
	shadow_sync(p, u);
	spin_unlock(&u->lock);
	if (lost)
		pr_warn("console: %u byte%s typed for '%s' dropped: it did not read its input",
			lost, lost == 1 ? "" : "s", p->cfg->name);
	if (raise)
		vgic_raise_spi(p, u->intid);
	return ok;
}

bool vuart_mmio(struct partition *p, u64 ipa, unsigned size, bool write, u64 *val)
{
	struct vuart *u = &con_port(p)->vuart;
	u64 off = ipa - u->base;
	bool raise, fresh = false;
	char c;

	if (!u->base || ipa < u->base || off >= VUART_SIZE)
		return false;
	if (write && (size > 4 || (off & (size - 1))))
		return true; /* WI, the partition carries on */
	if (write && off == VUART_DR) {
		c = (char)*val; /* outside the lock: the console may take a while */
		console_guest_write(p, &c, 1);
		return true;
	}
	spin_lock(&u->lock);
	if (!write && off == VUART_DR && size <= 4) {
		*val = reg_read(u, VUART_DR);
		fresh = refill(u);
	} else if (!write) {
		*val = peek(u, off, size);
	} else if ((off & ~3UL) == VUART_IMSC) {
		unsigned shift = (unsigned)(off & 3) * 8;
		u32 mask = (size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1) << shift;

		u->imsc = ((u->imsc & ~mask) | (((u32)*val << shift) & mask)) & VUART_INT_ALL;
	}
	/* ICR and ECR clear latched conditions; the model latches none */
	raise = update_line(u, fresh);
	shadow_sync(p, u);
	spin_unlock(&u->lock);
	if (raise)
		vgic_raise_spi(p, u->intid);
	return true;
}
