// SPDX-License-Identifier: Apache-2.0
/*
 * SMCCC (DEN0028 1.2) dispatch for calls from partitions. Function IDs are
 * matched exactly, so a 32-bit form of a 64-bit call, a yielding call or an
 * unknown owner all get NOT_SUPPORTED. Arguments of SMC32 calls are the
 * low 32 bits of x1..x6 (SMCCC 2.6). Every guest-supplied value is checked
 * before use.
 */
#include "umbra/arch.h"
#include "attest/attest_svc.h"
#include "attest/image_auth.h"
#include "devices/channel.h"
#include "partition/partition.h"
#include "console/console.h"
#include "devices/device.h"
#include "umbra_abi.h"

#define SMC32_ARGS 4   /* no SMC32 call Umbra serves takes more than x1..x4 */

/* Test builds (UMBRA_TEST_HOOKS) say so in their attestation lifecycle. */
#ifdef UMBRA_TEST_HOOKS
const bool umbra_test_build = true;
#else
const bool umbra_test_build = false;
#endif

/* The ABI's event numbers are the log's (umbra/log.h). */
_Static_assert(UMBRA_EV_UPDATE == EV_UPDATE && UMBRA_EV_SMMU_FAULT == EV_SMMU_FAULT &&
	       UMBRA_EV_IMAGE_REFUSED == EV_IMAGE_REFUSED && UMBRA_IMG_E_FORMAT == IMG_E_FORMAT &&
	       UMBRA_EV_LOST == EV_LOST && UMBRA_EV_CAUSE_UPDATE == EV_CAUSE_UPDATE &&
	       UMBRA_EVENT_SIZE == EVENT_WIRE_SIZE, "event numbering");

/* EVENTS_READ: records from a[0] on into the caller's buffer a[1], a[2]
 * bytes long (0: only the sequence numbers are answered). */
static s64 events_call(struct partition *p, const u64 *a, u64 *ret)
{
	struct event_rec rec[UMBRA_EVENTS_READ_MAX];
	u8 wire[EVENT_WIRE_SIZE];
	u64 max = a[2] / EVENT_WIRE_SIZE, next = a[0];
	u32 n = 0, i;

	if (a[2] && (max == 0 || !partition_ram_range(p, a[1], a[2])))
		return a[2] && max == 0 ? UMBRA_E_INVALID_PARAM : UMBRA_E_BAD_ADDRESS;
	if (max > UMBRA_EVENTS_READ_MAX)
		max = UMBRA_EVENTS_READ_MAX;
	if (max)
		n = events_read(a[0], p->cfg->event_reader, p->id, rec, (u32)max, &next);
	for (i = 0; i < n; i++) {
		event_encode(&rec[i], wire);
		guest_copy_to(p, a[1] + (u64)i * EVENT_WIRE_SIZE, wire, sizeof(wire));
	}
	ret[1] = max ? next : a[0];
	ret[2] = events_head();
	return n;
}

static void umbra_call(struct vcpu *v, u32 fid, const u64 *a, u64 *ret)
{
	struct partition *p = v->part;
	char buf[UMBRA_CONSOLE_WRITE_MAX];
	u64 ram = 0;
	unsigned i;

	switch (fid) {
	case UMBRA_HC_CALL_COUNT:
		ret[0] = UMBRA_HC_NR_CALLS;
		break;
	case UMBRA_HC_CALL_UID:
		ret[0] = UMBRA_UID0;
		ret[1] = UMBRA_UID1;
		ret[2] = UMBRA_UID2;
		ret[3] = UMBRA_UID3;
		break;
	case UMBRA_HC_REVISION:
		ret[0] = UMBRA_REVISION_MAJOR;
		ret[1] = UMBRA_REVISION_MINOR;
		break;
	case UMBRA_HC_VERSION:
		ret[0] = UMBRA_OK;
		ret[1] = (UMBRA_ABI_MAJOR << 16) | UMBRA_ABI_MINOR;
		break;
	case UMBRA_HC_PARTITION_INFO:
		for (i = 0; i < p->cfg->nr_mem; i++)
			ram += p->cfg->mem[i].size;
		ret[0] = UMBRA_OK;
		ret[1] = p->id;
		ret[2] = p->nr_vcpus;
		ret[3] = ram;
		break;
	case UMBRA_HC_CONSOLE_WRITE:
		if (a[1] > UMBRA_CONSOLE_WRITE_MAX) {
			ret[0] = (u64)UMBRA_E_INVALID_PARAM;
			break;
		}
		if (a[1] == 0) {
			ret[0] = 0;
			break;
		}
		/* copied first: the guest may change it while we print */
		if (guest_copy_from(p, a[0], buf, a[1])) {
			ret[0] = (u64)UMBRA_E_BAD_ADDRESS;
			break;
		}
		console_guest_write(p, buf, a[1]);
		ret[0] = a[1];
		break;
#ifdef UMBRA_TEST_HOOKS
	case UMBRA_HC_TEST_EL2_FAULT:
		/* Test builds only (build/umbra-testhooks.bin): let the system
		 * tests exercise the panic path with a real EL2 data abort. */
		ret[0] = *(volatile u64 *)(uintptr_t)(1UL << (PT_VA_BITS - 1));
		break;
#endif
	case UMBRA_HC_DEVICE_CLAIM:
		ret[0] = (u64)(s64)device_claim(v, a[0]);
		break;
	case UMBRA_HC_DEVICE_RELEASE:
		ret[0] = (u64)(s64)device_release(v, a[0]);
		break;
	case UMBRA_HC_DEVICE_STATE:
		ret[0] = (u64)(s64)device_query(v, a[0], &ret[1], &ret[2]);
		break;
	case UMBRA_HC_ATTEST:
	case UMBRA_HC_DERIVE_KEY:
	case UMBRA_HC_MEASURE_EXTEND:
		attest_svc_call(v, fid, a, ret);
		break;
	case UMBRA_HC_IMAGE_UPDATE:
		update_call(v, a, ret);
		break;
	case UMBRA_HC_IMAGE_CONFIRM:
		ret[0] = (u64)image_auth_confirm(v);
		break;
	case UMBRA_HC_EVENTS_READ:
		ret[0] = (u64)events_call(p, a, ret);
		break;
	case UMBRA_HC_EVENTS_REPORT:
		attest_svc_call(v, fid, a, ret);
		break;
	case UMBRA_HC_PANIC:
		log_event(p->id, EV_PART_PANIC, arch_vcpu_pc(v), 0, 0);
		pr_info("%s: says it panics", p->cfg->name);
		/* no policy: it goes on (Linux with panic=N resets itself) */
		partition_fail(p, EV_CAUSE_PANIC, "panic");
		ret[0] = UMBRA_OK;
		break;
	case UMBRA_HC_CHANNEL_NOTIFY:
	case UMBRA_HC_CHANNEL_INFO:
		channel_call(v, fid, a, ret);
		break;
	default:
		ret[0] = (u64)UMBRA_E_NOT_SUPPORTED;
		break;
	}
}

static void smccc_arch_call(u32 fid, const u64 *a, u64 *ret)
{
	switch (fid) {
	case SMCCC_VERSION:
		ret[0] = UMBRA_SMCCC_VERSION;
		break;
	case SMCCC_ARCH_FEATURES:
		/* No CPU-erratum workaround calls are offered. */
		ret[0] = (u32)a[0] == SMCCC_VERSION || (u32)a[0] == SMCCC_ARCH_FEATURES ?
			 0 : (u64)UMBRA_E_NOT_SUPPORTED;
		break;
	default:
		ret[0] = (u64)UMBRA_E_NOT_SUPPORTED;
		break;
	}
}

void hypercall_dispatch(struct vcpu *v)
{
	u32 fid = (u32)v->regs.x[0];
	const u64 *args = &v->regs.x[1];
	u64 args32[SMC32_ARGS], ret[4] = { (u64)UMBRA_E_NOT_SUPPORTED, 0, 0, 0 };
	unsigned nret = 1;

	if (!(fid & SMCCC_SMC64)) {
		/* SMC32: only the low 32 bits of each argument count */
		args32[0] = (u32)args[0];
		args32[1] = (u32)args[1];
		args32[2] = (u32)args[2];
		args32[3] = (u32)args[3];
		args = args32;
	}

	if (fid & SMCCC_FAST_CALL) {
		switch ((fid >> SMCCC_OWNER_SHIFT) & SMCCC_OWNER_MASK) {
		case SMCCC_OWNER_ARCH:
			smccc_arch_call(fid, args, ret);
			break;
		case SMCCC_OWNER_STD:
			psci_guest_call(v, fid, args, ret);
			break;
		case SMCCC_OWNER_VENDOR_HYP:
			umbra_call(v, fid, args, ret);
			nret = 4;
			break;
		default:
			break;
		}
	}
	/* A call that stopped or reset this vCPU (SYSTEM_RESET from it)
	 * does not return to it: its CPU enters it afresh. */
	if (!vcpu_resumable(v))
		return;
	v->regs.x[0] = ret[0];
	if (nret == 4) {
		v->regs.x[1] = ret[1];
		v->regs.x[2] = ret[2];
		v->regs.x[3] = ret[3];
	}
}
