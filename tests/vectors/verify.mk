# SPDX-License-Identifier: Apache-2.0
# make verify: every verification vector (and the partition-machine
# conformance suite) on QEMU, as a report an integrator can attach to a
# release: $(BUILD)/verify/report.md and report.xml (JUnit), with the
# platform, Umbra's version and the configuration's digest at the top
# (scripts/verify-report.py). VERIFY_DTB= another configuration with a
# partition running build/guest-test.bin.

VERIFY_OUT := $(BUILD)/verify
VERIFY_DTB ?= $(BUILD)/dt/qemu-virt-test.dtb

.PHONY: verify verify-report-test
verify-report-test:
	$(PYTHON) -m unittest discover -s tests/vectors -p test_verify_report.py

verify: all verify-report-test
	@mkdir -p $(VERIFY_OUT)
	@# the guest powers the machine off after its vectors (exit 0)
	scripts/run-qemu.sh -t 180 -d $(VERIFY_DTB) </dev/null >$(VERIFY_OUT)/console.log 2>&1 || \
		echo "verify: QEMU exited with $$?: the report shows what ran"
	$(BUILD)/tools/umbra-provision reference -o $(VERIFY_OUT)/config-digest.json --dtb $(VERIFY_DTB)
	$(PYTHON) scripts/verify-report.py --log $(VERIFY_OUT)/console.log --out $(VERIFY_OUT) \
		--platform "$$(qemu-system-aarch64 --version | head -n 1), -M $(QEMU_MACHINE) -cpu $(QEMU_CPU) -smp 4 -m 1G" \
		--config $(VERIFY_DTB) \
		--config-digest "$$($(PYTHON) -c 'import json,sys; print(json.load(open(sys.argv[1]))["components"]["umbra/config"])' $(VERIFY_OUT)/config-digest.json)" \
		$(GUEST_VECTORS)

