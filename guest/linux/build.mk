# SPDX-License-Identifier: Apache-2.0
# The Linux partition: Debian's arm64 kernel (deps/, by scripts/setup.sh)
# and an initramfs built from Debian's busybox-static and guest/linux/:
# /init, the system-test scripts, Umbra's driver umbra.ko and the umbra CLI.

LINUX_IMAGE ?= $(firstword $(wildcard deps/arm64/boot/vmlinuz-*-arm64))
LINUX_INITRD := $(BUILD)/linux/initramfs.cpio

# umbra.ko is built against the headers of exactly that kernel's ABI
# (unpacked by scripts/setup.sh), with the host's linux-kbuild-6.1; or
# against KDIR= (a BSP's kernel build directory).
LINUX_ABI := $(patsubst deps/arm64/boot/vmlinuz-%,%,$(LINUX_IMAGE))
LINUX_KDIR := $(if $(KDIR),$(KDIR),deps/arm64/usr/src/linux-headers-$(LINUX_ABI))
LINUX_MOD := $(BUILD)/linux/umbra.ko
LINUX_CLI := $(BUILD)/linux/umbra
LINUX_MOD_SRC := guest/linux/module/umbra.c guest/linux/module/umbra_chan.c \
	guest/linux/module/Kbuild
LINUX_SHARED_H := guest/linux/include/umbra_ioctl.h guest/linux/include/umbra_chan_ioctl.h \
	guest/lib/umbra_abi.h
# umbra_chan.ko (channels) is built with umbra.ko, by the same Kbuild run
LINUX_CHAN_MOD := $(BUILD)/linux/umbra_chan.ko
LINUX_CHAN_CLI := $(BUILD)/linux/umbra-chan

all: $(LINUX_INITRD) $(BUILD)/dt/qemu-virt-run.dtb

# Debian's virtio-mmio transport and virtio-rng drivers (modules in that
# kernel): for the virtio slots the run config gives Linux.
LINUX_KMODS := deps/arm64/lib/modules/$(LINUX_ABI)/kernel
LINUX_VIRTIO_MODS := $(LINUX_KMODS)/drivers/virtio/virtio_mmio.ko=/lib/modules/virtio_mmio.ko \
	$(LINUX_KMODS)/drivers/char/hw_random/virtio-rng.ko=/lib/modules/virtio-rng.ko
# virtio-pci (PCIe host bridge assigned to Linux; pci-host-generic is built
# in): the transport and the disk driver, in load order (virtio_pci needs
# both *_dev libraries); /init loads them and virtio-rng when Linux has PCI
# devices.
LINUX_PCI_MODS := $(LINUX_KMODS)/drivers/virtio/virtio_pci_modern_dev.ko=/lib/modules/virtio_pci_modern_dev.ko \
	$(LINUX_KMODS)/drivers/virtio/virtio_pci_legacy_dev.ko=/lib/modules/virtio_pci_legacy_dev.ko \
	$(LINUX_KMODS)/drivers/virtio/virtio_pci.ko=/lib/modules/virtio_pci.ko \
	$(LINUX_KMODS)/drivers/block/virtio_blk.ko=/lib/modules/virtio_blk.ko
# the hostile-DMA tool (tests only: a root process programs a virtio-pci
# device's queue by hand)
LINUX_DMA_CLI := $(BUILD)/linux/umbra-dma
# the disk behind the virtio-blk-pci device (fixed content, see the script)
LINUX_DISK := $(BUILD)/linux/disk.img
all: $(LINUX_DISK)
$(LINUX_DISK): scripts/mkdisk.py
	@mkdir -p $(dir $@)
	$(PYTHON) scripts/mkdisk.py $@

$(LINUX_INITRD): scripts/mkinitramfs.sh guest/linux/init $(wildcard guest/linux/tests/*) \
		deps/arm64/bin/busybox $(LINUX_MOD) $(LINUX_CLI) $(LINUX_CHAN_CLI) $(LINUX_DMA_CLI)
	@mkdir -p $(dir $@)
	scripts/mkinitramfs.sh $@ $(LINUX_MOD)=/lib/modules/umbra.ko $(LINUX_CLI)=/bin/umbra \
		$(LINUX_VIRTIO_MODS) $(LINUX_PCI_MODS) $(LINUX_DMA_CLI)=/bin/umbra-dma \
		$(LINUX_CHAN_MOD)=/lib/modules/umbra_chan.ko $(LINUX_CHAN_CLI)=/bin/umbra-chan

# Kbuild writes its objects next to the sources (M=): build a copy in
# $(BUILD) so the source tree stays clean. With the kernel's own compiler
# (CROSS_COMPILE, never our LLVM=: KMAKE_FLAGS=LLVM=1 for a clang-built
# kernel), and O= cleared (ours is not the kernel's). KCFLAGS: no build
# path in the objects (the kernel's trees are "kernel", the module's
# copies guest/linux/module: the build-id hashes the debug info), and the
# build's timestamp, user and host fixed for good measure (only vmlinux
# uses them today).
LINUX_MOD_B := $(abspath $(BUILD)/linux/module)
LINUX_KCFLAGS := -ffile-prefix-map=$(CURDIR)=. -ffile-prefix-map=$(LINUX_MOD_B)=guest/linux/module \
	-ffile-prefix-map=$$(abs_srctree)=kernel -ffile-prefix-map=$$(abs_objtree)=kernel
$(LINUX_MOD): $(LINUX_MOD_SRC) $(LINUX_SHARED_H)
	@test -f $(LINUX_KDIR)/Makefile || { echo "no kernel headers in $(LINUX_KDIR): run ./scripts/setup.sh" >&2; exit 1; }
	@mkdir -p $(BUILD)/linux/module
	cp $(LINUX_MOD_SRC) $(BUILD)/linux/module/
	$(MAKE) -C $(LINUX_KDIR) M=$(LINUX_MOD_B) ARCH=arm64 \
		CROSS_COMPILE=$(CROSS_COMPILE) O= LLVM= $(KMAKE_FLAGS) KCFLAGS='$(LINUX_KCFLAGS)' \
		KBUILD_BUILD_TIMESTAMP=@$(SOURCE_DATE_EPOCH) KBUILD_BUILD_USER=umbra KBUILD_BUILD_HOST=umbra \
		UMBRA_INC="$(abspath guest/lib guest/linux/include)" modules
	$(CROSS_COMPILE)strip --strip-debug -o $@ $(BUILD)/linux/module/umbra.ko
	$(CROSS_COMPILE)strip --strip-debug -o $(LINUX_CHAN_MOD) $(BUILD)/linux/module/umbra_chan.ko

# (made by the same Kbuild run)
$(LINUX_CHAN_MOD): $(LINUX_MOD) ;

# A static binary: the initramfs has no libc.
$(LINUX_CLI): guest/linux/cli/umbra.c guest/linux/include/umbra_ioctl.h guest/lib/umbra_abi.h
	@mkdir -p $(dir $@)
	$(CC_T) $(TARGET_USER_CFLAGS) -static -O2 -std=gnu11 -Wall -Wextra -Werror -Wformat=2 \
		$(REPRO_CFLAGS) -Iguest/linux/include -Iguest/lib -s $(TARGET_USER_LDFLAGS) -o $@ $<

$(LINUX_DMA_CLI): guest/linux/cli/umbra-dma.c
	@mkdir -p $(dir $@)
	$(CC_T) -static -O2 -std=gnu11 -Wall -Wextra -Werror -Wformat=2 -s -o $@ $<

# The channel tool: the ring code is guest/lib/umbra_chan.h.
$(LINUX_CHAN_CLI): guest/linux/cli/umbra-chan.c guest/linux/include/umbra_chan_ioctl.h \
		guest/lib/umbra_chan.h guest/lib/umbra_abi.h
	@mkdir -p $(dir $@)
	$(CC_T) $(TARGET_USER_CFLAGS) -static -O2 -std=gnu11 -Wall -Wextra -Werror -Wformat=2 \
		$(REPRO_CFLAGS) -Iguest/linux/include -Iguest/lib -s $(TARGET_USER_LDFLAGS) -o $@ $<

# The run config needs the initrd's exact size.
$(BUILD)/dt/qemu-virt-run.dtso: dt/qemu-virt-run.dtso.in $(LINUX_INITRD)
	@mkdir -p $(dir $@)
	sed "s/@INITRD_SIZE@/$$(printf '0x%x' $$(stat -c %s $(LINUX_INITRD)))/" $< >$@

$(BUILD)/dt/qemu-virt-run.dtbo: $(BUILD)/dt/qemu-virt-run.dtso
	$(DTC) -q -@ -I dts -O dtb -o $@ $<
