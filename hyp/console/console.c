// SPDX-License-Identifier: Apache-2.0
/*
 * The console output mux (console.h). out_lock is held while one whole
 * line goes to the UART, so lines never interleave (lock order: vm/vm.h).
 *
 * The partition with the keyboard is interactive: its unfinished line (a
 * shell prompt, the echo of what is typed) goes out as soon as its queue
 * is empty, leaving the terminal line open. Other partitions' lines wait
 * while it keeps growing (a line written a byte at a time stays whole)
 * and for CON_HOLD_MS after; then, or when Umbra itself prints, the open
 * line is ended and the partition's rest later goes out as a new tagged
 * line. Umbra's notices (pr_notice: a focus switch's announcement)
 * wait like another partition's line, so a Ctrl-T does not cut the line
 * being echoed; until they are out, no unfinished line shows.
 */
#include <stdarg.h>

#include "umbra/arch.h"
#include "umbra/lib.h"
#include "umbra/spinlock.h"
#include "console/console.h"
#include "console/internal.h"

struct con_port con_ports[MAX_PARTITIONS];

static void (*console_putc)(char c);
static spinlock_t out_lock;
static struct partition *srcs[MAX_PARTITIONS];
static unsigned nr_srcs, next_src;
u32 console_queued;             /* lines may be waiting in some queue */
static struct partition *open_src; /* whose line the terminal's last one is */
static u64 open_at;                /* counter when it last grew */
static bool colour;
static char notices[512];          /* Umbra's lines waiting for the open one */
static size_t notices_len;

void console_attach(void (*putc)(char c))
{
	console_putc = putc;
}

void log_take_over(void)
{
	spin_unlock(&out_lock);
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

/* Under out_lock: end an open partition line unless p continues it. */
static void close_open(const struct partition *p)
{
	if (open_src && open_src != p)
		emit("\n", 1);
	if (open_src != p)
		open_src = NULL;
}

void console_set_colour(bool on)
{
	colour = on;
}

static void emit_tag(const struct partition *p)
{
	/* cyan, yellow, green, magenta: one per partition */
	static const char sgr[][6] = { "\033[36m", "\033[33m", "\033[32m", "\033[35m" };

	if (colour)
		emit(sgr[p->id % ARRAY_SIZE(sgr)], 5);
	emit("[", 1);
	emit(p->cfg->name, strlen(p->cfg->name));
	emit("]", 1);
	if (colour)
		emit("\033[0m", 4);
	emit(" ", 1);
}

/* Under out_lock: must q's lines wait for the open line to finish? (q
 * NULL: Umbra's notices) */
static bool held_back(const struct partition *q)
{
	return open_src && open_src != q &&
	       arch_counter() - open_at < arch_counter_freq() / 1000 * CON_HOLD_MS;
}

/* Under out_lock: the waiting notices, once the open line lets them (or
 * at once: force). True if they went out. */
static bool emit_notices(bool force)
{
	if (!notices_len || (!force && held_back(NULL)))
		return false;
	close_open(NULL);
	emit(notices, notices_len);
	notices_len = 0;
	return true;
}

/* Umbra's own text, whole lines at once (log.h), after its notices. */
static void emit_own(const char *buf, int n, size_t size)
{
	if (n >= (int)size)
		n = (int)size - 1;
	spin_lock(&out_lock);
	emit_notices(true);
	close_open(NULL);
	emit(buf, (size_t)n);
	spin_unlock(&out_lock);
}

void printk(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	emit_own(buf, n, sizeof(buf));
}

/* Under out_lock: one of Umbra's notices, out now or once the open line
 * lets it (pump, from the next writer or the interrupt path). */
static void add_notice(const char *buf, size_t n)
{
	if (notices_len + n > sizeof(notices))
		emit_notices(true);
	memcpy(notices + notices_len, buf, n);
	notices_len += n;
	if (!emit_notices(false))
		__atomic_store_n(&console_queued, 1, __ATOMIC_SEQ_CST);
}

void log_line(enum log_level level, const char *fmt, ...)
{
	static const char *const word[] = { "error: ", "warning: ", "", "" };
	char buf[256];
	va_list ap;
	int n;

	n = snprintf(buf, sizeof(buf) - 1, "umbra: %s", word[level]);
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - 1 - (size_t)n, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;    /* a long line is cut, never left open */
	buf[n++] = '\n';
	buf[n] = 0;
	if (level != LOG_NOTICE) {
		emit_own(buf, n, sizeof(buf));
		return;
	}
	spin_lock(&out_lock);
	add_notice(buf, (size_t)n);
	spin_unlock(&out_lock);
}

void console_register(struct partition *p)
{
	unsigned i;

	for (i = 0; i < nr_srcs; i++)
		if (srcs[i] == p)
			return;
	if (nr_srcs < ARRAY_SIZE(srcs))
		srcs[nr_srcs++] = p;
}

struct partition *console_source(unsigned i)
{
	return i < nr_srcs ? srcs[i] : NULL;
}

unsigned console_nr_sources(void)
{
	return nr_srcs;
}

/* Under its out.lock: queue the assembled line, or count it dropped. */
static void commit_line(struct partition *p)
{
	struct con_buf *b = &con_port(p)->out;
	u32 i, n = b->len - b->shown;

	if (CON_QUEUE - (b->tail - b->head) < n + 1) {
		b->dropped += n + 1;
	} else {
		b->q[b->tail++ % CON_QUEUE] = (u8)(n | (b->opened ? CON_Q_REST : 0));
		for (i = b->shown; i < b->len; i++)
			b->q[b->tail++ % CON_QUEUE] = (u8)b->line[i];
	}
	b->len = 0;
	b->shown = 0;
	b->erase = 0;
	b->opened = false;
}

/* Under out_lock: write p's oldest queued line (true), or its drop count
 * once it has any (true), or nothing (false). */
static bool emit_one(struct partition *p)
{
	struct con_buf *b = &con_port(p)->out;
	char line[CON_LINE];
	u32 n = 0, i, lost;
	bool have, rest = false;

	spin_lock(&b->lock);
	have = b->tail != b->head;
	if (have) {
		n = b->q[b->head++ % CON_QUEUE];
		rest = n & CON_Q_REST;
		n &= ~CON_Q_REST;
		for (i = 0; i < n; i++)
			line[i] = (char)b->q[b->head++ % CON_QUEUE];
	}
	lost = b->dropped - b->reported;
	if (!have && lost)
		b->reported = b->dropped;
	spin_unlock(&b->lock);
	if (have) {
		/* the rest of a line left open on the terminal continues it */
		bool cont = rest && open_src == p;

		if (rest && !cont && !n)
			return true; /* its line was ended by another: nothing left */
		close_open(cont ? p : NULL);
		if (!cont)
			emit_tag(p);
		emit(line, n);
		emit("\n", 1);
		open_src = NULL;
		return true;
	}
	if (lost) {
		char msg[80];
		int len = snprintf(msg, sizeof(msg),
				   "umbra: %s: %u bytes of console output dropped\n",
				   p->cfg->name, lost);

		close_open(NULL);
		emit(msg, (size_t)MIN(len, (int)sizeof(msg) - 1));
		return true;
	}
	return false;
}

/* Under out_lock: up to max lines of the other partitions, round robin. */
static void emit_foreign(struct partition *self, unsigned max)
{
	unsigned tried = 0;

	while (max && tried < nr_srcs) {
		struct partition *q = srcs[next_src++ % nr_srcs];

		if (q != self && !held_back(q) && emit_one(q)) {
			max--;
			tried = 0;
		} else {
			tried++;
		}
	}
}

static bool any_left(void)
{
	unsigned i;

	for (i = 0; i < nr_srcs; i++) {
		struct con_buf *b = &con_port(srcs[i])->out;

		if (__atomic_load_n(&b->tail, __ATOMIC_RELAXED) !=
			    __atomic_load_n(&b->head, __ATOMIC_RELAXED) ||
		    __atomic_load_n(&b->dropped, __ATOMIC_RELAXED) !=
			    __atomic_load_n(&b->reported, __ATOMIC_RELAXED))
			return true;
	}
	return notices_len != 0;
}

/* Write self's queue (up to CON_OWN_LINES per round, all of it when
 * flushing: its own cost) and a few lines of the others; wait for the UART
 * only if asked to (and then only for self's own lines). The bound on own
 * lines keeps a partition writing from several CPUs at once from holding
 * the UART for good while the others' lines wait. A writer that finds the
 * UART busy leaves `console_queued` set; the holder looks again after releasing
 * it (once: what is left then goes out with the next writer, or from the
 * interrupt path in console_poll). */
static void pump(struct partition *self, bool wait)
{
	unsigned round, own;

	__atomic_store_n(&console_queued, 1, __ATOMIC_SEQ_CST);
	for (round = 0; round < 2; round++) {
		if (wait)
			spin_lock(&out_lock);
		else if (!spin_trylock(&out_lock))
			return;
		__atomic_store_n(&console_queued, 0, __ATOMIC_SEQ_CST);
		for (own = 0; self && (wait || (own < CON_OWN_LINES && !held_back(self))) &&
			      emit_one(self); own++)
			;
		emit_foreign(self, CON_FOREIGN_LINES);
		emit_notices(false);
		if (any_left())
			__atomic_store_n(&console_queued, 1, __ATOMIC_SEQ_CST);
		spin_unlock(&out_lock);
		wait = false;
		if (!__atomic_load_n(&console_queued, __ATOMIC_SEQ_CST))
			return;
	}
}

void console_poll(void)
{
	if (__atomic_load_n(&console_queued, __ATOMIC_ACQUIRE))
		pump(NULL, false);
}

/* The focused partition's unfinished line, if nothing of its own waits
 * before it, no notice of Umbra's waits (said before what follows it) and
 * the UART is free: out now, the terminal line left open. */
static void show_partial(struct partition *p)
{
	struct con_buf *b = &con_port(p)->out;
	char part[CON_LINE];
	unsigned n = 0;

	if (p != console_focus() || !spin_trylock(&out_lock))
		return;
	emit_notices(false);
	if (notices_len) {
		spin_unlock(&out_lock);
		return;
	}
	spin_lock(&b->lock);
	if (b->erase && open_src == p)
		for (; b->erase; b->erase--)
			emit("\b", 1); /* only over its own open line's text */
	b->erase = 0;
	if (b->tail == b->head && b->len > b->shown) {
		n = b->len - b->shown;
		memcpy(part, b->line + b->shown, n);
		b->shown = b->len;
		b->opened = true;
	}
	spin_unlock(&b->lock);
	if (n) {
		if (open_src != p) {
			close_open(NULL);
			emit_tag(p);
		}
		emit(part, n);
		open_src = p;
		open_at = arch_counter();
	}
	spin_unlock(&out_lock);
}

/* Escape sequences (ESC x, ESC [ params final) are dropped whole: a
 * partition may not move the cursor over Umbra's or another's lines, and
 * a terminal query (busybox's ESC [6n) is not shown as garbage. */
static bool escape_seq(struct con_buf *b, u8 c)
{
	if (c == 0x1b) {
		b->esc = 1;
		return true;
	}
	if (b->esc == 1) {
		b->esc = c == '[' ? 2 : 0;
		return true;
	}
	if (b->esc == 2) {
		if (c >= 0x40 && c <= 0x7e)
			b->esc = 0;
		return true;
	}
	return false;
}

void console_guest_write(struct partition *p, const char *buf, size_t len)
{
	struct con_buf *b = &con_port(p)->out;

	spin_lock(&b->lock);
	for (; len; len--, buf++) {
		char c = *buf;

		if (c == '\n') {
			commit_line(p);
			b->esc = 0;
			continue;
		}
		if (c == '\r' || escape_seq(b, (u8)c))
			continue;
		if (c == '\b') {
			/* take back the last byte; one already shown costs a
			 * "\b" on the terminal (the echo of an erased key) */
			if (b->len > b->shown) {
				b->len--;
			} else if (b->shown) {
				b->len--;
				b->shown--;
				b->erase++;
			}
			continue;
		}
		if (c == '\t')
			c = ' ';
		else if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f)
			c = '.';
		if (b->len == sizeof(b->line))
			commit_line(p); /* a long line continues on the next */
		b->line[b->len++] = c;
	}
	spin_unlock(&b->lock);
	pump(p, false);
	show_partial(p);
}

void console_guest_flush(struct partition *p)
{
	spin_lock(&con_port(p)->out.lock);
	if (con_port(p)->out.len)
		commit_line(p);
	spin_unlock(&con_port(p)->out.lock);
	pump(p, true);
}
