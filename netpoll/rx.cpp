// SPDX-License-Identifier: GPL-2.0
// The rx validator (see rx.h). Order of the checks: first whether the frame is ours at all
// (not ours -> pass, the stack handles it as if we were not here), then whether it is well
// formed (malformed and addressed to our UDP port -> drop, so the stack never answers a
// request we refused with ICMP). Every frame gets exactly one reason.
#include "rx.h"

#include "csum.h"

namespace netpoll {
namespace {

constexpr u8 packet_host = 0;
constexpr unsigned max_ext_headers = 8;

bool is_ext_header(u8 h)
{
	switch (h) {
	case nexthdr_hop: case nexthdr_routing: case nexthdr_fragment: case nexthdr_esp:
	case nexthdr_auth: case nexthdr_none: case nexthdr_dest: case nexthdr_mobility:
	case nexthdr_hip: case nexthdr_shim6: case nexthdr_exp1: case nexthdr_exp2:
		return true;
	default:
		return false;
	}
}

u16 be16(const u8 *p)
{
	return u16(p[0] << 8 | p[1]);
}

bool same(const u8 *a, const u8 *b, unsigned n)
{
	return __builtin_memcmp(a, b, n) == 0;
}

void copy(u8 *to, const u8 *from, unsigned n)
{
	__builtin_memcpy(to, from, n);
}

struct Packet {
	const sk_buff *skb;
	cxxnp_rx_skb view;
	bool v6;
	u8 saddr[16];
	u8 daddr[16];
	unsigned alen;		// 4 or 16
	u32 l4;			// UDP header offset
	u32 l4_len;		// bytes from the UDP header to the end of the IP packet
};

RxResult result(cxx_netpoll_rx_reason reason, RxAction action)
{
	return RxResult { .reason = reason, .action = action, .from = {}, .payload_off = 0,
			  .payload_len = 0, .csum_fault = false };
}

RxResult pass(cxx_netpoll_rx_reason reason)
{
	return result(reason, RxAction::pass);
}

RxResult drop(cxx_netpoll_rx_reason reason)
{
	return result(reason, RxAction::drop);
}

bool udp_sum_ok(const Packet &p, u32 udp_sum, u32 udp_len)
{
	return csum::correct(csum::add(udp_sum, csum::pseudo_header(p.v6, p.saddr, p.daddr,
								    udp_len)));
}

// Honours every ip_summed state: UNNECESSARY (the device checked it) and PARTIAL (built
// here, never damaged on the wire) are trusted; COMPLETE is checked from skb->csum and, if
// it disagrees, in software like the kernel (a device's sum can be wrong); NONE in software.
bool udp_checksum_ok(const Packet &p, u32 udp_len, u16 field, bool &fault)
{
	if (field == 0)
		return !p.v6;		// IPv4: no checksum; IPv6: mandatory (RFC 8200 8.1)
	switch (p.view.ip_summed) {
	case CXXNP_CSUM_UNNECESSARY:
	case CXXNP_CSUM_PARTIAL:
		return true;
	case CXXNP_CSUM_COMPLETE: {
		const u32 end = p.l4 + udp_len;
		u32 s = csum::sub(p.view.csum, cxxnp_rx_csum(p.skb, 0, p.l4, 0));
		if (end < p.view.len) {		// link-layer padding after the IP packet
			u32 tail = cxxnp_rx_csum(p.skb, end, p.view.len - end, 0);
			s = csum::sub(s, (end & 1) ? csum::swap_odd(tail) : tail);
		}
		if (udp_sum_ok(p, s, udp_len))
			return true;
		const bool ok = udp_sum_ok(p, cxxnp_rx_csum(p.skb, p.l4, udp_len, 0), udp_len);
		fault = ok;	// the device's sum was wrong (netdev_rx_csum_fault)
		return ok;
	}
	default:
		return udp_sum_ok(p, cxxnp_rx_csum(p.skb, p.l4, udp_len, 0), udp_len);
	}
}

// The UDP part, once the IP layer said: to our address, UDP, at offset p.l4. first_fragment:
// the datagram is the first of several (refused, but it tells us whose it is).
RxResult udp(Packet &p, const RxTarget &t, bool first_fragment, bool ip_options)
{
	u8 uh[udp_hlen];
	if (p.l4_len < udp_hlen || cxxnp_rx_copy(p.skb, p.l4, uh, udp_hlen)) {
		// A first fragment too short to name its port (RFC 1858's tiny fragment): it
		// could be a request, and reassembled the stack would answer it with ICMP.
		return first_fragment ? drop(CXX_NETPOLL_RX_FRAGMENT)
				      : pass(CXX_NETPOLL_RX_TRUNCATED);
	}
	if (be16(uh + 2) != t.local_port)
		return pass(CXX_NETPOLL_RX_WRONG_PORT);
	// Ours from here on: whatever is wrong is dropped. A GRO aggregate is many datagrams
	// in one skb: not something a hook can take (and the stack would answer each).
	if (p.view.gso)
		return drop(CXX_NETPOLL_RX_GSO);
	if (first_fragment)
		return drop(CXX_NETPOLL_RX_FRAGMENT);
	if (ip_options)
		return drop(CXX_NETPOLL_RX_IP_OPTIONS);
	const u32 ulen = be16(uh + 4);
	if (ulen != p.l4_len)
		return drop(CXX_NETPOLL_RX_BAD_LEN);
	bool fault = false;
	if (!udp_checksum_ok(p, ulen, be16(uh + 6), fault))
		return drop(CXX_NETPOLL_RX_BAD_UDP_CSUM);
	RxResult r = result(CXX_NETPOLL_RX_DELIVERED, RxAction::deliver);
	r.csum_fault = fault;
	copy(r.from.ip.ip6, p.saddr, p.alen);
	r.from.port = be16(uh);
	copy(r.from.mac, p.view.src_mac, eth_alen);
	r.payload_off = p.l4 + udp_hlen;
	r.payload_len = ulen - udp_hlen;
	return r;
}

RxResult ipv4(Packet &p, const RxTarget &t)
{
	u8 iph[60];
	if (p.view.len < ipv4_hlen || cxxnp_rx_copy(p.skb, 0, iph, ipv4_hlen))
		return pass(CXX_NETPOLL_RX_TRUNCATED);
	const u32 ihl = (iph[0] & 0xf) * 4u;
	if (iph[0] >> 4 != 4 || ihl < ipv4_hlen)
		return pass(CXX_NETPOLL_RX_BAD_HEADER);
	if (ihl > p.view.len || cxxnp_rx_copy(p.skb, 0, iph, ihl))
		return pass(CXX_NETPOLL_RX_TRUNCATED);
	if (!csum::correct(csum::of(iph, ihl)))
		return pass(CXX_NETPOLL_RX_BAD_IP_CSUM);
	const u32 tot_len = be16(iph + 2);
	if (tot_len > p.view.len || tot_len < ihl)
		return pass(CXX_NETPOLL_RX_TRUNCATED);	// the stack drops these as well
	p.alen = 4;
	copy(p.saddr, iph + 12, 4);
	copy(p.daddr, iph + 16, 4);
	if (!same(p.daddr, t.local_ip, 4))
		return pass(CXX_NETPOLL_RX_OTHER_HOST);
	// A source no reply can go to (the stack drops these martians itself).
	const u32 src = u32(p.saddr[0]) << 24 | u32(p.saddr[1]) << 16 | u32(p.saddr[2]) << 8 |
			p.saddr[3];
	if (src == 0 || src == 0xffffffff || (p.saddr[0] & 0xf0) == 0xe0)
		return pass(CXX_NETPOLL_RX_BAD_HEADER);
	if (iph[9] != ipproto_udp)
		return pass(CXX_NETPOLL_RX_NOT_UDP);
	const u16 frag = be16(iph + 6);
	if (frag & ip_frag_offset)
		return pass(CXX_NETPOLL_RX_FRAGMENT);	// no UDP header to tell whose it is
	p.l4 = ihl;
	p.l4_len = tot_len - ihl;
	return udp(p, t, frag & ip_more_fragments, ihl > ipv4_hlen);
}

RxResult ipv6(Packet &p, const RxTarget &t)
{
	u8 ip6h[ipv6_hlen];
	if (p.view.len < ipv6_hlen || cxxnp_rx_copy(p.skb, 0, ip6h, ipv6_hlen))
		return pass(CXX_NETPOLL_RX_TRUNCATED);
	if (ip6h[0] >> 4 != 6)
		return pass(CXX_NETPOLL_RX_BAD_HEADER);
	const u32 payload_len = be16(ip6h + 4);
	if (ipv6_hlen + payload_len > p.view.len)
		return pass(CXX_NETPOLL_RX_TRUNCATED);
	p.alen = 16;
	copy(p.saddr, ip6h + 8, 16);
	copy(p.daddr, ip6h + 24, 16);
	if (!same(p.daddr, t.local_ip, 16))
		return pass(CXX_NETPOLL_RX_OTHER_HOST);
	if (p.saddr[0] == 0xff)		// multicast source: dropped by ipv6_rcv
		return pass(CXX_NETPOLL_RX_BAD_HEADER);
	u8 next = ip6h[6];
	u32 off = ipv6_hlen;
	const u32 end = ipv6_hlen + payload_len;
	// Follow what can be followed: hop-by-hop and destination options, a routing header
	// with nothing left to route, and the fragment header of a first fragment (refused once
	// its port says it is ours) or of an atomic fragment (RFC 6946: not fragmented at all).
	bool first_fragment = false;
	for (unsigned i = 0; next != ipproto_udp; i++) {
		if (!is_ext_header(next))
			return pass(CXX_NETPOLL_RX_NOT_UDP);
		u8 eh[8];
		if (i == max_ext_headers || off + 8 > end || cxxnp_rx_copy(p.skb, off, eh, 8))
			return pass(i == max_ext_headers ? CXX_NETPOLL_RX_EXT_HEADER
							 : CXX_NETPOLL_RX_TRUNCATED);
		if (next == nexthdr_fragment) {
			const u16 frag = be16(eh + 2);
			if ((frag & 0xfff8) != 0 || first_fragment)
				return pass(CXX_NETPOLL_RX_FRAGMENT);	// no UDP header here
			first_fragment = (frag & 1) != 0;		// M: more to come
			next = eh[0];
			off += 8;
			continue;
		}
		// Hop-by-hop options only right after the IPv6 header (RFC 8200 4.1).
		const bool followable = (next == nexthdr_hop && i == 0) || next == nexthdr_dest ||
					(next == nexthdr_routing && eh[3] == 0);
		if (!followable)
			return pass(CXX_NETPOLL_RX_EXT_HEADER);
		next = eh[0];
		off += (eh[1] + 1u) * 8;
		if (off > end)
			return pass(CXX_NETPOLL_RX_TRUNCATED);
	}
	p.l4 = off;
	p.l4_len = end - off;
	return udp(p, t, first_fragment, false);
}

} // namespace

RxResult classify(const RxTarget &t, const sk_buff *skb)
{
	Packet p {};
	p.skb = skb;
	cxxnp_rx_describe(skb, &p.view);
	// A frame still tagged belongs to a VLAN device above this one (the tag comes off
	// after the ingress hooks), not to this device.
	if (p.view.pkt_type != packet_host || !p.view.has_mac || p.view.vlan_tagged ||
	    (t.dev_mac && !same(p.view.dst_mac, t.dev_mac, eth_alen)))
		return pass(CXX_NETPOLL_RX_OTHER_HOST);
	p.v6 = t.ipv6;
	if (p.view.protocol != (t.ipv6 ? eth_p_ipv6 : eth_p_ip))
		return pass(CXX_NETPOLL_RX_NOT_IP);
	return t.ipv6 ? ipv6(p, t) : ipv4(p, t);
}

} // namespace netpoll
