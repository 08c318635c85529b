/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The physical GICv3 as Umbra drives it (drivers/gicv3.c for the
 * distributor and redistributors, arch for the CPU interface). Umbra owns
 * the GIC; partitions only see the models in vgic.h.
 */
#ifndef UMBRA_GIC_H
#define UMBRA_GIC_H

#include "umbra/types.h"

#define GIC_NR_SGI 16
#define GIC_SPI_BASE 32
#define GIC_MAX_INTID 1020      /* 1020-1023 are special */
#define GIC_SPURIOUS 1020
#define GIC_KICK_SGI 15         /* Umbra's own: "look at your vCPU's state" */
#define GIC_PRIO_DEFAULT 0xa0

/* Distributor, boot CPU only */
int gic_dist_init(u64 gicd_pa, u64 gicr_pa, u64 gicr_size);
unsigned gic_nr_spis(void);
/* Redistributor and CPU interface of the calling CPU */
int gic_cpu_init(u64 mpidr);

/* Per-interrupt control. INTID < 32 acts on the calling CPU's
 * redistributor; SPIs on the distributor. */
void gic_set_enable(unsigned intid, bool on);
bool gic_enabled(unsigned intid);
void gic_set_priority(unsigned intid, u8 prio);
void gic_set_edge(unsigned intid, bool edge);
bool gic_is_edge(unsigned intid);
void gic_set_pending(unsigned intid, bool on);
bool gic_pending(unsigned intid);
void gic_set_active(unsigned intid, bool on);
bool gic_active(unsigned intid);
void gic_route_spi(unsigned intid, u64 mpidr);

/* An SPI handed to a (new) owner: disabled, idle, routed to its CPU. */
static inline void gic_spi_reset(unsigned intid, u64 mpidr)
{
	gic_set_enable(intid, false);
	gic_set_pending(intid, false);
	gic_set_active(intid, false);
	gic_route_spi(intid, mpidr);
}

/* CPU interface (arch) */
void arch_gic_cpuif_init(void);
u32 arch_gic_ack(void);                  /* ICC_IAR1_EL1 */
void arch_gic_eoi(u32 intid);            /* priority drop (EOImode 1) */
void arch_gic_deactivate(u32 intid);     /* ICC_DIR_EL1 */
void arch_gic_send_sgi(u64 target_mpidr, unsigned sgi);

#endif
