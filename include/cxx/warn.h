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

// The same, warning only the first time at this call site (for hot paths: a broken contract
// there would otherwise warn on every packet, and the warning itself may come back through
// netconsole).
#define CXX_WARN_ON_ONCE(cond)                                                     \
	({                                                                         \
		static constinit bool _warned;                                    \
		bool _warn_cond = !!(cond);                                       \
		if (_warn_cond && !_warned) [[unlikely]] {                        \
			_warned = true;                                            \
			cxx_warn(__FILE__, __LINE__, #cond);                      \
		}                                                                  \
		_warn_cond;                                                       \
	})

// Context assertions: one spelling per contract, at the top of every function that relies
// on it (CXX_ASSERT_RTNL is in context.h).
#define CXX_MIGHT_SLEEP() cxx_might_sleep(__FILE__, __LINE__)
#define CXX_ASSERT_IRQS_DISABLED() CXX_WARN_ON_ONCE(!cxx_irqs_disabled())
// Inside an RCU read-side section (rcu_read_lock, or BH/IRQs/preemption off).
#define CXX_ASSERT_RCU_READ() CXX_WARN_ON_ONCE(!cxx_rcu_read_held())
