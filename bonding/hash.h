// SPDX-License-Identifier: GPL-2.0
// The transmit hash of balance-xor, as 6.1's bond_xmit_hash computes it from what
// skb_shim.c's cxxbond_skb_flow extracted (the kernel's dissector; the arithmetic is here).
// Pure functions: the KUnit suite checks them.
#pragma once

#include <cxx/types.h>

#include "options.h"
#include "shim.h"

namespace bonding {

// bond_eth_hash: the last bytes of both MACs and the EtherType.
inline u32 eth_hash(const cxxbond_flow &f)
{
	if (!f.eth_ok)
		return 0;
	return u32(f.eth[5] ^ f.eth[11]) ^ ((u32(f.eth[12]) << 8) | f.eth[13]);
}

// bond_vlan_srcmac_hash: the VLAN id and both halves of the source MAC.
inline u32 vlan_srcmac_hash(const cxxbond_flow &f)
{
	if (!f.eth_ok)
		return 0;
	u32 vendor = (u32(f.eth[6]) << 16) | (u32(f.eth[7]) << 8) | f.eth[8];
	u32 dev = (u32(f.eth[9]) << 16) | (u32(f.eth[10]) << 8) | f.eth[11];
	return f.vlan ^ vendor ^ dev;
}

// bond_ip_hash: the addresses folded in; the 3+4 policies drop the lowest bit (even ports).
inline u32 ip_hash(u32 hash, const cxxbond_flow &f, HashPolicy p)
{
	hash ^= f.dst ^ f.src;
	hash ^= hash >> 16;
	hash ^= hash >> 8;
	if (p == HashPolicy::layer34 || p == HashPolicy::encap34)
		return hash >> 1;
	return hash;
}

// bond_xmit_hash / __bond_xmit_hash.
inline u32 xmit_hash(const cxxbond_flow &f, HashPolicy p)
{
	if (p == HashPolicy::encap34 && f.l4_hash)
		return f.skb_hash;
	if (p == HashPolicy::vlan_srcmac)
		return vlan_srcmac_hash(f);
	if (p == HashPolicy::layer2 || !f.dissected)
		return eth_hash(f);
	u32 hash;
	if (p == HashPolicy::layer23 || p == HashPolicy::encap23)
		hash = eth_hash(f);
	else
		hash = f.icmp_id ? f.icmp : f.ports;
	return ip_hash(hash, f, p);
}

} // namespace bonding
