// SPDX-License-Identifier: Apache-2.0
/*
 * The test guest: a bare-metal EL1 program that runs the verification
 * vectors (run.c) against the monitor and powers off. The MMU stays off,
 * so every data access is to Device memory: everything is built with
 * -mstrict-align, and the guest's VA is its IPA.
 *
 * This file: console output, EL1 exceptions and probes, the device tree,
 * power-off.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libfdt.h>

#include "guest.h"
#include "umbra/lib.h"
#include "umbra_abi.h"

#define MIN(a, b) ((a) < (b) ? (a) : (b))

/* ---- console ---------------------------------------------------------- */

/*
 * The monitor reads the buffer through its own (cacheable) mapping, while
 * this guest wrote it with the MMU off, straight to memory: clean and
 * invalidate the lines to the point of coherency so that no stale copy in
 * a cache can shadow what was written.
 */
static void dcache_clean_inval(const void *p, size_t len)
{
	uint64_t ctr, line, a, end = (uint64_t)(uintptr_t)p + len;

	__asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
	line = 4UL << ((ctr >> 16) & 0xf);
	__asm__ volatile("dsb sy" ::: "memory");
	for (a = (uint64_t)(uintptr_t)p & ~(line - 1); a < end; a += line)
		__asm__ volatile("dc civac, %0" ::"r"(a) : "memory");
	__asm__ volatile("dsb sy" ::: "memory");
}

/* Started directly on the machine (no Umbra: no /chosen umbra,partition),
 * the guest writes to the DT's PL011 itself and runs only the
 * conformance suite, whose verdicts must be the same as in a partition. */
static bool bare;

static void pl011_write(const char *s, size_t len)
{
	uint64_t uart = sym_value[VEC_SYM_UART];

	for (; len; s++, len--) {
		while (*(volatile uint32_t *)(uintptr_t)(uart + 0x18) & (1u << 5))
			; /* FR.TXFF */
		*(volatile uint32_t *)(uintptr_t)uart = (uint8_t)*s;
	}
}

static void console_write(const char *s, size_t len)
{
	if (bare) {
		if (!sym_missing[VEC_SYM_UART])
			pl011_write(s, len);
		return;
	}
	while (len) {
		size_t n = MIN(len, (size_t)UMBRA_CONSOLE_WRITE_MAX);
		struct umbra_res r;

		dcache_clean_inval(s, n);
		r = umbra_hvc(UMBRA_HC_CONSOLE_WRITE, (uintptr_t)s, n, 0, 0, 0, 0);
		if (r.x0 <= 0 || (size_t)r.x0 > n)
			return; /* nowhere left to report it */
		s += r.x0;
		len -= (size_t)r.x0;
	}
}

void gprintf(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf)) {
		/* keep the line structure of truncated output */
		memcpy(&buf[sizeof(buf) - 5], "...\n", 5);
		n = sizeof(buf) - 1;
	}
	console_write(buf, (size_t)n);
}

/* ---- power ------------------------------------------------------------ */

static bool psci_smc; /* the DT's /psci method is "smc" */

static __noreturn void halt(void)
{
	for (;;)
		__asm__ volatile("wfi");
}

static void system_off(void)
{
	static const unsigned long none[6];

	guest_call(psci_smc, PSCI_SYSTEM_OFF, none);
}

__noreturn void guest_off(void)
{
	system_off();
	gprintf("guest: PSCI SYSTEM_OFF returned\n");
	halt();
}

__noreturn void lib_fatal(const char *why)
{
	gprintf("guest: fatal: %s\n", why);
	guest_off();
}

/* ---- exceptions and probes -------------------------------------------- */

/* vector slots: current EL, SP_EL1, synchronous and IRQ */
enum { EXC_SYNC_SPX = 4, EXC_IRQ_SPX = 5 };

static const char *const exc_kind[16] = {
	"sync, SP_EL0", "IRQ, SP_EL0", "FIQ, SP_EL0", "SError, SP_EL0",
	"sync", "IRQ", "FIQ", "SError",
	"sync from EL0", "IRQ from EL0", "FIQ from EL0", "SError from EL0",
	"sync from AArch32", "IRQ from AArch32", "FIQ from AArch32",
	"SError from AArch32",
};

static volatile struct {
	bool armed;
	struct fault fault;
} probe;

void probe_arm(void)
{
	probe.fault.taken = false;
	probe.armed = true;
}

void probe_disarm(struct fault *f)
{
	probe.armed = false;
	f->taken = probe.fault.taken;
	f->esr = probe.fault.esr;
	f->far = probe.fault.far;
	f->elr = probe.fault.elr;
}

void exc_handler(unsigned kind, struct exc_frame *frame);

void exc_handler(unsigned kind, struct exc_frame *frame)
{
	static int dying;
	uint64_t esr, far;

	__asm__ volatile("mrs %0, esr_el1" : "=r"(esr));
	__asm__ volatile("mrs %0, far_el1" : "=r"(far));

	if (storm_exc(kind, frame, esr))
		return;
	if (kind == EXC_IRQ_SPX && conf_irq()) /* the conformance suite's */
		return;
	if (kind == EXC_SYNC_SPX && probe.armed && !probe.fault.taken) {
		probe.fault.taken = true;
		probe.fault.esr = esr;
		probe.fault.far = far;
		probe.fault.elr = frame->elr;
		frame->elr += 4; /* skip the access (or the HVC/SMC) */
		return;
	}

	/* Printing or powering off may fault in turn: one step less each
	 * time. */
	switch (dying++) {
	case 0:
		gprintf("guest: unexpected exception ESR=0x%lx ELR=0x%lx FAR=0x%lx (%s)\n",
			esr, frame->elr, far, exc_kind[kind & 15]);
		guest_off();
	case 1:
		system_off();
		halt();
	default:
		halt();
	}
}

/* ---- device tree ------------------------------------------------------ */

uint64_t sym_value[VEC_NR_SYMS];
const char *sym_missing[VEC_NR_SYMS];
const char *const sym_name[VEC_NR_SYMS] = {
	[VEC_SYM_NONE] = "",
	[VEC_SYM_RAM_BASE] = "ram_base",
	[VEC_SYM_RAM_END] = "ram_end",
	[VEC_SYM_RAM_SIZE] = "ram_size",
	[VEC_SYM_GICD] = "gicd",
	[VEC_SYM_GICR] = "gicr",
	[VEC_SYM_UART] = "uart",
	[VEC_SYM_DTB] = "dtb",
	[VEC_SYM_BUF] = "buf",
};

static uint64_t read_cells(const fdt32_t *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 32) | fdt32_ld(p++);
	return v;
}

/* Entry `index` of node's reg, in its parent's address/size cells. The
 * address is the node's own: no `ranges` translation. */
const char *dt_reg(const void *fdt, int node, int index, uint64_t *base, uint64_t *size)
{
	int parent = fdt_parent_offset(fdt, node);
	int ac, sc, len;
	const fdt32_t *reg;

	if (parent < 0)
		return "no parent node";
	ac = fdt_address_cells(fdt, parent);
	sc = fdt_size_cells(fdt, parent);
	if (ac < 1 || ac > 2 || sc < 0 || sc > 2)
		return "unsupported #address-cells/#size-cells";
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || len < (index + 1) * (ac + sc) * 4)
		return index ? "too few reg entries" : "no reg property";
	reg += index * (ac + sc);
	*base = read_cells(reg, ac);
	*size = read_cells(reg + ac, sc);
	return NULL;
}

/* A string property, or NULL if absent or not NUL-terminated. */
static const char *dt_string(const void *fdt, int node, const char *name)
{
	int len;
	const char *s = fdt_getprop(fdt, node, name, &len);

	return s && len > 0 && s[len - 1] == '\0' ? s : NULL;
}

static void set_sym(enum vec_sym s, uint64_t v, const char *missing)
{
	sym_value[s] = v;
	sym_missing[s] = missing;
}

/* Fill in the run-time symbols and the PSCI conduit. Returns the DT's
 * model, or NULL and an error in *err if there is no usable DT. */
static const char *dt_parse(uint64_t dtb, const char **err)
{
	const void *fdt = (const void *)(uintptr_t)dtb;
	const char *why, *model, *method;
	uint64_t base = 0, size = 0;
	int node, rc;

	for (int s = VEC_SYM_NONE + 1; s < VEC_NR_SYMS; s++)
		set_sym(s, 0, "no usable device tree");
	set_sym(VEC_SYM_BUF, (uintptr_t)vec_pool, NULL);
	set_sym(VEC_SYM_DTB, dtb, NULL);

	if (dtb == 0 || (dtb & 7)) {
		*err = "not 8-byte aligned";
		return NULL;
	}
	rc = fdt_check_header(fdt);
	if (rc) {
		*err = fdt_strerror(rc);
		return NULL;
	}

	node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory",
					     sizeof("memory"));
	why = node < 0 ? "no memory node in the device tree"
		       : dt_reg(fdt, node, 0, &base, &size);
	set_sym(VEC_SYM_RAM_BASE, base, why);
	set_sym(VEC_SYM_RAM_SIZE, size, why);
	set_sym(VEC_SYM_RAM_END, base + size, why);

	node = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	why = node < 0 ? "no arm,gic-v3 node in the device tree"
		       : dt_reg(fdt, node, 0, &base, &size);
	set_sym(VEC_SYM_GICD, base, why);
	if (node >= 0)
		why = dt_reg(fdt, node, 1, &base, &size);
	set_sym(VEC_SYM_GICR, base, why);

	node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl011");
	why = node < 0 ? "no arm,pl011 node in the device tree"
		       : dt_reg(fdt, node, 0, &base, &size);
	set_sym(VEC_SYM_UART, base, why);

	node = fdt_path_offset(fdt, "/psci");
	method = node < 0 ? NULL : dt_string(fdt, node, "method");
	psci_smc = method && strcmp(method, "smc") == 0;

	node = fdt_path_offset(fdt, "/chosen");
	bare = node < 0 || !fdt_getprop(fdt, node, "umbra,partition", NULL);

	model = dt_string(fdt, 0, "model");
	if (!model)
		model = dt_string(fdt, 0, "compatible");
	return model ? model : "a device tree without model or compatible";
}

/* ---- main ------------------------------------------------------------- */

__noreturn void guest_main(uint64_t dtb);

static inline uint64_t cntvct(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

/* Costs, in counter ticks (16 ns at QEMU's 62.5 MHz; under -icount
 * shift=0 a nanosecond is one instruction): a null hypercall (the mean
 * of 1000; UMBRA_HC_VERSION, which Umbra answers in its exception vector),
 * the same through Umbra's whole trap path and C dispatch (CALL_COUNT)
 * and the ATTEST call. Printed for scripts/bench-hypercalls.sh. */
static void bench_null_hypercall(void)
{
	const unsigned n = 1000;
	uint64_t t0, t1, t2;
	unsigned i;

	t0 = cntvct();
	for (i = 0; i < n; i++)
		umbra_hvc(UMBRA_HC_VERSION, 0, 0, 0, 0, 0, 0);
	t1 = cntvct();
	for (i = 0; i < n; i++)
		umbra_hvc(UMBRA_HC_CALL_COUNT, 0, 0, 0, 0, 0, 0);
	t2 = cntvct();
	gprintf("guest: bench: null hypercall %lu ticks per 1000 calls\n", t1 - t0);
	gprintf("guest: bench: dispatched hypercall %lu ticks per 1000 calls\n", t2 - t1);
}

/* After the vectors: fetch one attestation token with a fixed nonce and
 * print it as hex lines for the host (umbra-verify and an independent
 * Python check read it from the console). Nothing if Umbra has no device
 * secret (UMBRA_E_NOT_SUPPORTED). */
static void attest_sample(void)
{
	static uint8_t nonce[32], tok[4096];
	const unsigned long chunk = 48;
	struct umbra_res r;
	unsigned long i, j;
	char line[2 * 48 + 1];

	uint64_t t0;

	for (i = 0; i < sizeof(nonce); i++)
		nonce[i] = (uint8_t)i;
	t0 = cntvct();
	r = umbra_hvc(UMBRA_HC_ATTEST, (unsigned long)nonce, sizeof(nonce), (unsigned long)tok,
		      sizeof(tok), 0, 0);
	gprintf("guest: bench: attest %lu ticks\n", cntvct() - t0);
	if (r.x0 <= 0) {
		gprintf("guest: attestation: status %ld\n", r.x0);
		return;
	}
	/* the guest's MMU is off: read what Umbra wrote from memory */
	for (i = 0; i < (unsigned long)r.x0; i += 64)
		__asm__ volatile("dc civac, %0" : : "r"(tok + i) : "memory");
	for (i = 0; i < (unsigned long)r.x0; i += chunk) {
		for (j = 0; j < chunk && i + j < (unsigned long)r.x0; j++) {
			line[2 * j] = "0123456789abcdef"[tok[i + j] >> 4];
			line[2 * j + 1] = "0123456789abcdef"[tok[i + j] & 15];
		}
		line[2 * j] = '\0';
		gprintf("guest: token %s\n", line);
	}
	gprintf("guest: token end (%ld bytes)\n", r.x0);
}

__noreturn void guest_main(uint64_t dtb)
{
	const char *err = NULL;
	const char *model = dt_parse(dtb, &err);

	if (!model) {
		gprintf("guest: no usable device tree at 0x%lx: %s\n", dtb, err);
		guest_off();
	}
	if (bare) {
		gprintf("guest: no Umbra (no /chosen umbra,partition): conformance suite only\n");
		run_conformance((const void *)(uintptr_t)dtb);
		guest_off();
	}
	if (storm_mode((const void *)(uintptr_t)dtb))
		guest_off();
	gprintf("guest: %u vectors from %s\n", (unsigned)vec_count, model);
	if (!sym_missing[VEC_SYM_RAM_BASE])
		gprintf("guest: RAM 0x%lx..0x%lx, device tree at 0x%lx, PSCI via %s\n",
			sym_value[VEC_SYM_RAM_BASE], sym_value[VEC_SYM_RAM_END],
			dtb, psci_smc ? "SMC" : "HVC");
	run_vectors();
	run_conformance((const void *)(uintptr_t)dtb);
	bench_null_hypercall();
	attest_sample();
	guest_off();
}
