/* SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0 */
/*
 * Umbra hypercall ABI, shared by the monitor and every guest.
 *
 * Calls follow the Arm SMC Calling Convention (SMCCC, DEN0028): a function
 * ID in w0, arguments in x1..x6, results in x0..x3 after HVC #0 (or SMC #0,
 * which Umbra traps). Umbra's own calls sit in the vendor-specific
 * hypervisor service range, owning entity 6. x0 carries a status: 0 or a
 * positive count on success, a negative UMBRA_E_* code on failure.
 * Registers x4..x17 are preserved.
 */
#ifndef UMBRA_ABI_H
#define UMBRA_ABI_H

/* SMCCC function-ID fields */
#define SMCCC_FAST_CALL      0x80000000u
#define SMCCC_SMC64          0x40000000u
#define SMCCC_OWNER_SHIFT    24
#define SMCCC_OWNER_MASK     0x3fu
#define SMCCC_OWNER_ARCH     0u
#define SMCCC_OWNER_STD      4u  /* PSCI lives here */
#define SMCCC_OWNER_VENDOR_HYP 6u
#define SMCCC_FUNC_MASK      0xffffu

/* SMCCC architecture calls */
#define SMCCC_VERSION        0x80000000u
#define SMCCC_ARCH_FEATURES  0x80000001u

/* Generic queries every service range answers (SMCCC 1.2, 6.2) */
#define UMBRA_HC_CALL_COUNT  0x8600ff00u
#define UMBRA_HC_CALL_UID    0x8600ff01u
#define UMBRA_HC_REVISION    0x8600ff03u

/* Umbra calls */
#define UMBRA_HC_VERSION        0x86000000u  /* -> x1 = (major << 16) | minor */
#define UMBRA_HC_PARTITION_INFO 0xc6000001u  /* -> x1 partition id, x2 vCPU count, x3 RAM bytes */
#define UMBRA_HC_CONSOLE_WRITE  0xc6000002u  /* x1 buffer IPA, x2 length -> x0 bytes written */
/* Attestation (docs/attestation.md). Buffers are IPAs in the caller's RAM. */
#define UMBRA_HC_ATTEST         0xc6000003u  /* x1 nonce, x2 nonce length (32/48/64),
                                                x3 token buffer, x4 its length
                                                -> x0 token length, or
                                                UMBRA_E_NO_MEMORY with x1 = needed */
#define UMBRA_HC_DERIVE_KEY     0xc6000004u  /* x1 label, x2 label length (0..64),
                                                x3 32-byte output -> x0 = 0 */
#define UMBRA_HC_MEASURE_EXTEND 0xc6000005u  /* x1 register (0..3), x2 32-byte digest
                                                -> x0 = 0 */
/* Device arbitration (dt/bindings/umbra.md, "Shared devices"): a shared
 * device's id is its index among /umbra's umbra,shared-device nodes. */
#define UMBRA_HC_DEVICE_CLAIM   0xc6000006u  /* x1 device id -> x0 = 0 */
#define UMBRA_HC_DEVICE_RELEASE 0xc6000007u  /* x1 device id -> x0 = 0 */
#define UMBRA_HC_DEVICE_STATE   0xc6000008u  /* x1 device id -> x1 state
                                                (UMBRA_DEV_*), x2 holder's
                                                partition id (or ~0) */
/* Inter-partition channels (docs/channels.md): id = index among /umbra's
 * umbra,channel nodes. An id beyond them: UMBRA_E_INVALID_PARAM; a channel
 * the caller is not a peer of: UMBRA_E_DENIED. */
#define UMBRA_HC_CHANNEL_NOTIFY 0xc6000009u  /* x1 channel id -> x0 = 0 */
#define UMBRA_HC_CHANNEL_INFO   0xc600000au  /* x1 channel id -> x1 base IPA,
                                                x2 size, x3 flags (UMBRA_CHAN_*) */
/* The security event log (dt/bindings/umbra.md, "Security events and failures"). Records are UMBRA_EVENT_SIZE
 * bytes, little-endian: u64 seq, u64 time (CNTPCT), u32 partition id
 * (~0: none), u32 type (UMBRA_EV_*), u64 a, b, c. A partition with
 * event-reader in the config reads every record, others only their own. */
#define UMBRA_HC_EVENTS_READ    0xc6000010u  /* x1 first seq wanted, x2 buffer, x3 its
                                                length (0: only ask) -> x0 records
                                                copied, x1 seq to ask for next,
                                                x2 seq the next event will get */
#define UMBRA_HC_EVENTS_REPORT  0xc6000011u  /* x1 nonce, x2 nonce length (32/48/64),
                                                x3 first seq, x4 buffer, x5 its length
                                                -> x0 bytes written (report, then
                                                token), x1 report length, x2 seq
                                                to ask for next; or UMBRA_E_NO_MEMORY
                                                with x1 = bytes needed */
#define UMBRA_HC_PANIC          0xc6000012u  /* the caller panics: Umbra logs it and
                                                applies its on-failure policy (no
                                                return then); without one -> x0 = 0 */

#define UMBRA_EVENT_SIZE        48
#define UMBRA_REPORT_MAGIC      "UMBRAEV1"   /* report header: magic[8], u64 from,
                                                u64 next, u32 count, u32 flags */
#define UMBRA_REPORT_HDR_SIZE   32
#define UMBRA_REPORT_ALL        1u           /* flags: every partition's events */
#define UMBRA_REPORT_MAX_EVENTS 64           /* records in one report at most */
#define UMBRA_EVENTS_READ_MAX   32           /* records one EVENTS_READ copies at most */

#define UMBRA_EV_LOST           1   /* a: records lost (overwritten) before this one */
#define UMBRA_EV_S2_FAULT       2   /* a: IPA, b: PC, c: 0 read, 1 write, 2 fetch */
#define UMBRA_EV_TRAP           3   /* a: ESR, b: PC */
#define UMBRA_EV_VECTOR_FAULT   4   /* as S2_FAULT; its vectors could not take it */
#define UMBRA_EV_PART_START     5   /* a: restarts so far */
#define UMBRA_EV_PART_STOP      6   /* b: 1 restart budget spent, c: cause */
#define UMBRA_EV_PART_RESTART   7   /* a: restart number, c: cause */
#define UMBRA_EV_DEV_CLAIM      8   /* a: shared device id, b: 1 by its restart */
#define UMBRA_EV_DEV_RELEASE    9   /* a: shared device id, b: 1 by its stop/restart */
#define UMBRA_EV_SMMU_FAULT     10  /* a: SMMU event | unrecorded << 32, b: address, c: stream */
#define UMBRA_EV_PART_PANIC     11  /* the partition said it panics */
#define UMBRA_EV_IMAGE_REFUSED  12  /* a: why (UMBRA_IMG_E_*), b: 0 at its start, 1 an update */
#define UMBRA_EV_UPDATE         13  /* live update installed: a: SVN, b: downtime (us) */

#define UMBRA_EV_CAUSE_OTHER        0
#define UMBRA_EV_CAUSE_SYSTEM_OFF   1
#define UMBRA_EV_CAUSE_SYSTEM_RESET 2
#define UMBRA_EV_CAUSE_VECTOR_FAULT 3
#define UMBRA_EV_CAUSE_PANIC        4
#define UMBRA_EV_CAUSE_LAST_VCPU    5
#define UMBRA_EV_CAUSE_LOAD_FAILED  6
#define UMBRA_EV_CAUSE_UPDATE       7

/* Signed images (docs/signing.md). CONFIRM: the caller's image started
 * well; Umbra raises the stored minimum SVN of the partition to the running
 * image's SVN (anti-rollback). x0 = 0 (also when nothing changed);
 * UMBRA_E_DENIED for an unsigned image; UMBRA_E_BUSY if the store could not
 * be written. */
#define UMBRA_HC_IMAGE_CONFIRM  0xc600000cu
/* UPDATE: replace partition NAME's image with the signed image the caller
 * (the partition the config names in NAME's update-by) wrote to the
 * start of NAME's update-staging region. x1 name IPA, x2 name length
 * (1..15), x3 image length (envelope included); x3 = 0 only asks: x1 =
 * the region's IPA, x2 its size. Umbra verifies it as at boot (signer,
 * signature, name, SVN), then stops NAME, loads, measures and starts the
 * new image: x0 = 0, x1 = NAME's downtime in microseconds. Refused:
 * UMBRA_E_REFUSED with x1 = the reason (UMBRA_IMG_E_*), NAME untouched.
 * UMBRA_E_DENIED: not the update-by partition, or NAME has no signer-key;
 * UMBRA_E_INVALID_PARAM: no such partition or region, or too long;
 * UMBRA_E_BUSY: NAME is not running; UMBRA_E_FAILED: the new image is
 * installed but NAME could not be started (it stays stopped; its events
 * say why: a stop with cause load-failed). */
#define UMBRA_HC_IMAGE_UPDATE   0xc600000bu
#define UMBRA_IMG_E_ENVELOPE    1   /* as umbra/envelope.h enum img_err */
#define UMBRA_IMG_E_SIGNER      2
#define UMBRA_IMG_E_SIGNATURE   3
#define UMBRA_IMG_E_NAME        4
#define UMBRA_IMG_E_ROLLBACK    5
#define UMBRA_IMG_E_FORMAT      6

#define UMBRA_DEV_FREE          0
#define UMBRA_DEV_OWNED         1
#define UMBRA_DEV_IN_TRANSFER   2
#define UMBRA_CHAN_WRITABLE     1u   /* the caller may write the region */
#define UMBRA_CHAN_FIRST        2u   /* the caller is the first of `peers`: it
                                        writes the lower half's ring */
#define UMBRA_CHAN_SPI_SHIFT    16   /* flags bits 16..31: the caller's doorbell
                                        (DT SPI number; INTID = 32 + it) */

/* Only in test builds of the monitor (UMBRA_TEST_HOOKS): fault at EL2.
 * No u suffix: tests/system/panic-guest.S uses it, and clang's assembler
 * (unlike GNU as) takes no C suffixes; the hex constant is an unsigned int
 * in C all the same. */
#define UMBRA_HC_TEST_EL2_FAULT 0xc600fe00

#define UMBRA_ABI_MAJOR 0
#define UMBRA_ABI_MINOR 2
#define UMBRA_REVISION_MAJOR 0
#define UMBRA_REVISION_MINOR 2
#define UMBRA_HC_NR_CALLS 16

/* Longest buffer one CONSOLE_WRITE accepts. */
#define UMBRA_CONSOLE_WRITE_MAX 256

/* Umbra's UID, returned by UMBRA_HC_CALL_UID in w0..w3:
 * 0d9f2c0e-5b1a-4c6e-9d2f-7e3a1b4c5d60 (SMCCC 1.2, 6.2: bytes little-endian
 * per register). */
#define UMBRA_UID0 0x0e2c9f0du
#define UMBRA_UID1 0x6e4c1a5bu
#define UMBRA_UID2 0x3a7e2f9du
#define UMBRA_UID3 0x605d4c1bu

/* Status codes in x0. -1..-3 are SMCCC's own. */
#define UMBRA_OK                 0
#define UMBRA_E_NOT_SUPPORTED   -1   /* unknown function ID */
#define UMBRA_E_NOT_REQUIRED    -2
#define UMBRA_E_INVALID_PARAM   -3   /* a bad argument value */
#define UMBRA_E_BAD_ADDRESS     -4   /* a buffer not wholly in the caller's RAM */
#define UMBRA_E_DENIED          -5   /* not allowed for this caller */
#define UMBRA_E_NO_MEMORY       -6
#define UMBRA_E_BUSY            -7   /* held by another partition */
#define UMBRA_E_REFUSED         -8   /* an image refused: x1 says why */
#define UMBRA_E_FAILED          -9   /* done, but what had to follow failed:
                                        an update installed that did not start */

/* PSCI (DEN0022) function IDs guests use */
#define PSCI_VERSION         0x84000000u
#define PSCI_CPU_OFF         0x84000002u
#define PSCI_CPU_ON_64       0xc4000003u
#define PSCI_AFFINITY_INFO_64 0xc4000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF      0x84000008u
#define PSCI_SYSTEM_RESET    0x84000009u
#define PSCI_FEATURES        0x8400000au
#define PSCI_RET_SUCCESS          0
#define PSCI_RET_NOT_SUPPORTED   -1
#define PSCI_RET_INVALID_PARAMS  -2
#define PSCI_RET_DENIED          -3

#endif
