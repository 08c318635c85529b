// SPDX-License-Identifier: Apache-2.0
#include <stdarg.h>

#include "umbra/console.h"
#include "umbra/lib.h"
#include "umbra/partition.h"
#include "umbra/spinlock.h"

static void (*console_putc)(char c);
static spinlock_t console_lock;

void console_attach(void (*putc)(char c))
{
	console_putc = putc;
}

void console_force_unlock(void)
{
	spin_unlock(&console_lock);
}

static void emit(const char *s, size_t n)
{
	if (!console_putc)
		return;
	for (; n; n--, s++) {
		if (*s == '\n')
			console_putc('\r');
		console_putc(*s);
	}
}

void printk(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	spin_lock(&console_lock);
	emit(buf, (size_t)n);
	spin_unlock(&console_lock);
}

static void guest_line_out(struct partition *p)
{
	spin_lock(&console_lock);
	emit("[", 1);
	emit(p->cfg->name, strlen(p->cfg->name));
	emit("] ", 2);
	emit(p->con_line, p->con_len);
	emit("\n", 1);
	spin_unlock(&console_lock);
	p->con_len = 0;
}

void console_guest_write(struct partition *p, const char *buf, size_t len)
{
	spin_lock(&p->con_lock);
	for (; len; len--, buf++) {
		char c = *buf;

		if (c == '\n') {
			guest_line_out(p);
			continue;
		}
		if (c == '\r')
			continue;
		if (c == '\t')
			c = ' ';
		else if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f)
			c = '.';
		if (p->con_len == sizeof(p->con_line))
			guest_line_out(p); /* a long line continues on the next */
		p->con_line[p->con_len++] = c;
	}
	spin_unlock(&p->con_lock);
}

void console_guest_flush(struct partition *p)
{
	spin_lock(&p->con_lock);
	if (p->con_len)
		guest_line_out(p);
	spin_unlock(&p->con_lock);
}
