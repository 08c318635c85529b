/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SMMUv3 that confines bus masters (Arm IHI 0070, "SMMU architecture
 * version 3"). Umbra owns it: partitions never see it. Streams (StreamIDs)
 * are given to domains, one per partition; a domain translates with tables
 * Umbra builds (stage 1, one context descriptor per domain, when the SMMU
 * has only stage 1, as QEMU 7.2's does) or with the partition's own stage-2
 * tables and VMID (when it offers stage 2, IDR0.S2P). Every stream not given
 * to a domain aborts, and so does every transaction while the SMMU is on
 * and its global bypass is off (GBPA.ABORT).
 *
 * Use: smmu_probe, smmu_set_domain and smmu_assign for each domain, then
 * smmu_enable. After that: smmu_block, smmu_inval, smmu_events.
 */
#ifndef UMBRA_SMMUV3_H
#define UMBRA_SMMUV3_H

#include "umbra/types.h"

#define SMMU_MAX_DOMAINS 4
#define SMMU_SPLIT 6                  /* STEs per level-2 table: 64, one page */
#define SMMU_L2_TABLES 4              /* level-2 tables (pages) in all */
#define SMMU_MAX_SIDBITS 16           /* StreamIDs Umbra's level-1 table covers */
#define SMMU_CMDQ_LOG2 6              /* 64 commands */
#define SMMU_EVTQ_LOG2 6              /* 64 event records */
#define SMMU_SPIN_MAX (1u << 20)      /* polls before a wait times out */

/* What a domain translates with. */
struct smmu_domain_cfg {
	u64 ttb;                      /* root table: PA (stage 1 or stage 2) */
	u16 tag;                      /* ASID (stage 1) or VMID (stage 2) */
};

/* One decoded event record (IHI 0070 7.3). */
struct smmu_event {
	u8 type;                      /* SMMU_EVT_* */
	u32 sid;
	u64 addr;                     /* input address, where the type has one */
	bool has_addr;
	bool read;                    /* RnW */
};

#define SMMU_EVT_C_BAD_STREAMID 0x02
#define SMMU_EVT_C_BAD_STE      0x04
#define SMMU_EVT_F_STREAM_DISABLED 0x06
#define SMMU_EVT_F_TRANSLATION  0x10
#define SMMU_EVT_F_ADDR_SIZE    0x11
#define SMMU_EVT_F_ACCESS       0x12
#define SMMU_EVT_F_PERMISSION   0x13

/* Map registers at base (size bytes, both pages) and read what the SMMU
 * can do. 0, or -E_NOENT (none there), -E_INVAL (a feature Umbra needs is
 * missing: AArch64 tables, 4 KiB granule, 2-level stream tables when the
 * StreamIDs need them, stage 1 or 2). */
int smmu_probe(void *regs, u64 size);
bool smmu_present(void);
/* Translate with the partition's stage 2 (true) or Umbra's stage 1. */
bool smmu_uses_stage2(void);

/* Before smmu_enable: what domain d translates with; which StreamIDs it
 * owns (-E_RANGE beyond the table, -E_EXIST if another domain has one). */
int smmu_set_domain(unsigned d, const struct smmu_domain_cfg *c);
int smmu_assign(u32 sid, u32 count, unsigned d);
/* Build the tables and queues and turn translation on. -E_NOMEM when the
 * assignment needs more level-2 tables than SMMU_L2_TABLES, -E_TIMEOUT if
 * the SMMU does not answer. */
int smmu_enable(void);

/* The domain owning a StreamID, or -1. */
int smmu_sid_domain(u32 sid);
/* Stop (true) or restart (false) all DMA of domain d: its STEs abort. */
int smmu_block(unsigned d, bool block);
/* Drop what the SMMU cached of d's translations (after a table change). */
int smmu_inval(unsigned d);
/* Take up to max event records off the queue; returns how many. *lost
 * becomes true if the queue overflowed (records were dropped) since the
 * last call; the overflow is acknowledged. */
unsigned smmu_events(struct smmu_event *ev, unsigned max, bool *lost);
/* Global errors (GERROR) raised and not yet acknowledged: acknowledges
 * them and returns the bits. */
u32 smmu_global_errors(void);
const char *smmu_event_name(u8 type);

#endif
