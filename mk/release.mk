# SPDX-License-Identifier: Apache-2.0
# What a board support package builds and installs, the reference values of
# a release, and the checks that builds are reproducible and work with both
# compilers (docs/building.md).
#
#   make bsp                 the target images, umbra.ko + umbra_chan.ko, the
#                            Linux CLIs, the host tools and the reference
#                            values: nothing that needs deps/ or QEMU when
#                            SYSROOT= and KDIR= are given
#   make install DESTDIR=D PREFIX=P   install-target and install-sdk
#   make install-target DESTDIR=D   the Linux side into a root file system:
#                            the modules in /lib/modules/RELEASE/extra, the
#                            CLIs in $(BINDIR)
#   make install-sdk DESTDIR=D PREFIX=P   the SDK: images, DT overlays and
#                            binding, host tools, guest ABI headers, the
#                            modules' sources with a dkms.conf (mk/sdk.mk)
#   make dist                $(BUILD)/umbra-VERSION.tar.gz, reproducible
#   make install-images IMAGEDIR=D   umbra.bin, the partition images and
#                            their reference values, for the boot medium
#   make reference-values    print the attestation reference values
#   make reproducible-check  build this commit twice, compare (scripts/)
#   make check-clang         make LLVM=1 into $(BUILD)/clang, run the
#                            verification vectors on it
#   make bsp-test            tests/system/bsp-build.sh: the BSP invocation
#                            against a sysroot assembled from deps/

.PHONY: bsp install install-target install-images reference-values reproducible-check check-clang bsp-test

BSP_IMAGES := $(BUILD)/umbra.bin $(BUILD)/rtos.bin $(BUILD)/guest-test.bin
BSP_TOOLS := $(BUILD)/tools/umbra-provision $(BUILD)/tools/umbra-verify \
	$(BUILD)/tools/umbra-config-check

# No reference values: they measure the configuration, the DTB the board's
# boot loader hands Umbra, which only the BSP has (docs/building.md).
bsp: $(BSP_IMAGES) $(BUILD)/attest/umbra-measured.bin $(LINUX_MOD) $(LINUX_CLI) $(LINUX_CHAN_CLI) $(BSP_TOOLS)

PREFIX ?= /usr
BINDIR ?= $(PREFIX)/bin
# the release the modules are for: the kernel's own string (vermagic)
LINUX_RELEASE = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	$(LINUX_KDIR)/include/generated/utsrelease.h 2>/dev/null)
MODDIR ?= /lib/modules/$(LINUX_RELEASE)/extra

install: install-target install-sdk

install-target: $(LINUX_MOD) $(LINUX_CLI) $(LINUX_CHAN_CLI)
	@test -n "$(LINUX_RELEASE)" || { echo "install: no kernel release in $(LINUX_KDIR)" >&2; exit 1; }
	install -d $(DESTDIR)$(MODDIR) $(DESTDIR)$(BINDIR)
	install -m 0644 $(LINUX_MOD) $(LINUX_CHAN_MOD) $(DESTDIR)$(MODDIR)/
	install -m 0755 $(LINUX_CLI) $(LINUX_CHAN_CLI) $(DESTDIR)$(BINDIR)/

install-images: $(BSP_IMAGES)
	@test -n "$(IMAGEDIR)" || { echo "install-images: say where: IMAGEDIR=..." >&2; exit 1; }
	install -d $(IMAGEDIR)
	install -m 0644 $(BSP_IMAGES) $(IMAGEDIR)/

# The reference values of this commit, from source (docs/attestation.md).
REFERENCE_FILES := $(BUILD)/attest/reference.json $(BUILD)/attest/reference-rtos.json \
	$(if $(LINUX_IMAGE),$(BUILD)/attest/reference-linux.json)
reference-values: $(REFERENCE_FILES)
	@CC_T='$(CC_T)' LD_T='$(LD_T)' scripts/reference-values.sh $(BUILD)

reproducible-check:
	scripts/reproducible-check.sh

# The same build with clang: everything `make` builds (under -Werror), and
# the test guest's verification vectors and token on it.
CLANG_BUILD := $(BUILD)/clang
check-clang:
	+$(MAKE) LLVM=1 BUILD=$(CLANG_BUILD) all
	SYSTEST_ONLY=vectors BUILD=$(CLANG_BUILD) tests/system/run.sh

bsp-test: all
	BUILD=$(BUILD) tests/system/bsp-build.sh

