# SPDX-License-Identifier: Apache-2.0
# Boot from storage as a board does (docs/porting.md, "4. Boot chain"):
# a disk with an ext4 partition holding umbra.bin, the partition images,
# the device secret, the /umbra overlay and a U-Boot script
# (scripts/mkbootdisk.py); Debian's U-Boot for QEMU finds the script with
# its distro boot, loads everything from the virtio-blk disk, adds the
# configuration to the board DT QEMU gave it and starts Umbra with booti.
# No -device loader, no -kernel.
#
#   make run-uboot       the run config (Linux and the rtos) from the disk
#   make uboot-disk-test tests/system/uboot-disk.sh

BOOTDISK_B := $(BUILD)/bootdisk
# mkbootdisk_files(linux image): the run config's files, where it wants them
# (dt/qemu-virt-run.dtso.in's memory map)
bootdisk_files = --file umbra.bin=$(BUILD)/umbra.bin@0x40200000 \
	--file linux.img=$(LINUX_IMAGE)@0x41000000 \
	--file initrd.cpio=$(LINUX_INITRD)@0x43400000 \
	--file rtos.bin=$(RTOS_IMAGE)@0x48200000 \
	--file device-uds.bin=$(BUILD)/attest/device-uds.bin@0x40100000
BOOTDISK_DEPS := scripts/mkbootdisk.py $(BUILD)/umbra.bin $(LINUX_IMAGE) $(LINUX_INITRD) \
	$(RTOS_IMAGE) $(BUILD)/attest/device-uds.bin

# run.img: the run config; systest.img: the same with Linux's poweroff
# test (Linux, then the rtos, power off: QEMU exits 0)
$(BOOTDISK_B)/run.img: $(BUILD)/dt/qemu-virt-run.dtbo $(BOOTDISK_DEPS)
	@mkdir -p $(dir $@)
	$(PYTHON) scripts/mkbootdisk.py -o $@ --overlay $< --dtb-addr 0x48000000 $(bootdisk_files)
$(BOOTDISK_B)/systest.img: $(BUILD)/systest/linux-poweroff.dtbo $(BOOTDISK_DEPS)
	@mkdir -p $(dir $@)
	$(PYTHON) scripts/mkbootdisk.py -o $@ --overlay $< --dtb-addr 0x48000000 $(bootdisk_files)

all: $(BOOTDISK_B)/run.img $(BOOTDISK_B)/systest.img

.PHONY: run-uboot uboot-disk-test
run-uboot: all
	@echo "make run-uboot: U-Boot boots Umbra from $(BOOTDISK_B)/run.img; quit QEMU with Ctrl-A x"
	./scripts/run-qemu.sh -t 0 -d $(BUILD)/dt/qemu-virt-run.dtb -b $(BOOTDISK_B)/run.img

uboot-disk-test: all
	BUILD=$(BUILD) tests/system/uboot-disk.sh
