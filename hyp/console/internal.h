/* SPDX-License-Identifier: Apache-2.0 */
/* The console's own state (console.c, console_input.c, vuart.c): nothing
 * outside console/ includes this. What the console keeps per partition
 * lives here, indexed by the partition's id, not in struct partition. */
#ifndef UMBRA_CONSOLE_INTERNAL_H
#define UMBRA_CONSOLE_INTERNAL_H

#include "umbra/limits.h"
#include "umbra/spinlock.h"
#include "console/vuart.h"
#include "vm/vm.h"

#define CON_LINE 120            /* longer lines continue on the next */
#define CON_QUEUE 2048          /* queued complete lines, per partition */
#define CON_FOREIGN_LINES 2     /* other partitions' lines a writer emits */
#define CON_OWN_LINES 16        /* ... and its own, per round (two rounds) */
#define CON_HOLD_MS 50          /* others wait this long for an open line */
#define CONSOLE_ESC 0x14        /* Ctrl-T */

/* A partition's console state (in struct partition). */
struct con_buf {
	spinlock_t lock;
	unsigned len;               /* the line being assembled */
	char line[CON_LINE];
	u8 q[CON_QUEUE];            /* complete lines: length byte, bytes */
	u32 head, tail;             /* free-running: used = tail - head */
	u32 dropped, reported;      /* bytes dropped, of which reported */
	unsigned shown;             /* of line[], already on the terminal */
	unsigned erase;             /* shown bytes taken back: "\b"s owed to the terminal */
	u8 esc;                     /* in an escape sequence: 1 after ESC, 2 in CSI */
	bool opened;                /* some of this line went out early */
};
/* A queued line's length byte: the line's rest after `shown` bytes went
 * out early (the focused partition's prompt or echo). */
#define CON_Q_REST 0x80

struct con_port {
	struct con_buf out;         /* its console output (console.c) */
	struct vuart vuart;         /* its virtual UART, if configured (vuart.c) */
};

extern struct con_port con_ports[MAX_PARTITIONS];

/* p->id < MAX_PARTITIONS: partitions are partitions[id] (main.c) */
static inline struct con_port *con_port(const struct partition *p)
{
	return &con_ports[p->id];
}

#endif
