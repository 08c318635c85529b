/* SPDX-License-Identifier: Apache-2.0 */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H

#include "umbra/types.h"

#define read_sysreg(r) ({ u64 __v; __asm__ volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" : : "r"((u64)(v)))
#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")

/* HCR_EL2 (D13.2.48) */
#define HCR_VM    BIT(0)
#define HCR_SWIO  BIT(1)
#define HCR_FMO   BIT(3)
#define HCR_IMO   BIT(4)
#define HCR_AMO   BIT(5)
#define HCR_FB    BIT(9)
#define HCR_BSU_IS (1UL << 10)
#define HCR_TID3  BIT(18)
#define HCR_TSC   BIT(19)
#define HCR_TIDCP BIT(20)
#define HCR_TACR  BIT(21)
#define HCR_TSW   BIT(22)
#define HCR_TTLB  BIT(25)
#define HCR_RW    BIT(31)

/* MDCR_EL2 (D13.2.74) */
#define MDCR_TPMCR BIT(5)
#define MDCR_TPM   BIT(6)
#define MDCR_HPMD  BIT(17)

/* ESR_ELx (D13.2.37) */
#define ESR_EC_SHIFT 26
#define ESR_EC(esr) (((esr) >> ESR_EC_SHIFT) & 0x3f)
#define ESR_IL BIT(25)
#define ESR_ISS(esr) ((esr) & 0x1ffffff)
#define EC_UNKNOWN   0x00
#define EC_WFX       0x01
#define EC_HVC64     0x16
#define EC_SMC64     0x17
#define EC_SYSREG    0x18
#define EC_IABT_LOW  0x20
#define EC_IABT_CUR  0x21
#define EC_DABT_LOW  0x24
#define EC_DABT_CUR  0x25
#define ISS_DABT_WNR BIT(6)
#define ISS_FSC_SEA  0x10 /* synchronous external abort, not on a walk */

/* SPSR / PSTATE */
#define PSR_MODE_EL1h 0x5
#define PSR_MODE_EL1t 0x4
#define PSR_MODE_MASK 0xf
#define PSR_MODE_EL0t 0x0
#define PSR_RW_AARCH32 BIT(4)
#define PSR_DAIF (0xfUL << 6)

#endif
