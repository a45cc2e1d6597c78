# SPDX-License-Identifier: GPL-2.0
#
#   make                  build every module against Debian's linux-headers-amd64
#   make KDIR=<dir>       build against another kernel build tree (e.g. the test kernel)
#   make test-kernel      build (or reuse) the debug test kernel, print its directory
#   make test-modules     build every module against the test kernel
#   make check            everything: build, build checks, KUnit, every VM scenario
#   make check-quick      the same builds and checks, the quick tier of scenarios (edit loop)
#   make fresh-root       the README's commands in a fresh Debian root, each step timed
#   make demo             boot the stock kernel and show the fullest working path
#
# In 6.1, `M=` writes objects into the module source tree, so each kernel gets its own copy
# of the sources under build/<kernelrelease>/src.

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
# Everything that needs a kernel build tree is evaluated when a build target runs, never while
# the Makefile is parsed: on a fresh machine `make check` and `make demo` must start (they
# install the headers first).
KDIR ?= $(shell bash -c '. $(TOP)/scripts/lib/common.sh && stock_kdir' 2>/dev/null)
KREL = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h)
# The kernel's own compiler (CONFIG_CC_VERSION_TEXT's first word, e.g. gcc-12).
CC_WORD = $(shell sed -n 's/^CONFIG_CC_VERSION_TEXT="\{0,1\}\([^ "]*\).*/\1/p' $(KDIR)/.config)
BUILD_DIR = $(TOP)/build/$(KREL)
SRC_COPY = $(BUILD_DIR)/src

# What is copied: the module sources and the build rules they include.
SOURCES := Kbuild include netpoll pongtest netconsole bonding kunit tests scripts/kbuild
GENERATED := '*.o' '*.ko' '*.mod' '*.mod.c' '*.mod.o' '.*.cmd' '*.s' ksizes.h \
	modules.order Module.symvers '*.a' '.*.d'

.PHONY: all modules fixtures clean test-kernel test-modules check check-quick demo fresh-root kdir
all: modules

kdir:
	@test -f "$(KDIR)/Makefile" || { echo "error: no kernel build tree at \"$(KDIR)\": run" \
		"scripts/install-deps (stock) or make test-kernel" >&2; exit 1; }

modules: kdir
	@mkdir -p $(SRC_COPY)
	@cd $(TOP) && rsync -a --delete --relative $(foreach g,$(GENERATED),--filter='P $(g)') \
		$(SOURCES) $(SRC_COPY)/
	$(MAKE) -C $(KDIR) M=$(SRC_COPY) CC=$(CC_WORD) modules
	@cd $(SRC_COPY) && find . -name '*.ko' | sort | sed 's|^\./|  built: $(SRC_COPY)/|'

# Harness fixtures (scripts/harness/fixtures): test-only modules, never installed.
fixtures: kdir
	@mkdir -p $(BUILD_DIR)/fixtures
	@rsync -a $(TOP)/scripts/harness/fixtures/ $(BUILD_DIR)/fixtures/
	@$(MAKE) -s -C $(KDIR) M=$(BUILD_DIR)/fixtures CC=$(CC_WORD) modules

test-kernel:
	@$(TOP)/scripts/build-test-kernel

test-modules:
	@$(MAKE) -C $(TOP) KDIR=$$($(TOP)/scripts/build-test-kernel)/obj modules

check:
	@$(TOP)/scripts/check

check-quick:
	@$(TOP)/scripts/check --quick

demo:
	@$(TOP)/scripts/demo

fresh-root:
	@$(TOP)/scripts/fresh-root

clean:
	rm -rf $(TOP)/build
