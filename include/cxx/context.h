// SPDX-License-Identifier: GPL-2.0
// Scope guards for the kernel's execution-context sections, and the one spelling of each
// context assertion. A section is entered by a guard's constructor and left by its
// destructor, so no path out of a scope forgets to leave it.
#pragma once

#include <cxx/lock.h>
#include <cxx/utility.h>
#include <cxx/warn.h>
#include <shim/support.h>

namespace cxx {

// local_irq_save/restore.
class [[nodiscard]] IrqSaveGuard : Pinned {
public:
	IrqSaveGuard() : flags_(cxx_local_irq_save()) {}
	~IrqSaveGuard() { cxx_local_irq_restore(flags_); }

private:
	unsigned long flags_;
};

// local_bh_disable/enable (process context).
class [[nodiscard]] BhGuard : Pinned {
public:
	BhGuard() { cxx_local_bh_disable(); }
	~BhGuard() { cxx_local_bh_enable(); }
};

// rcu_read_lock/unlock.
class [[nodiscard]] RcuReadGuard : Pinned {
public:
	RcuReadGuard() { cxx_rcu_read_lock(); }
	~RcuReadGuard() { cxx_rcu_read_unlock(); }
};

// rtnl_lock/unlock (process context, may sleep).
class [[nodiscard]] RtnlGuard : Pinned {
public:
	RtnlGuard() { cxx_rtnl_lock(); }
	~RtnlGuard() { cxx_rtnl_unlock(); }
};

// spin_trylock_irqsave, retried every 10 us for at most budget_us (0: one try). Held iff
// the guard converts to true; released by the destructor.
class [[nodiscard]] SpinTryIrqSaveGuard : Pinned {
public:
	// always_inline: an out-of-line copy would be a COMDAT function, which objtool's
	// .return_sites on the test kernel cannot have in two objects of one module.
	[[gnu::always_inline]] SpinTryIrqSaveGuard(SpinLock &l, unsigned budget_us) : lock_(l)
	{
		locked_ = cxx_spin_trylock_irqsave(l.raw(), &flags_);
		for (unsigned us = 0; !locked_ && us < budget_us; us += 10) {
			cxx_udelay(10);
			locked_ = cxx_spin_trylock_irqsave(l.raw(), &flags_);
		}
	}
	~SpinTryIrqSaveGuard()
	{
		if (locked_)
			cxx_spin_unlock_irqrestore(lock_.raw(), flags_);
	}
	explicit operator bool() const { return locked_; }

private:
	SpinLock &lock_;
	unsigned long flags_ = 0;
	bool locked_;
};

} // namespace cxx

// The context a function relies on, stated at its top (each warns once per call site).
#define CXX_ASSERT_RTNL() CXX_WARN_ON(!cxx_rtnl_is_locked())
