# SPDX-License-Identifier: Apache-2.0
# Fuzz targets (clang, libFuzzer): not part of `make check`.
#   make fuzz-config    build/fuzz/fuzz-config, seeded with the test DTBs

FUZZ_CC ?= clang
FUZZ_CFLAGS := -std=c11 -O1 -g -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
	-Ihyp/include -Ihyp -Ihyp/arch/aarch64/include

.PHONY: fuzz-config
fuzz-config: $(BUILD)/fuzz/fuzz-config $(BUILD)/dt/qemu-virt-test.dtb
	@mkdir -p $(BUILD)/fuzz/corpus
	cp $(BUILD)/dt/qemu-virt-test.dtb $(BUILD)/dt/qemu-virt-run.dtb $(BUILD)/fuzz/corpus/ 2>/dev/null || true

$(BUILD)/fuzz/fuzz-config: tests/fuzz/fuzz_config_check.c $(wildcard hyp/config/*.c hyp/config/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_config_check.c $(wildcard hyp/config/*.c) -lfdt
