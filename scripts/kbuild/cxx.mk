# SPDX-License-Identifier: GPL-2.0
#
# C++ in kbuild. Included from every module directory's Kbuild, inside the kernel's own
# scripts/Makefile.build, so the rules below reuse kbuild's machinery: fixdep dependency
# tracking (-Wp,-MMD in c_flags), if_changed command lines, objtool (cmd_objtool, exactly as
# for C objects) and the per-object sanitizer flags (KASAN/UBSAN are part of _c_flags).
#
# Flags are derived from the C flags of this very object: kernel include paths and the
# options g++ reports as C-only are removed; nothing is copied by hand.

cxx-top ?= $(abspath $(src)/..)

# g++ of the same version as the compiler that built the kernel (CONFIG_CC_VERSION_TEXT).
cxx-cc-word := $(firstword $(subst ",,$(CONFIG_CC_VERSION_TEXT)))
CXX := $(patsubst %gcc,%g++,$(patsubst gcc-%,g++-%,$(cxx-cc-word)))
ifeq ($(CXX),)
$(error cannot derive the C++ compiler from CONFIG_CC_VERSION_TEXT=$(CONFIG_CC_VERSION_TEXT))
endif
cxx-version-text := $(shell $(CXX) --version 2>/dev/null | head -n 1)
ifneq ($(subst $(CXX),$(cxx-cc-word),$(cxx-version-text)),$(subst ",,$(CONFIG_CC_VERSION_TEXT)))
$(error $(CXX) reports "$(cxx-version-text)"; the kernel was built by $(CONFIG_CC_VERSION_TEXT): install the matching g++ (scripts/install-deps))
endif

# Options g++ accepts but ignores as C-only ("valid for C/ObjC but not for C++", "'-Werror='
# argument ... is not valid for C++"): asked once per directory, of the kernel's own flags.
cxx-probe-flags := $(KBUILD_CFLAGS) $(CFLAGS_KASAN) $(CFLAGS_UBSAN)
cxx-c-only := $(shell LC_ALL=C $(CXX) $(filter-out -Werror,$(cxx-probe-flags)) -x c++ \
	-fsyntax-only -o /dev/null /dev/null 2>&1 | sed -n \
	-e "s/.*option '\([^']*\)' is valid for C\/ObjC but not for C++.*/\1/p" \
	-e "s/.*argument '\([^']*\)' is not valid for C++.*/\1/p")

# Deliberately NOT -fno-threadsafe-statics / -fno-use-cxa-atexit: a guarded static or an atexit
# destructor must leave an undefined __cxa_guard_acquire/__cxa_atexit for modpost to reject.
cxx-std-flags := -std=gnu++20 -fno-exceptions -fno-rtti -nostdinc -nostdinc++ -Werror

# -std=gnu11 and friends are C-only without a diagnostic in some versions: drop all -std=.
cxx_flags = $(filter-out $(LINUXINCLUDE) -include %/compiler_types.h $(cxx-c-only) -std=%,$(c_flags)) \
	    $(cxx-std-flags) -I$(cxx-top)/include -I$(obj)

quiet_cmd_cxx_o_cpp = CXX $(quiet_modtag) $@
      cmd_cxx_o_cpp = $(CXX) $(cxx_flags) -c -o $@ $< $(cmd_objtool)

# Sections that mean code which never runs. .eh_frame: exceptions/unwind tables leaked in.
# .init_array/.ctors: static constructors, which only a CONFIG_CONSTRUCTORS kernel runs
# (the KASAN test kernel has it and emits constructors of its own).
cxx-bad-sections := eh_frame $(if $(CONFIG_CONSTRUCTORS),,init_array fini_array ctors dtors)
quiet_cmd_cxx_sections = CHKSEC  $@
      cmd_cxx_sections = bad=$$($(READELF) -SW $@ | \
	grep -oE '\.($(subst $(space),|,$(strip $(cxx-bad-sections))))[.a-zA-Z0-9_]*' | sort -u); \
	if [ -n "$$bad" ]; then \
		echo "$@: C++ object has" $$bad "(static constructor/destructor or unwind" \
		     "tables: make the object constinit and trivially destructible)" >&2; \
		rm -f $@; exit 1; \
	fi

define rule_cxx_o_cpp
	$(call cmd_and_fixdep,cxx_o_cpp)
	$(call cmd,cxx_sections)
	$(call cmd,gen_objtooldep)
endef

$(obj)/%.o: $(src)/%.cpp $(obj)/ksizes.h FORCE
	$(call if_changed_rule,cxx_o_cpp)

# The support library's shim and runtime, compiled into each module that uses the library as
# <module>__cxxsupport.o and <module>__cxxruntime.o: the stem names the module, so these objects
# get its KBUILD_MODNAME (log prefix) like the module's own files.
$(obj)/%__cxxsupport.o: $(cxx-top)/include/cxx/impl/support.c FORCE
	$(call if_changed_rule,cc_o_c)
$(obj)/%__cxxruntime.o: $(cxx-top)/include/cxx/impl/runtime.cpp $(obj)/ksizes.h FORCE
	$(call if_changed_rule,cxx_o_cpp)
$(obj)/%__cxxsupport.o $(obj)/%__cxxruntime.o: modname = $*

# Sizes of kernel objects that C++ embeds (locks), generated like asm-offsets.
$(obj)/ksizes.s: $(cxx-top)/include/cxx/impl/ksizes.c FORCE
	$(call if_changed_dep,cc_s_c)
$(obj)/ksizes.h: $(obj)/ksizes.s FORCE
	$(call filechk,offsets,__CXX_KSIZES_H__)

targets += ksizes.s ksizes.h
clean-files += ksizes.s ksizes.h

# The support objects a C++ module links: $(call cxx-support-objs,<module name>).
cxx-support-objs = $(1)__cxxsupport.o $(1)__cxxruntime.o
