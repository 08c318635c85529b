// SPDX-License-Identifier: Apache-2.0
/*
 * Runs the vector table (vector.h) and prints one stable, machine-readable
 * line per vector:
 *
 *   VEC PASS <name>
 *   VEC FAIL <name>: expected <expectation>, got <what happened>
 *
 * then "vectors: N passed, M failed".
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "guest.h"
#include "umbra/lib.h"
#include "umbra_abi.h"

struct text {
	char buf[320];
	size_t len;
};

static void __printf(2, 3) add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->len >= sizeof(t->buf) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, sizeof(t->buf) - t->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len += (size_t)n;
	if (t->len > sizeof(t->buf) - 1)
		t->len = sizeof(t->buf) - 1;
}

/* A run-time value: false if it depends on a symbol the DT lacks. */
static bool resolve(const struct vec_val *v, uint64_t *out)
{
	if (v->sym >= VEC_NR_SYMS)
		return false;
	if (v->sym == VEC_SYM_NONE) {
		*out = v->off;
		return true;
	}
	if (sym_missing[v->sym])
		return false;
	*out = sym_value[v->sym] + v->off;
	return true;
}

/* SMC32/HVC32 function IDs return 32-bit results in w0..w3 (SMCCC). */
static bool call32(const struct vec *v)
{
	return !(v->fid & SMCCC_SMC64);
}

/* Register n as the expectation writes it: ret= as a signed number, xN= in
 * hex; a 32-bit call's results are their low words. */
static void add_reg(struct text *t, const struct vec *v, unsigned n, uint64_t x)
{
	if (call32(v))
		x &= 0xffffffffu;
	if (n == 0 && (v->check & VEC_SHOW_RET))
		add(t, "ret=%ld", call32(v) ? (long)(int32_t)x : (long)x);
	else
		add(t, "x%u=0x%lx", n, x);
}

/* An expected value as a number, or as symbol+offset if the DT lacks it. */
static void add_want(struct text *t, const struct vec *v, unsigned n)
{
	static const char *const key[4] = { "x0", "x1", "x2", "x3" };
	const struct vec_val *w = &v->want[n];
	bool neg = (int64_t)w->off < 0;
	uint64_t x;

	if (resolve(w, &x)) {
		if (v->op == VEC_READ)
			add(t, "value=0x%lx", x);
		else
			add_reg(t, v, n, x);
		return;
	}
	add(t, "%s=%s%c0x%lx",
	    v->op == VEC_READ ? "value" :
	    n == 0 && (v->check & VEC_SHOW_RET) ? "ret" : key[n & 3],
	    sym_name[w->sym % VEC_NR_SYMS], neg ? '-' : '+',
	    neg ? 0 - w->off : w->off);
}

static void describe_expect(struct text *t, const struct vec *v)
{
	const char *sep = "";

	switch (v->expect) {
	case VEC_EXPECT_ABORT:
		add(t, "abort");
		return;
	case VEC_EXPECT_OK:
		if (v->check & VEC_CHECK_X(0))
			add_want(t, v, 0);
		else
			add(t, "ok");
		return;
	case VEC_EXPECT_RESULT:
		for (unsigned n = 0; n < 4; n++) {
			if (!(v->check & VEC_CHECK_X(n)))
				continue;
			add(t, "%s", sep);
			add_want(t, v, n);
			sep = " ";
		}
		return;
	}
	add(t, "?");
}

static void describe_fault(struct text *t, const struct fault *f)
{
	add(t, "ESR=0x%lx EC=0x%lx", f->esr, ESR_EC(f->esr));
	if (ESR_EC(f->esr) == ESR_EC_DABT_CUR)
		add(t, " DFSC=0x%lx", ESR_DFSC(f->esr));
	add(t, " FAR=0x%lx ELR=0x%lx", f->far, f->elr);
}

static bool run_call(const struct vec *v, const uint64_t arg[], const uint64_t want[],
		     struct text *got)
{
	unsigned long a[VEC_MAX_ARGS] = { 0 };
	uint64_t mask = call32(v) ? 0xffffffffu : ~0UL;
	uint64_t res[4];
	struct umbra_res r;
	struct fault f;
	bool pass = true;
	const char *sep = "";

	for (unsigned i = 0; i < v->nargs && i < VEC_MAX_ARGS; i++)
		a[i] = arg[i];
	probe_arm();
	r = guest_call(v->op == VEC_SMC, v->fid, a);
	probe_disarm(&f);
	if (f.taken) {
		add(got, "exception ");
		describe_fault(got, &f);
		return false;
	}
	if (v->expect == VEC_EXPECT_OK)
		return true;

	res[0] = (uint64_t)r.x0;
	res[1] = r.x1;
	res[2] = r.x2;
	res[3] = r.x3;
	for (unsigned n = 0; n < 4; n++)
		if ((v->check & VEC_CHECK_X(n)) && ((res[n] ^ want[n]) & mask))
			pass = false;
	if (pass)
		return true;
	for (unsigned n = 0; n < 4; n++) {
		if (!(v->check & VEC_CHECK_X(n)))
			continue;
		add(got, "%s", sep);
		add_reg(got, v, n, res[n]);
		sep = " ";
	}
	return false;
}

static bool run_probe(const struct vec *v, const uint64_t arg[], const uint64_t want[],
		      struct text *got)
{
	const char *what = v->op == VEC_READ ? "read" : "write";
	unsigned bits = v->width * 8u;
	uint64_t addr = arg[0], value = 0;
	struct fault f;

	if (v->width != 1 && v->width != 2 && v->width != 4 && v->width != 8) {
		add(got, "a bad table entry (width %u)", v->width);
		return false;
	}
	if (addr & (v->width - 1u)) {
		add(got, "misaligned address 0x%lx for a %u-bit access", addr, bits);
		return false;
	}

	probe_arm();
	if (v->op == VEC_READ) {
		switch (v->width) {
		case 1: value = probe_read8(addr); break;
		case 2: value = probe_read16(addr); break;
		case 4: value = probe_read32(addr); break;
		default: value = probe_read64(addr); break;
		}
	} else {
		switch (v->width) {
		case 1: probe_write8(addr, arg[1]); break;
		case 2: probe_write16(addr, arg[1]); break;
		case 4: probe_write32(addr, arg[1]); break;
		default: probe_write64(addr, arg[1]); break;
		}
	}
	probe_disarm(&f);

	if (!f.taken) {
		if (v->expect == VEC_EXPECT_ABORT) {
			add(got, "ok (%s%u 0x%lx", what, bits, addr);
			if (v->op == VEC_READ)
				add(got, " = 0x%lx", value);
			add(got, ")");
			return false;
		}
		if ((v->check & VEC_CHECK_X(0)) && value != want[0]) {
			add(got, "value=0x%lx", value);
			return false;
		}
		return true;
	}

	bool sea = ESR_EC(f.esr) == ESR_EC_DABT_CUR && ESR_DFSC(f.esr) == ESR_DFSC_SEA;
	if (v->expect == VEC_EXPECT_ABORT && sea) {
		/* FAR, when valid, must be the address of the access. */
		if ((f.esr & ESR_FNV) || f.far - addr < v->width)
			return true;
		add(got, "abort with FAR=0x%lx for %s%u 0x%lx", f.far, what, bits, addr);
		return false;
	}
	add(got, "%s at %s%u 0x%lx: ", sea ? "abort" : "fault", what, bits, addr);
	describe_fault(got, &f);
	return false;
}

static bool run_one(const struct vec *v, struct text *exp, struct text *got)
{
	uint64_t arg[VEC_MAX_ARGS] = { 0 }, want[4] = { 0 };
	const char *missing = NULL;
	unsigned bad = 0;

	for (unsigned i = 0; i < VEC_MAX_ARGS; i++)
		if (!resolve(&v->args[i], &arg[i]) && !missing)
			bad = v->args[i].sym, missing = "argument";
	for (unsigned n = 0; n < 4; n++)
		if ((v->check & VEC_CHECK_X(n)) && !resolve(&v->want[n], &want[n]) && !missing)
			bad = v->want[n].sym, missing = "expectation";

	describe_expect(exp, v);
	if (missing) {
		if (bad >= VEC_NR_SYMS)
			add(got, "a bad table entry (symbol %u)", bad);
		else
			add(got, "no value for %s in the %s: %s", sym_name[bad],
			    missing, sym_missing[bad]);
		return false;
	}

	switch (v->op) {
	case VEC_HVC:
	case VEC_SMC:
		return run_call(v, arg, want, got);
	case VEC_READ:
	case VEC_WRITE:
		return run_probe(v, arg, want, got);
	}
	add(got, "a bad table entry (op %u)", v->op);
	return false;
}

unsigned run_vectors(void)
{
	unsigned passed = 0, failed = 0;

	for (uint32_t i = 0; i < vec_count; i++) {
		const struct vec *v = &vec_table[i];
		const char *name = &vec_names[v->name];
		struct text exp = { .len = 0 }, got = { .len = 0 };

		if (run_one(v, &exp, &got)) {
			gprintf("VEC PASS %s\n", name);
			passed++;
		} else {
			gprintf("VEC FAIL %s: expected %s, got %s\n", name, exp.buf,
				got.buf);
			failed++;
		}
	}
	gprintf("vectors: %u passed, %u failed\n", passed, failed);
	return failed;
}
