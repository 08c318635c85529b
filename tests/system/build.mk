# SPDX-License-Identifier: Apache-2.0
# System tests: boot QEMU, read markers from the serial console.

$(eval $(call overlay_dtbs,tests/system/dts,$(BUILD)/systest))

system: all
	BUILD=$(BUILD) tests/system/run.sh
	BUILD=$(BUILD) tests/system/storm.sh 100000
	BUILD=$(BUILD) tests/system/signed.sh
	BUILD=$(BUILD) tests/system/events.sh

include tests/system/signed.mk

# the second platform (dt/virt-big.mk), boot from storage (mk/bootdisk.mk),
# the SDK install (mk/sdk.mk)
system: virt-big-test uboot-disk-test sdk-test

# only the event log, restart policy and report test (issue 13, 4-6)
system-events: all
	BUILD=$(BUILD) tests/system/events.sh

all: $(BUILD)/systest/panic-guest.bin

$(BUILD)/systest/panic-guest.bin: tests/system/panic-guest.S guest/lib/umbra_abi.h
	@mkdir -p $(dir $@)
	$(CC_T) -D__ASSEMBLER__ -Iguest/lib -c -o $(@:.bin=.o) $<
	$(LD_T) -Ttext=0 -o $(@:.bin=.elf) $(@:.bin=.o)
	$(OBJCOPY_T) -O binary $(@:.bin=.elf) $@

# Linux system tests: the run config with umbra.test=NAME on Linux's
# command line (guest/linux/tests/NAME runs instead of a shell).
LINUX_TESTS := shell devmem reboot bench poweroff attest attest-restart idle busy devices events \
	channel chan-bench flood paste pci hostile-dma sdk
all: $(patsubst %,$(BUILD)/systest/linux-%.dtb,$(LINUX_TESTS))

# The run config on the machine without an SMMU (run-qemu.sh -I): Umbra
# must refuse it (its Linux does DMA that nothing confines).
all: $(BUILD)/systest/run-nosmmu.dtb
$(BUILD)/systest/run-nosmmu.dtb: $(BUILD)/dt/qemu-virt-run.dtbo $(BUILD)/dt/virt-nosmmu-smp4-m1G.dtb
	@mkdir -p $(dir $@)
	fdtoverlay -i $(BUILD)/dt/virt-nosmmu-smp4-m1G.dtb -o $@ $<

$(BUILD)/systest/linux-%.dtso: $(BUILD)/dt/qemu-virt-run.dtso
	@mkdir -p $(dir $@)
	sed -e 's|rdinit=/init"|rdinit=/init umbra.test=$*"|' \
		-e 's|"demo[^"]*"|"$(if $(filter poweroff,$*),bench=25,$(if $(filter chan-bench,$*),quiet noload,$(if $(filter bench,$*),demo noload,demo)))$(if $(filter devices,$*), gpio=60)"|' $< >$@

.PRECIOUS: $(BUILD)/systest/linux-%.dtso $(BUILD)/systest/linux-%.dtbo
$(BUILD)/systest/linux-%.dtbo: $(BUILD)/systest/linux-%.dtso
	$(DTC) -q -@ -I dts -O dtb -o $@ $<
