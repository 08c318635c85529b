// SPDX-License-Identifier: Apache-2.0
/*
 * The arm64 port: boot, the kernel's port_* hooks, exceptions and the
 * fault handler, firmware calls (PSCI, Umbra discovery).
 *
 * Faults: a synchronous exception or SError taken from a task (EL1t) is
 * the task's: it is reported (ESR, FAR, ELR) and the task is killed; the
 * others keep running. The same in the kernel's own mode (EL1h: exception
 * handling, boot) cannot be survived: it is reported with the registers
 * and the system powers off.
 */
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "rtos_kernel.h"
#include "umbra/lib.h"
#include "umbra_abi.h"

#define ESR_EC(esr)   (((esr) >> 26) & 0x3f)
#define EC_SVC64      0x15
#define EC_IABT_CUR   0x21
#define EC_DABT_CUR   0x25
#define SPSR_EL1T     0x4 /* EL1 with SP_EL0, DAIF clear */

enum { KIND_SYNC, KIND_IRQ, KIND_FIQ, KIND_SERROR };

static uint64_t tick_hz;
static bool under_umbra;
static volatile struct {
	bool armed, taken;
} probe;

/* ---- firmware ------------------------------------------------------------ */

struct umbra_res fw_call(unsigned long fid, unsigned long a1, unsigned long a2,
			 unsigned long a3)
{
	if (board.psci_smc)
		return umbra_smc(fid, a1, a2, a3, 0, 0, 0);
	return umbra_hvc(fid, a1, a2, a3, 0, 0, 0);
}

/*
 * Is Umbra below us? SMCCC discovery (DEN0028 7.2): PSCI_FEATURES says
 * whether SMCCC_VERSION exists, SMCCC >= 1.1 makes the vendor hypervisor
 * UID call safe, and the UID names Umbra. Without EL2 a non-PSCI HVC is
 * undefined: the probe catches that (port_kernel_exception) and we carry
 * on without Umbra.
 */
bool umbra_detect(void)
{
	struct umbra_res r = { 0 };
	bool ok = true;

	probe.taken = false;
	probe.armed = true;
	if (board.psci) {
		r = fw_call(PSCI_FEATURES, SMCCC_VERSION, 0, 0);
		ok = !probe.taken && (int)r.x0 >= 0;
		if (ok) {
			r = fw_call(SMCCC_VERSION, 0, 0, 0);
			ok = !probe.taken && (int)r.x0 >= 0x10001;
		}
	}
	if (ok) {
		r = fw_call(UMBRA_HC_CALL_UID, 0, 0, 0);
		ok = !probe.taken && (uint32_t)r.x0 == UMBRA_UID0 && (uint32_t)r.x1 == UMBRA_UID1 &&
		     (uint32_t)r.x2 == UMBRA_UID2 && (uint32_t)r.x3 == UMBRA_UID3;
	}
	probe.armed = false;
	return ok;
}

bool board_under_umbra(void)
{
	return under_umbra;
}

void board_poweroff(void)
{
	port_irq_save();
	if (board.psci)
		fw_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

__attribute__((noreturn)) void lib_fatal(const char *why)
{
	port_irq_save();
	rtos_printf("rtos: fatal: %s\n", why);
	board_poweroff();
}

/* ---- bootargs ---------------------------------------------------------------- */

const char *board_bootargs(void)
{
	return board.bootargs;
}

/* The word of bootargs that is `name` or starts with `name=`. */
static const char *find_option(const char *name)
{
	size_t n = strlen(name);
	const char *p = board.bootargs;

	while (*p) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, name, n) && (p[n] == '\0' || p[n] == ' ' || p[n] == '='))
			return p + n;
		while (*p && *p != ' ')
			p++;
	}
	return NULL;
}

bool board_option(const char *name)
{
	return find_option(name) != NULL;
}

long board_option_value(const char *name, long dflt)
{
	const char *p = find_option(name);

	if (!p || *p != '=')
		return dflt;
	return (long)strtoul(p + 1, NULL, 0);
}

/* ---- the kernel's hooks -------------------------------------------------------- */

rtos_tick_t port_now(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

uint64_t port_tick_hz(void)
{
	return tick_hz;
}

void port_timer_program(rtos_tick_t deadline)
{
	if (deadline == RTOS_NEVER) {
		write_sysreg(cntv_ctl_el0, 0);
	} else {
		write_sysreg(cntv_cval_el0, deadline);
		write_sysreg(cntv_ctl_el0, 1); /* enabled, not masked */
	}
	isb();
}

void port_timer_irq(void)
{
	write_sysreg(cntv_ctl_el0, 0); /* its level drops; the kernel re-arms */
	rtos_timer_isr();
}

void port_task_init(struct rtos_task *t)
{
	memset(&t->ctx, 0, sizeof(t->ctx));
	t->ctx.sp = (uint64_t)(uintptr_t)(t->stack + t->stack_size);
	t->ctx.elr = (uint64_t)(uintptr_t)rtos_task_start;
	t->ctx.spsr = SPSR_EL1T;
}

void port_request_switch(void)
{
	__asm__ volatile("svc #0" ::: "memory");
}

void port_idle(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

void port_report_kill(const struct rtos_task *t, const char *why)
{
	rtos_printf("rtos: task '%s' killed: %s; the others keep running\n", rtos_task_name(t), why);
}

/* ---- exceptions ------------------------------------------------------------------- */

static const char *ec_text(unsigned ec)
{
	switch (ec) {
	case 0x00: return "undefined instruction";
	case 0x07: return "FP/SIMD access";
	case 0x0e: return "illegal execution state";
	case 0x15: return "SVC";
	case 0x16: return "HVC";
	case 0x17: return "SMC";
	case 0x18: return "system register access";
	case 0x20: case 0x21: return "instruction abort";
	case 0x22: return "PC alignment fault";
	case 0x24: case 0x25: return "data abort";
	case 0x26: return "SP alignment fault";
	case 0x2f: return "SError";
	case 0x3c: return "BRK";
	default: return "exception";
	}
}

/* The fault status code of an abort, in words. */
static const char *fsc_text(uint64_t esr, char *buf, size_t size)
{
	unsigned fsc = esr & 0x3f, lvl = fsc & 3;
	const char *what;

	switch (fsc & 0x3c) {
	case 0x04: what = "translation fault"; break;
	case 0x08: what = "access flag fault"; break;
	case 0x0c: what = "permission fault"; break;
	default:
		what = fsc == 0x10 ? "synchronous external abort" :
		       fsc == 0x21 ? "alignment fault" : "fault";
		snprintf(buf, size, "%s", what);
		return buf;
	}
	snprintf(buf, size, "%s, level %u", what, lvl);
	return buf;
}

static void report(const char *who, unsigned kind, uint64_t esr, uint64_t elr, uint64_t spsr)
{
	uint64_t far = read_sysreg(far_el1), img = (uint64_t)(uintptr_t)_head;
	unsigned ec = ESR_EC(esr);
	char detail[64] = "";

	if (kind == KIND_SERROR)
		ec = 0x2f;
	if (ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25)
		fsc_text(esr, detail, sizeof(detail));
	if ((ec == 0x24 || ec == 0x25) && (esr & (1u << 6)))
		snprintf(detail + strlen(detail), sizeof(detail) - strlen(detail), " on write");
	/* lines short enough for Umbra's console (120 characters) */
	rtos_printf("rtos: FAULT in %s: %s%s%s\n", who, ec_text(ec), detail[0] ? ", " : "", detail);
	rtos_printf("rtos:   ESR=0x%lx FAR=0x%lx ELR=0x%lx SPSR=0x%lx\n", esr, far, elr, spsr);
	if (elr >= img && elr < (uint64_t)(uintptr_t)__text_end)
		rtos_printf("rtos:   at rtos.elf+0x%lx (addr2line -e rtos.elf 0x%lx)\n", elr - img,
			    elr - img);
}

void port_task_exception(uint64_t kind);
void port_task_exception(uint64_t kind)
{
	struct rtos_task *t = rtos_current;
	uint64_t esr = read_sysreg(esr_el1);
	char who[48];

	if (kind == KIND_SYNC && ESR_EC(esr) == EC_SVC64) {
		rtos_sched_switch(); /* port_request_switch */
		return;
	}
	rtos_isr_enter();
	if (kind == KIND_IRQ) {
		gic_handle_irqs();
	} else if (kind == KIND_FIQ) {
		rtos_printf("rtos: unexpected FIQ\n");
	} else {
		snprintf(who, sizeof(who), "task '%s'", rtos_task_name(t));
		report(who, (unsigned)kind, esr, t->ctx.elr, t->ctx.spsr);
		if (rtos_task_priority(t) == RTOS_PRIO_IDLE) {
			rtos_printf("rtos: the idle task cannot go on: powering off\n");
			board_poweroff();
		}
		rtos_task_fault(t, ec_text(kind == KIND_SERROR ? 0x2f : ESR_EC(esr)));
	}
	rtos_isr_exit();
	if (rtos_need_resched)
		rtos_sched_switch();
}

void port_kernel_exception(uint64_t kind, struct rtos_port_ctx *f);
void port_kernel_exception(uint64_t kind, struct rtos_port_ctx *f)
{
	static int dying;
	uint64_t esr = read_sysreg(esr_el1);
	unsigned i;

	if (kind == 4 && probe.armed && !probe.taken) {
		probe.taken = true;
		f->elr += 4; /* skip the call that was not there */
		return;
	}
	if (dying++)
		board_poweroff(); /* the report itself faulted */
	report("the kernel (EL1h): PANIC", (unsigned)(kind & 3), esr, f->elr, f->spsr);
	for (i = 0; i < 30; i += 2)
		rtos_printf("rtos:   x%-2u %016lx  x%-2u %016lx\n", i, f->x[i], i + 1, f->x[i + 1]);
	rtos_printf("rtos:   x30 %016lx  sp  %016lx  task %s\n", f->x[30], f->sp,
		    rtos_current ? rtos_task_name(rtos_current) : "-");
	board_poweroff();
}

/* ---- boot ----------------------------------------------------------------------------- */

static __attribute__((noreturn)) void boot_fail(const char *what, const char *why)
{
	rtos_printf("rtos: %s: %s\n", what, why);
	board_poweroff();
}

__attribute__((noreturn)) void port_boot(uint64_t dtb);
__attribute__((noreturn)) void port_boot(uint64_t dtb)
{
	const char *err = dt_parse(dtb);

	if (err) {
		/* no console we know of: try to stop cleanly */
		board.psci = true;
		board_poweroff();
	}
	tick_hz = read_sysreg(cntfrq_el0);
	err = mmu_init();
	under_umbra = umbra_detect();
	console_init();
	if (err)
		boot_fail("MMU", err);
	rtos_printf("rtos: Umbra RTOS on %s, EL1, MMU and caches on\n", board.model);
	rtos_printf("rtos: timer %lu Hz, INTID %u%s; console: %s\n", tick_hz, board.timer_intid,
		    board.timer_from_dt ? "" : " (default: not in the DT)", console_name());
	if (under_umbra) {
		struct umbra_res r = fw_call(UMBRA_HC_PARTITION_INFO, 0, 0, 0);

		rtos_printf("rtos: in an Umbra partition (id %lu, %lu vCPU, %lu MiB)\n", r.x1, r.x2,
			    r.x3 >> 20);
	} else {
		rtos_printf("rtos: no hypervisor (bare metal)\n");
	}
	if ((err = gic_init()))
		boot_fail("GIC", err);
	if (!tick_hz)
		boot_fail("timer", "CNTFRQ_EL0 is 0");
	rtos_init();
	app_main();
	boot_fail("app_main", "returned");
}
