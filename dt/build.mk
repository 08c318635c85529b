# SPDX-License-Identifier: Apache-2.0
# Platform DTBs: QEMU's own DT (dumped with the same -smp/-m as the run)
# plus an Umbra config overlay.

QEMU_MACHINE := virt,virtualization=on,gic-version=3
QEMU_CPU := cortex-a72
QEMU_BASE_DTB := $(BUILD)/dt/virt-smp4-m1G.dtb

# keep the intermediate overlay files (for inspection and cheap rebuilds)
.PRECIOUS: $(BUILD)/%.dtbo $(BUILD)/%.dtso $(BUILD)/%.dtb

# QEMU's DT for -smp N -m M: $(BUILD)/dt/virt-smpN-mM.dtb. Made the same
# on every build: QEMU puts fresh random bytes in /chosen rng-seed and
# kaslr-seed (zeroed here; QEMU refills rng-seed, Umbra's boot seed, at
# every boot from the DTB it is given) and leaves whatever was in memory in
# the padding after a property (dtc writes the blob afresh).
$(BUILD)/dt/virt-smp%.dtb:
	@mkdir -p $(dir $@)
	qemu-system-aarch64 -M $(QEMU_MACHINE),dumpdtb=$@.raw -cpu $(QEMU_CPU) \
		-smp $(word 1,$(subst -m, ,$*)) -m $(word 2,$(subst -m, ,$*)) \
		-nographic -nic none >/dev/null 2>&1
	@for p in rng-seed kaslr-seed; do \
		n=$$(fdtget -t x $@.raw /chosen $$p 2>/dev/null | wc -w); \
		[ "$$n" -eq 0 ] || fdtput -t x $@.raw /chosen $$p $$(printf '0 %.0s' $$(seq $$n)) || exit 1; \
	done
	$(DTC) -q -I dtb -O dtb -o $@ $@.raw
	@rm -f $@.raw

# overlay_dtbs(source dir, output dir): every SRC/x.dtso -> OUT/x.dtb,
# applied on top of QEMU's DT. Evaluated for dt/ and tests/system/dts/.
define overlay_dtbs
$(2)/%.dtbo: $(1)/%.dtso
	@mkdir -p $$(dir $$@)
	$$(DTC) -q -@ -I dts -O dtb -o $$@ $$<

$(2)/%.dtb: $(2)/%.dtbo $$(QEMU_BASE_DTB)
	fdtoverlay -i $$(QEMU_BASE_DTB) -o $$@ $$<

all: $(patsubst $(1)/%.dtso,$(2)/%.dtb,$(wildcard $(1)/*.dtso))
endef

$(eval $(call overlay_dtbs,dt,$(BUILD)/dt))
