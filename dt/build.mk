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

# keep the intermediate overlay files (for inspection and cheap rebuilds)
.PRECIOUS: $(BUILD)/%.dtbo $(BUILD)/%.dtso $(BUILD)/%.dtb
# The base DTB is a real output, not an intermediate: scripts (bench-rtos.sh
# -a) apply their own overlays to it, so make must not delete it.
.SECONDARY: $(QEMU_BASE_DTB)
all: $(QEMU_BASE_DTB)

# QEMU's DT for -smp N -m M: $(BUILD)/dt/virt-smpN-mM.dtb (again when the
# machine options here change)
$(BUILD)/dt/virt-smp%.dtb: dt/build.mk
	@mkdir -p $(dir $@)
	qemu-system-aarch64 -M $(QEMU_MACHINE),dumpdtb=$@ -cpu $(QEMU_CPU) \
		-smp $(word 1,$(subst -m, ,$*)) -m $(word 2,$(subst -m, ,$*)) \
		-nographic -nic none >/dev/null 2>&1

# The same without the SMMU: $(BUILD)/dt/virt-nosmmu-smpN-mM.dtb
$(BUILD)/dt/virt-nosmmu-smp%.dtb: dt/build.mk
	@mkdir -p $(dir $@)
	qemu-system-aarch64 -M $(QEMU_MACHINE_NOSMMU),dumpdtb=$@ -cpu $(QEMU_CPU) \
		-smp $(word 1,$(subst -m, ,$*)) -m $(word 2,$(subst -m, ,$*)) \
		-nographic -nic none >/dev/null 2>&1

all: $(BUILD)/dt/virt-nosmmu-smp4-m1G.dtb

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
