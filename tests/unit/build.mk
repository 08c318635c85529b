# SPDX-License-Identifier: Apache-2.0
# Host unit tests (Check): the real hyp/ subsystem sources on the fake arch
# (tests/fake_arch), built with the host compiler, run with `make unit`.

UNIT_OUT := $(BUILD)/unit
UNIT_BIN := $(UNIT_OUT)/umbra-unit

# The monitor code under test. hyp/lib/string.c and fortify.c stay out:
# glibc provides the string functions on the host.
UNIT_HYP_SRC := $(filter-out hyp/console/panic.c,$(foreach d,mm config vm console devices attest partition,$(wildcard hyp/$(d)/*.c))) \
	hyp/lib/envelope.c hyp/lib/svnstore.c hyp/drivers/pflash.c \
	hyp/lib/printf.c hyp/lib/cbor.c hyp/drivers/smmuv3.c $(wildcard tests/fake_arch/*.c)
UNIT_TEST_SRC := $(wildcard tests/unit/*.c)
UNIT_OBJ := $(patsubst %.c,$(UNIT_OUT)/%.o,$(UNIT_HYP_SRC) $(UNIT_TEST_SRC))

UNIT_DTS := $(wildcard tests/unit/dts/*.dts)
UNIT_DTB := $(patsubst tests/unit/dts/%.dts,$(UNIT_OUT)/dts/%.dtb,$(UNIT_DTS))

UNIT_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
UNIT_CFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror -Wvla $(UNIT_SANITIZE) \
	-Ihyp/include -Ihyp -Iguest/lib -Itests/fake_arch/include
# hyp/lib/printf.c's vsnprintf/snprintf would clash with glibc's: every
# hyp source refers to them by another name.
UNIT_HYP_CFLAGS := $(UNIT_CFLAGS) -Dvsnprintf=umbra_vsnprintf -Dsnprintf=umbra_snprintf
# (= not :=: pkg-config runs only when the unit tests are built)
UNIT_TEST_CFLAGS = $(UNIT_CFLAGS) -D_DEFAULT_SOURCE \
	-DUNIT_DTB_DIR='"$(abspath $(UNIT_OUT)/dts)"' \
	$(shell pkg-config --cflags check)
UNIT_LIBS = $(shell pkg-config --libs check) -lfdt -lbearssl -pthread

# the SMMU and flash drivers talk to tests/unit/fake_smmu.c and
# fake_pflash.c instead of registers
$(UNIT_OUT)/hyp/drivers/smmuv3.o: UNIT_HYP_CFLAGS += -DSMMU_FAKE_MMIO
$(UNIT_OUT)/hyp/drivers/pflash.o: UNIT_HYP_CFLAGS += -DPFLASH_FAKE_MMIO

# the fake arch is built as the monitor code it stands in for
$(UNIT_OUT)/hyp/%.o: hyp/%.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_HYP_CFLAGS) -MMD -MP -c $< -o $@
$(UNIT_OUT)/tests/fake_arch/%.o: tests/fake_arch/%.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_HYP_CFLAGS) -MMD -MP -c $< -o $@

$(UNIT_OUT)/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_TEST_CFLAGS) -MMD -MP -c $< -o $@

$(UNIT_BIN): $(UNIT_OBJ)
	$(HOSTCC) $(UNIT_SANITIZE) -o $@ $^ $(UNIT_LIBS)

# Fixtures: each case a small .dts sharing platform.dtsi / umbra.dtsi.
$(UNIT_OUT)/dts/%.dtb: tests/unit/dts/%.dts
	@mkdir -p $(dir $@)
	$(DTC) -q -I dts -O dtb -i tests/unit/dts -d $@.d -o $@ $<

unit: $(UNIT_BIN) $(UNIT_DTB)
	$(UNIT_BIN)
	@if [ -f tests/unit/test_vecgen.py ]; then \
		echo "$(PYTHON) -m unittest discover -s tests/unit -p test_vecgen.py"; \
		$(PYTHON) -m unittest discover -s tests/unit -p test_vecgen.py; \
	fi

-include $(UNIT_OBJ:.o=.d) $(UNIT_DTB:=.d)
