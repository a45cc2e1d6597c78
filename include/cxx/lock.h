// SPDX-License-Identifier: GPL-2.0
// Kernel locks embedded in C++ objects (storage sized by the generated ksizes.h) and their
// scope guards. Each lock is initialised with a lock class defined in C, one per class:
//
//	C:	CXX_DEFINE_LOCK_CLASS(cxx_foo_lock_class);
//	C++:	extern "C" cxx_lock_class cxx_foo_lock_class;
//		lock_.init(cxx_foo_lock_class, "foo->lock");
#pragma once

#include <cxx/utility.h>
#include <shim/support.h>
#include "ksizes.h"

namespace cxx {

// spinlock_t. Guards: SpinGuard (caller already has IRQs/BH handled), SpinIrqSaveGuard.
class SpinLock : Pinned {
public:
	SpinLock() = default;
	void init(cxx_lock_class &cls, const char *name) { cxx_spin_lock_init(raw(), name, &cls); }
	[[nodiscard]] bool is_locked() { return cxx_spin_is_locked(raw()); }
	void *raw() { return storage_; }

private:
	alignas(KALIGN_SPINLOCK) unsigned char storage_[KSIZE_SPINLOCK];
};

class [[nodiscard]] SpinGuard : Pinned {
public:
	explicit SpinGuard(SpinLock &l) : lock_(l) { cxx_spin_lock(lock_.raw()); }
	~SpinGuard() { cxx_spin_unlock(lock_.raw()); }

private:
	SpinLock &lock_;
};

class [[nodiscard]] SpinIrqSaveGuard : Pinned {
public:
	explicit SpinIrqSaveGuard(SpinLock &l) : lock_(l), flags_(cxx_spin_lock_irqsave(l.raw())) {}
	~SpinIrqSaveGuard() { cxx_spin_unlock_irqrestore(lock_.raw(), flags_); }

private:
	SpinLock &lock_;
	unsigned long flags_;
};

// struct mutex: process context only.
class Mutex : Pinned {
public:
	Mutex() = default;
	void init(cxx_lock_class &cls, const char *name) { cxx_mutex_init(raw(), name, &cls); }
	void destroy() { cxx_mutex_destroy(raw()); }
	[[nodiscard]] bool is_locked() { return cxx_mutex_is_locked(raw()); }
	void *raw() { return storage_; }

private:
	alignas(KALIGN_MUTEX) unsigned char storage_[KSIZE_MUTEX];
};

class [[nodiscard]] MutexGuard : Pinned {
public:
	explicit MutexGuard(Mutex &m) : mutex_(m) { cxx_mutex_lock(mutex_.raw()); }
	~MutexGuard() { cxx_mutex_unlock(mutex_.raw()); }

private:
	Mutex &mutex_;
};

// The guard a Protected<T, Lock> takes: IRQ-safe for spinlocks, sleeping for mutexes.
template <typename Lock> struct DefaultGuard;
template <> struct DefaultGuard<SpinLock> { using type = SpinIrqSaveGuard; };
template <> struct DefaultGuard<Mutex> { using type = MutexGuard; };

} // namespace cxx
