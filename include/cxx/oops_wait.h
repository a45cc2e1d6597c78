// SPDX-License-Identifier: GPL-2.0
// A bounded wait, while an oops is in progress, for something another context must finish
// (a lock it holds, an skb it has dequeued). That context may never finish: it oopsed itself,
// or panic stopped its CPU. So the first wait in an oops is bounded, and after it ran out the
// thing is taken for lost: later waits are skipped instead of each holding the oops (and a
// panic after it) up by the whole bound. Once it is had again, waiting is back.
#pragma once

#include <cxx/atomic.h>

namespace cxx {

template <unsigned MaxWaitUs>
class OopsWait {
public:
	static constexpr unsigned max_wait_us = MaxWaitUs;

	// How long the next wait may take.
	[[nodiscard]] unsigned budget_us() const
	{
		return lost_.load(Order::relaxed) ? 0 : max_wait_us;
	}
	// The wait ran out: lost for this oops.
	void timed_out() { lost_.store(true, Order::relaxed); }
	// Had (in an oops or outside one).
	void acquired()
	{
		if (lost_.load(Order::relaxed))
			lost_.store(false, Order::relaxed);
	}

private:
	Atomic<bool> lost_ { false };
};

} // namespace cxx
