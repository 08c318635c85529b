// SPDX-License-Identifier: Apache-2.0
/*
 * Console input: what is typed on the physical UART goes to one partition
 * at a time, into its virtual UART's receive FIFO. Ctrl-T is the escape:
 *
 *   Ctrl-T 1..9   input to the partition with that number (config order)
 *   Ctrl-T Ctrl-T a Ctrl-T to the partition that has the input
 *   Ctrl-T other  say who has the input
 *
 * Only partitions with a virtual UART can take the input. Switching is
 * acknowledged with an Umbra line (pr_notice: after the line being
 * echoed, if one is).
 */
#include "console/console.h"
#include "umbra/lib.h"
#include "vm/vm.h"
#include "console/internal.h"

static int (*input_getc)(void);
static struct partition *focus;
static bool esc;

void console_attach_input(int (*getc)(void))
{
	input_getc = getc;
}

/* the first partition (config order) with a virtual UART */
static struct partition *first_with_vuart(void)
{
	struct partition *p;
	unsigned i;

	for (i = 0; (p = console_source(i)); i++)
		if (con_port(p)->vuart.base)
			return p;
	return NULL;
}

struct partition *console_focus(void)
{
	if (!focus)
		focus = first_with_vuart();
	return focus;
}

void console_set_focus(struct partition *p)
{
	if (p && con_port(p)->vuart.base)
		focus = p;
}

static void announce(struct partition *f)
{
	struct partition *p;
	char keys[MAX_PARTITIONS * (PART_NAME_MAX + 16)];
	size_t n = 0;
	unsigned i;

	if (!f) {
		pr_notice("console input: no partition has a virtual UART");
		return;
	}
	keys[0] = '\0';
	for (i = 0; (p = console_source(i)) && n < sizeof(keys); i++)
		if (con_port(p)->vuart.base)
			n += (size_t)snprintf(keys + n, sizeof(keys) - n, ", Ctrl-T %u %s", i + 1,
					      p->cfg->name);
	pr_notice("console input goes to '%s' (%s; Ctrl-T Ctrl-T sends Ctrl-T)", f->cfg->name,
		keys + 2);
}

void console_input_announce(void)
{
	announce(console_focus());
}

static void switch_to(u8 key)
{
	unsigned n = (unsigned)(key - '1');
	struct partition *p = console_source(n);

	if (p && con_port(p)->vuart.base) {
		/* said before it takes effect: until it is out, no unfinished
		 * line shows (console.c), so it cuts none in two */
		announce(p);
		focus = p;
		return;
	}
	if (p)
		pr_notice("console: '%s' has no virtual UART", p->cfg->name);
	else
		pr_notice("console: no partition %c", key);
	console_input_announce();
}

void console_input_byte(u8 c)
{
	struct partition *f = console_focus();

	if (esc) {
		esc = false;
		if (c >= '1' && c <= '9')
			switch_to(c);
		else if (c == CONSOLE_ESC && f)
			vuart_rx_push(f, c);
		else
			console_input_announce();
		return;
	}
	if (c == CONSOLE_ESC)
		esc = true;
	else if (f)
		vuart_rx_push(f, c);
}

void console_rx_irq(void)
{
	unsigned budget = 64; /* the FIFO holds 32; then back to the guest */
	int c;

	while (input_getc && budget-- && (c = input_getc()) >= 0)
		console_input_byte((u8)c);
}
