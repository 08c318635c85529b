# SPDX-License-Identifier: Apache-2.0
# Fuzz targets: libFuzzer with Debian's clang-14, AddressSanitizer and
# UndefinedBehaviorSanitizer (why libFuzzer: tests/fuzz/README.md).
#
#   make fuzz          every target for FUZZ_TIME seconds (default 60) on
#                      its corpus (tests/fuzz/corpus/<target>, what it finds
#                      goes to build/fuzz/corpus/<target>)
#   make fuzz-smoke    every target over its committed corpus, then
#                      FUZZ_SMOKE_TIME seconds (default 5): part of make check
#   make fuzz-build    just build them: build/fuzz/fuzz-<target>
#
# A crash stops the run; its input is in build/fuzz/crashes/<target>/.

FUZZ_CC ?= $(shell command -v clang-14 || echo clang)
FUZZ_TIME ?= 60
FUZZ_SMOKE_TIME ?= 5
FUZZ_OUT := $(BUILD)/fuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror -Wvla -D_GNU_SOURCE $(FUZZ_SAN) \
	-Ihyp/include -Ihyp -Iguest/lib -Itests/fake_arch/include -Itests/fuzz
FUZZ_HYP_CFLAGS := $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link \
	-Dvsnprintf=umbra_vsnprintf -Dsnprintf=umbra_snprintf

# The monitor code under test: the unit tests' selection (hyp/ on the fake
# arch), as one archive so each target links only what it reaches.
FUZZ_HYP_SRC := $(UNIT_HYP_SRC) tests/unit/fake_smmu.c
FUZZ_HYP_OBJ := $(patsubst %.c,$(FUZZ_OUT)/obj/%.o,$(FUZZ_HYP_SRC))
FUZZ_HYP_LIB := $(FUZZ_OUT)/libhyp-fuzz.a

# target name -> harness sources (besides the archive)
FUZZ_TARGETS := hypercall vgic-mmio vuart config guest-dt verify chan-ring envelope svnstore report
FUZZ_SRC_hypercall := tests/fuzz/fuzz_hypercall.c tests/fuzz/fuzz_support.c
FUZZ_SRC_vgic-mmio := tests/fuzz/fuzz_vgic_mmio.c tests/fuzz/fuzz_support.c
FUZZ_SRC_vuart := tests/fuzz/fuzz_vuart.c tests/fuzz/fuzz_support.c
FUZZ_SRC_config := tests/fuzz/fuzz_config_check.c
FUZZ_SRC_guest-dt := tests/fuzz/fuzz_guest_dt.c tests/fuzz/fuzz_support.c
FUZZ_SRC_verify := tests/fuzz/fuzz_verify.c tools/attest_host.c tools/attest_verify.c
FUZZ_SRC_chan-ring := tests/fuzz/fuzz_chan_ring.c
FUZZ_SRC_envelope := tests/fuzz/fuzz_envelope.c
FUZZ_SRC_svnstore := tests/fuzz/fuzz_svnstore.c
FUZZ_SRC_report := tests/fuzz/fuzz_report.c tools/attest_host.c tools/attest_verify.c \
	tools/report_verify.c
FUZZ_BINS := $(addprefix $(FUZZ_OUT)/fuzz-,$(FUZZ_TARGETS))

$(FUZZ_OUT)/obj/tests/unit/fake_smmu.o: FUZZ_HYP_CFLAGS += $(shell pkg-config --cflags check)
$(FUZZ_OUT)/obj/hyp/drivers/smmuv3.o: FUZZ_HYP_CFLAGS += -DSMMU_FAKE_MMIO
$(FUZZ_OUT)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_HYP_CFLAGS) -MMD -MP -c $< -o $@

$(FUZZ_HYP_LIB): $(FUZZ_HYP_OBJ)
	rm -f $@
	ar rcs $@ $^

# verify, report: umbra-verify's own sources, as tools/attest.mk builds them
$(FUZZ_OUT)/fuzz-verify $(FUZZ_OUT)/fuzz-report: FUZZ_CFLAGS += -Itools
# configurations (on the unit tests' platform): hypercall runs the
# partitions of tests/fuzz/world.dts, envelope stages images for the one of
# tests/fuzz/envelope.dts
FUZZ_CFLAGS += -DFUZZ_DTB_DIR='"$(abspath $(FUZZ_OUT))"'
FUZZ_DTBS := $(FUZZ_OUT)/world.dtb $(FUZZ_OUT)/envelope.dtb
$(FUZZ_OUT)/fuzz-hypercall: $(FUZZ_OUT)/world.dtb
$(FUZZ_OUT)/fuzz-envelope: $(FUZZ_OUT)/envelope.dtb
$(FUZZ_DTBS): $(FUZZ_OUT)/%.dtb: tests/fuzz/%.dts $(wildcard tests/unit/dts/*.dtsi)
	@mkdir -p $(dir $@)
	$(DTC) -q -I dts -O dtb -i tests/unit/dts -o $@ $<
$(FUZZ_BINS): $(FUZZ_OUT)/fuzz-%: $(FUZZ_HYP_LIB) tests/fuzz/fuzz.h $(wildcard tests/fuzz/*.c)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $(FUZZ_SRC_$*) $(FUZZ_HYP_LIB) \
		-lfdt -lbearssl

.PHONY: fuzz fuzz-smoke fuzz-build $(addprefix fuzz-run-,$(FUZZ_TARGETS))
fuzz-build: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	nice -n 10 tests/fuzz/run.sh $(BUILD) $(FUZZ_TIME) $(FUZZ_TARGETS)

fuzz-smoke: $(FUZZ_BINS)
	tests/fuzz/run.sh $(BUILD) $(FUZZ_SMOKE_TIME) $(FUZZ_TARGETS)

# the old name of the config target
.PHONY: fuzz-config
fuzz-config: $(FUZZ_OUT)/fuzz-config


-include $(FUZZ_HYP_OBJ:.o=.d)
