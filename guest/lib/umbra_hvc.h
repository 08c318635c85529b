// SPDX-License-Identifier: Apache-2.0
/*
 * Umbra hypercall client for AArch64 guests: one inline function per
 * conduit, nothing else. Include it together with umbra_abi.h for the
 * function IDs and status codes.
 *
 *   struct umbra_res r = umbra_hvc(UMBRA_HC_VERSION, 0, 0, 0, 0, 0, 0);
 *   if (r.x0 == UMBRA_OK)
 *           major = r.x1 >> 16;
 *
 * Calling convention (Arm SMCCC, DEN0028):
 *   - w0 holds the function ID, x1..x6 the arguments (pass 0 for unused).
 *   - x0..x3 come back as the results. For Umbra's own calls x0 is a status
 *     (UMBRA_OK, a count, or a negative UMBRA_E_* code); the generic
 *     queries (CALL_UID, REVISION) return plain values instead.
 *   - For SMC32/HVC32 function IDs (bit 30 clear) only w0..w3 are results:
 *     compare the low 32 bits, e.g. (int)r.x0 == -1.
 *   - SMCCC 1.1 and later require the callee to preserve x4..x17. These
 *     wrappers nevertheless tell the compiler that x4..x17 may change,
 *     which costs a few register moves and also covers SMCCC 1.0 callees.
 *
 * umbra_hvc() traps to the hypervisor (HVC #0) and is the normal conduit.
 * umbra_smc() issues SMC #0, which Umbra traps as well; PSCI calls should
 * use whichever conduit the device tree's /psci "method" names.
 */
#ifndef UMBRA_HVC_H
#define UMBRA_HVC_H

struct umbra_res {
	long x0;                 /* status, or the first result value */
	unsigned long x1, x2, x3;
};

#define UMBRA__CALL(insn, fid, a1, a2, a3, a4, a5, a6)                      \
	do {                                                                 \
		register unsigned long r0_ __asm__("x0") = (fid);            \
		register unsigned long r1_ __asm__("x1") = (a1);             \
		register unsigned long r2_ __asm__("x2") = (a2);             \
		register unsigned long r3_ __asm__("x3") = (a3);             \
		register unsigned long r4_ __asm__("x4") = (a4);             \
		register unsigned long r5_ __asm__("x5") = (a5);             \
		register unsigned long r6_ __asm__("x6") = (a6);             \
		__asm__ volatile(insn                                        \
			: "+r"(r0_), "+r"(r1_), "+r"(r2_), "+r"(r3_),        \
			  "+r"(r4_), "+r"(r5_), "+r"(r6_)                    \
			:                                                    \
			: "x7", "x8", "x9", "x10", "x11", "x12", "x13",      \
			  "x14", "x15", "x16", "x17", "memory");             \
		res_.x0 = (long)r0_;                                         \
		res_.x1 = r1_;                                               \
		res_.x2 = r2_;                                               \
		res_.x3 = r3_;                                               \
	} while (0)

/* HVC #0 with function ID fid and arguments a1..a6 in x1..x6. */
static inline struct umbra_res umbra_hvc(unsigned long fid, unsigned long a1,
					 unsigned long a2, unsigned long a3,
					 unsigned long a4, unsigned long a5,
					 unsigned long a6)
{
	struct umbra_res res_;

	UMBRA__CALL("hvc #0", fid, a1, a2, a3, a4, a5, a6);
	return res_;
}

/* SMC #0 with function ID fid and arguments a1..a6 in x1..x6. */
static inline struct umbra_res umbra_smc(unsigned long fid, unsigned long a1,
					 unsigned long a2, unsigned long a3,
					 unsigned long a4, unsigned long a5,
					 unsigned long a6)
{
	struct umbra_res res_;

	UMBRA__CALL("smc #0", fid, a1, a2, a3, a4, a5, a6);
	return res_;
}

#undef UMBRA__CALL

#endif
