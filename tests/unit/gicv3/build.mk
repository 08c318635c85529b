# SPDX-License-Identifier: Apache-2.0
# The GICv3 driver's host test: its own binary, because it includes the
# driver (the main unit binary links the fake GIC in its place).

GICV3_TEST_BIN := $(BUILD)/unit/umbra-unit-gicv3

$(GICV3_TEST_BIN): tests/unit/gicv3/test_gicv3.c hyp/drivers/gicv3.c
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=c11 -O1 -g -Wall -Wextra -Werror -Wvla -fsanitize=undefined \
		-fno-sanitize-recover=all -pthread -D_DEFAULT_SOURCE \
		-Ihyp/include -Ihyp -Itests/fake_arch/include $(shell pkg-config --cflags check) \
		-o $@ $< $(shell pkg-config --libs check)

unit-gicv3: $(GICV3_TEST_BIN)
	$(GICV3_TEST_BIN)

unit: unit-gicv3
.PHONY: unit-gicv3
