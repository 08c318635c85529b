# SPDX-License-Identifier: Apache-2.0
# System tests: boot QEMU, read markers from the serial console.

$(eval $(call overlay_dtbs,tests/system/dts,$(BUILD)/systest))

system: all
	BUILD=$(BUILD) tests/system/run.sh

all: $(BUILD)/systest/panic-guest.bin

$(BUILD)/systest/panic-guest.bin: tests/system/panic-guest.S guest/lib/umbra_abi.h
	@mkdir -p $(dir $@)
	$(CC_T) -D__ASSEMBLER__ -c -o $(@:.bin=.o) $<
	$(LD_T) -Ttext=0 -o $(@:.bin=.elf) $(@:.bin=.o)
	$(OBJCOPY_T) -O binary $(@:.bin=.elf) $@
