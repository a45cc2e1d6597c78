// SPDX-License-Identifier: GPL-2.0
// How long a console write waits for the target lock while an oops is in progress. The
// lock may be held by a CPU that will never release it (it oopsed inside a write, or panic
// stopped it): the first record waits a bounded time, then the lock is taken for lost and
// later records try it once each instead of each holding the oops (and a panic after it) up
// by the whole wait. Once the lock is had again, waiting is back.
#pragma once

#include <cxx/atomic.h>

namespace netconsole {

class OopsLockWait {
public:
	static constexpr unsigned max_wait_us = 100000;

	// How long the next record may wait for the lock.
	[[nodiscard]] unsigned budget_us() const
	{
		return lost_.load(cxx::Order::relaxed) ? 0 : max_wait_us;
	}
	// The wait ran out: the lock is lost for this oops.
	void timed_out() { lost_.store(true, cxx::Order::relaxed); }
	// The lock was had (in an oops or outside one).
	void acquired()
	{
		if (lost_.load(cxx::Order::relaxed))
			lost_.store(false, cxx::Order::relaxed);
	}

private:
	cxx::Atomic<bool> lost_ { false };
};

} // namespace netconsole
