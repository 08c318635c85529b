// SPDX-License-Identifier: Apache-2.0
/* The fake architecture for host unit tests: see arch/fake.h. */
#include <stdlib.h>

#include "arch/fake.h"
#include "umbra/arch.h"
#include "attest/attest_svc.h"
#include "vm/vm.h"
#include "mm/mmu.h"

#define FAKE_SPSR_EL1H_DAIF 0x3c5UL

struct fake_arch fake_arch;

void fake_arch_reset(void)
{
	memset(&fake_arch, 0, sizeof(fake_arch));
	fake_gic_reset();
}

static __noreturn void halt(enum fake_halt why)
{
	if (fake_arch.halt)
		longjmp(*fake_arch.halt, (int)why);
	abort();
}

void arch_pt_sync(void)
{
	fake_arch.pt_syncs++;
}

void arch_tlb_inval(const struct pgtable *pt, u64 va)
{
	if (fake_arch.tlb_invals < FAKE_TLB_LOG)
		fake_arch.tlb[fake_arch.tlb_invals] = (struct fake_tlb_inval){
			.pt = pt, .regime = pt->regime, .vmid = pt->vmid, .va = va,
			.pt_syncs = fake_arch.pt_syncs,
		};
	fake_arch.tlb_invals++;
}

void arch_tlb_inval_el2(u64 va)
{
	(void)va;
	fake_arch.tlb_inval_el2++;
}

void arch_tlb_inval_s2(u16 vmid, u64 ipa)
{
	(void)vmid;
	(void)ipa;
	fake_arch.tlb_inval_s2++;
}

void arch_tlb_inval_s2_all(u16 vmid)
{
	(void)vmid;
	fake_arch.tlb_inval_s2_all++;
}

void arch_vcpu_reset(struct vcpu *v, u64 entry, u64 x0)
{
	memset(&v->regs, 0, sizeof(v->regs));
	v->regs.x[0] = x0;
	v->regs.elr = entry;
	v->regs.spsr = FAKE_SPSR_EL1H_DAIF;
	fake_arch.vcpu_resets++;
}

__noreturn void arch_vcpu_enter(struct vcpu *v)
{
	fake_arch.entered = v;
	halt(FAKE_HALT_VCPU_ENTER);
}

void arch_inject_undef(struct vcpu *v)
{
	fake_arch.undefs++;
	fake_arch.inject_vcpu = v;
}

bool arch_inject_abort(struct vcpu *v, bool instr, bool write, u64 far)
{
	if (fake_arch.abort_refused)
		return false;
	fake_arch.aborts++;
	fake_arch.inject_vcpu = v;
	fake_arch.inject_instr = instr;
	fake_arch.inject_write = write;
	fake_arch.inject_far = far;
	return true;
}

u64 arch_vcpu_pc(const struct vcpu *v)
{
	return v->regs.elr;
}

__noreturn void arch_system_off(void)
{
	fake_arch.system_offs++;
	halt(FAKE_HALT_SYSTEM_OFF);
}

__noreturn void arch_cpu_idle(void)
{
	fake_arch.cpu_idles++;
	halt(FAKE_HALT_CPU_IDLE);
}

int arch_cpu_on(u64 mpidr, unsigned logical_cpu, u64 stack_top)
{
	(void)stack_top;
	fake_arch.cpu_on_calls++;
	fake_arch.cpu_on_mpidr = mpidr;
	fake_arch.cpu_on_logical = logical_cpu;
	return fake_arch.cpu_on_ret;
}

u64 arch_counter(void)
{
	return fake_arch.counter;
}

u64 arch_counter_freq(void)
{
	return 1000000;
}

u64 arch_this_mpidr(void)
{
	return fake_arch.mpidr;
}

void arch_dcache_clean_range(const void *p, u64 len)
{
	/* atomic: the partition load's helpers clean from other threads */
	unsigned i = __atomic_fetch_add(&fake_arch.dcache_cleans, 1, __ATOMIC_RELAXED);

	__atomic_fetch_add(&fake_arch.dcache_bytes, len, __ATOMIC_RELAXED);
	if (i < FAKE_CLEAN_LOG) {
		fake_arch.clean[i].p = p;
		fake_arch.clean[i].len = len;
	}
}

void arch_dcache_clean_inval_range(const void *p, u64 len)
{
	(void)p;
	fake_arch.dcache_clean_invals++;
	fake_arch.dcache_bytes += len;
}

void arch_cpu_wait(void)
{
	fake_arch.cpu_waits++;
	if (fake_arch.wait_hook)
		fake_arch.wait_hook();
	else if (fake_arch.cpu_waits >= 1000)
		halt(FAKE_HALT_CPU_IDLE);
}

void arch_cpu_wake(u64 mpidr)
{
	(void)mpidr;
	fake_arch.cpu_wakes++;
}

void arch_mem_zero(void *p, u64 len)
{
	memset(p, 0, len);
}

void arch_icache_inval_all(void)
{
	fake_arch.icache_invals++;
}

/* BearSSL runs on the host's own FP state: nothing to keep. */
void arch_fpsimd_save(struct fpsimd_state *s)
{
	(void)s;
}

void arch_fpsimd_restore(const struct fpsimd_state *s)
{
	(void)s;
}

/* mm/mmu.h: the EL2 map is the host's own address space */
int mmu_map_device(u64 base, u64 size)
{
	(void)base;
	(void)size;
	return 0;
}

bool arch_pmu_offered(void)
{
	return fake_arch.pmu_offered;
}

bool arch_has_sha256(void)
{
	return fake_arch.has_sha256;
}

/* The CPU's instructions, as plain C (FIPS 180-4 6.2.2): the unit tests
 * check attest_sha256's glue around them against BearSSL. */
static const u32 sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static u32 ror(u32 x, unsigned n)
{
	return x >> n | x << (32 - n);
}

void arch_sha256_blocks(u32 state[8], const void *data, u64 nblocks)
{
	const u8 *p = data;

	for (; nblocks; nblocks--, p += 64) {
		u32 w[64], s[8], t1, t2;
		unsigned i;

		for (i = 0; i < 16; i++)
			w[i] = (u32)p[4 * i] << 24 | (u32)p[4 * i + 1] << 16 |
			       (u32)p[4 * i + 2] << 8 | p[4 * i + 3];
		for (; i < 64; i++)
			w[i] = w[i - 16] + (ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ w[i - 15] >> 3) +
			       w[i - 7] + (ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ w[i - 2] >> 10);
		memcpy(s, state, sizeof(s));
		for (i = 0; i < 64; i++) {
			t1 = s[7] + (ror(s[4], 6) ^ ror(s[4], 11) ^ ror(s[4], 25)) +
			     ((s[4] & s[5]) ^ (~s[4] & s[6])) + sha256_k[i] + w[i];
			t2 = (ror(s[0], 2) ^ ror(s[0], 13) ^ ror(s[0], 22)) +
			     ((s[0] & s[1]) ^ (s[0] & s[2]) ^ (s[1] & s[2]));
			memmove(&s[1], &s[0], 7 * sizeof(u32));
			s[4] += t1;
			s[0] = t1 + t2;
		}
		for (i = 0; i < 8; i++)
			state[i] += s[i];
		fake_arch.sha256_blocks++;
	}
}
