// SPDX-License-Identifier: GPL-2.0
// Cases of the cxx_bonding suite. Expected values are 6.1's, worked out by hand from
// drivers/net/bonding/bond_options.c and bond_main.c (bond_opt_parse, bond_eth_hash,
// bond_ip_hash, bond_vlan_srcmac_hash), not from the code under test.
#include <cxx/test.h>
#include <cxx/types.h>

#include "../bonding/hash.h"
#include "../bonding/options.h"
#include "../bonding/slave_array.h"

using namespace cxx;
using namespace bonding;

namespace {

// The parsed value of a word or number, or -1 if 6.1 refuses it.
long long parsed(cxxbond_opt opt, const char *word)
{
	Parsed v;
	if (!parse_value(option_spec(opt), cxxbond_optval { 0, word }, v))
		return -1;
	return (long long)v.value;
}

long long parsed_num(cxxbond_opt opt, u64 num)
{
	Parsed v;
	if (!parse_value(option_spec(opt), cxxbond_optval { num, nullptr }, v))
		return -1;
	return (long long)v.value;
}

// A flow as cxxbond_skb_flow fills it: Ethernet header, and (if ip) the dissected words.
cxxbond_flow flow(u8 dst_last, u8 src_last, u16 proto)
{
	cxxbond_flow f {};
	const u8 eth[14] = { 0x02, 0, 0, 0, 0, dst_last, 0x52, 0x54, 0x00, 0x10, 0x00, src_last,
			     u8(proto >> 8), u8(proto) };
	for (unsigned i = 0; i < sizeof(eth); i++)
		f.eth[i] = eth[i];
	f.eth_ok = 1;
	return f;
}

} // namespace

CXX_TEST(option_words_and_numbers)
{
	EXPECT_EQ(parsed(CXXBOND_OPT_MODE, "active-backup"), 1);
	EXPECT_EQ(parsed(CXXBOND_OPT_MODE, "1"), 1);
	EXPECT_EQ(parsed(CXXBOND_OPT_MODE, "default"), 0);
	EXPECT_EQ(parsed(CXXBOND_OPT_MODE, "802.3ad"), 4);
	EXPECT_EQ(parsed(CXXBOND_OPT_MODE, "7"), -1);		// no range: words only
	EXPECT_EQ(parsed(CXXBOND_OPT_MODE, "Active-Backup"), -1);
	EXPECT_EQ(parsed(CXXBOND_OPT_XMIT_HASH_POLICY, "vlan+srcmac"), 5);
	EXPECT_EQ(parsed(CXXBOND_OPT_XMIT_HASH_POLICY, "layer3+4"), 1);
	EXPECT_EQ(parsed(CXXBOND_OPT_PRIMARY_RESELECT, "failure"), 2);
	EXPECT_EQ(parsed(CXXBOND_OPT_USE_CARRIER, "on"), 1);
	EXPECT_EQ(parsed(CXXBOND_OPT_USE_CARRIER, "default"), 1);
	EXPECT_EQ(parsed(CXXBOND_OPT_USE_CARRIER, "2"), -1);
	EXPECT_EQ(parsed(CXXBOND_OPT_PACKETS_PER_SLAVE, "maxval"), 65535);
	EXPECT_EQ(parsed(CXXBOND_OPT_MIIMON, "off"), 0);
	EXPECT_EQ(parsed(CXXBOND_OPT_MIIMON, "abc"), -1);
	EXPECT_EQ(parsed(CXXBOND_OPT_MIIMON, ""), -1);
	EXPECT_EQ(parsed(CXXBOND_OPT_MIIMON, "-1"), -1);
	EXPECT_EQ(parsed_num(CXXBOND_OPT_MODE, 3), 3);		// netlink: a number
}

CXX_TEST(option_ranges)
{
	EXPECT_EQ(parsed(CXXBOND_OPT_MIIMON, "100"), 100);
	EXPECT_EQ(parsed(CXXBOND_OPT_MIIMON, "2147483647"), 2147483647);
	EXPECT_EQ(parsed(CXXBOND_OPT_MIIMON, "2147483648"), -1);
	EXPECT_EQ(parsed(CXXBOND_OPT_MIIMON, "18446744073709551616"), -1);	// overflow
	EXPECT_EQ(parsed(CXXBOND_OPT_NUM_PEER_NOTIF, "255"), 255);
	EXPECT_EQ(parsed(CXXBOND_OPT_NUM_PEER_NOTIF, "256"), -1);
	EXPECT_EQ(parsed(CXXBOND_OPT_PEER_NOTIF_DELAY, "300000"), 300000);
	EXPECT_EQ(parsed(CXXBOND_OPT_PEER_NOTIF_DELAY, "300001"), -1);
	EXPECT_EQ(parsed(CXXBOND_OPT_LP_INTERVAL, "0"), -1);	// minval 1
	EXPECT_EQ(parsed(CXXBOND_OPT_LP_INTERVAL, "1"), 1);
	EXPECT_EQ(parsed(CXXBOND_OPT_PACKETS_PER_SLAVE, "0"), 0);
	EXPECT_EQ(parsed(CXXBOND_OPT_PACKETS_PER_SLAVE, "65536"), -1);
	EXPECT_EQ(parsed(CXXBOND_OPT_AD_ACTOR_SYS_PRIO, "0"), -1);
	EXPECT_EQ(parsed(CXXBOND_OPT_MISSED_MAX, "2"), 2);
	EXPECT_EQ(parsed(CXXBOND_OPT_MISSED_MAX, "0"), -1);
	EXPECT_EQ(parsed_num(CXXBOND_OPT_MIIMON, 0x80000000ull), -1);
}

CXX_TEST(option_table_as_6_1)
{
	constexpr u8 rr = 1 << 0, ab = 1 << 1;
	const OptionSpec &mode = option_spec(CXXBOND_OPT_MODE);
	EXPECT(mode.flags & opt_noslaves);
	EXPECT(mode.flags & opt_ifdown);
	EXPECT(!(option_spec(CXXBOND_OPT_MIIMON).flags & (opt_noslaves | opt_ifdown)));
	EXPECT(option_spec(CXXBOND_OPT_FAIL_OVER_MAC).flags & opt_noslaves);
	// packets_per_slave: balance-rr only; primary and active_slave: active-backup (tlb, alb).
	EXPECT(!(option_spec(CXXBOND_OPT_PACKETS_PER_SLAVE).unsupp_modes & rr));
	EXPECT(option_spec(CXXBOND_OPT_PACKETS_PER_SLAVE).unsupp_modes & ab);
	EXPECT(!(option_spec(CXXBOND_OPT_PRIMARY).unsupp_modes & ab));
	EXPECT(option_spec(CXXBOND_OPT_PRIMARY).unsupp_modes & rr);
	EXPECT(option_spec(CXXBOND_OPT_ACTIVE_SLAVE).unsupp_modes & rr);
	// The names the messages print.
	EXPECT(__builtin_strcmp(option_spec(CXXBOND_OPT_NUM_PEER_NOTIF).name, "num_grat_arp") == 0);
	EXPECT(__builtin_strcmp(option_spec(CXXBOND_OPT_MISSED_MAX).name, "arp_missed_max") == 0);
	EXPECT(__builtin_strcmp(word_of(CXXBOND_OPT_FAIL_OVER_MAC, 2), "follow") == 0);
	EXPECT(__builtin_strcmp(word_of(CXXBOND_OPT_MIIMON, 5000), "?") == 0);
}

CXX_TEST(hash_layer2)
{
	// bond_eth_hash: h_dest[5] ^ h_source[5] ^ ntohs(h_proto).
	cxxbond_flow f = flow(0x1d, 0x02, 0x0800);
	EXPECT_EQ(xmit_hash(f, HashPolicy::layer2), 0x1du ^ 0x02u ^ 0x0800u);
	// layer2 hashes MACs even when an IP flow was dissected; a short frame hashes to 0.
	f.dissected = 1;
	f.dst = 0xffffffff;
	EXPECT_EQ(xmit_hash(f, HashPolicy::layer2), 0x081fu);
	f.eth_ok = 0;
	EXPECT_EQ(xmit_hash(f, HashPolicy::layer2), 0u);
	// Not an IP flow: every IP policy falls back to the layer2 hash.
	cxxbond_flow arp = flow(0x1d, 0x02, 0x0806);
	EXPECT_EQ(xmit_hash(arp, HashPolicy::layer34), 0x1du ^ 0x02u ^ 0x0806u);
	EXPECT_EQ(xmit_hash(arp, HashPolicy::layer23), 0x1du ^ 0x02u ^ 0x0806u);
}

CXX_TEST(hash_layer23_and_34)
{
	cxxbond_flow f = flow(0x1d, 0x02, 0x0800);
	f.dissected = 1;
	f.dst = 0x0a00000a;	// as flow_get_u32_dst returns the words: raw
	f.src = 0x0200000a;
	f.ports = 0x28239c40;
	// layer2+3: h = eth ^ dst ^ src = 0x0800081f; h ^= h >> 16; h ^= h >> 8.
	EXPECT_EQ(xmit_hash(f, HashPolicy::layer23), 0x0808001fu);
	// layer3+4: the ports instead of the MACs (0x20239c40), folded, lowest bit dropped.
	EXPECT_EQ(xmit_hash(f, HashPolicy::layer34), 0x1001cfefu);
	// Flows that differ in one port bit differ in the hash by that bit, folded and shifted.
	cxxbond_flow g = f;
	g.ports ^= 0x01000000;
	EXPECT_EQ(xmit_hash(f, HashPolicy::layer34) ^ xmit_hash(g, HashPolicy::layer34),
		  0x00808080u);
}

CXX_TEST(hash_icmp_and_encap)
{
	cxxbond_flow f = flow(0x1d, 0x02, 0x0800);
	f.dissected = 1;
	f.dst = 0x01020304;
	f.src = 0x05060708;
	f.ports = 0xdeadbeef;
	f.icmp = 0x12340008;
	f.icmp_id = 1;
	// An ICMP flow with an id hashes the id word, not the ports: 0x12340008 ^ 0x01020304 ^
	// 0x05060708, folded, shifted.
	EXPECT_EQ(xmit_hash(f, HashPolicy::layer34), 0x0b131113u);
	EXPECT_EQ(xmit_hash(f, HashPolicy::encap34), 0x0b131113u);
	// encap3+4 takes the skb's own L4 hash when it has one.
	f.l4_hash = 1;
	f.skb_hash = 0xcafef00d;
	EXPECT_EQ(xmit_hash(f, HashPolicy::encap34), 0xcafef00du);
	EXPECT_EQ(xmit_hash(f, HashPolicy::layer34), 0x0b131113u);
	// encap2+3 is layer2+3's arithmetic on what the dissector found inside.
	EXPECT_EQ(xmit_hash(f, HashPolicy::encap23), xmit_hash(f, HashPolicy::layer23));
}

CXX_TEST(hash_vlan_srcmac)
{
	cxxbond_flow f = flow(0x1d, 0x02, 0x0800);	// source 52:54:00:10:00:02
	EXPECT_EQ(xmit_hash(f, HashPolicy::vlan_srcmac), 0x525400u ^ 0x100002u);
	f.vlan = 100;
	EXPECT_EQ(xmit_hash(f, HashPolicy::vlan_srcmac), 100u ^ 0x525400u ^ 0x100002u);
	f.eth_ok = 0;
	EXPECT_EQ(xmit_hash(f, HashPolicy::vlan_srcmac), 0u);
}

CXX_TEST(mode_names)
{
	EXPECT(__builtin_strcmp(mode_name(Mode::roundrobin), "load balancing (round-robin)") == 0);
	EXPECT(__builtin_strcmp(mode_name(Mode::activebackup),
				"fault-tolerance (active-backup)") == 0);
	EXPECT(__builtin_strcmp(mode_name(Mode::xor_hash), "load balancing (xor)") == 0);
	EXPECT(__builtin_strcmp(mode_name(Mode::broadcast), "fault-tolerance (broadcast)") == 0);
	EXPECT(__builtin_strcmp(mode_name(Mode::ieee8023ad),
				"IEEE 802.3ad Dynamic link aggregation") == 0);
	EXPECT(__builtin_strcmp(mode_word(Mode::alb)->string, "balance-alb") == 0);
}

// A published array when no new one can be allocated (6.1's bond_skip_slave): the slave no
// longer listed leaves it, its slot takes the last entry, the last slot keeps its pointer.
CXX_TEST(array_drop_unlisted)
{
	char tags[4];	// four fake slaves: only their addresses are compared
	Slave *a = reinterpret_cast<Slave *>(&tags[0]), *b = reinterpret_cast<Slave *>(&tags[1]),
	      *c = reinterpret_cast<Slave *>(&tags[2]), *d = reinterpret_cast<Slave *>(&tags[3]);
	alignas(SlaveArray) u8 buf[sizeof(SlaveArray) + 4 * sizeof(Slave *)];
	auto *arr = reinterpret_cast<SlaveArray *>(buf);
	arr->count = 4;
	arr->slaves[0] = a;
	arr->slaves[1] = b;
	arr->slaves[2] = c;
	arr->slaves[3] = d;

	drop_unlisted(arr, [&](const Slave *s) { return s != b; });
	EXPECT_EQ(arr->count, 3u);
	EXPECT(arr->slaves[0] == a && arr->slaves[1] == d && arr->slaves[2] == c);
	EXPECT(arr->slaves[3] == d);

	drop_unlisted(arr, [&](const Slave *) { return true; });	// all listed: unchanged
	EXPECT_EQ(arr->count, 3u);
	EXPECT(arr->slaves[0] == a && arr->slaves[1] == d && arr->slaves[2] == c);

	drop_unlisted(arr, [&](const Slave *s) { return s != c; });	// the last one
	EXPECT_EQ(arr->count, 2u);
	EXPECT(arr->slaves[0] == a && arr->slaves[1] == d);

	drop_unlisted(arr, [&](const Slave *s) { return s == d; });	// the first, then d moves
	EXPECT_EQ(arr->count, 1u);
	EXPECT(arr->slaves[0] == d);

	drop_unlisted(arr, [&](const Slave *) { return false; });
	EXPECT_EQ(arr->count, 0u);

	drop_unlisted(static_cast<SlaveArray *>(nullptr), [&](const Slave *) { return false; });
}
