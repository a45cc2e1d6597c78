// SPDX-License-Identifier: GPL-2.0
// Protected<T, Lock>: data reachable only with its lock held, through with(lambda).
#pragma once

#include <cxx/context.h>
#include <cxx/lock.h>
#include <cxx/utility.h>

namespace cxx {

template <typename T, typename Lock = SpinLock> class Protected : Pinned {
public:
	// For a constinit global (no static constructor): init() before first use.
	constexpr Protected() = default;
	[[gnu::always_inline]] void init(cxx_lock_class &cls, const char *name)
	{
		lock_.init(cls, name);
	}

	template <typename... Args>
	explicit Protected(cxx_lock_class &cls, const char *name, Args &&...args)
		: value_(forward<Args>(args)...)
	{
		lock_.init(cls, name);
	}

	// Runs f(T&) under the lock (irqsave for a spinlock) and returns what f returns.
	// always_inline (as every member here): see cxx/result.h.
	template <typename F> [[gnu::always_inline]] decltype(auto) with(F &&f)
	{
		typename DefaultGuard<Lock>::type guard(lock_);
		return f(value_);
	}

	// A spinlock tried for at most budget_us (0: once): runs f(T&) iff it got the lock,
	// and says whether it did. For contexts that must not wait for ever (an oops).
	template <typename F> [[gnu::always_inline]] [[nodiscard]] bool try_with(unsigned budget_us,
										F &&f)
	{
		SpinTryIrqSaveGuard guard(lock_, budget_us);
		if (!guard)
			return false;
		f(value_);
		return true;
	}

	// Runs f(T&) without the lock (IRQs off): only for the one context still running once
	// panic() has stopped every other CPU, where whoever holds the lock never runs again
	// (serial8250 writes through its port lock the same way).
	template <typename F> [[gnu::always_inline]] decltype(auto) with_panic_bust(F &&f)
	{
		IrqSaveGuard irqs;
		return f(value_);
	}

	[[gnu::always_inline]] [[nodiscard]] bool is_locked() { return lock_.is_locked(); }

private:
	Lock lock_ {};
	T value_ {};
};

} // namespace cxx
