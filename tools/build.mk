# SPDX-License-Identifier: Apache-2.0
# Host tools, built from the monitor's own sources where they share logic.

HOST_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -Wvla -D_GNU_SOURCE $(REPRO_CFLAGS)
TOOL_CONFIG_SRC := tools/umbra-config-check.c $(wildcard hyp/config/*.c) hyp/lib/envelope.c

all: $(BUILD)/tools/umbra-config-check

$(BUILD)/tools/umbra-config-check: $(TOOL_CONFIG_SRC) $(wildcard hyp/include/umbra/*.h hyp/config/*.h hyp/drivers/gic.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -Ihyp/include -Ihyp -Ihyp/arch/aarch64/include -o $@ \
		$(TOOL_CONFIG_SRC) -lfdt
