# SPDX-License-Identifier: GPL-2.0
#
# dma-heap-read: the DMA_HEAP_ALLOC_AND_READ_FILE series and its harness.
# "make help" lists the targets. Kernel sources, builds and logs live in
# $(XDG_CACHE_HOME)/dma-heap-read (default ~/.cache/dma-heap-read).

BASE ?= mainline
# ARCH=arm64 (on the command line) cross-builds for arm64 and boots
# qemu-system-aarch64: make test ARCH=arm64 runs scripts/test-arm64.sh.
# Unset, everything is x86_64. Command-line variables reach the scripts'
# environment, where scripts/lib.sh reads ARCH.
FLAVOUR ?= debug
BASES := $(patsubst bases/%.conf,%,$(wildcard bases/*.conf))

.PHONY: help test results mutants demo bench sweep mmap-ab cma-ab deps tree export kernel run check-harness check-series mail
.DEFAULT_GOAL := help

help:
	@echo "make demo                 main job: build the bench kernel, boot it, run the demo"
	@echo "make bench BASE=b         the full benchmark: 4 sizes x 4 scenarios, CSV, tables, plot"
	@echo "make sweep BASE=b         the system heap's batch size x reads in flight"
	@echo "make mmap-ab BASE=b       mmap+touch and munmap of 512 MiB, both mappings in one boot"
	@echo "make cma-ab BASE=b        CMA heap loads: its op against the generic path, both profiles"
	@echo "make test                 apply, build, boot and run the selftests on every base"
	@echo "make test BASES=mainline  ... on some bases only"
	@echo "make test ARCH=arm64 [RUNS='16k gki 4k']   mainline on arm64: 16 KiB pages, GKI-like, 4 KiB"
	@echo "make results              docs/RESULTS.md from the last test, mutant and bench runs"
	@echo "make mutants [BASE=b]     build each mutants/*.patch, run its tests, all must be caught"
	@echo "make tree BASE=b          editable git tree of base b with the series as commits"
	@echo "make export BASE=b        write that tree's commits back to patches/b"
	@echo "make kernel BASE=b FLAVOUR=debug|bench   build one kernel (ARCH=arm64: FLAVOUR=debug+16k...)"
	@echo "make run BASE=b FLAVOUR=f CMD='...' [EXTRA=dir]   boot it and run CMD"
	@echo "make check-harness        the harness's own tests"
	@echo "make check-series BASE=b  checkpatch, get_maintainer, kernel-doc, UAPI gates"
	@echo "make mail BASE=b [MAILOPTS=--dry-run]   git send-email the series"
	@echo "make deps [ARCH=arm64]    install the host packages (root) or print how"

deps:
	scripts/install-deps.sh $(ARCH)

test:
ifeq ($(ARCH),arm64)
	scripts/test-arm64.sh $(RUNS)
else
	scripts/test.sh $(BASES)
endif

results:
	scripts/results-md.sh

mutants:
	scripts/mutants.sh $(BASE) $(MUTANTS)

demo:
	scripts/demo.sh

bench:
	scripts/bench.sh $(BASE)

sweep:
	scripts/bench.sh --sweep $(BASE)

mmap-ab:
	scripts/mmap-ab.sh $(BASE)

cma-ab:
	scripts/cma-ab.sh $(BASE)

tree:
	scripts/tree.sh dev $(BASE)

export:
	scripts/tree.sh export $(BASE)

kernel:
	scripts/build-kernel.sh $(BASE) $(FLAVOUR)

run:
	@test -n "$(CMD)" || { echo "usage: make run CMD='command' [BASE=] [FLAVOUR=] [EXTRA=dir]"; exit 2; }
	scripts/run-guest.sh -k "$$(scripts/build-kernel.sh $(BASE) $(FLAVOUR))" \
		$(if $(EXTRA),-x $(EXTRA)) -- '$(CMD)'

check-harness:
	tests/harness/run.sh

check-series:
	scripts/check-series.sh $(BASE)

mail:
	scripts/mail.sh $(BASE) $(MAILOPTS)
