// SPDX-License-Identifier: Apache-2.0
/*
 * libFuzzer target: SMCCC calls from two partitions through
 * hypercall_dispatch() on the fake arch, as trap.c makes them after an HVC
 * or trapped SMC. Each call: a vCPU, a function ID (raw, or composed from
 * fast/yielding, SMC32/64, owner and number, so the known ranges are hit
 * often) and three arguments biased to edges and to the caller's and the
 * other partition's RAM (x4 and x5 too for EVENTS_REPORT, the one call
 * that takes them). Checked after every call: x4..x30, ELR and SPSR
 * unchanged (the ABI preserves them), and no panic (abort()); events read
 * or reported by a partition that is no event reader are its own (or
 * loss records), a report is a header and whole records; an update is
 * accepted only with the signed image staged intact. Calls that halt a
 * CPU (SYSTEM_OFF, a reset waiting for parked CPUs) end the input.
 *
 * The world (fuzz_support.c, world.dts) has attestation, an event reader,
 * failure policies and a signed partition c whose update-staging a
 * writes, holding a signed newer image at the start of every input, so
 * that EVENTS_*, PANIC and IMAGE_* reach their real paths. Besides the
 * calls, the pseudo function ID FZ_STORE is the partition storing x2 at
 * x1 (8 bytes, in its own RAM or the update-staging region it writes):
 * how it puts names, nonces and images where the calls read them.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "umbra_abi.h"

#define MAX_CALLS 64
#define FZ_STORE 0xc600fffeu   /* not a call: the partition stores (above) */

static u32 pick_fid(struct fz_in *in)
{
	static const u32 known[] = {
		SMCCC_VERSION, SMCCC_ARCH_FEATURES, UMBRA_HC_CALL_COUNT, UMBRA_HC_CALL_UID,
		UMBRA_HC_REVISION, UMBRA_HC_VERSION, UMBRA_HC_PARTITION_INFO,
		UMBRA_HC_CONSOLE_WRITE, UMBRA_HC_ATTEST, UMBRA_HC_DERIVE_KEY,
		UMBRA_HC_MEASURE_EXTEND, UMBRA_HC_DEVICE_CLAIM, UMBRA_HC_DEVICE_RELEASE,
		UMBRA_HC_DEVICE_STATE, UMBRA_HC_CHANNEL_NOTIFY, UMBRA_HC_CHANNEL_INFO,
		PSCI_VERSION, PSCI_CPU_OFF, PSCI_CPU_ON_64, PSCI_AFFINITY_INFO_64,
		PSCI_MIGRATE_INFO_TYPE, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET, PSCI_FEATURES,
		UMBRA_HC_EVENTS_READ, UMBRA_HC_EVENTS_REPORT, UMBRA_HC_PANIC,
		UMBRA_HC_IMAGE_UPDATE, UMBRA_HC_IMAGE_CONFIRM, FZ_STORE,
	};
	u8 how = fz_u8(in);

	switch (how & 3) {
	case 0:
		return known[(how >> 2) % (sizeof(known) / sizeof(known[0]))];
	case 1:  /* a known one with the SMC64 or fast bit flipped */
		return known[(how >> 2) % (sizeof(known) / sizeof(known[0]))] ^
		       (fz_u8(in) & 1 ? SMCCC_SMC64 : SMCCC_FAST_CALL);
	case 2: {
		u32 flags = (u32)fz_u8(in) << 30;
		u32 owner = fz_u8(in) & SMCCC_OWNER_MASK;

		return flags | owner << SMCCC_OWNER_SHIFT | (u32)fz_bytes(in, 2);
	}
	default:
		return fz_u32(in);
	}
}

/* A guest store: 8 bytes into the caller's RAM or an update-staging region
 * mapped to it (IPA == PA == the host address in this world). */
static void guest_store(const struct partition *p, u64 ipa, u64 val)
{
	unsigned i;

	if (partition_ram_range(p, ipa, sizeof(val))) {
		memcpy((void *)(uintptr_t)ipa, &val, sizeof(val));
		return;
	}
	for (i = 0; i < fz_nr_parts; i++) {
		const struct part_cfg *c = fz_parts[i].cfg;

		if (c->update.size && c->update_writer == (int)p->id && ipa >= c->update.base &&
		    ipa - c->update.base <= c->update.size - sizeof(val)) {
			memcpy((void *)(uintptr_t)ipa, &val, sizeof(val));
			return;
		}
	}
}

static u32 le32(u64 pa)
{
	const u8 *b = (const u8 *)(uintptr_t)pa;

	return (u32)b[0] | (u32)b[1] << 8 | (u32)b[2] << 16 | (u32)b[3] << 24;
}

/* n event records at pa (IPA == PA), as the caller p may see them */
static void check_records(const struct partition *p, u64 pa, u64 n)
{
	u64 i;

	for (i = 0; i < n; i++) {
		u32 part = le32(pa + i * UMBRA_EVENT_SIZE + 16);

		if (!p->cfg->event_reader && part != p->id && part != ~0u)
			abort();   /* another partition's event leaked */
	}
}

/* What a successful call returned (x: the registers it was made with,
 * r: after it). */
static void check_result(const struct partition *p, const u64 *x, const u64 *r)
{
	s64 n = (s64)r[0];

	switch ((u32)x[0]) {
	case UMBRA_HC_EVENTS_READ:
		if (n <= 0)
			break;
		if (n > UMBRA_EVENTS_READ_MAX || (u64)n * UMBRA_EVENT_SIZE > x[3])
			abort();
		check_records(p, x[2], (u64)n);
		break;
	case UMBRA_HC_EVENTS_REPORT: {
		u64 count;

		if (n <= 0)
			break;
		if (r[1] > (u64)n || (u64)n > x[5] || memcmp((const void *)(uintptr_t)x[4],
							      UMBRA_REPORT_MAGIC, 8))
			abort();
		count = le32(x[4] + 24);
		if (count > UMBRA_REPORT_MAX_EVENTS ||
		    r[1] != UMBRA_REPORT_HDR_SIZE + count * UMBRA_EVENT_SIZE ||
		    le32(x[4] + 28) != (p->cfg->event_reader ? UMBRA_REPORT_ALL : 0))
			abort();
		check_records(p, x[4] + UMBRA_REPORT_HDR_SIZE, count);
		break;
	}
	case UMBRA_HC_IMAGE_UPDATE:
		if (n == UMBRA_OK && x[3] && !fz_update_intact())
			abort();   /* a modified image went in */
		break;
	default:
		break;
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fz_world_init("world");
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fz_in in = { data, size };
	jmp_buf halted;
	u64 x[31];
	unsigned n;

	fz_world_reset();
	/* the halting calls come back here, and so ends the input */
	if (setjmp(halted))
		return 0;
	fake_arch.halt = &halted;

	for (n = 0; n < MAX_CALLS && fz_more(&in); n++) {
		u8 who = fz_u8(&in);
		struct partition *p = &fz_parts[who % fz_nr_parts];
		struct partition *other = &fz_parts[(who + 1) % fz_nr_parts];
		struct vcpu *v = &p->vcpu[(who >> 2) % p->nr_vcpus];
		const struct mem_range *ram = &(who & 0x80 ? other : p)->cfg->mem[0];
		unsigned i;

		fz_world_schedule();
		/* only a vCPU in its guest makes calls */
		if (!vcpu_resumable(v) || v->parked || p->state != PART_RUNNING)
			continue;
		fake_arch.mpidr = p->cfg->cpu_mpidr[v->index];
		for (i = 0; i < 31; i++)
			x[i] = 0x5a5a000000000000ULL | i;
		x[0] = pick_fid(&in);
		for (i = 1; i <= (x[0] == UMBRA_HC_EVENTS_REPORT ? 5u : 3u); i++)
			x[i] = fz_value(&in, ram->base, ram->size);
		if (x[0] == FZ_STORE) {
			guest_store(p, x[1], x[2]);
			continue;
		}
		memcpy(v->regs.x, x, sizeof(x));
		v->regs.elr = 0x50001000;
		v->regs.spsr = 0x3c5;
		hypercall_dispatch(v);
		if (!vcpu_resumable(v))
			continue;
		for (i = 4; i < 31; i++)
			if (v->regs.x[i] != x[i])
				abort();   /* a preserved register was clobbered */
		if (v->regs.elr != 0x50001000 || v->regs.spsr != 0x3c5)
			abort();
		check_result(p, x, v->regs.x);
	}
	fake_arch.halt = NULL;
	return 0;
}
