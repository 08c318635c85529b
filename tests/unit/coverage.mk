# SPDX-License-Identifier: Apache-2.0
# make coverage: line coverage of hyp/ under the unit tests (gcc's gcov;
# the figures per file, the total and the files below COVERAGE_GOAL).
# A build of its own (build/coverage, -O0, no sanitizers: they add branches
# of their own to every access); the annotated sources, uncovered lines
# marked #####, are left in build/coverage/gcov/.

COV_OUT := $(BUILD)/coverage
COV_BIN := $(COV_OUT)/umbra-unit
COV_GOAL ?= 85
COV_CFLAGS := -std=c11 -O0 -g -Wall -Wextra -Werror -Wvla --coverage \
	-Ihyp/include -Ihyp -Iguest/lib -Itests/fake_arch/include
COV_OBJ := $(patsubst %.c,$(COV_OUT)/%.o,$(UNIT_HYP_SRC) $(UNIT_TEST_SRC))

$(COV_OUT)/hyp/drivers/smmuv3.o: COV_CFLAGS += -DSMMU_FAKE_MMIO
$(COV_OUT)/hyp/drivers/pflash.o: COV_CFLAGS += -DPFLASH_FAKE_MMIO
$(COV_OUT)/hyp/%.o: hyp/%.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(COV_CFLAGS) -MMD -MP -Dvsnprintf=umbra_vsnprintf -Dsnprintf=umbra_snprintf -c $< -o $@
$(COV_OUT)/tests/fake_arch/%.o: tests/fake_arch/%.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(COV_CFLAGS) -MMD -MP -Dvsnprintf=umbra_vsnprintf -Dsnprintf=umbra_snprintf -c $< -o $@

$(COV_OUT)/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(COV_CFLAGS) -MMD -MP -D_DEFAULT_SOURCE -DUNIT_DTB_DIR='"$(abspath $(UNIT_OUT)/dts)"' \
		$(shell pkg-config --cflags check) -c $< -o $@

# header changes rebuild what includes them (a stale struct layout broke
# an incremental run)
-include $(COV_OBJ:.o=.d)

$(COV_BIN): $(COV_OBJ)
	$(HOSTCC) --coverage -o $@ $^ $(UNIT_LIBS)

.PHONY: coverage
coverage: $(COV_BIN) $(UNIT_DTB)
	find $(COV_OUT) -name '*.gcda' -delete
	$(COV_BIN) >$(COV_OUT)/unit.log 2>&1 || { tail -20 $(COV_OUT)/unit.log; exit 1; }
	@tail -1 $(COV_OUT)/unit.log
	$(PYTHON) scripts/coverage-report.py --objdir $(COV_OUT) --goal $(COV_GOAL) \
		--out $(COV_OUT)/gcov $(filter hyp/%,$(UNIT_HYP_SRC))
