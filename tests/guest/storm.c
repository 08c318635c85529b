// SPDX-License-Identifier: Apache-2.0
/*
 * Two modes of the test guest for the hostile-partition storm
 * (tests/system/storm.sh, docs/assurance.md), chosen by /chosen/bootargs:
 *
 *   umbra-test=storm ops=N seed=S   N operations chosen by a PRNG seeded
 *       with S: SMCCC calls, stray memory accesses, emulated MMIO in every
 *       load/store form, trapping system registers, cache and TLB
 *       maintenance, SGIs, instruction fetches from addresses it does not
 *       own. Every exception they cause is taken by this guest's own
 *       vector and the instruction skipped, so the storm goes on; a line
 *       per class with counts at the end ("storm: done" last).
 *   umbra-test=canary               a heartbeat every 100 ms and a check of
 *       the memory around the storm partition's RAM (its own, placed there
 *       by tests/system/dts/storm.dtso) and of SGIs it never sent.
 *
 * The MMU stays off: every access is to Device memory (so unaligned ones
 * take an alignment fault at EL1, which is counted like any other).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libfdt.h>

#include "guest.h"
#include "umbra_abi.h"

/* ---- operation stubs ---------------------------------------------------
 * One instruction and a `ret` each (x0 the address, x1 a value), so that
 * a faulting instruction skipped by the vector (ELR + 4) returns. Calls
 * get two: the monitor may inject an exception for an HVC with ELR at the
 * HVC or after it. */
#define STUB(name, insn)                                                       \
	".globl sop_" #name "\n.type sop_" #name ", %function\n.balign 8\n"    \
	"sop_" #name ":\n" insn "\nret\nret\n.size sop_" #name ", .-sop_" #name "\n"

#define MEM_OPS(X)                                                             \
	X(ldrb, "ldrb w0, [x0]") X(ldrh, "ldrh w0, [x0]") X(ldrw, "ldr w0, [x0]") \
	X(ldrx, "ldr x0, [x0]") X(ldrsbx, "ldrsb x0, [x0]")                    \
	X(ldrsbw, "ldrsb w0, [x0]") X(ldrshx, "ldrsh x0, [x0]")                \
	X(ldrsw, "ldrsw x0, [x0]") X(ldrzr, "ldr xzr, [x0]")                   \
	X(ldrwzr, "ldr wzr, [x0]") X(strb, "strb w1, [x0]")                    \
	X(strh, "strh w1, [x0]") X(strw, "str w1, [x0]") X(strx, "str x1, [x0]") \
	X(strbzr, "strb wzr, [x0]") X(strwzr, "str wzr, [x0]")                 \
	X(strxzr, "str xzr, [x0]") X(ldpw, "ldp w0, w1, [x0]")                 \
	X(ldpx, "ldp x0, x1, [x0]") X(ldpsw, "ldpsw x0, x1, [x0]")             \
	X(stpw, "stp w1, w1, [x0]") X(stpx, "stp x1, x1, [x0]")                \
	X(stpzr, "stp xzr, xzr, [x0]") X(ldxrw, "ldxr w0, [x0]")               \
	X(ldxrx, "ldxr x0, [x0]") X(ldxrb, "ldxrb w0, [x0]")                   \
	X(stxrx, "stxr w2, x1, [x0]") X(stxrw, "stxr w2, w1, [x0]")            \
	X(ldaxrx, "ldaxr x0, [x0]") X(stlxrx, "stlxr w2, x1, [x0]")            \
	X(ldxpx, "ldxp x0, x1, [x0]") X(stxpx, "stxp w2, x1, x1, [x0]")        \
	X(ldarb, "ldarb w0, [x0]") X(ldarh, "ldarh w0, [x0]")                  \
	X(ldarw, "ldar w0, [x0]") X(ldarx, "ldar x0, [x0]")                    \
	X(stlrb, "stlrb w1, [x0]") X(stlrh, "stlrh w1, [x0]")                  \
	X(stlrw, "stlr w1, [x0]") X(stlrx, "stlr x1, [x0]")                    \
	X(ldrpost, "ldr x1, [x0], #8") X(ldrpre, "ldr x1, [x0, #8]!")          \
	X(strpost, "str x1, [x0], #8") X(strpre, "str x1, [x0, #-8]!")         \
	X(ldpre, "ldp x1, x2, [x0, #16]!") X(ldtr, "ldtr x0, [x0]")            \
	X(sttr, "sttr x1, [x0]") X(ldur, "ldur x0, [x0, #-1]")                 \
	X(sturh, "sturh w1, [x0, #3]") X(ldrreg, "ldr x0, [x0, x1, lsl #3]")

/* cache and TLB maintenance by address, set/way, address translation */
#define CMO_OPS(X)                                                             \
	X(dc_civac, "dc civac, x0") X(dc_cvac, "dc cvac, x0")                  \
	X(dc_ivac, "dc ivac, x0") X(dc_cvau, "dc cvau, x0")                    \
	X(dc_zva, "dc zva, x0") X(ic_ivau, "ic ivau, x0")                      \
	X(dc_isw, "dc isw, x1") X(dc_csw, "dc csw, x1")                        \
	X(dc_cisw, "dc cisw, x1") X(tlbi_vae1, "tlbi vae1, x1")                \
	X(tlbi_vale1, "tlbi vale1, x1") X(tlbi_vaae1, "tlbi vaae1, x1")        \
	X(tlbi_vae1is, "tlbi vae1is, x1") X(tlbi_vmalle1, "tlbi vmalle1")      \
	X(at_s1e1r, "at s1e1r, x0") X(at_s1e1w, "at s1e1w, x0")                \
	X(at_s1e0r, "at s1e0r, x0") X(prfm, "prfm pldl1keep, [x0]")

/* system registers: reads of ones that trap (ID group, PMU, debug,
 * implementation defined, GIC CPU interface, RAS and LOR that a
 * Cortex-A72 lacks) and writes where a random value harms nobody */
#define SYS_OPS(X)                                                             \
	X(id_pfr0, "mrs x0, id_aa64pfr0_el1") X(id_pfr1, "mrs x0, id_aa64pfr1_el1") \
	X(id_dfr0, "mrs x0, id_aa64dfr0_el1") X(id_isar0, "mrs x0, id_aa64isar0_el1") \
	X(id_isar1, "mrs x0, id_aa64isar1_el1") X(id_mmfr0, "mrs x0, id_aa64mmfr0_el1") \
	X(id_mmfr1, "mrs x0, id_aa64mmfr1_el1") X(id_mmfr2, "mrs x0, S3_0_C0_C7_2") \
	X(id_zfr0, "mrs x0, S3_0_C0_C4_4") X(id_res, "mrs x0, S3_0_C0_C7_7")   \
	X(id_pfr32, "mrs x0, id_pfr0_el1") X(id_dfr32, "mrs x0, id_dfr0_el1")  \
	X(mvfr0, "mrs x0, mvfr0_el1") X(id_isar6, "mrs x0, S3_0_C0_C2_7")     \
	X(pmcr_r, "mrs x0, pmcr_el0") X(pmcr_w, "msr pmcr_el0, x1")            \
	X(pmccntr, "mrs x0, pmccntr_el0") X(pmselr_w, "msr pmselr_el0, x1")    \
	X(pmxevcntr, "mrs x0, pmxevcntr_el0") X(pmuserenr, "mrs x0, pmuserenr_el0") \
	X(pmcntenset, "msr pmcntenset_el0, x1") X(mdscr_r, "mrs x0, mdscr_el1") \
	X(oslsr, "mrs x0, oslsr_el1") X(oslar_w, "msr oslar_el1, x1")          \
	X(osdlr_w, "msr osdlr_el1, x1") X(dbgbvr0_w, "msr dbgbvr0_el1, x1")    \
	X(dbgwvr0_r, "mrs x0, dbgwvr0_el1") X(actlr_r, "mrs x0, actlr_el1")     \
	X(impl_r, "mrs x0, S3_1_C15_C2_0") X(impl_w, "msr S3_1_C15_C2_1, x1")   \
	X(impl0_r, "mrs x0, S3_0_C15_C0_0") X(erridr, "mrs x0, S3_0_C5_C3_0")   \
	X(lorid, "mrs x0, S3_0_C10_C4_7") X(icc_rpr, "mrs x0, S3_0_C12_C11_3") \
	X(icc_hppir1, "mrs x0, S3_0_C12_C12_2") X(icc_ctlr, "mrs x0, S3_0_C12_C12_4") \
	X(icc_pmr_w, "msr S3_0_C4_C6_0, x1") X(icc_bpr1_w, "msr S3_0_C12_C12_3, x1") \
	X(icc_eoir1_w, "msr S3_0_C12_C12_1, x1") X(icc_dir_w, "msr S3_0_C12_C11_1, x1") \
	X(icc_iar1, "mrs x0, S3_0_C12_C12_0") X(cntpct, "mrs x0, cntpct_el0")  \
	X(cntp_ctl, "mrs x0, cntp_ctl_el0") X(cntvoff_like, "mrs x0, cntkctl_el1") \
	X(amcr, "mrs x0, S3_3_C13_C2_0") X(dczid, "mrs x0, dczid_el0")

/* SGI generation registers: ICC_SGI1R, ICC_ASGI1R, ICC_SGI0R */
#define SGI_OPS(X)                                                             \
	X(sgi1r, "msr S3_0_C12_C11_5, x1") X(asgi1r, "msr S3_0_C12_C11_6, x1")  \
	X(sgi0r, "msr S3_0_C12_C11_7, x1")

/* calls with x0..x7 from the C arguments */
#define CALL_OPS(X)                                                            \
	X(hvc0, "hvc #0") X(hvc1, "hvc #1") X(hvc5a5a, "hvc #0x5a5a")          \
	X(hvcffff, "hvc #0xffff") X(smc0, "smc #0") X(smc1, "smc #1")          \
	X(smcffff, "smc #0xffff")

__asm__(".text\n"
#define ASM_STUB(n, insn) STUB(n, insn)
	MEM_OPS(ASM_STUB) CMO_OPS(ASM_STUB) SYS_OPS(ASM_STUB) SGI_OPS(ASM_STUB)
	CALL_OPS(ASM_STUB)
	/* an instruction fetch from x0; an abort resumes at x30 */
	STUB(branch, "br x0"));

typedef uint64_t (*op_fn)(uint64_t a, uint64_t v);
typedef uint64_t (*call_fn)(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3,
			    uint64_t a4, uint64_t a5, uint64_t a6, uint64_t a7);

#define DECL_OP(n, insn) uint64_t sop_##n(uint64_t a, uint64_t v);
MEM_OPS(DECL_OP) CMO_OPS(DECL_OP) SYS_OPS(DECL_OP) SGI_OPS(DECL_OP)
uint64_t sop_branch(uint64_t a, uint64_t v);
#define DECL_CALL(n, insn) uint64_t sop_##n(uint64_t, uint64_t, uint64_t, uint64_t, \
					    uint64_t, uint64_t, uint64_t, uint64_t);
CALL_OPS(DECL_CALL)

#define ENTRY(n, insn) { sop_##n, #n },
#define CALL_ENTRY(n, insn) { sop_##n, #n },
static const struct { op_fn fn; const char *name; } mem_ops[] = { MEM_OPS(ENTRY) },
	cmo_ops[] = { CMO_OPS(ENTRY) }, sys_ops[] = { SYS_OPS(ENTRY) }, sgi_ops[] = { SGI_OPS(ENTRY) };
static const struct { call_fn fn; const char *name; } call_ops[] = { CALL_OPS(CALL_ENTRY) };

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the storm ---------------------------------------------------------- */

enum cls { C_CALL, C_STRAY, C_MMIO, C_SYSREG, C_CMO, C_SGI, C_FETCH, C__N };
static const char *const cls_name[C__N] = {
	"smccc", "stray-memory", "emulated-mmio", "sysreg", "cache-tlb", "sgi", "fetch",
};

/* exception tallies, kept by the vector */
enum { X_SEA, X_UNDEF, X_ALIGN, X_OTHER, X__N };
static const char *const x_name[X__N] = { "sea", "undef", "align", "other" };

static struct {
	bool on;
	bool fetching;           /* in sop_branch: resume at its caller */
	uint64_t taken;          /* synchronous exceptions so far */
	uint64_t serrors;
	unsigned last;           /* X_* of the last one */
	uint64_t last_esr;
} st;

static struct tally {
	uint64_t ops, returned, x[X__N];
} tally[C__N];

/* From exc_handler: while the storm runs, every exception is the storm's:
 * count it and go on after the instruction. */
bool storm_exc(unsigned kind, struct exc_frame *frame, uint64_t esr)
{
	unsigned ec = ESR_EC(esr), fsc = ESR_DFSC(esr);

	if (!st.on)
		return false;
	if ((kind & 3) == 3) {   /* SError: asynchronous, nothing to skip */
		st.serrors++;
		return true;
	}
	if ((kind & 3) != 0)
		return false;    /* IRQ/FIQ: masked, never expected */
	st.taken++;
	st.last_esr = esr;
	if (ec == 0x00)
		st.last = X_UNDEF;
	else if ((ec == 0x25 || ec == 0x21) && fsc == ESR_DFSC_SEA)
		st.last = X_SEA;
	else if ((ec == 0x25 || ec == 0x21) && fsc == 0x21)
		st.last = X_ALIGN;
	else
		st.last = X_OTHER;
	if (st.fetching)   /* instruction or PC alignment abort: back to the caller */
		frame->elr = frame->x[30];
	else
		frame->elr += 4;
	return true;
}

static uint64_t rng;

static uint64_t rnd(void)
{
	/* splitmix64: every seed gives a full-period, well-mixed sequence */
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static struct {
	uint64_t ram_base, ram_end, gicd, gicr, gicr_size, vuart;
} m;

/* Edge values for arguments. */
static uint64_t edge_value(void)
{
	static const uint64_t v[] = {
		0, 1, 2, 31, 32, 33, 48, 64, 65, 256, 257, 4095, 4096, 0x7fffffff, 0x80000000,
		0xffffffff, 0x100000000ULL, 0x7fffffffffffffffULL, 0x8000000000000000ULL,
		~0ULL, ~0ULL - 31,
	};

	return v[below(N(v))];
}

/* An address this partition does not own (or straddling its RAM's end):
 * the RAM beside its own (the canary's), Umbra's, other devices, other
 * CPUs' redistributors, the flash, beyond the physical address range. */
static uint64_t stray_addr(void)
{
	uint64_t a;

	switch (below(9)) {
	case 0: a = m.ram_base - 1 - below(2 << 20); break;
	case 1: a = m.ram_end + below(2 << 20); break;
	case 2: a = m.ram_end - below(16); break;                  /* straddles */
	case 3: a = 0x40000000 + below(16 << 20); break;           /* UDS, Umbra */
	case 4: a = 0x08080000 + below(0x1080000); break;          /* ITS, UART, RTC, ... */
	case 5: a = m.gicr + m.gicr_size + below(0x100000); break; /* others' GICRs */
	case 6: a = below(0x08000000); break;                      /* flash */
	case 7: a = 1ULL << (32 + below(16)); a += below(a); break; /* high, beyond PA */
	default: a = rnd(); break;
	}
	if (m.vuart && a >= m.vuart && a < m.vuart + 0x1000)
		a += 0x1000;   /* that page is emulated: the mmio class's */
	if (a >= m.gicd && a < m.gicd + 0x10000)
		a += 0x10000;
	if (a >= m.gicr && a < m.gicr + m.gicr_size)
		a += m.gicr_size;
	return a;
}

/* Out of its RAM: what it may execute or zero without harm to itself. */
static uint64_t not_own(uint64_t a)
{
	return a >= m.ram_base && a < m.ram_end ? m.ram_end + (a & 0xfff) : a;
}

/* A buffer argument: edges of its RAM and beyond, never wholly inside the
 * image at its start (a call that writes there would overwrite this). */
static uint64_t buf_arg(void)
{
	switch (below(6)) {
	case 0: return m.ram_end - below(4096);            /* the DT page: fine to write */
	case 1: return m.ram_end - 64 + below(128);        /* straddling the end */
	case 2: return m.ram_base - below(4096) - 1;       /* straddling or below the start */
	case 3: return stray_addr();
	case 4: return edge_value();
	default: return rnd();
	}
}

/* A function ID: every owner, fast and yielding, SMC32 and SMC64, the
 * known ones often. Calls that would stop or suspend this vCPU are
 * turned into unknown ones: the storm must go on. */
static uint64_t pick_fid(void)
{
	static const uint32_t known[] = {
		SMCCC_VERSION, SMCCC_ARCH_FEATURES, UMBRA_HC_CALL_COUNT, UMBRA_HC_CALL_UID,
		UMBRA_HC_REVISION, UMBRA_HC_VERSION, UMBRA_HC_PARTITION_INFO,
		UMBRA_HC_CONSOLE_WRITE, UMBRA_HC_ATTEST, UMBRA_HC_DERIVE_KEY,
		UMBRA_HC_MEASURE_EXTEND, UMBRA_HC_DEVICE_CLAIM, UMBRA_HC_DEVICE_RELEASE,
		UMBRA_HC_DEVICE_STATE, UMBRA_HC_CHANNEL_NOTIFY, UMBRA_HC_CHANNEL_INFO,
		UMBRA_HC_TEST_EL2_FAULT, PSCI_VERSION, PSCI_CPU_ON_64, PSCI_AFFINITY_INFO_64,
		PSCI_MIGRATE_INFO_TYPE, PSCI_FEATURES, 0x84000003, 0x84000004,
	};
	uint64_t fid;
	uint32_t f32, fn;

	switch (below(4)) {
	case 0:
		fid = known[below(N(known))];
		break;
	case 1:
		fid = known[below(N(known))] ^ (below(2) ? SMCCC_SMC64 : SMCCC_FAST_CALL);
		break;
	case 2:
		fid = (below(4) << 30) | (below(64) << SMCCC_OWNER_SHIFT) |
		      (below(2) ? below(0x20) : below(0x10000));
		break;
	default:
		fid = rnd();   /* bits 63:32 set too: SMCCC says ignore them */
		break;
	}
	f32 = (uint32_t)fid;
	fn = f32 & SMCCC_FUNC_MASK;
	if ((f32 & SMCCC_FAST_CALL) && ((f32 >> SMCCC_OWNER_SHIFT) & SMCCC_OWNER_MASK) ==
	    SMCCC_OWNER_STD && (fn == 1 || fn == 2 || fn == 8 || fn == 9 || fn == 0xb ||
				fn == 0xc || fn == 0xe || fn == 0x12))
		fid = (fid & ~0xffffULL) | 0xff00;   /* CPU_SUSPEND/OFF, SYSTEM_*, ... */
	/* PANIC would stop this partition by design: any owner-6 fast call
	 * numbered like it (SMC32 or SMC64) becomes an unknown one */
	if ((f32 & SMCCC_FAST_CALL) && ((f32 >> SMCCC_OWNER_SHIFT) & SMCCC_OWNER_MASK) ==
	    SMCCC_OWNER_VENDOR_HYP && fn == (UMBRA_HC_PANIC & SMCCC_FUNC_MASK))
		fid = (fid & ~0xffffULL) | 0xfe7f;
	return fid;
}

static void op_call(void)
{
	uint64_t fid = pick_fid(), a[7];
	unsigned i;

	for (i = 0; i < 7; i++)
		a[i] = below(3) == 0 ? buf_arg() : below(2) ? edge_value() : rnd();
	/* CONSOLE_WRITE of a readable buffer would print noise on the shared
	 * console: only its refused forms */
	if ((uint32_t)fid == UMBRA_HC_CONSOLE_WRITE)
		a[1] = below(2) ? 0 : UMBRA_CONSOLE_WRITE_MAX + 1 + below(1000);
	call_ops[below(N(call_ops))].fn(fid, a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
}

static uint64_t mmio_addr(void)
{
	static const unsigned align[] = { 1, 2, 4, 8, 16 };
	uint64_t a;

	switch (below(3)) {
	case 0: a = m.gicd + below(0x10000); break;
	case 1: a = m.gicr + below(m.gicr_size); break;
	default: a = m.vuart ? m.vuart + below(0x1000) : m.gicd + below(0x10000); break;
	}
	/* mostly aligned to some size, sometimes not at all */
	if (below(8))
		a &= ~(uint64_t)(align[below(N(align))] - 1);
	return a;
}

static void op_mmio(void)
{
	unsigned k = (unsigned)below(N(mem_ops));
	uint64_t a = mmio_addr();
	const char *n = mem_ops[k].name;

	/* writes to the vUART's data register would print noise: not those */
	if (m.vuart && a >= m.vuart && a < m.vuart + 4 + 16 &&
	    (n[0] == 's' || n[0] == 'c'))
		a += 0x18;
	mem_ops[k].fn(a, below(2) ? rnd() : edge_value());
}

static void op_stray(void)
{
	mem_ops[below(N(mem_ops))].fn(stray_addr(), rnd());
}

static void op_cmo(void)
{
	/* by address: never its own RAM (DC ZVA, DC IVAC would wreck it);
	 * set/way and TLBI take any value */
	cmo_ops[below(N(cmo_ops))].fn(below(4) ? not_own(stray_addr()) : mmio_addr(), rnd());
}

static void op_sysreg(void)
{
	sys_ops[below(N(sys_ops))].fn(0, below(2) ? rnd() : edge_value());
}

/* ICC_SGI1R_EL1 and its siblings: INTID, target list, Aff1-3, RS, IRM in
 * every combination: itself, the canary's CPU (MPIDR 1), CPUs that do not
 * exist, broadcast. */
static void op_sgi(void)
{
	uint64_t v;

	switch (below(4)) {
	case 0: v = below(16) << 24 | 1; break;                              /* itself */
	case 1: v = below(16) << 24 | 2; break;                              /* CPU 1 */
	case 2: v = below(16) << 24 | 1ULL << 40; break;                     /* IRM: all others */
	default:
		v = below(16) << 24 | below(0x10000) | below(256) << 16 | below(256) << 32 |
		    below(16) << 44 | below(2) << 40 | below(256) << 48;
		break;
	}
	if (!below(8))
		v = rnd();
	sgi_ops[below(N(sgi_ops))].fn(0, v);
}

static void op_fetch(void)
{
	uint64_t a = below(4) ? not_own(stray_addr()) : mmio_addr();

	st.fetching = true;
	sop_branch(a, 0);
	st.fetching = false;
}

/* Its own partition still answers: the null call and its partition info. */
static bool still_answered(void)
{
	struct umbra_res r = umbra_hvc(UMBRA_HC_VERSION, 0, 0, 0, 0, 0, 0);

	return r.x0 == UMBRA_OK && r.x1 == ((UMBRA_ABI_MAJOR << 16) | UMBRA_ABI_MINOR);
}

/* strstr (the guest's libc subset has none) */
static const char *find(const char *s, const char *key)
{
	size_t n = strlen(key);

	for (; s && *s; s++)
		if (!strncmp(s, key, n))
			return s;
	return NULL;
}

static const char *arg(const char *args, const char *key)
{
	const char *p = find(args, key);

	return p ? p + strlen(key) : NULL;
}

static void storm(const void *fdt, const char *args)
{
	static void (*const run[C__N])(void) = {
		op_call, op_stray, op_mmio, op_sysreg, op_cmo, op_sgi, op_fetch,
	};
	/* relative weights: calls and MMIO are the big surfaces */
	static const unsigned weight[C__N] = { 25, 15, 25, 15, 8, 8, 4 };
	const char *s;
	uint64_t ops = 100000, seed, i, t0, lost = 0;
	unsigned c, wsum = 0;
	int node;

	if ((s = arg(args, "ops=")))
		ops = strtoul(s, NULL, 0);
	__asm__ volatile("mrs %0, cntvct_el0" : "=r"(seed));
	if ((s = arg(args, "seed=")))
		seed = strtoul(s, NULL, 0);
	rng = seed;
	m.ram_base = sym_value[VEC_SYM_RAM_BASE];
	m.ram_end = sym_value[VEC_SYM_RAM_END];
	m.gicd = sym_value[VEC_SYM_GICD];
	m.gicr = sym_value[VEC_SYM_GICR];
	m.gicr_size = 0x20000;   /* one vCPU: one redistributor */
	node = fdt_node_offset_by_compatible(fdt, -1, "arm,sbsa-uart");
	if (node >= 0) {
		uint64_t size;

		if (dt_reg(fdt, node, 0, &m.vuart, &size))
			m.vuart = 0;
	}
	gprintf("storm: seed 0x%lx ops %lu (replay: bootargs \"umbra-test=storm ops=%lu seed=0x%lx\")\n",
		seed, ops, ops, seed);
	gprintf("storm: RAM 0x%lx..0x%lx GICD 0x%lx GICR 0x%lx vUART 0x%lx\n", m.ram_base,
		m.ram_end, m.gicd, m.gicr, m.vuart);
	for (c = 0; c < C__N; c++)
		wsum += weight[c];

	__asm__ volatile("mrs %0, cntvct_el0" : "=r"(t0));
	st.on = true;
	for (i = 0; i < ops; i++) {
		unsigned w = (unsigned)below(wsum);
		uint64_t before = st.taken;

		for (c = 0; w >= weight[c]; c++)
			w -= weight[c];
		run[c]();
		tally[c].ops++;
		if (st.taken == before)
			tally[c].returned++;
		else
			tally[c].x[st.last]++;
		if ((i & 0xffff) == 0xffff) {
			st.on = false;
			if (!still_answered())
				lost++;
			gprintf("storm: %lu ops\n", i + 1);
			st.on = true;
		}
	}
	st.on = false;
	{
		uint64_t t1;

		__asm__ volatile("mrs %0, cntvct_el0" : "=r"(t1));
		for (c = 0; c < C__N; c++)
			gprintf("storm: class %-13s %7lu ops: %7lu ok, %lu %s, %lu %s, %lu %s, %lu %s\n",
				cls_name[c], tally[c].ops, tally[c].returned,
				tally[c].x[X_SEA], x_name[X_SEA], tally[c].x[X_UNDEF], x_name[X_UNDEF],
				tally[c].x[X_ALIGN], x_name[X_ALIGN], tally[c].x[X_OTHER],
				x_name[X_OTHER]);
		if (!still_answered())
			lost++;
		gprintf("storm: %lu exceptions taken and skipped, %lu SErrors, %lu counter ticks\n",
			st.taken, st.serrors, t1 - t0);
		gprintf("storm: done: %lu ops, seed 0x%lx, monitor %s\n", ops, seed,
			lost ? "STOPPED ANSWERING" : "answering");
	}
}

/* ---- the canary --------------------------------------------------------- */

#define CANARY_CHUNK 4096
#define CANARY_MAX_CHUNKS 1024

static uint64_t pattern(uint64_t a)
{
	return a * 0x9e3779b97f4a7c15ULL ^ 0xc0ffee;
}

static void canary(const void *fdt)
{
	/* the top 2 MiB of its first region (below the storm's RAM) hold
	 * what was there (zeros, its DT): checksummed per chunk; its second
	 * region (above the storm's RAM) a pattern */
	static uint64_t sum[CANARY_MAX_CHUNKS];
	uint64_t lo_base = 0, lo_size = 0, hi_base = 0, hi_size = 0, freq, period, next, now;
	uint64_t beats = 0, missed = 0, max_late = 0, passes = 0, bad = 0, bad_at = 0, leaks = 0;
	uint64_t gicr_pend;
	unsigned nchunks, k = 0, i;
	int node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", 7);

	if (node < 0 || dt_reg(fdt, node, 0, &lo_base, &lo_size) ||
	    dt_reg(fdt, node, 1, &hi_base, &hi_size)) {
		gprintf("canary: needs two memory regions\n");
		return;
	}
	lo_base += lo_size - (2 << 20);
	lo_size = 2 << 20;
	if (hi_size > 2 << 20)
		hi_size = 2 << 20;
	for (i = 0; i < hi_size; i += 8)
		*(volatile uint64_t *)(uintptr_t)(hi_base + i) = pattern(hi_base + i);
	nchunks = (unsigned)((lo_size + hi_size) / CANARY_CHUNK);
	for (k = 0; k < nchunks && k < CANARY_MAX_CHUNKS; k++) {
		uint64_t s = 0, base = lo_base + (uint64_t)k * CANARY_CHUNK;

		if (base >= lo_base + lo_size)
			break;
		for (i = 0; i < CANARY_CHUNK; i += 8)
			s = s * 31 + *(volatile uint64_t *)(uintptr_t)(base + i);
		sum[k] = s;
	}
	/* its vCPU's SGI frame: ISPENDR0 shows SGIs sent to it */
	gicr_pend = sym_value[VEC_SYM_GICR] + 0x10000 + 0x200;
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	period = freq / 10;
	gprintf("canary: watching 0x%lx+0x%lx and 0x%lx+0x%lx, heartbeat every 100 ms\n",
		lo_base, lo_size, hi_base, hi_size);
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(now));
	next = now + period;
	for (k = 0;; k = (k + 1) % nchunks) {
		uint64_t base, s = 0;

		if (k < lo_size / CANARY_CHUNK) {
			base = lo_base + (uint64_t)k * CANARY_CHUNK;
			for (i = 0; i < CANARY_CHUNK; i += 8)
				s = s * 31 + *(volatile uint64_t *)(uintptr_t)(base + i);
			if (s != sum[k] && !bad++)
				bad_at = base;
		} else {
			base = hi_base + (k - lo_size / CANARY_CHUNK) * (uint64_t)CANARY_CHUNK;
			for (i = 0; i < CANARY_CHUNK; i += 8)
				if (*(volatile uint64_t *)(uintptr_t)(base + i) != pattern(base + i) &&
				    !bad++)
					bad_at = base + i;
		}
		if (k == nchunks - 1)
			passes++;
		__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(now));
		if (now < next)
			continue;
		if (now - next > max_late)
			max_late = now - next;
		if (now - next > period)
			missed++;
		next = now - next > period ? now + period : next + period;
		beats++;
		if (*(volatile uint32_t *)(uintptr_t)gicr_pend & 0xffff)
			leaks++;
		if (beats % 10 == 0)
			gprintf("canary: beat %lu, max late %lu us, missed %lu, %lu passes, canary %s "
				"(first at 0x%lx), SGI leaks %lu\n", beats, max_late * 1000000 / freq,
				missed, passes, bad ? "CORRUPT" : "intact", bad_at, leaks);
	}
}

bool storm_mode(const void *fdt)
{
	int node = fdt_path_offset(fdt, "/chosen");
	const char *args = node < 0 ? NULL : fdt_getprop(fdt, node, "bootargs", NULL);

	if (!args)
		return false;
	if (find(args, "umbra-test=storm")) {
		storm(fdt, args);
		return true;
	}
	if (find(args, "umbra-test=canary")) {
		canary(fdt);
		return true;
	}
	return false;
}
