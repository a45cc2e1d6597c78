// SPDX-License-Identifier: GPL-2.0
// UDP/IPv4 and UDP/IPv6 Ethernet frames built in place, with their checksums.
#pragma once

#include "proto.h"

namespace netpoll {

struct UdpFrameSpec {
	const u8 *src_mac;
	const u8 *dst_mac;
	bool ipv6;
	const u8 *src_ip;	// 4 or 16 bytes, network order
	const u8 *dst_ip;
	u16 src_port;
	u16 dst_port;
	u16 ip_id;		// IPv4 identification
};

[[nodiscard]] constexpr usize l3_offset() { return eth_hlen; }
[[nodiscard]] constexpr usize l4_offset(bool ipv6) { return eth_hlen + (ipv6 ? ipv6_hlen : ipv4_hlen); }
[[nodiscard]] constexpr usize udp_frame_len(bool ipv6, usize payload)
{
	return l4_offset(ipv6) + udp_hlen + payload;
}

// The header checksum of a 20-byte IPv4 header (its field zeroed), network order.
[[nodiscard]] u16 ipv4_header_checksum(const u8 *iph);
// UDP checksum over pseudo-header + udp header + payload (its field zeroed), network order;
// a computed 0 is sent as 0xffff.
[[nodiscard]] u16 udp_checksum(bool ipv6, const u8 *src_ip, const u8 *dst_ip, const u8 *udp,
			       usize udp_len);

// Writes the whole frame (udp_frame_len bytes) to buf; payload is copied in.
void build_udp_frame(u8 *buf, const UdpFrameSpec &spec, const char *payload, usize len);

} // namespace netpoll
