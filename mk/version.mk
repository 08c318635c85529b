# SPDX-License-Identifier: Apache-2.0
# The release version: the one number is in VERSION (docs/versioning.md).
# It becomes $(BUILD)/include/umbra_version.h (UMBRA_VERSION, a string),
# which the monitor prints at boot and every host tool prints for --version.
# The guest ABI version is separate: guest/lib/umbra_abi.h.

UMBRA_VERSION := $(shell cat VERSION)
UMBRA_VERSION_H := $(BUILD)/include/umbra_version.h

# rewritten only when VERSION changes
$(UMBRA_VERSION_H): VERSION mk/version.mk
	@mkdir -p $(dir $@)
	printf '/* generated from VERSION by mk/version.mk */\n#define UMBRA_VERSION "%s"\n' \
		'$(UMBRA_VERSION)' >$@

HYP_CFLAGS += -I$(BUILD)/include
HOST_CFLAGS += -I$(BUILD)/include
ATTEST_HOST_CFLAGS += -I$(BUILD)/include
$(BUILD)/hyp/main.o: $(UMBRA_VERSION_H)
$(BUILD)/tools/umbra-config-check $(BUILD)/tools/umbra-provision \
	$(BUILD)/tools/umbra-verify: $(UMBRA_VERSION_H)

.PHONY: version
version:
	@echo $(UMBRA_VERSION)
layers: $(UMBRA_VERSION_H)
