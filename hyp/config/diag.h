/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Diagnostics for everything a platform DT or a partition config can get
 * wrong. Each problem has a code (what tests assert on) and a message
 * naming the node, partition and addresses involved (what users read).
 * Validation reports every problem it finds, then nothing starts.
 */
#ifndef UMBRA_DIAG_H
#define UMBRA_DIAG_H

#include "umbra/types.h"

enum cfg_err {
	CFG_E_DTB = 1,          /* no or corrupt device tree */
	CFG_E_PLATFORM,         /* platform DT lacks or garbles RAM, CPUs, GIC, UART */
	CFG_E_NO_CONFIG,        /* no /umbra node, or wrong compatible */
	CFG_E_NO_PARTITIONS,
	CFG_E_TOO_MANY,         /* more partitions, CPUs or regions than supported */
	CFG_E_PROP,             /* property missing or malformed */
	CFG_E_NAME,             /* partition name too long or duplicated */
	CFG_E_CPU_UNKNOWN,      /* CPU not in the platform's /cpus */
	CFG_E_CPU_TWICE,        /* CPU given twice (same or other partition) */
	CFG_E_MEM_ALIGN,        /* region not page aligned (first: 2 MiB) */
	CFG_E_MEM_OUTSIDE_RAM,  /* region not wholly in platform RAM */
	CFG_E_MEM_OVERLAP_UMBRA,/* region overlaps Umbra's own memory */
	CFG_E_MEM_OVERLAP,      /* region overlaps another region or partition */
	CFG_E_IMAGE_OUTSIDE_RAM,
	CFG_E_IMAGE_OVERLAP,    /* staging region overlaps Umbra or a partition */
	CFG_E_IMAGE_MISSING,    /* no arm64 Image header where the image should be */
	CFG_E_IMAGE_TOO_BIG,    /* image larger than its staging region or RAM */
	CFG_E_INITRD,           /* initrd outside RAM, overlapping, or not fitting */
	CFG_E_DEVICE,           /* device not found, malformed, or not assignable */
	CFG_E_DEVICE_TWICE,     /* device given twice (statically or also shared) */
	CFG_E_DEVICE_PAGE,      /* MMIO page shared with another owner's device */
	CFG_E_IRQ_TWICE,        /* interrupt given to two owners */
	CFG_E_DEVICE_UMBRA,     /* MMIO overlapping Umbra's own (GIC, its memory) */
	CFG_E_DMA,              /* bus master without IOMMU and no dma-unprotected */
	CFG_E_SHARED,           /* umbra,shared-device node malformed */
	CFG_E_CHANNEL,          /* channel node malformed, bad peers or read-only */
	CFG_E_CHANNEL_MEM,      /* channel region misaligned, outside RAM, overlapping */
	CFG_E_CHANNEL_IRQ,      /* doorbell SPI out of range, a device's, or used twice */
	CFG_E_VUART,            /* vuart malformed, unaligned, on RAM, GIC or a device */
	CFG_E_VUART_IRQ,        /* vuart-interrupt missing, not an SPI, or a device's */
	CFG_E_TRUNCATED,        /* device tree shorter than its header or totalsize */
	CFG_E_UPDATE,           /* update-staging / update-by malformed or overlapping */
	CFG_E__COUNT
};

struct diag {
	unsigned count;
	u64 seen;                                   /* bit per enum cfg_err */
	void (*emit)(enum cfg_err code, const char *msg);
};

void diag_report(struct diag *d, enum cfg_err code, const char *fmt, ...)
	__printf(3, 4);
const char *cfg_err_name(enum cfg_err code);

#endif
