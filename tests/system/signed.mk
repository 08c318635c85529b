# SPDX-License-Identifier: Apache-2.0
# Signed images and anti-rollback (docs/signing.md): what tests/system/signed.sh
# boots. Test keys are derived from fixed seeds (umbra-sign keygen --seed):
# reproducible, and worthless as secrets.

SIGNED := $(BUILD)/signed
SIGN := $(BUILD)/tools/umbra-sign
SIGNED_IMAGES := rtos-svn2 rtos-svn1 rtos-svn3 rtos-otherkey rtos-wrongname rtos-tampered \
	rtos-badheader
all: $(patsubst %,$(SIGNED)/%.img,$(SIGNED_IMAGES)) $(SIGNED)/run-signed.dtb

$(SIGNED)/signer.key $(SIGNED)/other.key: $(SIGNED)/%.key: | $(SIGN)
	@mkdir -p $(dir $@)
	$(SIGN) keygen --force --key $@ --seed "umbra test $*"

$(SIGNED)/rtos-svn%.img: $(BUILD)/rtos.bin $(SIGNED)/signer.key $(SIGN)
	$(SIGN) sign --key $(SIGNED)/signer.key --name rtos --svn $* -o $@ $<
$(SIGNED)/rtos-otherkey.img: $(BUILD)/rtos.bin $(SIGNED)/other.key $(SIGN)
	$(SIGN) sign --key $(SIGNED)/other.key --name rtos --svn 2 -o $@ $<
$(SIGNED)/rtos-wrongname.img: $(BUILD)/rtos.bin $(SIGNED)/signer.key $(SIGN)
	$(SIGN) sign --key $(SIGNED)/signer.key --name linux --svn 2 -o $@ $<
# one byte of the image flipped after signing (past the arm64 header)
$(SIGNED)/rtos-tampered.img: $(SIGNED)/rtos-svn2.img
	cp $< $@.tmp
	printf '\125' | dd of=$@.tmp bs=1 seek=4096 conv=notrunc status=none
	mv $@.tmp $@
# the header length field (offset 10) says 0xfff8: past any header
$(SIGNED)/rtos-badheader.img: $(SIGNED)/rtos-svn2.img
	cp $< $@.tmp
	printf '\370\377' | dd of=$@.tmp bs=1 seek=10 conv=notrunc status=none
	mv $@.tmp $@

# the run configuration with the rtos's signer-key (the public key)
$(SIGNED)/run-signed.dtso: $(BUILD)/dt/qemu-virt-run.dtso $(SIGNED)/signer.key
	key=$$($(SIGN) pubkey --key $(SIGNED)/signer.key) && \
	sed -e "s|bootargs = \"demo gpio=20\";|bootargs = \"demo\"; signer-key = [$$key];|" $< >$@
	grep -q signer-key $@
$(SIGNED)/run-signed.dtbo: $(SIGNED)/run-signed.dtso
	$(DTC) -q -@ -I dts -O dtb -o $@ $<
$(SIGNED)/run-signed.dtb: $(SIGNED)/run-signed.dtbo $(QEMU_BASE_DTB)
	fdtoverlay -i $(QEMU_BASE_DTB) -o $@ $<

system-signed: all
	BUILD=$(BUILD) tests/system/signed.sh

# ---- live update (tests/system/signed.sh, "live update") ------------------
# rtos version 2: the same RTOS with RTOS_APP_VERSION=2 (its heartbeat says
# "(v2)"), signed with SVN 3; a copy with one byte flipped after signing.
RTOS_V2_OBJ := $(filter-out $(RTOS_B)/app/main.o,$(RTOS_OBJ)) $(SIGNED)/rtos-v2/main.o
$(SIGNED)/rtos-v2/main.o: $(RTOS_DIR)/app/main.c
	@mkdir -p $(dir $@)
	$(CC_T) $(RTOS_CFLAGS) -DRTOS_APP_VERSION=2 -c $< -o $@
$(SIGNED)/rtos-v2.elf: $(RTOS_V2_OBJ) $(RTOS_DIR)/port/arm64/rtos.ld $(TARGET_LIBDIR)/libfdt.a
	$(LD_T) -pie --no-dynamic-linker -z text -z norelro --gc-sections \
		-z max-page-size=4096 $(LD_NO_RWX_WARNING) -T $(RTOS_DIR)/port/arm64/rtos.ld \
		-o $@ $(RTOS_V2_OBJ) $(TARGET_LIBDIR)/libfdt.a
$(SIGNED)/rtos-v2.bin: $(SIGNED)/rtos-v2.elf
	$(OBJCOPY_T) -O binary $< $@
$(SIGNED)/rtos-v2.img: $(SIGNED)/rtos-v2.bin $(SIGNED)/signer.key $(SIGN)
	$(SIGN) sign --key $(SIGNED)/signer.key --name rtos --svn 3 -o $@ $<
$(SIGNED)/rtos-v2-tampered.img: $(SIGNED)/rtos-v2.img
	cp $< $@.tmp
	printf '\125' | dd of=$@.tmp bs=1 seek=4096 conv=notrunc status=none
	mv $@.tmp $@

# Linux's initramfs with both in /update, and umbra.test=update
$(SIGNED)/initramfs-update.cpio: $(LINUX_INITRD) $(SIGNED)/rtos-v2.img $(SIGNED)/rtos-v2-tampered.img
	scripts/mkinitramfs.sh $@ $(LINUX_MOD)=/lib/modules/umbra.ko $(LINUX_CLI)=/bin/umbra \
		$(LINUX_VIRTIO_MODS) $(LINUX_PCI_MODS) $(LINUX_DMA_CLI)=/bin/umbra-dma \
		$(LINUX_CHAN_MOD)=/lib/modules/umbra_chan.ko $(LINUX_CHAN_CLI)=/bin/umbra-chan \
		$(SIGNED)/rtos-v2.img=/update/rtos-v2.img \
		$(SIGNED)/rtos-v2-tampered.img=/update/rtos-v2-tampered.img

# the signed run configuration, plus: rtos's update-staging (16 MiB, free
# RAM below Linux's), written by linux; Linux runs the update test with the
# larger initramfs
$(SIGNED)/run-update.dtso: $(SIGNED)/run-signed.dtso $(SIGNED)/initramfs-update.cpio
	size=$$(printf '0x%x' $$(stat -c %s $(SIGNED)/initramfs-update.cpio)) && \
	sed -e "s|signer-key = |update-staging = <0x0 0x4d000000 0x0 0x01000000>; update-by = \"linux\"; signer-key = |" \
	    -e "s|initrd = <0x0 0x43400000 0x0 [0-9a-fx]*>;|initrd = <0x0 0x43400000 0x0 $$size>;|" \
	    -e 's|rdinit=/init"|rdinit=/init umbra.test=update"|' $< >$@
	grep -q update-staging $@ && grep -q umbra.test=update $@
$(SIGNED)/run-update.dtbo: $(SIGNED)/run-update.dtso
	$(DTC) -q -@ -I dts -O dtb -o $@ $<
$(SIGNED)/run-update.dtb: $(SIGNED)/run-update.dtbo $(QEMU_BASE_DTB)
	fdtoverlay -i $(QEMU_BASE_DTB) -o $@ $<
all: $(SIGNED)/run-update.dtb
