// SPDX-License-Identifier: GPL-2.0
/* cxx_support_kunit: KUnit suite of the freestanding C++ support library (include/cxx). */
#include <linux/module.h>
#include <linux/lockdep.h>

#include "ktest.h"
#include "../include/shim/support.h"

/* Lock classes used by the cases, one key per class. */
CXX_DEFINE_LOCK_CLASS(cxx_test_spin_class);
CXX_DEFINE_LOCK_CLASS(cxx_test_mutex_class);
CXX_DEFINE_LOCK_CLASS(cxx_test_protected_class);

#define CXX_SUPPORT_CASES(X)           \
	X(result_value)                \
	X(result_error)                \
	X(result_void)                 \
	X(result_move_only)            \
	X(try_propagates)              \
	X(ensure_passes)               \
	X(new_gfp_kernel)              \
	X(new_gfp_atomic_irqs_off)     \
	X(new_virtual_delete)          \
	X(list_order)                  \
	X(list_remove_and_splice)      \
	X(list_constinit_static)       \
	X(atomic_ops)                  \
	X(counter)                     \
	X(spin_guard)                  \
	X(spin_irqsave_guard)          \
	X(mutex_guard)                 \
	X(protected_with)              \
	X(utility)

CXX_KTEST_SUITE(cxx_support, CXX_SUPPORT_CASES);

MODULE_DESCRIPTION("KUnit tests of the freestanding C++ support library");
MODULE_LICENSE("GPL");
