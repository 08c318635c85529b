# SPDX-License-Identifier: Apache-2.0
# The SDK a board's integrator or a distribution installs (docs/building.md,
# "Installing"), and the source tarball.
#
#   make install-sdk DESTDIR=D PREFIX=P   (make install does it too)
#     P/share/umbra/images/    umbra.bin, rtos.bin, guest-test.bin (reference
#                              values need the board DTB: docs/building.md)
#     P/share/umbra/dt/        the /umbra overlays: sources (.dtso, .dtso.in
#                              templates) and the test config's .dtbo
#     P/share/doc/umbra/       the binding, the porting guide, versioning
#     P/bin/                   host tools: umbra-config-check,
#                              umbra-provision, umbra-verify
#     P/include/umbra/         guest ABI headers (umbra_abi.h and friends)
#     P/src/umbra-VERSION/     umbra.ko and umbra_chan.ko sources, Kbuild,
#                              dkms.conf, include/
#   make dist                  $(BUILD)/umbra-VERSION.tar.gz: the tracked
#                              files under umbra-VERSION/, reproducible
#   make sdk-test              tests/system/sdk-install.sh

.PHONY: install-sdk dist sdk-test

SDK_DATADIR = $(PREFIX)/share/umbra
SDK_DOCDIR = $(PREFIX)/share/doc/umbra
SDK_INCDIR = $(PREFIX)/include/umbra
SDK_SRCDIR = $(PREFIX)/src/umbra-$(UMBRA_VERSION)
SDK_HEADERS := guest/lib/umbra_abi.h guest/lib/umbra_chan.h guest/lib/umbra_hvc.h \
	guest/lib/umbra_device.h guest/linux/include/umbra_ioctl.h \
	guest/linux/include/umbra_chan_ioctl.h
SDK_DTS := dt/qemu-virt-test.dtso dt/qemu-virt-run.dtso.in
SDK_DOCS := docs/porting.md docs/versioning.md docs/building.md

$(BUILD)/sdk/dkms.conf: guest/linux/module/dkms.conf.in VERSION
	@mkdir -p $(dir $@)
	sed 's/@VERSION@/$(UMBRA_VERSION)/' $< >$@

# Needs nothing that `make bsp` does not build (no deps/, no QEMU).
install-sdk: $(BSP_IMAGES) $(BSP_TOOLS) $(BUILD)/dt/qemu-virt-test.dtbo \
		$(BUILD)/sdk/dkms.conf
	install -d $(DESTDIR)$(SDK_DATADIR)/images $(DESTDIR)$(SDK_DATADIR)/dt \
		$(DESTDIR)$(SDK_DOCDIR) $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(SDK_INCDIR) \
		$(DESTDIR)$(SDK_SRCDIR)/include
	install -m 0644 $(BSP_IMAGES) $(DESTDIR)$(SDK_DATADIR)/images/
	install -m 0644 $(SDK_DTS) $(BUILD)/dt/qemu-virt-test.dtbo $(DESTDIR)$(SDK_DATADIR)/dt/
	$(if $(wildcard dt/virt-big/run.dtso.in),install -m 0644 dt/virt-big/run.dtso.in \
		$(DESTDIR)$(SDK_DATADIR)/dt/virt-big-run.dtso.in)
	install -m 0644 dt/bindings/umbra.md $(DESTDIR)$(SDK_DOCDIR)/umbra-binding.md
	install -m 0644 $(SDK_DOCS) $(DESTDIR)$(SDK_DOCDIR)/
	install -m 0755 $(BSP_TOOLS) $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 $(SDK_HEADERS) $(DESTDIR)$(SDK_INCDIR)/
	install -m 0644 $(LINUX_MOD_SRC) $(BUILD)/sdk/dkms.conf $(DESTDIR)$(SDK_SRCDIR)/
	install -m 0644 $(LINUX_SHARED_H) $(DESTDIR)$(SDK_SRCDIR)/include/

# The tracked files, as they are in the work tree (commit first: new files
# are not in it), under umbra-VERSION/: names sorted, times SOURCE_DATE_EPOCH, owner 0:0,
# modes from the file's x bit only, gzip without a name or time.
DIST := $(BUILD)/umbra-$(UMBRA_VERSION).tar.gz
dist:
	@git rev-parse --git-dir >/dev/null 2>&1 || { echo "make dist: needs a git checkout" >&2; exit 1; }
	@mkdir -p $(BUILD)
	git ls-files -z --cached | LC_ALL=C sort -z | \
		tar --null --no-recursion -T - --transform 's,^,umbra-$(UMBRA_VERSION)/,' \
		--sort=name --mtime=@$(SOURCE_DATE_EPOCH) --owner=0 --group=0 --numeric-owner \
		--mode=u+rw,go=rX,a-s --format=gnu -cf - | gzip -n -9 >$(DIST).tmp
	mv $(DIST).tmp $(DIST)
	@echo "$(DIST): $$(sha256sum $(DIST) | cut -d' ' -f1)"

sdk-test: all
	BUILD=$(BUILD) tests/system/sdk-install.sh
