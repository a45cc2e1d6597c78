// SPDX-License-Identifier: GPL-2.0
// Warnings that return instead of BUG. CXX_WARN_ON(cond) evaluates to cond like WARN_ON.
#pragma once

#include <cxx/errno.h>
#include <shim/support.h>

#define CXX_WARN_ON(cond)                                                          \
	({                                                                         \
		bool _warn_cond = !!(cond);                                       \
		if (_warn_cond) [[unlikely]]                                      \
			cxx_warn(__FILE__, __LINE__, #cond);                      \
		_warn_cond;                                                       \
	})

// Inside a function returning Result<T>: warn and return -errno when cond holds.
#define CXX_ENSURE(cond, errno_value)                                              \
	do {                                                                       \
		if (CXX_WARN_ON(!(cond)))                                         \
			return ::cxx::Error(errno_value);                         \
	} while (0)

// Context assertions, stated once per entry point.
#define CXX_MIGHT_SLEEP() cxx_might_sleep(__FILE__, __LINE__)
#define CXX_ASSERT_IRQS_DISABLED() CXX_WARN_ON(!cxx_irqs_disabled())
