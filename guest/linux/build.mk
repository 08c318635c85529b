# SPDX-License-Identifier: Apache-2.0
# The Linux partition: Debian's arm64 kernel (deps/, by scripts/setup.sh)
# and an initramfs built from Debian's busybox-static and guest/linux/.

LINUX_IMAGE := $(firstword $(wildcard deps/arm64/boot/vmlinuz-*-arm64))
LINUX_INITRD := $(BUILD)/linux/initramfs.cpio

all: $(LINUX_INITRD) $(BUILD)/dt/qemu-virt-run.dtb

$(LINUX_INITRD): scripts/mkinitramfs.sh guest/linux/init $(wildcard guest/linux/tests/*) deps/arm64/bin/busybox
	@mkdir -p $(dir $@)
	scripts/mkinitramfs.sh $@

# The run config needs the initrd's exact size.
$(BUILD)/dt/qemu-virt-run.dtso: dt/qemu-virt-run.dtso.in $(LINUX_INITRD)
	@mkdir -p $(dir $@)
	sed "s/@INITRD_SIZE@/$$(printf '0x%x' $$(stat -c %s $(LINUX_INITRD)))/" $< >$@

$(BUILD)/dt/qemu-virt-run.dtbo: $(BUILD)/dt/qemu-virt-run.dtso
	$(DTC) -q -@ -I dts -O dtb -o $@ $<
