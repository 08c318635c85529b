# SPDX-License-Identifier: Apache-2.0
# Platform DTBs: QEMU's own DT (dumped with the same -smp/-m as the run)
# plus an Umbra config overlay. The machine has an SMMUv3 in front of the
# PCIe root complex (iommu=smmuv3), as scripts/run-qemu.sh starts it; the
# nosmmu base (run-qemu.sh -I) is the same machine without it, for the test
# that a config whose partition does DMA is refused without an IOMMU.

QEMU_MACHINE := virt,virtualization=on,gic-version=3,iommu=smmuv3
QEMU_MACHINE_NOSMMU := virt,virtualization=on,gic-version=3
QEMU_CPU := cortex-a72
QEMU_BASE_DTB := $(BUILD)/dt/virt-smp4-m1G.dtb

# Intermediate files (overlays, QEMU's DT) are kept, for inspection and
# cheap rebuilds: each pattern rule that makes one has its target pattern
# in .PRECIOUS (it must be the rule's pattern exactly). Not a bare
# .SECONDARY: that makes every target secondary, and a missing object
# newer in its list than the archive or binary built from it is then
# never built (a source file added to a list with an older time).
.PRECIOUS: $(BUILD)/dt/virt-smp%.dtb $(BUILD)/dt/virt-nosmmu-smp%.dtb
# The base DTB is a real output too: scripts (bench-rtos.sh -a) apply their
# own overlays to it.
all: $(QEMU_BASE_DTB)

# qemu_dtb(machine, stem): QEMU's DT for -smp N -m M (stem "N-mM"), made
# the same on every build: QEMU puts fresh random bytes in /chosen rng-seed
# and kaslr-seed (zeroed here; QEMU refills rng-seed, Umbra's boot seed, at
# every boot from the DTB it is given) and leaves whatever was in memory in
# the padding after a property (dtc writes the blob afresh).
define qemu_dtb
	@mkdir -p $(dir $@)
	qemu-system-aarch64 -M $(1),dumpdtb=$@.raw -cpu $(QEMU_CPU) \
		-smp $(word 1,$(subst -m, ,$(2))) -m $(word 2,$(subst -m, ,$(2))) \
		-nographic -nic none >/dev/null 2>&1
	@for p in rng-seed kaslr-seed; do \
		n=$$(fdtget -t x $@.raw /chosen $$p 2>/dev/null | wc -w); \
		[ "$$n" -eq 0 ] || fdtput -t x $@.raw /chosen $$p $$(printf '0 %.0s' $$(seq $$n)) || exit 1; \
	done
	$(DTC) -q -I dtb -O dtb -o $@ $@.raw
	@rm -f $@.raw
endef

# $(BUILD)/dt/virt-smpN-mM.dtb, and the same without the SMMU:
# $(BUILD)/dt/virt-nosmmu-smpN-mM.dtb
$(BUILD)/dt/virt-smp%.dtb: dt/build.mk
	$(call qemu_dtb,$(QEMU_MACHINE),$*)
$(BUILD)/dt/virt-nosmmu-smp%.dtb: dt/build.mk
	$(call qemu_dtb,$(QEMU_MACHINE_NOSMMU),$*)

all: $(BUILD)/dt/virt-nosmmu-smp4-m1G.dtb

# overlay_dtbs(source dir, output dir): every SRC/x.dtso -> OUT/x.dtb,
# applied on top of QEMU's DT. Evaluated for dt/ and tests/system/dts/.
define overlay_dtbs
.PRECIOUS: $(2)/%.dtbo
$(2)/%.dtbo: $(1)/%.dtso
	@mkdir -p $$(dir $$@)
	$$(DTC) -q -@ -I dts -O dtb -o $$@ $$<

$(2)/%.dtb: $(2)/%.dtbo $$(QEMU_BASE_DTB)
	fdtoverlay -i $$(QEMU_BASE_DTB) -o $$@ $$<

all: $(patsubst $(1)/%.dtso,$(2)/%.dtb,$(wildcard $(1)/*.dtso))
endef

$(eval $(call overlay_dtbs,dt,$(BUILD)/dt))
