// SPDX-License-Identifier: GPL-2.0
// Protocol constants of Ethernet, IPv4, IPv6 and UDP, once for building and for validating.
#pragma once

#include <cxx/types.h>

namespace netpoll {

using cxx::u16;
using cxx::u32;
using cxx::u8;
using cxx::usize;

inline constexpr usize eth_alen = 6;
inline constexpr usize eth_hlen = 14;
inline constexpr u16 eth_p_ip = 0x0800;
inline constexpr u16 eth_p_ipv6 = 0x86dd;

inline constexpr usize ipv4_hlen = 20;		// without options
inline constexpr u16 ip_more_fragments = 0x2000;
inline constexpr u16 ip_frag_offset = 0x1fff;
inline constexpr usize ipv6_hlen = 40;
inline constexpr u8 ipproto_udp = 17;
inline constexpr usize udp_hlen = 8;

// IPv6 extension headers (RFC 8200 and the IANA list).
enum : u8 {
	nexthdr_hop = 0,
	nexthdr_routing = 43,
	nexthdr_fragment = 44,
	nexthdr_esp = 50,
	nexthdr_auth = 51,
	nexthdr_none = 59,
	nexthdr_dest = 60,
	nexthdr_mobility = 135,
	nexthdr_hip = 139,
	nexthdr_shim6 = 140,
	nexthdr_exp1 = 253,
	nexthdr_exp2 = 254,
};

} // namespace netpoll
