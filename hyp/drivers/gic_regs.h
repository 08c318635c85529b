/* SPDX-License-Identifier: Apache-2.0 */
/* GICv3 register offsets (Arm IHI 0069, chapter 12): one list for the
 * driver of the physical GIC (gicv3.c) and the partitions' register model
 * (vm/vgic_mmio.c). */
#ifndef UMBRA_GIC_REGS_H
#define UMBRA_GIC_REGS_H

#define GICD_CTLR       0x0000
#define GICD_TYPER      0x0004
#define GICD_IIDR       0x0008
#define GICD_IGROUPR    0x0080
#define GICD_ISENABLER  0x0100
#define GICD_ICENABLER  0x0180
#define GICD_ISPENDR    0x0200
#define GICD_ICPENDR    0x0280
#define GICD_ISACTIVER  0x0300
#define GICD_ICACTIVER  0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR      0x0c00
#define GICD_IGRPMODR   0x0d00
#define GICD_IROUTER    0x6000
#define GICD_PIDR2      0xffe8

#define GICR_CTLR       0x0000
#define GICR_TYPER      0x0008
#define GICR_WAKER      0x0014
#define GICR_SGI        0x10000 /* SGI_base, after RD_base */

#endif
