#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Boot Umbra on QEMU virt (EL2, GICv3) with a platform DTB that carries the
# partition config, and the partition images placed where the config says.
#
#   scripts/run-qemu.sh [-d DTB] [-i FILE@ADDR]... [-t SECONDS] [-s SMP] [-m MEM]
#                       [-e] [-I] [-P] [-B] [-D DISK] [-- extra QEMU args]
#   -d DTB        platform DTB with the /umbra config (default: the test config)
#   -i FILE@ADDR  place FILE in RAM at ADDR (repeatable; default: test guest)
#   -g PART=FILE  place FILE where partition PART's `image` says (read from DTB)
#   -r PART=FILE  place FILE where partition PART's `initrd` says
#   -U FILE       place the 32-byte device secret where /umbra's `uds` says
#                 (default: build/attest/device-uds.bin if the DTB has one)
#   -n            place no images at all
#   -k IMAGE      the Umbra image (default: build/umbra.bin)
#   -t SECONDS    stop QEMU after this long (default 120; 0 = no limit)
#   -e            enter at EL1 (virtualization=off): to see Umbra refuse it
#   -u            boot through U-Boot (Debian's u-boot-qemu) with booti,
#                 the way a board's bootloader would
#   -b BOOTDISK   boot from storage: U-Boot finds the boot script on
#                 BOOTDISK (a virtio-blk disk on virtio-mmio, made by
#                 scripts/mkbootdisk.py), which loads Umbra, the images and
#                 the configuration itself; nothing is placed by QEMU (-d
#                 still names the DTB whose /umbra and devices to expect)
#   -I            no IOMMU: the machine without iommu=smmuv3 (use a DTB built
#                 on build/dt/virt-nosmmu-smp4-m1G.dtb so that they agree)
#   -P            add the PCI devices even if the DTB assigns no /pcie@ node
#   -D DISK       the raw image behind the virtio-blk-pci disk (default:
#                 build/linux/disk.img)
#   -B            the virtio-pci devices with iommu_platform=off: QEMU sends
#                 their DMA around the SMMU (the test that the hostile-DMA
#                 test notices such a bypass)
# The machine has an SMMUv3 in front of the PCIe root complex (iommu=smmuv3,
# like the DTBs of dt/build.mk). A config that gives a partition the PCIe
# host bridge (a "/pcie@..." device) gets its I/O as virtio-pci devices
# whose DMA goes through the SMMU (disable-legacy=on,iommu_platform=on):
# a virtio-rng-pci (00:01.0) and a read-only virtio-blk-pci disk (00:02.0).
# On a terminal the partitions' console tags are in colour (the DTB is
# copied to DTB-colour.dtb with /umbra console-colour; UMBRA_NO_COLOUR=1
# turns it off).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
dtb=$build/dt/qemu-virt-test.dtb
images=
limit=${UMBRA_TIMEOUT:-120}
smp=4
mem=1G
virt=on
uboot=
bootdisk=
uds=
umbra=$build/umbra.bin
iommu=,iommu=smmuv3
pci=
platform=on
disk=$build/linux/disk.img
UBOOT_BIN=/usr/lib/u-boot/qemu_arm64/u-boot.bin
UMBRA_ADDR=0x40200000   # U-Boot mode: where Umbra and the DTB are placed
DTB_ADDR=0x4a000000

# staging_addr DTB NODE PROP: the base of /umbra/NODE's PROP (2 address cells)
staging_addr() {
	cells=$(fdtget -t x "$1" "/umbra/$2" "$3" 2>/dev/null) || return 1
	set -- $cells
	[ $# -eq 4 ] || return 1
	printf '0x%x%08x\n' "0x$1" "0x$2"
}

while [ $# -gt 0 ]; do
	case "$1" in
	-d) dtb=$2; shift 2 ;;
	-i) images="$images $2"; shift 2 ;;
	-t) limit=$2; shift 2 ;;
	-s) smp=$2; shift 2 ;;
	-m) mem=$2; shift 2 ;;
	-e) virt=off; shift ;;
	-n) images=none; shift ;;
	-g|-r) prop=image; [ "$1" = -r ] && prop=initrd
	    part=${2%%=*}
	    addr=$(staging_addr "$dtb" "$part" "$prop") ||
		{ echo "run-qemu: no /umbra/$part $prop in $dtb (give -d before -g/-r)" >&2; exit 2; }
	    images="$images ${2#*=}@$addr"; shift 2 ;;
	-k) umbra=$2; shift 2 ;;
	-U) uds=$2; shift 2 ;;
	-u) uboot=1; shift ;;
	-b) bootdisk=$2; shift 2 ;;
	-I) iommu=; shift ;;
	-P) pci=1; shift ;;
	-D) disk=$2; shift 2 ;;
	-B) platform=off; shift ;;
	--) shift; break ;;
	*) echo "usage: $0 [-d DTB] [-i FILE@ADDR]... [-t SECONDS] [-s SMP] [-m MEM] [-e] [-n] [-u | -b BOOTDISK] [-I] [-P] [-B] [-D DISK] [-- QEMU args]" >&2
	   exit 2 ;;
	esac
done
if [ -n "$bootdisk" ]; then
	# the boot disk holds everything, the device secret included
	[ -z "$images" ] || { echo "run-qemu: -b places nothing: no -i/-g/-r/-n" >&2; exit 2; }
	[ -f "$bootdisk" ] || { echo "run-qemu: no boot disk $bootdisk" >&2; exit 2; }
else
[ -n "$images" ] || images="$build/guest-test.bin@0x41000000"
[ "$images" != none ] || images=
# the device secret, where the config says (if it says)
[ -n "$uds" ] || uds=$build/attest/device-uds.bin
if [ -f "$uds" ] && addr=$(staging_addr "$dtb" "" uds); then
	images="$images $uds@$addr"
fi
fi

loaders=
for spec in $images; do
	file=${spec%@*}
	addr=${spec##*@}
	[ -f "$file" ] || { echo "run-qemu: no such image: $file" >&2; exit 2; }
	loaders="$loaders -device loader,file=$file,addr=$addr,force-raw=on"
done

# a config that gives a partition virtio-mmio transports gets a device on
# them: QEMU puts the first -device virtio-*-device at the highest slot
virtio=
if grep -qa '/virtio_mmio@' "$dtb"; then
	virtio="-device virtio-rng-device"
fi
# a config that gives a partition the PCIe host bridge gets virtio-pci
# devices behind the SMMU (modern only: QEMU sends the DMA of legacy or
# iommu_platform=off devices around the IOMMU)
if [ -n "$pci" ] || grep -qa '/pcie@' "$dtb"; then
	[ -f "$disk" ] || { echo "run-qemu: no disk image $disk (make $build/linux/disk.img)" >&2; exit 2; }
	virtio="$virtio -device virtio-rng-pci,disable-legacy=on,iommu_platform=$platform
	-drive if=none,id=linuxdisk,format=raw,readonly=on,file=$disk
	-device virtio-blk-pci,disable-legacy=on,iommu_platform=$platform,drive=linuxdisk"
fi

# on a terminal, partition tags in colour: a copy of the DTB says so
if [ -t 1 ] && [ -z "${UMBRA_NO_COLOUR:-}" ] && fdtget "$dtb" /umbra compatible >/dev/null 2>&1 &&
   ! fdtget "$dtb" /umbra console-colour >/dev/null 2>&1; then
	coloured=${dtb%.dtb}-colour.dtb
	cp "$dtb" "$coloured" && fdtput "$coloured" /umbra console-colour && dtb=$coloured
fi

machine=virt,virtualization=$virt,gic-version=3$iommu
if [ -n "$bootdisk" ]; then
	# as on a board: firmware, a disk, nothing else (acpi=off: see -u)
	machine=$machine,acpi=off
	boot="-bios $UBOOT_BIN
	-drive if=none,id=bootdisk,format=raw,readonly=on,file=$bootdisk
	-device virtio-blk-device,drive=bootdisk"
elif [ -n "$uboot" ]; then
	# with firmware loaded QEMU would swap the PL061 for an ACPI GED: keep
	# the machine the DTB (dumped without firmware) describes
	machine=$machine,acpi=off
	boot="-bios $UBOOT_BIN
	-device loader,file=$umbra,addr=$UMBRA_ADDR,force-raw=on
	-device loader,file=$dtb,addr=$DTB_ADDR,force-raw=on"
else
	boot="-kernel $umbra -dtb $dtb"
fi
set -- -M "$machine" -cpu cortex-a72 \
	-smp "$smp" -m "$mem" -nographic -nic none -monitor none \
	$boot $loaders $virtio "$@"

[ "$limit" = 0 ] || set -- timeout --foreground -k 5 "$limit" qemu-system-aarch64 "$@"
[ "$limit" != 0 ] || set -- qemu-system-aarch64 "$@"
if [ -n "$uboot" ]; then
	# A key stops U-Boot's autoboot; QEMU feeds the UART only as fast as
	# U-Boot reads, so the command line waits in the pipe.
	{ printf '\n'; sleep 1; printf 'booti %s - %s\n' "$UMBRA_ADDR" "$DTB_ADDR"; } | "$@"
	exit
fi
exec "$@"
