// SPDX-License-Identifier: GPL-2.0
// Atomics with explicit ordering, on the compiler's __atomic builtins (lock-prefixed on x86,
// the same instructions as the kernel's atomic_t). Every operation names its order.
#pragma once

#include <cxx/types.h>

namespace cxx {

enum class Order : int {
	relaxed = __ATOMIC_RELAXED,
	acquire = __ATOMIC_ACQUIRE,
	release = __ATOMIC_RELEASE,
	acq_rel = __ATOMIC_ACQ_REL,
	seq_cst = __ATOMIC_SEQ_CST,
};

template <typename T> class Atomic {
	static_assert(__atomic_always_lock_free(sizeof(T), 0), "Atomic<T> must be lock-free");

public:
	constexpr Atomic() : value_() {}
	constexpr explicit Atomic(T v) : value_(v) {}
	Atomic(const Atomic &) = delete;
	Atomic &operator=(const Atomic &) = delete;

	[[nodiscard]] T load(Order o) const { return __atomic_load_n(&value_, int(o)); }
	void store(T v, Order o) { __atomic_store_n(&value_, v, int(o)); }
	T exchange(T v, Order o) { return __atomic_exchange_n(&value_, v, int(o)); }

	// Strong CAS; on failure `expected` receives the current value.
	bool compare_exchange(T &expected, T desired, Order success, Order failure)
	{
		return __atomic_compare_exchange_n(&value_, &expected, desired, false, int(success),
						   int(failure));
	}

	T fetch_add(T v, Order o) { return __atomic_fetch_add(&value_, v, int(o)); }
	T fetch_sub(T v, Order o) { return __atomic_fetch_sub(&value_, v, int(o)); }
	T fetch_or(T v, Order o) { return __atomic_fetch_or(&value_, v, int(o)); }
	T fetch_and(T v, Order o) { return __atomic_fetch_and(&value_, v, int(o)); }

private:
	T value_;
};

// A monotonic event counter: relaxed increments, relaxed reads (statistics only).
class Counter {
public:
	constexpr Counter() = default;
	void inc() { v_.fetch_add(1, Order::relaxed); }
	void add(u64 n) { v_.fetch_add(n, Order::relaxed); }
	[[nodiscard]] u64 read() const { return v_.load(Order::relaxed); }

private:
	Atomic<u64> v_;
};

} // namespace cxx
