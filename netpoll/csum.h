// SPDX-License-Identifier: GPL-2.0
// The Internet checksum (RFC 1071), once for building frames (frame.cpp) and for validating
// them (rx.cpp). Sums are kept as the kernel keeps a __wsum on x86: 16-bit words loaded low
// byte first, so a sum from skb_checksum() and one from here combine. A one's complement sum
// does not depend on byte order beyond a swap of its result, so the folded sum stored low byte
// first is the field's bytes on the wire.
#pragma once

#include "proto.h"

namespace netpoll::csum {

// static: internal linkage. An inline function the compiler keeps out of line lands in a
// COMDAT section that the linker may discard while objtool's .return_sites (the test
// kernel's rethunk) still points into it.

// One's complement addition and subtraction (end-around carry).
[[nodiscard]] static constexpr u32 add(u32 a, u32 b)
{
	a += b;
	return a + (a < b);
}

[[nodiscard]] static constexpr u32 sub(u32 a, u32 b)
{
	return add(a, ~b);
}

// A sum of bytes that began at an odd offset, as it counts at an even one.
[[nodiscard]] static constexpr u32 swap_odd(u32 v)
{
	return v >> 8 | v << 24;
}

[[nodiscard]] static constexpr u16 fold(u32 s)
{
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return u16(s);
}

// The sum of n bytes added to sum.
[[nodiscard]] static constexpr u32 of(const u8 *p, usize n, u32 sum = 0)
{
	for (usize i = 0; i + 1 < n; i += 2)
		sum = add(sum, u32(p[i] | p[i + 1] << 8));
	if (n & 1)
		sum = add(sum, p[n - 1]);
	return sum;
}

// A sum over everything a checksum covers, its field included, is correct when it folds to
// all ones.
[[nodiscard]] static constexpr bool correct(u32 sum)
{
	return fold(sum) == 0xffff;
}

// The UDP pseudo-header (RFC 768; RFC 8200 8.1 for IPv6): addresses, protocol, length.
[[nodiscard]] static constexpr u32 pseudo_header(bool ipv6, const u8 *src, const u8 *dst,
						 u32 udp_len)
{
	// IPv4: zero, protocol, 16-bit length; IPv6: 32-bit length, 24 zero bits, next header.
	// Past the addresses both sum to the same two words, the protocol and the length (a
	// UDP length fits in 16 bits).
	const usize alen = ipv6 ? 16 : 4;
	const u8 rest[4] = { 0, ipproto_udp, u8(udp_len >> 8), u8(udp_len) };
	return of(rest, 4, of(dst, alen, of(src, alen)));
}

// Writes the checksum of a sum taken with the field zeroed into the field. zero_as_ones:
// UDP, where a computed 0 is sent as 0xffff (0 means "no checksum").
static constexpr void store(u8 *field, u32 sum, bool zero_as_ones = false)
{
	u16 v = u16(~fold(sum));
	if (v == 0 && zero_as_ones)
		v = 0xffff;
	field[0] = u8(v);
	field[1] = u8(v >> 8);
}

} // namespace netpoll::csum
