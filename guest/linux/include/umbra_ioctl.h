/* SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0 */
/*
 * /dev/umbra: the interface between Umbra's Linux driver (guest/linux/module)
 * and user space (the umbra CLI, guest/linux/cli). Shared by both; see
 * guest/linux/README.md.
 *
 * Every argument is a fixed-size struct of __u8/__u32/__u64 fields with no
 * implicit padding and no pointers: the layout is the same for 64-bit and
 * 32-bit (compat) callers. Fields marked "in" are read by the driver, "out"
 * are written by it; reserved fields must be zero (EINVAL otherwise), so
 * they can be given a meaning later.
 *
 * ioctl() returns 0 (ATTEST: the token length) or -1 with errno:
 *   EINVAL      a length, index or reserved field out of range (checked by
 *               the driver, and again by the monitor)
 *   EFAULT      the argument struct is not readable/writable, or the
 *               monitor refused the driver's buffer (bad address)
 *   ENOSPC      ATTEST: the token is longer than token_len; token_len now
 *               holds the length needed
 *   EOPNOTSUPP  the monitor does not offer this call (UMBRA_E_NOT_SUPPORTED)
 *   EPERM       the monitor refused this partition the call (UMBRA_E_DENIED)
 *   EBUSY       DEVICE_CLAIM/RELEASE: the device is held by another
 *               partition or is being moved (UMBRA_E_BUSY)
 *   ENOMEM      the driver could not allocate its buffer
 *   EIO         any other monitor error
 *   ENOTTY      an unknown ioctl number
 */
#ifndef UMBRA_IOCTL_H
#define UMBRA_IOCTL_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define UMBRA_DEVICE "/dev/umbra"

#define UMBRA_NONCE_MAX    64   /* nonces are 32, 48 or 64 bytes */
#define UMBRA_TOKEN_MAX    4096 /* the largest token buffer one call offers */
#define UMBRA_LABEL_MAX    64   /* sealing-key labels are 0..64 bytes */
#define UMBRA_KEY_LEN      32
#define UMBRA_DIGEST_LEN   32
#define UMBRA_NR_REGISTERS 4    /* runtime measurement registers 0..3 */

/* UMBRA_IOC_INFO: what the monitor says about itself and this partition. */
struct umbra_info {
	__u32 abi_major;        /* out: UMBRA_HC_VERSION */
	__u32 abi_minor;
	__u32 revision_major;   /* out: the SMCCC revision query */
	__u32 revision_minor;
	__u32 partition_id;     /* out: UMBRA_HC_PARTITION_INFO */
	__u32 nr_vcpus;
	__u64 ram_bytes;
};

/* UMBRA_IOC_ATTEST: a signed attestation token (docs/attestation.md) for
 * the verifier's nonce. On success ioctl() returns the token length, which
 * is also stored in token_len. */
struct umbra_attest {
	__u32 nonce_len;        /* in: 32, 48 or 64 */
	__u32 token_len;        /* in: bytes of token[] that may be written,
				 *     1..UMBRA_TOKEN_MAX;
				 * out: the token's length, or with ENOSPC the
				 *     length it needs */
	__u32 reserved[2];      /* in: zero */
	__u8 nonce[UMBRA_NONCE_MAX];   /* in: the first nonce_len bytes */
	__u8 token[UMBRA_TOKEN_MAX];   /* out: the first token_len bytes */
};

/* UMBRA_IOC_EXTEND: register[index] = SHA-256(register[index] || digest). */
struct umbra_extend {
	__u32 index;            /* in: 0..UMBRA_NR_REGISTERS-1 */
	__u32 reserved;         /* in: zero */
	__u8 digest[UMBRA_DIGEST_LEN]; /* in */
};

/* UMBRA_IOC_DERIVE_KEY: this partition's sealing key for a label. */
struct umbra_derive_key {
	__u32 label_len;        /* in: 0..UMBRA_LABEL_MAX */
	__u32 reserved;         /* in: zero */
	__u8 label[UMBRA_LABEL_MAX];   /* in: the first label_len bytes */
	__u8 key[UMBRA_KEY_LEN];       /* out */
};

/* UMBRA_IOC_DEVICE_CLAIM / _RELEASE / _STATE: a shared device (its id is
 * its index among the config's umbra,shared-device nodes). */
struct umbra_device {
	__u32 id;               /* in */
	__u32 reserved;         /* in: zero */
	__u32 state;            /* out (STATE): UMBRA_DEV_FREE, _OWNED, _IN_TRANSFER */
	__u32 holder;           /* out (STATE): the holder's partition id, or
				 *      UMBRA_DEV_NO_HOLDER */
};
#define UMBRA_DEV_NO_HOLDER 0xffffffffu

/* UMBRA_IOC_IMAGE_UPDATE: replace partition `name`'s image with the signed
 * image at data (docs/signing.md, "Live update"): the module writes it to
 * that partition's update-staging region and asks Umbra. Errors: EKEYREJECTED
 * (refused: `reason` says why, UMBRA_IMG_E_*; the partition runs on
 * untouched), EPERM (this partition is not its update-by, or it has no
 * signer-key), EINVAL (no such partition or staging region), EFBIG (larger
 * than the region), EBUSY (it is not running). */
struct umbra_update {
	char name[16];          /* in: NUL-terminated partition name */
	__u64 data;             /* in: user address of the image (envelope first) */
	__u64 len;              /* in: its length */
	__u32 reason;           /* out (EKEYREJECTED): UMBRA_IMG_E_* */
	__u32 reserved;         /* in: zero */
	__u64 downtime_us;      /* out: how long the partition was down */
};

/* UMBRA_IOC_EVENTS: security event records (UMBRA_EVENT_SIZE bytes each,
 * layout in umbra_abi.h) from sequence number `from` on: this partition's
 * own, or every partition's if the config makes it an event-reader.
 * poll() on /dev/umbra says POLLIN when events newer than the last ones
 * this file read have been logged. */
#define UMBRA_EVENTS_MAX 32
struct umbra_events {
	__u64 from;             /* in: first sequence number wanted (0: the oldest) */
	__u64 next;             /* out: sequence number to ask for next */
	__u64 head;             /* out: sequence number the next event will get */
	__u32 count;            /* out: records in records[] */
	__u32 reserved;         /* in: zero */
	__u8 records[UMBRA_EVENTS_MAX * 48];
};

/* UMBRA_IOC_REPORT: a failure report (docs/attestation.md, "Failure
 * reports"): the report (header and up to 64 records from `from` on),
 * then an attestation token for the nonce whose claim -76001 is SHA-256
 * of exactly the report bytes. */
#define UMBRA_REPORT_BUF_MAX 8192
struct umbra_report {
	__u64 from;             /* in */
	__u64 next;             /* out: sequence number to ask for next */
	__u32 nonce_len;        /* in: 32, 48 or 64 */
	__u32 len;              /* out: report + token bytes in buf */
	__u32 report_len;       /* out: the report's length (the token follows) */
	__u32 reserved;         /* in: zero */
	__u8 nonce[UMBRA_NONCE_MAX];   /* in */
	__u8 buf[UMBRA_REPORT_BUF_MAX]; /* out */
};

#define UMBRA_IOC_MAGIC 0xE6   /* unused in Documentation/userspace-api/ioctl/ioctl-number.rst */
#define UMBRA_IOC_INFO       _IOR(UMBRA_IOC_MAGIC, 0x00, struct umbra_info)
#define UMBRA_IOC_ATTEST     _IOWR(UMBRA_IOC_MAGIC, 0x01, struct umbra_attest)
#define UMBRA_IOC_EXTEND     _IOW(UMBRA_IOC_MAGIC, 0x02, struct umbra_extend)
#define UMBRA_IOC_DERIVE_KEY _IOWR(UMBRA_IOC_MAGIC, 0x03, struct umbra_derive_key)
#define UMBRA_IOC_DEVICE_CLAIM   _IOW(UMBRA_IOC_MAGIC, 0x10, struct umbra_device)
#define UMBRA_IOC_DEVICE_RELEASE _IOW(UMBRA_IOC_MAGIC, 0x11, struct umbra_device)
#define UMBRA_IOC_DEVICE_STATE   _IOWR(UMBRA_IOC_MAGIC, 0x12, struct umbra_device)
#define UMBRA_IOC_IMAGE_UPDATE   _IOWR(UMBRA_IOC_MAGIC, 0x20, struct umbra_update)
#define UMBRA_IOC_EVENTS         _IOWR(UMBRA_IOC_MAGIC, 0x21, struct umbra_events)
#define UMBRA_IOC_REPORT         _IOWR(UMBRA_IOC_MAGIC, 0x22, struct umbra_report)

/* The layout is the ABI: catch any change at compile time, on both sides. */
_Static_assert(sizeof(struct umbra_info) == 32, "umbra_info layout");
_Static_assert(sizeof(struct umbra_attest) == 16 + UMBRA_NONCE_MAX + UMBRA_TOKEN_MAX,
	       "umbra_attest layout");
_Static_assert(sizeof(struct umbra_extend) == 8 + UMBRA_DIGEST_LEN, "umbra_extend layout");
_Static_assert(sizeof(struct umbra_device) == 16, "umbra_device layout");
_Static_assert(sizeof(struct umbra_update) == 48, "umbra_update layout");
_Static_assert(sizeof(struct umbra_derive_key) == 8 + UMBRA_LABEL_MAX + UMBRA_KEY_LEN,
	       "umbra_derive_key layout");
_Static_assert(sizeof(struct umbra_events) == 32 + UMBRA_EVENTS_MAX * 48, "umbra_events layout");
_Static_assert(sizeof(struct umbra_report) == 32 + UMBRA_NONCE_MAX + UMBRA_REPORT_BUF_MAX,
	       "umbra_report layout");
_Static_assert(sizeof(struct umbra_report) < (1 << _IOC_SIZEBITS), "umbra_report fits");
_Static_assert(sizeof(struct umbra_attest) < (1 << _IOC_SIZEBITS),
	       "umbra_attest fits the ioctl size field");

#endif
