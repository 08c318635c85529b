# SPDX-License-Identifier: Apache-2.0
# Attestation host tools (docs/attestation.md): umbra-provision and
# umbra-verify, built with the host compiler from the monitor's own
# hyp/core/attest.c and hyp/lib/cbor.c against the host BearSSL
# (libbearssl-dev), plus the reference values for the example build.

ATTEST_HOST_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -Wvla -D_GNU_SOURCE \
	-Ihyp/include -Itools
ATTEST_HOST_LIBS := -lbearssl
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
ATTEST_BOARD ?= qemu-virt
$(BUILD)/attest/reference.json: $(BUILD)/tools/umbra-provision $(BUILD)/umbra.bin \
		$(BUILD)/guest-test.bin
	@mkdir -p $(dir $@)
	$(BUILD)/tools/umbra-provision reference -o $@ --board $(ATTEST_BOARD) \
		--lifecycle secured \
		umbra/image=$(BUILD)/umbra.bin partition/image=arm64:$(BUILD)/guest-test.bin
