// SPDX-License-Identifier: GPL-2.0
// The resend window of a target: the datagrams it sent in the last W, kept so that they can
// be sent again when the bond under the target loses the slave they went through (a dying
// link completes and drops whatever it is given until the bond notices). Bounded twice: at
// most `slots` datagrams and `bytes` bytes, the oldest going first. No kernel calls: the
// caller passes the time (jiffies) and holds the target lock around every call.
#pragma once

#include <cxx/types.h>

namespace netconsole {

class Window {
public:
	struct Slot {
		cxx::u32 off;		// in data_
		cxx::u32 len;
		unsigned long stamp;	// jiffies when sent
	};

	// Storage the owner allocated: nslots entries, bytes of data (both non-zero); span: W
	// in jiffies.
	void attach(Slot *slots, cxx::u32 nslots, char *data, cxx::u32 bytes, unsigned long span)
	{
		slots_ = slots;
		nslots_ = nslots;
		data_ = data;
		bytes_ = bytes;
		span_ = span;
		clear();
	}
	[[nodiscard]] unsigned long span() const { return span_; }
	[[nodiscard]] bool usable() const { return slots_ && data_; }

	void clear()
	{
		head_ = tail_ = 0;
		used_ = 0;
		data_head_ = 0;
	}

	// One datagram sent at `now`. A datagram larger than the whole window is not kept.
	void record(const char *msg, cxx::usize len, unsigned long now)
	{
		if (!usable() || len == 0 || len > bytes_)
			return;
		while (head_ - tail_ == nslots_ || used_ + len > bytes_)
			evict(now);
		Slot &s = slots_[head_ % nslots_];
		s = { .off = data_head_, .len = cxx::u32(len), .stamp = now };
		const cxx::u32 first = cxx::u32(len) <= bytes_ - data_head_ ? cxx::u32(len)
									       : bytes_ - data_head_;
		__builtin_memcpy(data_ + data_head_, msg, first);
		__builtin_memcpy(data_, msg + first, len - first);
		data_head_ = (data_head_ + cxx::u32(len)) % bytes_;
		used_ += cxx::u32(len);
		head_++;
	}

	// The serial number the next datagram gets: a resend covers [cursor, end) as of now.
	[[nodiscard]] cxx::u64 end() const { return head_; }
	[[nodiscard]] cxx::u64 oldest() const { return tail_; }
	[[nodiscard]] cxx::u32 count() const { return cxx::u32(head_ - tail_); }
	// Datagrams evicted for room while younger than W: a resend would miss them.
	[[nodiscard]] cxx::u64 evicted() const { return evicted_; }

	// Copies datagram `serial` (oldest() <= serial < end()) into out (room for max bytes);
	// returns its length, or 0 if it was sent before `since` or does not fit.
	cxx::usize copy(cxx::u64 serial, unsigned long since, char *out, cxx::usize max) const
	{
		const Slot &s = slots_[serial % nslots_];
		if (long(s.stamp - since) < 0 || s.len > max)
			return 0;
		const cxx::u32 first = s.len <= bytes_ - s.off ? s.len : bytes_ - s.off;
		__builtin_memcpy(out, data_ + s.off, first);
		__builtin_memcpy(out + first, data_, s.len - first);
		return s.len;
	}

private:
	void evict(unsigned long now)
	{
		const Slot &s = slots_[tail_ % nslots_];
		if (now - s.stamp < span_)
			evicted_++;
		used_ -= s.len;
		tail_++;
	}

	Slot *slots_ = nullptr;
	char *data_ = nullptr;
	cxx::u32 nslots_ = 0, bytes_ = 0;
	cxx::u64 head_ = 0, tail_ = 0;	// serial numbers: [tail_, head_) are kept
	cxx::u32 used_ = 0;		// bytes of the kept datagrams
	cxx::u32 data_head_ = 0;	// where the next datagram's bytes go
	cxx::u64 evicted_ = 0;
	unsigned long span_ = 0;
};

} // namespace netconsole
