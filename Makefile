# SPDX-License-Identifier: GPL-2.0
#
# LegoOS top-level Makefile.
#
#   make                  build both images and their GRUB ISOs
#   make run              boot the FIT cluster of configs/1p1m1s.cluster in QEMU
#                         (CLUSTER=configs/1p1m.cluster, RUNFLAGS="--check ...")
#   make run-net          boot both images on one network, both consoles shown
#   make test             the whole test suite (host, in-kernel, QEMU)
#   make defconfig        fresh build/processor/.config and build/memory/.config
#   make menuconfig [ROLE=memory]   edit build/<role>/.config (default processor)
#   make O=DIR [target]   work in one build directory (its .config picks the role)
#   make O=DIR defconfig | processor_defconfig | memory_defconfig | menuconfig
#   make install ROLE=processor|memory   copy an image to /boot, print the GRUB entry
#
# One non-recursive make per build directory: every directory lists its
# objects in a Kbuild file (obj-y / obj-$(CONFIG_...) and subdir-y).

srctree := $(CURDIR)
ROLES := processor memory
PYTHON := /usr/bin/python3
export srctree

ifeq ($(V),1)
Q :=
else
Q := @
endif

ifeq ($(O),)
# ---------------------------------------------------------------- top level
.PHONY: all run run-net test hosttest install clean distclean help $(ROLES) \
	defconfig processor_defconfig memory_defconfig menuconfig oldconfig \
	savedefconfig

all: $(ROLES)

$(ROLES):
	$(Q)if [ ! -f build/$@/.config ]; then \
		$(MAKE) --no-print-directory O=build/$@ $@_defconfig; fi
	$(Q)$(MAKE) --no-print-directory O=build/$@ image

# scripts/cluster builds what the manifest's nodes need (make all for the
# images, fit.ko and an initramfs for a Linux node) and boots them.
CLUSTER ?= configs/1p1m1s.cluster

run:
	$(Q)scripts/setup-deps
	$(Q)scripts/cluster --manifest $(CLUSTER) $(RUNFLAGS)

run-net:
	$(Q)scripts/setup-deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)scripts/run-nodes

hosttest:
	$(Q)$(MAKE) --no-print-directory -C tests/host run

test:
	$(Q)scripts/setup-deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(PYTHON) -m pytest -v tests/

install:
	$(Q)test -n "$(ROLE)" || { echo "usage: make install ROLE=processor|memory" >&2; exit 2; }
	$(Q)$(MAKE) --no-print-directory $(ROLE)
	$(Q)scripts/install $(ROLE) build/$(ROLE)/lego-$(ROLE).elf

clean:
	rm -rf build

distclean: clean

# Configuration at the top level works on build/<role>; ROLE picks one.
CFG_ROLE = $(or $(ROLE),processor)

defconfig:
	$(Q)for r in $(ROLES); do \
		$(MAKE) --no-print-directory O=build/$$r $${r}_defconfig || exit; done

processor_defconfig memory_defconfig:
	$(Q)$(MAKE) --no-print-directory O=build/$(@:_defconfig=) $@

menuconfig oldconfig savedefconfig:
	$(Q)test -f build/$(CFG_ROLE)/.config || \
		$(MAKE) --no-print-directory O=build/$(CFG_ROLE) $(CFG_ROLE)_defconfig
	$(Q)$(MAKE) --no-print-directory O=build/$(CFG_ROLE) $@

help:
	@sed -n '3,16p' Makefile

else
# --------------------------------------------------- one build directory
obj := $(abspath $(O))
KCONFIG_ENV := srctree=$(srctree) KCONFIG_CONFIG=$(obj)/.config \
	KCONFIG_AUTOCONFIG=$(obj)/include/config/auto.conf \
	KCONFIG_AUTOHEADER=$(obj)/include/generated/autoconf.h \
	KCONFIG_TRISTATE=$(obj)/include/config/tristate.conf

.PHONY: image defconfig menuconfig oldconfig \
	savedefconfig

image:

defconfig: processor_defconfig

%_defconfig:
	$(Q)test -f configs/$@ || { echo "no such config: configs/$@" >&2; exit 2; }
	$(Q)mkdir -p $(obj)/include/config $(obj)/include/generated
	$(Q)cd $(obj) && $(KCONFIG_ENV) kconfig-conf --defconfig=$(srctree)/configs/$@ $(srctree)/Kconfig >/dev/null
	@echo "  CONFIG  $(O)/.config from configs/$@"

menuconfig oldconfig:
	$(Q)mkdir -p $(obj)/include/config $(obj)/include/generated
	$(Q)cd $(obj) && $(KCONFIG_ENV) kconfig-$(if $(filter menuconfig,$@),mconf,conf) \
		$(if $(filter oldconfig,$@),--oldconfig) $(srctree)/Kconfig

savedefconfig:
	$(Q)cd $(obj) && $(KCONFIG_ENV) kconfig-conf --savedefconfig=$(obj)/defconfig $(srctree)/Kconfig
	@echo "  SAVED   $(O)/defconfig"

# auto.conf and autoconf.h follow .config.
$(obj)/include/config/auto.conf $(obj)/include/generated/autoconf.h: $(obj)/.config
	$(Q)mkdir -p $(obj)/include/config $(obj)/include/generated
	$(Q)cd $(obj) && $(KCONFIG_ENV) kconfig-conf --silentoldconfig $(srctree)/Kconfig >/dev/null
	$(Q)touch $(obj)/include/config/auto.conf $(obj)/include/generated/autoconf.h

$(obj)/.config:
	@echo "$(O)/.config is missing: run 'make O=$(O) processor_defconfig' (or memory_defconfig)" >&2
	@exit 2

ifeq ($(filter %config,$(MAKECMDGOALS)),)
-include $(obj)/include/config/auto.conf
endif

include scripts/Makefile.build
endif
