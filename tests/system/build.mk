# SPDX-License-Identifier: Apache-2.0
# System tests: boot QEMU, read markers from the serial console.

$(eval $(call overlay_dtbs,tests/system/dts,$(BUILD)/systest))

system: all
	BUILD=$(BUILD) tests/system/run.sh
