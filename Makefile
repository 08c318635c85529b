# SPDX-License-Identifier: Apache-2.0
# Umbra: build, run and test. See README.md.
#
#   make            build the monitor, the test guest and the device trees
#   make run        boot Umbra on QEMU with the example configuration
#   make check      unit tests (host, Check) and system tests (QEMU)
#   make loc        line count of the monitor (hyp/, C + asm)
#   make layers     check that hyp/'s includes follow its layers
#   make bench      benchmark figures (hypercalls, Linux boot, RTOS latency,
#                   channel round trip)
#
# Run ./scripts/setup.sh first on a fresh machine (the README commands do).

BUILD    ?= build
CROSS    ?= aarch64-linux-gnu-
DEPS     := deps/arm64
TARGET_LIBDIR := $(DEPS)/usr/lib/aarch64-linux-gnu
TARGET_INCDIR := $(DEPS)/usr/include

CC_T     := $(CROSS)gcc
LD_T     := $(CROSS)ld
OBJCOPY_T := $(CROSS)objcopy
READELF_T := $(CROSS)readelf
HOSTCC   ?= gcc
DTC      ?= dtc
PYTHON   ?= /usr/bin/python3

# Freestanding AArch64 code: no FP/SIMD (guest state stays untouched), no
# unaligned accesses (some code runs with the MMU off), position-independent
# (the image relocates itself to wherever it was loaded).
TARGET_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -Wvla -ffreestanding \
	-nostdinc -isystem $(shell $(CC_T) -print-file-name=include) \
	-mgeneral-regs-only -mstrict-align -mno-outline-atomics \
	-fpie -fvisibility=hidden -fno-stack-protector \
	-fno-common -fno-builtin -ffunction-sections -fdata-sections \
	-Ihyp/include -Ihyp/include/libc -I$(TARGET_INCDIR)
TARGET_ASFLAGS := -D__ASSEMBLER__ -Ihyp/include -Ihyp/arch/aarch64 \
	-Ihyp/arch/aarch64/include -Iguest/lib

.PHONY: all run check unit system loc clean setup bench layers
all:

include hyp/build.mk
-include tests/guest/build.mk
-include guest/rtos/build.mk
-include guest/linux/build.mk
-include dt/build.mk
-include tests/unit/build.mk
-include tests/unit/gicv3/build.mk
-include tests/system/build.mk
-include tools/build.mk
-include tests/fuzz/build.mk
-include tools/attest.mk
-include tests/attest/build.mk

setup:
	./scripts/setup.sh

# The main job: Linux and the real-time partition side by side.
RTOS_IMAGE = $(if $(wildcard guest/rtos/build.mk),$(BUILD)/rtos.bin,$(BUILD)/guest-test.bin)
RUN_ARGS = -d $(BUILD)/dt/qemu-virt-run.dtb -g linux=$(LINUX_IMAGE) \
	-r linux=$(LINUX_INITRD) -g rtos=$(RTOS_IMAGE)
run: all
	./scripts/run-qemu.sh -t 0 $(RUN_ARGS)

# Figures, not tests: hypercall and attestation cost (instructions), Linux
# boot time direct vs. under Umbra.
# Each script also writes its figures to build/bench/*.txt; the summary
# table at the end is made from those. The Linux-busy rtos run measures 1 s
# from the start of the load (-b 1): a busy guest second is 10^9 emulated
# instructions under -icount. Every QEMU run is bounded (-t, timeouts);
# a script that fails leaves its rows "-" and the summary fails make.
bench: all
	rm -f $(BUILD)/bench/*.txt
	-./scripts/bench-hypercalls.sh
	-./scripts/bench-rtos.sh -a -L -B 1 -s 3 -w 25 -b 1 -t 300
	-./scripts/bench-linux-boot.sh 3
	-./scripts/bench-channel.sh 10000
	./scripts/bench-summary.sh

# The include graph follows the layers of docs/architecture.md.
layers:
	$(PYTHON) scripts/check-layers.py $(CC_T) $(HYP_CFLAGS)

check: layers unit rtos-unit attest-test rtos-system system
attest-test:

# The monitor's size (the TCB): C + asm in hyp/, without the host-only
# fake arch; libfdt and BearSSL are Debian's and not counted.
loc:
	@printf 'monitor (hyp/ C + asm, non-blank, non-comment lines): '
	@cat $$(find hyp -name '*.[chS]' -not -path 'hyp/arch/fake/*') | grep -cvE '^\s*($$|//|/\*|\*)'
	@for d in $(HYP_SUBSYSTEMS) arch/aarch64 include main.c; do \
		printf '  %-14s %5s\n' "$$d" $$(cat $$(find hyp/$$d -name '*.[chS]') | grep -cvE '^\s*($$|//|/\*|\*)'); done
	@printf '  of which attestation (attest/, cbor.c): '
	@cat hyp/attest/*.[ch] hyp/lib/cbor.c hyp/include/umbra/cbor.h | grep -cvE '^\s*($$|//|/\*|\*)'

clean:
	rm -rf $(BUILD)
