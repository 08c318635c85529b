# SPDX-License-Identifier: Apache-2.0
# Attestation host tools (docs/attestation.md): umbra-provision and
# umbra-verify, built with the host compiler from the monitor's own
# hyp/attest/attest.c, hyp/attest/config_digest.c and hyp/lib/cbor.c
# against the host BearSSL (libbearssl-dev) and libfdt, plus the reference
# values for the example build.

ATTEST_HOST_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -Wvla -D_GNU_SOURCE \
	$(REPRO_CFLAGS) -Ihyp/include -Ihyp -Itools $(HOSTCFLAGS)
ATTEST_HOST_LIBS := $(HOSTLDFLAGS) -lbearssl -lfdt
# shared by both tools and by tests/attest
ATTEST_LIB_SRC := hyp/attest/attest.c hyp/attest/p256.c hyp/attest/config_digest.c hyp/lib/cbor.c \
	hyp/lib/envelope.c tools/attest_host.c tools/attest_verify.c tools/report_verify.c
ATTEST_LIB_HDR := hyp/attest/attest.h hyp/attest/p256.h hyp/attest/config_digest.h hyp/include/umbra/cbor.h \
	hyp/include/umbra/envelope.h \
	tools/attest_host.h tools/attest_verify.h tools/report_verify.h

all: $(BUILD)/tools/umbra-provision $(BUILD)/tools/umbra-verify $(BUILD)/attest/reference.json

# umbra-sign (docs/signing.md): envelopes and the anti-rollback store, with
# the monitor's own envelope and store-record code
all: $(BUILD)/tools/umbra-sign
SIGN_SRC := hyp/lib/svnstore.c
$(BUILD)/tools/umbra-sign: tools/umbra-sign.c $(SIGN_SRC) hyp/include/umbra/envelope.h \
		hyp/include/umbra/svnstore.h $(ATTEST_LIB_SRC) $(ATTEST_LIB_HDR)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(ATTEST_HOST_CFLAGS) -o $@ $< $(SIGN_SRC) $(ATTEST_LIB_SRC) $(ATTEST_HOST_LIBS)

$(BUILD)/tools/umbra-provision $(BUILD)/tools/umbra-verify: $(BUILD)/tools/%: tools/%.c \
		$(ATTEST_LIB_SRC) $(ATTEST_LIB_HDR)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(ATTEST_HOST_CFLAGS) -o $@ $< $(ATTEST_LIB_SRC) $(ATTEST_HOST_LIBS)

# Reference values for the example configurations: what a verifier
# expects in a token from a partition on an unmodified build, booted from
# that DTB (scripts/attest-reference.sh: umbra-provision computes every
# component of docs/attestation.md, "Measurements", among them
# umbra/config and partition/config from the DTB). Umbra measures its
# text and rodata as loaded (they are never relocated): the first
# _rodata_end bytes of umbra.bin.
$(BUILD)/attest/umbra-measured.bin: $(BUILD)/umbra.bin $(BUILD)/umbra.elf
	@mkdir -p $(dir $@)
	head -c $$(( 0x$$($(NM_T) $(BUILD)/umbra.elf | awk '$$3 == "_rodata_end" { print $$1 }') )) $< >$@

ATTEST_REF_DEPS := scripts/attest-reference.sh $(BUILD)/tools/umbra-provision \
	$(BUILD)/attest/umbra-measured.bin

# the test guest of the test configuration (system test "vectors")
$(BUILD)/attest/reference.json: $(ATTEST_REF_DEPS) $(BUILD)/dt/qemu-virt-test.dtb \
		$(BUILD)/guest-test.bin
	BUILD=$(BUILD) scripts/attest-reference.sh $@ $(BUILD)/dt/qemu-virt-test.dtb guest \
		$(BUILD)/guest-test.bin

# ... and the linux partition of the run configuration (make run)
all: $(BUILD)/attest/reference-linux.json
$(BUILD)/attest/reference-linux.json: $(ATTEST_REF_DEPS) $(BUILD)/dt/qemu-virt-run.dtb \
		$(LINUX_INITRD)
	BUILD=$(BUILD) scripts/attest-reference.sh $@ $(BUILD)/dt/qemu-virt-run.dtb linux \
		$(LINUX_IMAGE) $(LINUX_INITRD)

# ... and the rtos partition of the run configuration
all: $(BUILD)/attest/reference-rtos.json
$(BUILD)/attest/reference-rtos.json: $(ATTEST_REF_DEPS) $(BUILD)/dt/qemu-virt-run.dtb \
		$(BUILD)/rtos.bin
	BUILD=$(BUILD) scripts/attest-reference.sh $@ $(BUILD)/dt/qemu-virt-run.dtb rtos \
		$(BUILD)/rtos.bin

# This build's device: a device secret for QEMU (-device loader puts it
# where the config's `uds` says) and its endorsement public key, the key a
# verifier trusts. Made once; `rm` them to provision a new device.
all: $(BUILD)/attest/device-uds.bin
$(BUILD)/attest/device-uds.bin: | $(BUILD)/tools/umbra-provision
	@mkdir -p $(dir $@)
	$(BUILD)/tools/umbra-provision generate --uds $@ --ek $(BUILD)/attest/device-ek.pem --force
