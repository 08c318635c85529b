# SPDX-License-Identifier: Apache-2.0
# Attestation host tools (docs/attestation.md): umbra-provision and
# umbra-verify, built with the host compiler from the monitor's own
# hyp/core/attest.c and hyp/lib/cbor.c against the host BearSSL
# (libbearssl-dev), plus the reference values for the example build.

ATTEST_HOST_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -Wvla -D_GNU_SOURCE \
	$(REPRO_CFLAGS) -Ihyp/include -Itools $(HOSTCFLAGS)
ATTEST_HOST_LIBS := $(HOSTLDFLAGS) -lbearssl
# shared by both tools and by tests/attest
ATTEST_LIB_SRC := hyp/core/attest.c hyp/lib/cbor.c tools/attest_host.c tools/attest_verify.c
ATTEST_LIB_HDR := hyp/include/umbra/attest.h hyp/include/umbra/cbor.h \
	tools/attest_host.h tools/attest_verify.h

all: $(BUILD)/tools/umbra-provision $(BUILD)/tools/umbra-verify $(BUILD)/attest/reference.json

$(BUILD)/tools/umbra-provision $(BUILD)/tools/umbra-verify: $(BUILD)/tools/%: tools/%.c \
		$(ATTEST_LIB_SRC) $(ATTEST_LIB_HDR)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(ATTEST_HOST_CFLAGS) -o $@ $< $(ATTEST_LIB_SRC) $(ATTEST_HOST_LIBS)

# Reference values for the example configuration: what a verifier expects
# in a token from the test guest's partition on an unmodified build.
# Component names and digests follow docs/attestation.md ("Measurements"):
# a partition image is the image_size bytes Umbra copies (arm64:), Umbra's
# own image the file as built.
# The board is the platform DT's first root compatible (QEMU virt's).
# Umbra measures its text and rodata as loaded (they are never relocated):
# the first _rodata_end bytes of umbra.bin.
ATTEST_BOARD ?= linux,dummy-virt
$(BUILD)/attest/umbra-measured.bin: $(BUILD)/umbra.bin $(BUILD)/umbra.elf
	@mkdir -p $(dir $@)
	head -c $$(( 0x$$($(NM_T) $(BUILD)/umbra.elf | awk '$$3 == "_rodata_end" { print $$1 }') )) $< >$@

$(BUILD)/attest/reference.json: $(BUILD)/tools/umbra-provision $(BUILD)/attest/umbra-measured.bin \
		$(BUILD)/guest-test.bin
	@mkdir -p $(dir $@)
	$(BUILD)/tools/umbra-provision reference -o $@ --board $(ATTEST_BOARD) \
		--lifecycle secured \
		umbra/image=$(BUILD)/attest/umbra-measured.bin partition/image=arm64:$(BUILD)/guest-test.bin

# ... and for the linux partition of the run configuration
all: $(BUILD)/attest/reference-linux.json
$(BUILD)/attest/reference-linux.json: $(BUILD)/tools/umbra-provision \
		$(BUILD)/attest/umbra-measured.bin $(LINUX_INITRD)
	@mkdir -p $(dir $@)
	$(BUILD)/tools/umbra-provision reference -o $@ --board $(ATTEST_BOARD) \
		--lifecycle secured umbra/image=$(BUILD)/attest/umbra-measured.bin \
		partition/image=arm64:$(LINUX_IMAGE) partition/initrd=$(LINUX_INITRD)

# ... and for the rtos partition of the run configuration
all: $(BUILD)/attest/reference-rtos.json
$(BUILD)/attest/reference-rtos.json: $(BUILD)/tools/umbra-provision \
		$(BUILD)/attest/umbra-measured.bin $(BUILD)/rtos.bin
	@mkdir -p $(dir $@)
	$(BUILD)/tools/umbra-provision reference -o $@ --board $(ATTEST_BOARD) \
		--lifecycle secured umbra/image=$(BUILD)/attest/umbra-measured.bin \
		partition/image=arm64:$(BUILD)/rtos.bin

# This build's device: a device secret for QEMU (-device loader puts it
# where the config's `uds` says) and its endorsement public key, the key a
# verifier trusts. Made once; `rm` them to provision a new device.
all: $(BUILD)/attest/device-uds.bin
$(BUILD)/attest/device-uds.bin: | $(BUILD)/tools/umbra-provision
	@mkdir -p $(dir $@)
	$(BUILD)/tools/umbra-provision generate --uds $@ --ek $(BUILD)/attest/device-ek.pem --force
