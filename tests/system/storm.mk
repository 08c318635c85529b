# SPDX-License-Identifier: Apache-2.0
# make storm: the full hostile-partition storm (tests/system/storm.sh);
# `make system` runs a short one (10^5 operations). STORM_SEED= replays a
# run (default: a new seed, printed).
STORM_OPS ?= 1000000
STORM_SEED ?=

.PHONY: storm
storm: all
	BUILD=$(BUILD) tests/system/storm.sh $(STORM_OPS) $(STORM_SEED)
