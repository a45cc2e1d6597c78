// SPDX-License-Identifier: GPL-2.0
// Cases of the rx validator: valid requests (linear and not), every ip_summed state (also
// the ones the emulated NICs never produce), and a table of malformed IPv4 and IPv6 frames,
// each with the reason it must be counted under and whether it is passed or dropped.
#include <cxx/test.h>
#include <cxx/types.h>

#include "../netpoll/frame.h"
#include "../netpoll/rx.h"
#include "netpoll_oracle.h"

using namespace cxx;
using netpoll::RxAction;
using netpoll::RxResult;

namespace {

constexpr u16 port = 7777, sport = 5555;
constexpr u8 host_mac[6] = { 0x52, 0x54, 0, 0xff, 0, 1 };
constexpr u8 dev_mac[6] = { 0x52, 0x54, 0, 0x10, 0, 0 };
constexpr u8 host4[4] = { 10, 0, 0, 1 }, local4[4] = { 10, 0, 0, 2 };
constexpr u8 host6[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
constexpr u8 local6[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 };
constexpr char payload[] = "PING kunit";
constexpr usize plen = sizeof(payload) - 1;
constexpr bool families[] = { false, true };	// IPv4, IPv6

struct Frame {
	u8 b[256];
	usize len;
	bool v6;
};

u16 get16(const u8 *p) { return u16(p[0] << 8 | p[1]); }
void put16(u8 *p, u16 v) { p[0] = u8(v >> 8); p[1] = u8(v); }

Frame request(bool v6, const char *data = payload, usize len = plen)
{
	Frame f {};
	f.v6 = v6;
	f.len = netpoll::udp_frame_len(v6, len);
	netpoll::build_udp_frame(f.b, { host_mac, dev_mac, v6, v6 ? host6 : host4,
					v6 ? local6 : local4, sport, port, 1 }, data, len);
	return f;
}

usize l4(const Frame &f) { return f.v6 ? 54 : 14 + (f.b[14] & 0xf) * 4u; }

// Checksums made right again after a change (the change under test must stay the only fault).
void fix_ip(Frame &f)
{
	if (f.v6)
		return;
	put16(f.b + 24, 0);
	put16(f.b + 24, netpoll::ipv4_header_checksum(f.b + 14));
}

void fix_udp(Frame &f)
{
	u8 *udp = f.b + l4(f);
	usize ulen = get16(udp + 4);
	put16(udp + 6, 0);
	put16(udp + 6, netpoll::udp_checksum(f.v6, f.b + (f.v6 ? 22 : 26), f.b + (f.v6 ? 38 : 30),
					     udp, ulen));
}

// Inserts n bytes of header at the UDP offset (an IPv4 option or IPv6 extension header).
void insert(Frame &f, const u8 *hdr, usize n)
{
	usize at = l4(f);
	for (usize i = f.len; i-- > at;)
		f.b[i + n] = f.b[i];
	for (usize i = 0; i < n; i++)
		f.b[at + i] = hdr[i];
	f.len += n;
}

RxResult classify(const Frame &f, oracle_rx how = {}, bool *nonlinear = nullptr)
{
	sk_buff *skb = oracle_rx_skb(f.b, unsigned(f.len), &how);
	if (!skb)
		return RxResult { CXX_NETPOLL_RX_NO_MEM, RxAction::pass, {}, 0, 0, false };
	const netpoll::RxTarget t { f.v6, f.v6 ? local6 : local4, port, dev_mac };
	const unsigned before = oracle_skb_digest(skb);
	RxResult r = netpoll::classify(t, skb);
	if (oracle_skb_digest(skb) != before)	// shared: the validator must only read it
		r.reason = CXX_NETPOLL_RX_REASONS;
	if (nonlinear)
		*nonlinear = oracle_skb_is_nonlinear(skb);
	oracle_rx_skb_free(skb);
	return r;
}

} // namespace

CXX_TEST(rx_valid_requests)
{
	for (bool v6 : families) {
		Frame f = request(v6);
		RxResult r = classify(f);
		EXPECT_EQ(r.reason, CXX_NETPOLL_RX_DELIVERED);
		EXPECT(r.action == RxAction::deliver);
		EXPECT_EQ(r.from.port, sport);
		EXPECT(__builtin_memcmp(r.from.ip.ip6, v6 ? host6 : host4, v6 ? 16 : 4) == 0);
		EXPECT(__builtin_memcmp(r.from.mac, host_mac, 6) == 0);
		EXPECT_EQ(r.payload_len, plen);
		EXPECT_EQ(r.payload_off, l4(f) - 14 + 8);

		// Split inside the UDP header and inside the payload: the same answer.
		const unsigned splits[] = { unsigned(l4(f)) + 4, unsigned(l4(f)) + 10 };
		for (unsigned split : splits) {
			bool nonlinear = false;
			RxResult s = classify(f, { .linear = split }, &nonlinear);
			EXPECT(nonlinear);
			EXPECT_EQ(s.reason, CXX_NETPOLL_RX_DELIVERED);
			EXPECT_EQ(s.payload_len, plen);
		}

		// Link-layer padding after a packet of odd length (the 60-byte minimum frame).
		Frame p = request(v6, "odd", 3);
		for (usize i = 0; i < 7; i++)
			p.b[p.len + i] = u8(0xa5 + i);
		p.len += 7;
		EXPECT_EQ(classify(p).reason, CXX_NETPOLL_RX_DELIVERED);
		EXPECT_EQ(classify(p, { .csum = ORACLE_CSUM_COMPLETE }).reason,
			  CXX_NETPOLL_RX_DELIVERED);
		EXPECT_EQ(classify(p, { .linear = 20, .csum = ORACLE_CSUM_COMPLETE }).reason,
			  CXX_NETPOLL_RX_DELIVERED);

		// An empty datagram is a request too.
		EXPECT_EQ(classify(request(v6, "", 0)).reason, CXX_NETPOLL_RX_DELIVERED);
	}
	// IPv4 without a UDP checksum (0) is valid; IPv6 requires one.
	Frame f4 = request(false);
	put16(f4.b + 40, 0);
	EXPECT_EQ(classify(f4).reason, CXX_NETPOLL_RX_DELIVERED);
	Frame f6 = request(true);
	put16(f6.b + 60, 0);
	RxResult r = classify(f6);
	EXPECT_EQ(r.reason, CXX_NETPOLL_RX_BAD_UDP_CSUM);
	EXPECT(r.action == RxAction::drop);
}

CXX_TEST(rx_checksum_states)
{
	for (bool v6 : families) {
		const Frame good = request(v6);
		Frame bad = good;
		bad.b[l4(bad) + 6] ^= 0x40;	// wrong UDP checksum
		struct Case {
			oracle_csum csum;
			unsigned linear;
			bool good_ok, bad_ok;
		} cases[] = {
			{ ORACLE_CSUM_NONE, 0, true, false },
			{ ORACLE_CSUM_NONE, 30, true, false },
			// The device's sum is trusted when it says the packet is right...
			{ ORACLE_CSUM_COMPLETE, 0, true, false },
			{ ORACLE_CSUM_COMPLETE, 30, true, false },
			// ...and checked again in software when it disagrees (as the kernel does).
			{ ORACLE_CSUM_COMPLETE_WRONG, 0, true, false },
			// The device verified it / the packet was built on this host: trusted.
			{ ORACLE_CSUM_UNNECESSARY, 0, true, true },
			{ ORACLE_CSUM_PARTIAL, 0, true, true },
		};
		for (const Case &c : cases) {
			oracle_rx how { .linear = c.linear, .csum = c.csum };
			RxResult g = classify(good, how), b = classify(bad, how);
			EXPECT_EQ(g.reason == CXX_NETPOLL_RX_DELIVERED, c.good_ok);
			EXPECT_EQ(b.reason == CXX_NETPOLL_RX_DELIVERED, c.bad_ok);
			// Only a wrong device sum needs the software sum to decide.
			EXPECT_EQ(g.csum_fault, c.csum == ORACLE_CSUM_COMPLETE_WRONG);
			if (!c.bad_ok) {
				EXPECT_EQ(b.reason, CXX_NETPOLL_RX_BAD_UDP_CSUM);
				EXPECT(b.action == RxAction::drop);
			}
		}
		// The device's sum decides when it agrees: a packet damaged after the device
		// summed it (skb->csum is the good packet's) is taken on the device's word.
		oracle_rx trusted { .csum = ORACLE_CSUM_COMPLETE, .csum_of = good.b };
		Frame damaged = good;
		damaged.b[damaged.len - 1] ^= 0x01;
		RxResult d = classify(damaged, trusted);
		EXPECT_EQ(d.reason, CXX_NETPOLL_RX_DELIVERED);
		EXPECT(!d.csum_fault);
		// Odd length with padding, split at an odd offset: still the device's sum.
		Frame p = request(v6, "odd", 3);
		for (usize i = 0; i < 7; i++)
			p.b[p.len + i] = u8(0x5a + i);
		p.len += 7;
		const unsigned odd_split = unsigned(l4(p)) + 9;
		RxResult o = classify(p, { .linear = odd_split, .csum = ORACLE_CSUM_COMPLETE });
		EXPECT_EQ(o.reason, CXX_NETPOLL_RX_DELIVERED);
		EXPECT(!o.csum_fault);
	}
}

namespace {

struct Malformed {
	const char *what;
	void (*mutate)(Frame &);
	cxx_netpoll_rx_reason reason;
	RxAction action;
	oracle_rx how;
};

void check_table(void *test_ctx_, bool v6, const Malformed *cases, usize n)
{
	for (usize i = 0; i < n; i++) {
		Frame f = request(v6);
		cases[i].mutate(f);
		RxResult r = classify(f, cases[i].how);
		if (r.reason != cases[i].reason || r.action != cases[i].action)
			cxx_test_fail_eq(test_ctx_, __FILE__, __LINE__, cases[i].what,
					 (long long)r.reason, (long long)cases[i].reason);
	}
}

void nothing(Frame &) {}

constexpr oracle_rx otherhost { .pkt_type = 3 };
constexpr oracle_rx gso { .gso = 1 };
constexpr oracle_rx tagged { .vlan = 100, .vlan_present = 1 };
constexpr oracle_rx priority_tagged { .vlan = 0x6000, .vlan_present = 1 };	// PCP 3, VID 0

const Malformed ipv4_cases[] = {
	{ "PACKET_OTHERHOST", nothing, CXX_NETPOLL_RX_OTHER_HOST, RxAction::pass, otherhost },
	{ "GSO skb to our port", nothing, CXX_NETPOLL_RX_GSO, RxAction::drop, gso },
	{ "GSO skb to another port", [](Frame &f) { put16(f.b + 36, port + 1); },
	  CXX_NETPOLL_RX_WRONG_PORT, RxAction::pass, gso },
	{ "VLAN tag still on", nothing, CXX_NETPOLL_RX_OTHER_HOST, RxAction::pass, tagged },
	{ "priority tag (VLAN 0)", nothing, CXX_NETPOLL_RX_DELIVERED, RxAction::deliver,
	  priority_tagged },
	{ "source 0.0.0.0", [](Frame &f) { f.b[26] = f.b[27] = f.b[28] = f.b[29] = 0; fix_ip(f); fix_udp(f); },
	  CXX_NETPOLL_RX_BAD_HEADER, RxAction::pass, {} },
	{ "multicast source", [](Frame &f) { f.b[26] = 224; fix_ip(f); fix_udp(f); },
	  CXX_NETPOLL_RX_BAD_HEADER, RxAction::pass, {} },
	{ "other destination MAC", [](Frame &f) { f.b[5] ^= 1; },
	  CXX_NETPOLL_RX_OTHER_HOST, RxAction::pass, {} },
	{ "ARP ethertype", [](Frame &f) { put16(f.b + 12, 0x0806); },
	  CXX_NETPOLL_RX_NOT_IP, RxAction::pass, {} },
	{ "IPv6 ethertype", [](Frame &f) { put16(f.b + 12, 0x86dd); },
	  CXX_NETPOLL_RX_NOT_IP, RxAction::pass, {} },
	{ "other destination IP", [](Frame &f) { f.b[33] = 99; fix_ip(f); fix_udp(f); },
	  CXX_NETPOLL_RX_OTHER_HOST, RxAction::pass, {} },
	{ "TCP", [](Frame &f) { f.b[23] = 6; fix_ip(f); },
	  CXX_NETPOLL_RX_NOT_UDP, RxAction::pass, {} },
	{ "other port", [](Frame &f) { put16(f.b + 36, port + 1); fix_udp(f); },
	  CXX_NETPOLL_RX_WRONG_PORT, RxAction::pass, {} },
	{ "shorter than an IP header", [](Frame &f) { f.len = 14 + 12; },
	  CXX_NETPOLL_RX_TRUNCATED, RxAction::pass, {} },
	{ "IP length beyond the frame", [](Frame &f) { put16(f.b + 16, 200); fix_ip(f); },
	  CXX_NETPOLL_RX_TRUNCATED, RxAction::pass, {} },
	{ "IP length shorter than a UDP header",
	  [](Frame &f) { put16(f.b + 16, 24); fix_ip(f); f.len = 14 + 24; },
	  CXX_NETPOLL_RX_TRUNCATED, RxAction::pass, {} },
	{ "version 6 in an IPv4 header", [](Frame &f) { f.b[14] = 0x65; },
	  CXX_NETPOLL_RX_BAD_HEADER, RxAction::pass, {} },
	{ "header length 16", [](Frame &f) { f.b[14] = 0x44; },
	  CXX_NETPOLL_RX_BAD_HEADER, RxAction::pass, {} },
	{ "bad IP checksum", [](Frame &f) { f.b[25] ^= 0x10; },
	  CXX_NETPOLL_RX_BAD_IP_CSUM, RxAction::pass, {} },
	{ "UDP length longer than IP's", [](Frame &f) { put16(f.b + 38, get16(f.b + 38) + 1); fix_udp(f); },
	  CXX_NETPOLL_RX_BAD_LEN, RxAction::drop, {} },
	{ "UDP length shorter than IP's", [](Frame &f) { put16(f.b + 38, 9); fix_udp(f); },
	  CXX_NETPOLL_RX_BAD_LEN, RxAction::drop, {} },
	{ "UDP length below 8", [](Frame &f) { put16(f.b + 38, 4); },
	  CXX_NETPOLL_RX_BAD_LEN, RxAction::drop, {} },
	{ "bad UDP checksum", [](Frame &f) { f.b[41] ^= 1; },
	  CXX_NETPOLL_RX_BAD_UDP_CSUM, RxAction::drop, {} },
	{ "damaged payload", [](Frame &f) { f.b[45] ^= 0x20; },
	  CXX_NETPOLL_RX_BAD_UDP_CSUM, RxAction::drop, {} },
	{ "IP options (4 NOPs)",
	  [](Frame &f) {
		  const u8 nops[4] = { 1, 1, 1, 0 };
		  for (usize i = f.len; i-- > 34;)
			  f.b[i + 4] = f.b[i];
		  for (usize i = 0; i < 4; i++)
			  f.b[34 + i] = nops[i];
		  f.len += 4;
		  f.b[14] = 0x46;
		  put16(f.b + 16, get16(f.b + 16) + 4);
		  fix_ip(f);
	  },
	  CXX_NETPOLL_RX_IP_OPTIONS, RxAction::drop, {} },
	{ "first fragment (MF)", [](Frame &f) { f.b[20] = 0x20; fix_ip(f); },
	  CXX_NETPOLL_RX_FRAGMENT, RxAction::drop, {} },
	{ "later fragment", [](Frame &f) { put16(f.b + 20, 10); fix_ip(f); },
	  CXX_NETPOLL_RX_FRAGMENT, RxAction::pass, {} },
	{ "first fragment too short for a UDP header",
	  [](Frame &f) { f.b[20] = 0x20; put16(f.b + 16, 24); fix_ip(f); f.len = 14 + 24; },
	  CXX_NETPOLL_RX_FRAGMENT, RxAction::drop, {} },
	{ "first fragment to another port",
	  [](Frame &f) { f.b[20] = 0x20; fix_ip(f); put16(f.b + 36, 9); },
	  CXX_NETPOLL_RX_WRONG_PORT, RxAction::pass, {} },
};

// IPv6 extension headers, 8 bytes each: next header, length 0, then type-specific bytes.
void ext(Frame &f, u8 type, u8 b2, u8 b3, u8 b4 = 0, u8 b5 = 0)
{
	const u8 h[8] = { f.b[20], 0, b2, b3, b4, b5, 0, 0 };
	insert(f, h, 8);
	f.b[20] = type;
	put16(f.b + 18, get16(f.b + 18) + 8);
}

const Malformed ipv6_cases[] = {
	{ "PACKET_OTHERHOST", nothing, CXX_NETPOLL_RX_OTHER_HOST, RxAction::pass, otherhost },
	{ "GSO skb to our port", nothing, CXX_NETPOLL_RX_GSO, RxAction::drop, gso },
	{ "multicast source", [](Frame &f) { f.b[22] = 0xff; fix_udp(f); },
	  CXX_NETPOLL_RX_BAD_HEADER, RxAction::pass, {} },
	{ "hop-by-hop options after another header",
	  [](Frame &f) { ext(f, 0, 1, 4); ext(f, 60, 1, 4); },
	  CXX_NETPOLL_RX_EXT_HEADER, RxAction::pass, {} },
	{ "IPv4 ethertype", [](Frame &f) { put16(f.b + 12, 0x0800); },
	  CXX_NETPOLL_RX_NOT_IP, RxAction::pass, {} },
	{ "other destination IP", [](Frame &f) { f.b[53] = 9; fix_udp(f); },
	  CXX_NETPOLL_RX_OTHER_HOST, RxAction::pass, {} },
	{ "TCP", [](Frame &f) { f.b[20] = 6; }, CXX_NETPOLL_RX_NOT_UDP, RxAction::pass, {} },
	{ "other port", [](Frame &f) { put16(f.b + 56, 1); fix_udp(f); },
	  CXX_NETPOLL_RX_WRONG_PORT, RxAction::pass, {} },
	{ "shorter than an IPv6 header", [](Frame &f) { f.len = 14 + 30; },
	  CXX_NETPOLL_RX_TRUNCATED, RxAction::pass, {} },
	{ "payload length beyond the frame", [](Frame &f) { put16(f.b + 18, 300); },
	  CXX_NETPOLL_RX_TRUNCATED, RxAction::pass, {} },
	{ "version 4 in an IPv6 header", [](Frame &f) { f.b[14] = 0x40; },
	  CXX_NETPOLL_RX_BAD_HEADER, RxAction::pass, {} },
	{ "UDP length longer than IP's", [](Frame &f) { put16(f.b + 58, get16(f.b + 58) + 2); fix_udp(f); },
	  CXX_NETPOLL_RX_BAD_LEN, RxAction::drop, {} },
	{ "bad UDP checksum", [](Frame &f) { f.b[61] ^= 1; },
	  CXX_NETPOLL_RX_BAD_UDP_CSUM, RxAction::drop, {} },
	{ "hop-by-hop options, then UDP", [](Frame &f) { ext(f, 0, 1, 4); },
	  CXX_NETPOLL_RX_DELIVERED, RxAction::deliver, {} },
	{ "destination options, then UDP", [](Frame &f) { ext(f, 60, 1, 4); },
	  CXX_NETPOLL_RX_DELIVERED, RxAction::deliver, {} },
	{ "routing header, nothing left", [](Frame &f) { ext(f, 43, 4, 0); },
	  CXX_NETPOLL_RX_DELIVERED, RxAction::deliver, {} },
	{ "routing header, segments left", [](Frame &f) { ext(f, 43, 4, 1); },
	  CXX_NETPOLL_RX_EXT_HEADER, RxAction::pass, {} },
	{ "ESP", [](Frame &f) { ext(f, 50, 0, 0); }, CXX_NETPOLL_RX_EXT_HEADER, RxAction::pass, {} },
	{ "AH", [](Frame &f) { ext(f, 51, 0, 0); }, CXX_NETPOLL_RX_EXT_HEADER, RxAction::pass, {} },
	{ "first fragment", [](Frame &f) { ext(f, 44, 0, 1, 0, 7); },
	  CXX_NETPOLL_RX_FRAGMENT, RxAction::drop, {} },
	{ "later fragment", [](Frame &f) { ext(f, 44, 0, 0x50, 0, 7); },
	  CXX_NETPOLL_RX_FRAGMENT, RxAction::pass, {} },
	{ "first fragment, destination options, then UDP",
	  [](Frame &f) { ext(f, 60, 1, 4); ext(f, 44, 0, 1, 0, 7); },
	  CXX_NETPOLL_RX_FRAGMENT, RxAction::drop, {} },
	{ "atomic fragment (offset 0, no more)", [](Frame &f) { ext(f, 44, 0, 0, 0, 7); },
	  CXX_NETPOLL_RX_DELIVERED, RxAction::deliver, {} },
	{ "two fragment headers", [](Frame &f) { ext(f, 44, 0, 0, 0, 7); ext(f, 44, 0, 1, 0, 8); },
	  CXX_NETPOLL_RX_FRAGMENT, RxAction::pass, {} },
	{ "extension header cut short", [](Frame &f) { ext(f, 60, 1, 4); f.b[55] = 40; },
	  CXX_NETPOLL_RX_TRUNCATED, RxAction::pass, {} },
	{ "nine extension headers",
	  [](Frame &f) {
		  for (int i = 0; i < 9; i++)
			  ext(f, 60, 1, 4);
	  },
	  CXX_NETPOLL_RX_EXT_HEADER, RxAction::pass, {} },
};

} // namespace

CXX_TEST(rx_malformed_ipv4)
{
	check_table(test_ctx_, false, ipv4_cases, sizeof(ipv4_cases) / sizeof(ipv4_cases[0]));
}

CXX_TEST(rx_malformed_ipv6)
{
	check_table(test_ctx_, true, ipv6_cases, sizeof(ipv6_cases) / sizeof(ipv6_cases[0]));
}
