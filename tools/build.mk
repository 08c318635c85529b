# SPDX-License-Identifier: Apache-2.0
# Host tools, built from the monitor's own sources where they share logic.

HOST_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -Wvla -D_GNU_SOURCE $(REPRO_CFLAGS)
TOOL_CONFIG_SRC := tools/umbra-config-check.c hyp/core/config.c hyp/core/config_devices.c \
	hyp/core/config_channel.c hyp/core/config_vuart.c hyp/core/platform.c hyp/core/diag.c

all: $(BUILD)/tools/umbra-config-check

$(BUILD)/tools/umbra-config-check: $(TOOL_CONFIG_SRC) $(wildcard hyp/include/umbra/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -Ihyp/include -Ihyp/arch/aarch64/include $(HOSTCFLAGS) -o $@ \
		$(TOOL_CONFIG_SRC) $(HOSTLDFLAGS) -lfdt
