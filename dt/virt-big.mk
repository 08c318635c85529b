# SPDX-License-Identifier: Apache-2.0
# The second platform, PLATFORM=virt-big (dt/virt-big/run.dtso.in): QEMU
# virt -smp 8 -m 4G, Linux on 4 CPUs with its RAM above 4 GiB, the rtos on
# one, and a "sensor" partition (the test guest, with this layout's
# vectors) with a channel to Linux and its own PL061.
#
#   make run PLATFORM=virt-big   boot it (quit QEMU with Ctrl-A x)
#   make virt-big-test           tests/system/virt-big.sh
#   make config-check            umbra-config-check on every platform's
#                                configs, with the images where they go

VIRT_BIG := $(BUILD)/virt-big
VIRT_BIG_BASE := $(BUILD)/dt/virt-smp8-m4G.dtb
VIRT_BIG_SMP := 8
VIRT_BIG_MEM := 4G
# the sensor's test guest: the generic vectors and its own (channel.vec
# is for a configuration without channels, qemu-*.vec for the other layout)
VIRT_BIG_VECTORS := tests/vectors/abi.vec tests/vectors/attest.vec tests/vectors/console.vec \
	tests/vectors/isolation.vec $(sort $(wildcard tests/vectors/virt-big/*.vec))

all: $(VIRT_BIG)/run.dtb $(VIRT_BIG)/test.dtb $(VIRT_BIG)/guest-test.bin

# run.dtb: an interactive Linux; test.dtb: Linux runs guest/linux/tests/big
$(VIRT_BIG)/run.dtso: dt/virt-big/run.dtso.in $(LINUX_INITRD)
	@mkdir -p $(dir $@)
	sed -e "s/@INITRD_SIZE@/$$(printf '0x%x' $$(stat -c %s $(LINUX_INITRD)))/" \
		-e 's/@LINUX_ARGS@//' $< >$@
$(VIRT_BIG)/test.dtso: dt/virt-big/run.dtso.in $(LINUX_INITRD)
	@mkdir -p $(dir $@)
	sed -e "s/@INITRD_SIZE@/$$(printf '0x%x' $$(stat -c %s $(LINUX_INITRD)))/" \
		-e 's/@LINUX_ARGS@/ umbra.test=big/' $< >$@
.PRECIOUS: $(VIRT_BIG)/%.dtbo
$(VIRT_BIG)/%.dtbo: $(VIRT_BIG)/%.dtso
	$(DTC) -q -@ -I dts -O dtb -o $@ $<
$(VIRT_BIG)/%.dtb: $(VIRT_BIG)/%.dtbo $(VIRT_BIG_BASE)
	fdtoverlay -i $(VIRT_BIG_BASE) -o $@ $<

# The same test guest sources with another vector table, in a build
# directory of its own (its vectors.c is regenerated on every make, so
# this sub-make always runs; it rebuilds only what changed).
.PHONY: virt-big-guest
$(VIRT_BIG)/guest-test.bin: virt-big-guest
virt-big-guest:
	+$(MAKE) --no-print-directory BUILD=$(VIRT_BIG) GUEST_VECTORS="$(VIRT_BIG_VECTORS)" \
		$(VIRT_BIG)/guest-test.bin

# How each platform is booted: run-qemu.sh's machine size and images.
RUN_ARGS_virt-big = -s $(VIRT_BIG_SMP) -m $(VIRT_BIG_MEM) -d $(VIRT_BIG)/run.dtb \
	-g linux=$(LINUX_IMAGE) -r linux=$(LINUX_INITRD) -g rtos=$(BUILD)/rtos.bin \
	-g sensor=$(VIRT_BIG)/guest-test.bin

.PHONY: virt-big-test config-check
virt-big-test: all
	BUILD=$(BUILD) tests/system/virt-big.sh

# umbra-config-check on each platform's configs, with umbra.bin and every
# image where that config's boot places them: the same checks Umbra makes
# at boot, on the host. Part of make check.
CONFIG_CHECK = $(BUILD)/tools/umbra-config-check --umbra $(BUILD)/umbra.bin@0x40200000
config-check: all
	$(CONFIG_CHECK) --image $(BUILD)/guest-test.bin@0x41000000 $(BUILD)/dt/qemu-virt-test.dtb
	$(CONFIG_CHECK) --image $(LINUX_IMAGE)@0x41000000 --image $(BUILD)/rtos.bin@0x48200000 \
		$(BUILD)/dt/qemu-virt-run.dtb
	$(CONFIG_CHECK) --image $(LINUX_IMAGE)@0x41000000 --image $(BUILD)/rtos.bin@0x48200000 \
		--image $(VIRT_BIG)/guest-test.bin@0x49200000 $(VIRT_BIG)/run.dtb
	$(CONFIG_CHECK) --image $(LINUX_IMAGE)@0x41000000 --image $(BUILD)/rtos.bin@0x48200000 \
		--image $(VIRT_BIG)/guest-test.bin@0x49200000 $(VIRT_BIG)/test.dtb
check: config-check
