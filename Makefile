# SPDX-License-Identifier: Apache-2.0
# Umbra: build, run and test. See README.md.
#
#   make              build the monitor, the guests, the device trees and the host tools
#   make run          boot Linux and the rtos partition under Umbra on QEMU (quit: Ctrl-A x);
#                     PLATFORM=virt-big: the 8-CPU, 4 GiB machine with three partitions
#   make run-uboot    make run, started by U-Boot from a disk image (build/bootdisk/run.img)
#   make check        all the tests below: layers, unit, rtos-unit, attest-test, fuzz-smoke,
#                     coverage, rtos-system, system, verify, and the release checks
#                     reproducible-check, bsp-test, check-clang (mk/release.mk)
#   make unit         host unit tests of the monitor (Check) and of tools/vecgen.py
#   make rtos-unit    host unit tests of the RTOS kernel
#   make attest-test  attestation: known answers, the verifier, the Python cross-check
#   make rtos-system  the RTOS on QEMU, bare and inside Umbra
#   make system       system tests: QEMU boots checked by their console output
#   make fuzz         each libFuzzer target FUZZ_TIME seconds (tests/fuzz/README.md)
#   make fuzz-smoke   each fuzz target over its corpus and a few seconds
#   make storm        the hostile-partition storm, 10^6 operations (STORM_OPS=, STORM_SEED=)
#   make verify       the vectors on QEMU as a conformance report: build/verify/report.md, .xml
#   make coverage     line coverage of hyp/ under the unit tests, per file
#   make bench        benchmark figures: hypercalls, Linux boot, RTOS latency, channels
#   make loc          line count of the monitor (hyp/, C + asm), per folder
#   make layers       check that hyp/'s includes follow its layers
#   make clean        remove build/
#   make bsp          what a board support package ships; O=, CROSS_COMPILE=,
#                     LLVM=1, SYSROOT=, KDIR=: docs/building.md
#   make install      install the target side and the SDK (DESTDIR=, PREFIX=): mk/release.mk
#   make dist         a versioned, reproducible source tarball
#   make reference-values  the attestation reference values of this commit
#   make reproducible-check  build twice, compare everything measured or installed
#   make setup        run ./scripts/setup.sh
#   make help         this list
#
# Run ./scripts/setup.sh first on a fresh machine (the README commands do).

# Build directory, toolchains (CROSS_COMPILE, LLVM=1), SYSROOT, KDIR,
# SOURCE_DATE_EPOCH: mk/toolchain.mk and docs/building.md.
include mk/toolchain.mk

# Freestanding AArch64 code: no FP/SIMD (guest state stays untouched), no
# unaligned accesses (some code runs with the MMU off), position-independent
# (the image relocates itself to wherever it was loaded).
TARGET_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -Wvla -ffreestanding \
	-nostdinc -isystem $(TARGET_CC_INCDIR) $(REPRO_CFLAGS) \
	-mgeneral-regs-only -mstrict-align -mno-outline-atomics \
	-fpie -fvisibility=hidden -fno-stack-protector -fomit-frame-pointer \
	-fno-common -fno-builtin -ffunction-sections -fdata-sections \
	-Ihyp/include -Ihyp/include/libc -I$(TARGET_INCDIR)
TARGET_ASFLAGS := -D__ASSEMBLER__ -Ihyp -Ihyp/include -Ihyp/arch/aarch64 \
	-Ihyp/arch/aarch64/include -Iguest/lib

.PHONY: all run check unit system loc clean setup bench help layers
all:

# Everything but these goals needs what scripts/setup.sh installs and
# fetches: say so up front rather than with a missing file. Its stamp holds
# the script's SHA-256 (a changed script may install more). A BSP build
# (SYSROOT=) brings its own libraries and does not use deps/.
NOSETUP_GOALS := help clean setup loc dist version
ifeq ($(SYSROOT),)
ifneq ($(filter-out $(NOSETUP_GOALS),$(or $(MAKECMDGOALS),all)),)
ifeq ($(wildcard deps/stamps/setup),)
$(error nothing is set up yet: run ./scripts/setup.sh first (it installs the packages Umbra needs and fetches deps/))
endif
ifneq ($(shell cat deps/stamps/setup),$(firstword $(shell sha256sum scripts/setup.sh)))
$(error scripts/setup.sh has changed since it last ran: run ./scripts/setup.sh again)
endif
endif
endif

include hyp/build.mk
-include tests/guest/build.mk
-include guest/rtos/build.mk
-include guest/linux/build.mk
-include dt/build.mk
-include dt/virt-big.mk
-include tests/unit/build.mk
-include tests/unit/coverage.mk
-include tests/unit/gicv3/build.mk
-include tests/system/build.mk
-include tests/system/storm.mk
-include tests/vectors/verify.mk
-include tools/build.mk
-include tests/fuzz/build.mk
-include tools/attest.mk
-include tests/attest/build.mk
include mk/version.mk
include mk/release.mk
include mk/sdk.mk
include mk/bootdisk.mk

setup:
	./scripts/setup.sh

# The list in this file's header comment
help:
	@sed -n 's/^#   make/make/p' $(firstword $(MAKEFILE_LIST))
	@echo "Run ./scripts/setup.sh first on a fresh machine; see README.md."

# The main job: Linux and the real-time partition side by side.
RTOS_IMAGE = $(if $(wildcard guest/rtos/build.mk),$(BUILD)/rtos.bin,$(BUILD)/guest-test.bin)
RUN_ARGS = -d $(BUILD)/dt/qemu-virt-run.dtb -g linux=$(LINUX_IMAGE) \
	-r linux=$(LINUX_INITRD) -g rtos=$(RTOS_IMAGE)
# PLATFORM=virt-big: dt/virt-big.mk (RUN_ARGS_virt-big)
PLATFORM ?= virt
RUN_ARGS_virt = $(RUN_ARGS)
run: all
	@test -n "$(RUN_ARGS_$(PLATFORM))" || { echo "make run: no platform '$(PLATFORM)' (virt, virt-big)" >&2; exit 2; }
	@echo "make run: Umbra on QEMU ($(PLATFORM)); quit QEMU with Ctrl-A x"
	./scripts/run-qemu.sh -t 0 $(RUN_ARGS_$(PLATFORM))

# Figures, not tests: hypercall and attestation cost (instructions), Linux
# boot time direct vs. under Umbra.
# Each script also writes its figures to build/bench/*.txt; the summary
# table at the end is made from those. The Linux-busy rtos run measures 1 s
# from the start of the load (-b 1), in wall-clock time (without -icount:
# scripts/bench-rtos.sh says why). Every QEMU run is bounded (-t, timeouts);
# a script that fails leaves its rows "-" and the summary fails make.
bench: all
	rm -f $(BUILD)/bench/*.txt
	-./scripts/bench-hypercalls.sh
	-./scripts/bench-rtos.sh -a -L -B 1 -s 3 -w 25 -b 1 -t 300
	-./scripts/bench-linux-boot.sh 5
	-./scripts/bench-channel.sh 10000
	./scripts/bench-summary.sh

# The include graph follows the layers of docs/architecture.md.
layers:
	$(PYTHON) scripts/check-layers.py $(CC_T) $(HYP_CFLAGS)

# the fast ones first; the release checks (mk/release.mk) last
check: layers unit rtos-unit attest-test fuzz-smoke coverage rtos-system system verify \
	reproducible-check bsp-test check-clang
attest-test:

# The monitor's size (the TCB): C + asm in hyp/, without the host-only
# fake arch; libfdt and BearSSL are Debian's and not counted.
loc:
	@printf 'monitor (hyp/ C + asm, non-blank, non-comment lines): '
	@cat $$(find hyp -name '*.[chS]') | grep -cvE '^\s*($$|//|/\*|\*)'
	@for d in $(HYP_SUBSYSTEMS) arch/aarch64 include main.c; do \
		printf '  %-14s %5s\n' "$$d" $$(cat $$(find hyp/$$d -name '*.[chS]') | grep -cvE '^\s*($$|//|/\*|\*)'); done
	@printf '  of which attestation (attest/, cbor.c): '
	@cat hyp/attest/*.[ch] hyp/lib/cbor.c hyp/include/umbra/cbor.h | grep -cvE '^\s*($$|//|/\*|\*)'

clean:
	rm -rf $(BUILD)
