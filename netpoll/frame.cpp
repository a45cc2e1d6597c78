// SPDX-License-Identifier: GPL-2.0
// Frame building for send_udp. Everything is written byte by byte in network order, so it is
// independent of alignment and of the host's endianness.
#include "frame.h"

#include "csum.h"

namespace netpoll {

namespace {

void put16(u8 *p, u16 v)
{
	p[0] = u8(v >> 8);
	p[1] = u8(v);
}

u16 get16(const u8 *p)
{
	return u16(p[0] << 8 | p[1]);
}

} // namespace

u16 ipv4_header_checksum(const u8 *iph)
{
	u8 field[2];
	csum::store(field, csum::of(iph, (iph[0] & 0x0f) * 4u));
	return get16(field);
}

u16 udp_checksum(bool ipv6, const u8 *src_ip, const u8 *dst_ip, const u8 *udp, usize udp_len)
{
	u8 field[2];
	csum::store(field, csum::of(udp, udp_len, csum::pseudo_header(ipv6, src_ip, dst_ip,
								      u32(udp_len))),
		    true);
	return get16(field);
}

void build_udp_frame(u8 *buf, const UdpFrameSpec &spec, const char *payload, usize len)
{
	const usize alen = spec.ipv6 ? 16 : 4;
	const usize udp_len = udp_hlen + len;
	u8 *ip = buf + l3_offset();
	u8 *udp = buf + l4_offset(spec.ipv6);

	__builtin_memcpy(buf, spec.dst_mac, 6);
	__builtin_memcpy(buf + 6, spec.src_mac, 6);
	put16(buf + 12, spec.ipv6 ? eth_p_ipv6 : eth_p_ip);

	if (spec.ipv6) {
		ip[0] = 0x60;			// version 6, traffic class 0
		ip[1] = ip[2] = ip[3] = 0;	// flow label 0
		put16(ip + 4, u16(udp_len));
		ip[6] = ipproto_udp;
		ip[7] = 32;			// hop limit, as 6.1's netpoll
		__builtin_memcpy(ip + 8, spec.src_ip, alen);
		__builtin_memcpy(ip + 24, spec.dst_ip, alen);
	} else {
		ip[0] = 0x45;			// version 4, 20-byte header
		ip[1] = 0;
		put16(ip + 2, u16(ipv4_hlen + udp_len));
		put16(ip + 4, spec.ip_id);
		put16(ip + 6, 0);		// no fragmentation
		ip[8] = 64;
		ip[9] = ipproto_udp;
		put16(ip + 10, 0);
		__builtin_memcpy(ip + 12, spec.src_ip, alen);
		__builtin_memcpy(ip + 16, spec.dst_ip, alen);
		csum::store(ip + 10, csum::of(ip, ipv4_hlen));
	}

	put16(udp, spec.src_port);
	put16(udp + 2, spec.dst_port);
	put16(udp + 4, u16(udp_len));
	put16(udp + 6, 0);
	if (len)
		__builtin_memcpy(udp + udp_hlen, payload, len);
	csum::store(udp + 6, csum::of(udp, udp_len, csum::pseudo_header(spec.ipv6, spec.src_ip,
									   spec.dst_ip, u32(udp_len))),
		    true);
}

} // namespace netpoll
