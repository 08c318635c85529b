// SPDX-License-Identifier: Apache-2.0
/*
 * The console mux (hyp/console/console.c) and input (console_input.c): lines
 * tagged with their partition's name and never cut into one another or
 * into Umbra's lines; a partition cannot forge a tag; a flood from one
 * partition is bounded (queue, drops counted and reported) and does not
 * make another partition's vCPU write it out; input goes to the focused
 * partition's virtual UART and Ctrl-T switches.
 */
#include <stdio.h>

#include "unit.h"

#define BASE 0x09100000ULL

static struct test_guest a, b, c;

static void setup(void)
{
	fake_arch_reset();
	capture_start();
	guest_init(&a, "a", 1, 1, 1, PAGE_SIZE);
	guest_init(&b, "b", 2, 1, 1, PAGE_SIZE);
	guest_init(&c, "c", 3, 1, 1, PAGE_SIZE);
	guest_stage2(&a, 4);
	guest_stage2(&b, 4);
	ck_assert_int_eq(vuart_setup(&a.p, BASE, 133), 0);
	ck_assert_int_eq(vuart_setup(&b.p, BASE, 134), 0);
	console_register(&a.p);
	console_register(&b.p);
	console_register(&c.p);                      /* no virtual UART */
	console_register(&a.p);                      /* idempotent */
}

static void teardown(void)
{
	unit_free_all();
}

static void put(struct test_guest *g, const char *s)
{
	console_guest_write(&g->p, s, strlen(s));
}

START_TEST(test_registry)
{
	ck_assert_uint_eq(console_nr_sources(), 3);
	ck_assert_ptr_eq(console_source(0), &a.p);
	ck_assert_ptr_eq(console_source(2), &c.p);
	ck_assert_ptr_null(console_source(3));
}
END_TEST

START_TEST(test_partial_lines_not_interleaved)
{
	put(&a, "hel");
	put(&b, "wor");
	printk("umbra: own line\n");                 /* Umbra's: whole, at once */
	put(&a, "lo\n");
	put(&c, "third\n");
	put(&b, "ld\n");
	/* a has the keyboard: its "hel" went out at once, and Umbra's line
	 * ended it; b's waited for its newline */
	ck_assert_str_eq(captured(),
			 "[a] hel\r\numbra: own line\r\n[a] lo\r\n[c] third\r\n[b] world\r\n");
}
END_TEST

START_TEST(test_cannot_forge)
{
	/* a fake tag after a carriage return, escape sequences, backspaces:
	 * the line still starts with the writer's own tag */
	put(&a, "x\r[b] forged\n\033[2K\b\b[b] again\n");
	ck_assert_str_eq(captured(), "[a] x[b] forged\r\n[a] [b] again\r\n");
}
END_TEST

START_TEST(test_long_line_continues)
{
	char line[CON_LINE + 11];

	memset(line, 'w', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	put(&b, line);
	ck_assert_uint_eq(captured_count("[b] "), 1);   /* the first CON_LINE bytes */
	put(&b, "\n");
	ck_assert_uint_eq(captured_count("[b] "), 2);
	ck_assert(strstr(captured(), "[b] wwwwwwwwww\r\n"));
}
END_TEST

/* While another CPU holds the UART (here: a's write is being written
 * out), b floods: b's write returns at once, its queue keeps what fits,
 * the rest is dropped and counted; a's call writes at most a bounded
 * number of b's lines; the remainder and the drop report come out later. */
static bool flooded;
static char flood_line[101];       /* 99 bytes and a newline */

static void flood_putc(char ch)
{
	unsigned i;

	(void)ch;
	if (flooded)
		return;
	flooded = true;
	for (i = 0; i < 50; i++)                     /* 50 lines of 99 + newline */
		put(&b, flood_line);
}

static void counting_putc(char ch);
static char out[65536];
static size_t out_len;

static void counting_putc(char ch)
{
	if (out_len + 1 < sizeof(out))
		out[out_len++] = ch;
	flood_putc(ch);
}

static unsigned count_in_out(const char *needle)
{
	unsigned n = 0;
	const char *p = out;

	out[out_len] = '\0';
	while ((p = strstr(p, needle))) {
		n++;
		p += strlen(needle);
	}
	return n;
}

START_TEST(test_flood_bounded)
{
	unsigned i, queued_lines = CON_QUEUE / 100;  /* length byte + 99 bytes each */
	char report[80];

	memset(flood_line, 'f', 99);
	flood_line[99] = '\n';
	console_attach(counting_putc);
	put(&a, "tick\n");
	ck_assert(flooded);
	/* a's own line, plus at most two rounds of CON_FOREIGN_LINES of b's */
	ck_assert_uint_eq(count_in_out("[a] tick"), 1);
	ck_assert_uint_le(count_in_out("[b] "), 2 * CON_FOREIGN_LINES);
	/* the interrupt path writes the rest, a bounded amount each time */
	for (i = 0; i < 100; i++) {
		unsigned before = count_in_out("[b] ");

		console_poll();
		ck_assert_uint_le(count_in_out("[b] ") - before, 2 * CON_FOREIGN_LINES);
	}
	ck_assert_uint_eq(count_in_out("[b] "), queued_lines);
	snprintf(report, sizeof(report), "umbra: b: %u bytes of console output dropped\r\n",
		 (50 - queued_lines) * 100);
	ck_assert_msg(count_in_out(report) == 1, "no '%s' in:\n%s", report, out);
	/* reported once; then b writes normally again */
	put(&b, "after\n");
	ck_assert_uint_eq(count_in_out("[b] after\r\n"), 1);
	ck_assert_uint_eq(count_in_out("bytes of console output dropped"), 1);
}
END_TEST

/* A partition writing from several CPUs while one of them writes its
 * queue out: each call writes a bounded number of its own lines, so the
 * others' lines are not held up behind it; flushing writes all of them. */
static bool filled;

static void fill_putc(char ch)
{
	unsigned i;

	if (out_len + 1 < sizeof(out))
		out[out_len++] = ch;
	if (filled)
		return;
	filled = true;
	for (i = 0; i < 150; i++)                    /* 150 lines of 9 + newline */
		put(&b, "012345678\n");
}

START_TEST(test_own_lines_bounded)
{
	unsigned n;

	console_attach(fill_putc);
	put(&a, "tick\n");                           /* b fills its queue meanwhile */
	n = count_in_out("[b] ");
	put(&b, "more\n");
	ck_assert_uint_ge(count_in_out("[b] ") - n, CON_OWN_LINES);
	ck_assert_uint_le(count_in_out("[b] ") - n, 2 * CON_OWN_LINES);
	console_guest_flush(&b.p);
	ck_assert_uint_eq(count_in_out("[b] 012345678\r\n"), 150);
	ck_assert_uint_eq(count_in_out("[b] more\r\n"), 1);
	ck_assert_uint_eq(count_in_out("dropped"), 0);
}
END_TEST

START_TEST(test_flush_on_stop)
{
	put(&b, "last words");                       /* b: no keyboard, so it waits */
	ck_assert_str_eq(captured(), "");
	console_guest_flush(&b.p);
	ck_assert_str_eq(captured(), "[b] last words\r\n");
	console_guest_flush(&b.p);
	ck_assert_str_eq(captured(), "[b] last words\r\n");
	put(&a, "prompt$ ");                         /* a's shows, and is ended */
	console_guest_flush(&a.p);
	ck_assert_str_eq(captured(), "[b] last words\r\n[a] prompt$ \r\n");
}
END_TEST

/* The partition with the keyboard is interactive: its prompt and the echo
 * of what is typed show before the newline; anyone else's output first
 * ends that terminal line, and the rest comes as a new tagged line. */
START_TEST(test_focused_partial_line)
{
	put(&a, "/ # ");
	ck_assert_str_eq(captured(), "[a] / # ");
	put(&a, "l");
	put(&a, "s");
	ck_assert_str_eq(captured(), "[a] / # ls");
	put(&a, "\n");
	ck_assert_str_eq(captured(), "[a] / # ls\r\n");
	put(&b, "zz");                               /* not focused: waits */
	put(&a, "ab");
	printk("umbra: hi\n");
	put(&a, "c\n");
	put(&b, "\n");
	ck_assert_str_eq(captured(), "[a] / # ls\r\n[a] ab\r\numbra: hi\r\n[a] c\r\n[b] zz\r\n");
	/* another partition's line waits while a's open line grows... */
	put(&a, "x");
	put(&b, "line\n");
	put(&a, "y\n");
	ck_assert(strstr(captured(), "[a] xy\r\n[b] line\r\n"));
	/* ... but not for good: after CON_HOLD_MS it ends a's line */
	put(&a, "p");
	put(&b, "w\n");
	console_poll();
	ck_assert(!strstr(captured(), "[b] w"));
	fake_arch.counter += CON_HOLD_MS * 1000;
	console_poll();
	put(&a, "q\n");
	ck_assert(strstr(captured(), "[a] p\r\n[b] w\r\n[a] q\r\n"));
	/* a line ended by another with nothing left: no empty tagged line */
	put(&a, "z");
	put(&b, "v\n");
	fake_arch.counter += CON_HOLD_MS * 1000;
	console_poll();
	put(&a, "\n");
	ck_assert(strstr(captured(), "[a] z\r\n[b] v\r\n") != NULL);
	ck_assert(!strstr(captured(), "[a] \r\n"));
	/* focus moves to b: now b's partial line shows, a's waits */
	console_set_focus(&b.p);
	put(&a, "k");
	put(&b, "> ");
	ck_assert(strstr(captured(), "[b] v\r\n[b] > ") != NULL);
	ck_assert(!strstr(captured(), "[a] k"));
}
END_TEST

/* A Ctrl-T while the focused partition's line is half shown: the switch
 * takes effect at once, its announcement waits for that line's end (or
 * CON_HOLD_MS), and the new focus's unfinished line shows only after it
 * (with what that partition writes next). */
START_TEST(test_switch_waits_for_echo)
{
	const char *said = "umbra: console input goes to 'b' (Ctrl-T 1 a, Ctrl-T 2 b; "
			   "Ctrl-T Ctrl-T sends Ctrl-T)\r\n";
	char want[256];

	put(&a, "got 'for th");
	console_input_byte(CONSOLE_ESC);
	console_input_byte('2');
	ck_assert_ptr_eq(console_focus(), &b.p);
	console_input_byte('x');                     /* input goes to b already */
	ck_assert_uint_eq(con_port(&b.p)->vuart.rx_count, 1);
	put(&b, "> ");                               /* waits for the notice */
	console_poll();
	ck_assert_str_eq(captured(), "[a] got 'for th");
	put(&a, "e rtos'\n");
	snprintf(want, sizeof(want), "[a] got 'for the rtos'\r\n%s", said);
	ck_assert_str_eq(captured(), want);
	put(&b, "x");
	snprintf(want, sizeof(want), "[a] got 'for the rtos'\r\n%s[b] > x", said);
	ck_assert_str_eq(captured(), want);

	/* a line that does not end: the notice ends it after CON_HOLD_MS */
	capture_clear();
	put(&b, "\n");
	put(&b, "half");
	console_input_byte(CONSOLE_ESC);
	console_input_byte('1');
	console_poll();
	ck_assert_str_eq(captured(), "\r\n[b] half");  /* "> x" ended, then b's next */
	fake_arch.counter += CON_HOLD_MS * 1000;
	console_poll();
	ck_assert(strstr(captured(), "[b] half\r\numbra: console input goes to 'a'") != NULL);
	put(&b, " rest\n");
	ck_assert(strstr(captured(), "Ctrl-T)\r\n[b]  rest\r\n") != NULL);

	/* Umbra's own lines keep their order behind a waiting notice */
	capture_clear();
	put(&a, "y");
	console_input_byte(CONSOLE_ESC);
	console_input_byte('x');                     /* who has it: a notice */
	printk("umbra: own\n");
	ck_assert(strstr(captured(), "[a] y\r\numbra: console input goes to 'a'") != NULL);
	ck_assert(strstr(captured(), "Ctrl-T)\r\numbra: own\r\n") != NULL);
}
END_TEST

/* ---- input ---- */

static unsigned rx_count(struct test_guest *g)
{
	return con_port(&g->p)->vuart.rx_count;
}

static u8 rx_byte(struct test_guest *g, unsigned i)
{
	return con_port(&g->p)->vuart.rx[(con_port(&g->p)->vuart.rx_head + i) % VUART_RX_FIFO];
}

START_TEST(test_input_focus)
{
	ck_assert_ptr_eq(console_focus(), &a.p);     /* the first with a vUART */
	console_input_byte('x');
	ck_assert_uint_eq(rx_count(&a), 1);
	ck_assert_uint_eq(rx_byte(&a, 0), 'x');

	console_input_byte(CONSOLE_ESC);
	console_input_byte('2');
	ck_assert_ptr_eq(console_focus(), &b.p);
	ck_assert(strstr(captured(), "umbra: console input goes to 'b' (Ctrl-T 1 a, Ctrl-T 2 b;"));
	console_input_byte('y');
	console_input_byte(CONSOLE_ESC);
	console_input_byte(CONSOLE_ESC);             /* the escape byte itself */
	ck_assert_uint_eq(rx_count(&b), 2);
	ck_assert_uint_eq(rx_byte(&b, 0), 'y');
	ck_assert_uint_eq(rx_byte(&b, 1), CONSOLE_ESC);
	ck_assert_uint_eq(rx_count(&a), 1);          /* a got none of it */

	capture_clear();
	console_input_byte(CONSOLE_ESC);
	console_input_byte('3');                     /* c has no virtual UART */
	ck_assert_ptr_eq(console_focus(), &b.p);
	ck_assert(strstr(captured(), "umbra: console: 'c' has no virtual UART"));
	console_input_byte(CONSOLE_ESC);
	console_input_byte('9');                     /* no such partition */
	ck_assert(strstr(captured(), "umbra: console: no partition 9"));
	console_input_byte(CONSOLE_ESC);
	console_input_byte('?');                     /* who has it? */
	ck_assert_uint_eq(captured_count("console input goes to 'b'"), 3);
	ck_assert_uint_eq(rx_count(&b), 2);          /* no key leaked into b */

	console_set_focus(&c.p);                     /* refused: no vUART */
	ck_assert_ptr_eq(console_focus(), &b.p);
	console_set_focus(&a.p);
	ck_assert_ptr_eq(console_focus(), &a.p);
}
END_TEST

static const char *typed;

static int fake_getc(void)
{
	return *typed ? (u8)*typed++ : -1;
}

START_TEST(test_rx_irq)
{
	static const char keys[] = "ab\024" "2cd\n";

	console_rx_irq();                            /* no input driver: nothing */
	typed = keys;
	console_attach_input(fake_getc);
	console_rx_irq();
	ck_assert_uint_eq(rx_count(&a), 2);
	ck_assert_uint_eq(rx_count(&b), 3);
	ck_assert_uint_eq(rx_byte(&b, 2), '\n');
	/* a full FIFO: the rest waits in order, nothing is dropped */
	{
		static char many[VUART_RX_FIFO + 8];

		memset(many, 'm', sizeof(many) - 1);
		typed = many;
		console_rx_irq();
		ck_assert_uint_eq(rx_count(&b), VUART_RX_FIFO);
		ck_assert_uint_eq(con_port(&b.p)->vuart.bl_count, 3 + sizeof(many) - 1 - VUART_RX_FIFO);
		ck_assert_uint_eq(con_port(&b.p)->vuart.rx_dropped, 0);
	}
}
END_TEST

/* console-colour: each partition's tag in its own colour; the text and
 * Umbra's lines untouched */
START_TEST(test_colour_tags)
{
	console_set_colour(true);
	put(&b, "hi\n");
	put(&a, "yo\n");
	printk("umbra: plain\n");
	console_set_colour(false);
	put(&b, "bye\n");
	ck_assert_str_eq(captured(), "\033[32m[b]\033[0m hi\r\n\033[33m[a]\033[0m yo\r\n"
				     "umbra: plain\r\n[b] bye\r\n");
}
END_TEST

/* Escape sequences are dropped whole (no cursor moves over others' lines,
 * no terminal queries shown as garbage); other controls show as '.'. */
START_TEST(test_escape_sequences)
{
	put(&b, "\033[1A\033[2Kforged\033[6n ok\033c\001\n");
	put(&b, "\033[12;");                        /* unfinished: ... */
	put(&b, "34H, then\n");                     /* ... ends at 'H' */
	put(&b, "\033[99\nnext\n");                 /* a newline ends it too */
	ck_assert_str_eq(captured(), "[b] forged ok.\r\n[b] , then\r\n[b] \r\n[b] next\r\n");
}
END_TEST

/* Backspace edits the line: unshown bytes just go; for the focused
 * partition's open line, the terminal gets a "\b" for each shown one,
 * never more than that line's own text. */
START_TEST(test_backspace)
{
	put(&b, "abx\bc\n");                       /* not focused: edited */
	put(&a, "/ # ");
	put(&a, "l");
	put(&a, "x");
	put(&a, "\b");
	put(&a, " ");
	put(&a, "\b");
	put(&a, "s");
	ck_assert_str_eq(captured(), "[b] abc\r\n[a] / # lx\b \bs");
	put(&a, "\b\b\b\b\b\b\b\b");                     /* 8 back over a 6-byte line */
	ck_assert_str_eq(captured(), "[b] abc\r\n[a] / # lx\b \bs\b\b\b\b\b\b");
	put(&a, "ok\n");
	ck_assert_str_eq(captured(), "[b] abc\r\n[a] / # lx\b \bs\b\b\b\b\b\bok\r\n");
}
END_TEST

Suite *console_suite(void)
{
	Suite *s = suite_create("console");
	TCase *tc = tcase_create("console");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_registry);
	tcase_add_test(tc, test_partial_lines_not_interleaved);
	tcase_add_test(tc, test_cannot_forge);
	tcase_add_test(tc, test_long_line_continues);
	tcase_add_test(tc, test_flood_bounded);
	tcase_add_test(tc, test_own_lines_bounded);
	tcase_add_test(tc, test_flush_on_stop);
	tcase_add_test(tc, test_focused_partial_line);
	tcase_add_test(tc, test_switch_waits_for_echo);
	tcase_add_test(tc, test_colour_tags);
	tcase_add_test(tc, test_escape_sequences);
	tcase_add_test(tc, test_backspace);
	tcase_add_test(tc, test_input_focus);
	tcase_add_test(tc, test_rx_irq);
	suite_add_tcase(s, tc);
	return s;
}
