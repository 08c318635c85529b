# SPDX-License-Identifier: Apache-2.0
# Platform DTBs: QEMU's own DT (dumped with the same -smp/-m as the run)
# plus an Umbra config overlay from dt/.

QEMU_MACHINE := virt,virtualization=on,gic-version=3
QEMU_CPU := cortex-a72
DT_OVERLAYS := $(wildcard dt/*.dtso)

.SECONDARY:

all: $(patsubst dt/%.dtso,$(BUILD)/dt/%.dtb,$(DT_OVERLAYS))

# QEMU's DT for -smp N -m M: $(BUILD)/dt/virt-smpN-mM.dtb
$(BUILD)/dt/virt-smp%.dtb:
	@mkdir -p $(dir $@)
	qemu-system-aarch64 -M $(QEMU_MACHINE),dumpdtb=$@ -cpu $(QEMU_CPU) \
		-smp $(word 1,$(subst -m, ,$*)) -m $(word 2,$(subst -m, ,$*)) \
		-nographic -nic none >/dev/null

$(BUILD)/dt/%.dtbo: dt/%.dtso
	@mkdir -p $(dir $@)
	$(DTC) -q -@ -I dts -O dtb -o $@ $<

$(BUILD)/dt/%.dtb: $(BUILD)/dt/%.dtbo $(BUILD)/dt/virt-smp4-m1G.dtb
	fdtoverlay -i $(BUILD)/dt/virt-smp4-m1G.dtb -o $@ $<
