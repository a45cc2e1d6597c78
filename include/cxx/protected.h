// SPDX-License-Identifier: GPL-2.0
// Protected<T, Lock>: data reachable only with its lock held, through with(lambda).
#pragma once

#include <cxx/lock.h>
#include <cxx/utility.h>

namespace cxx {

template <typename T, typename Lock = SpinLock> class Protected : Pinned {
public:
	template <typename... Args>
	explicit Protected(cxx_lock_class &cls, const char *name, Args &&...args)
		: value_(forward<Args>(args)...)
	{
		lock_.init(cls, name);
	}

	// Runs f(T&) under the lock (irqsave for a spinlock) and returns what f returns.
	template <typename F> decltype(auto) with(F &&f)
	{
		typename DefaultGuard<Lock>::type guard(lock_);
		return f(value_);
	}

	[[nodiscard]] bool is_locked() { return lock_.is_locked(); }

private:
	Lock lock_;
	T value_;
};

} // namespace cxx
