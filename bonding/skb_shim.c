// SPDX-License-Identifier: GPL-2.0
/*
 * cxx_bonding's data-path shims (RCU read side, BH or IRQs off): handing an skb to a
 * slave, cloning, dropping, and the header bytes the transmit policies read.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/random.h>
#include <net/sch_generic.h>
#include <net/flow_dissector.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/if_vlan.h>
#include <linux/if_bonding.h>
#include <linux/netpoll.h>

#include "main.h"
#include "shim.h"

/* 6.1's bond_dev_queue_xmit, in two: the frame gets back the queue mapping it had before the
 * bond's own queue was picked (cxxbond_select_queue), for the slave to choose from. */
int cxxbond_skb_to_slave(struct sk_buff *skb, struct net_device *slave_dev)
{
	BUILD_BUG_ON(sizeof(skb->queue_mapping) !=
		     sizeof(qdisc_skb_cb(skb)->slave_dev_queue_mapping));
	skb->dev = slave_dev;
	skb_set_queue_mapping(skb, qdisc_skb_cb(skb)->slave_dev_queue_mapping);
	return netpoll_tx_running(slave_dev);
}

/* 6.1's bond_select_queue: the bond's queue from a recorded rx queue (tc skbedit's
 * queue_mapping), the frame's own mapping kept for its slave. */
u16 cxxbond_select_queue(struct net_device *bond_dev, struct sk_buff *skb,
			 struct net_device *sb_dev)
{
	u16 txq = skb_rx_queue_recorded(skb) ? skb_get_rx_queue(skb) : 0;

	qdisc_skb_cb(skb)->slave_dev_queue_mapping = skb_get_queue_mapping(skb);
	while (unlikely(txq >= bond_dev->real_num_tx_queues))
		txq -= bond_dev->real_num_tx_queues;
	return txq;
}

unsigned int cxxbond_skb_queue_mapping(const struct sk_buff *skb)
{
	return skb_get_queue_mapping(skb);
}

int cxxbond_netpoll_tx(struct net_device *bond_dev)
{
	return netpoll_tx_running(bond_dev);
}

int cxxbond_xmit_slave(struct sk_buff *skb)
{
	return dev_queue_xmit(skb);
}

struct sk_buff *cxxbond_skb_clone(struct sk_buff *skb)
{
	return skb_clone(skb, GFP_ATOMIC);
}

/* 6.1's bond_tx_drop. */
void cxxbond_skb_drop(struct sk_buff *skb, struct net_device *bond_dev)
{
	dev_core_stats_tx_dropped_inc(bond_dev);
	dev_kfree_skb_any(skb);
}

/* balance-rr sends IGMP through the active slave (6.1's bond_xmit_roundrobin_slave_get). */
int cxxbond_skb_is_igmp(struct sk_buff *skb)
{
	int noff = skb_network_offset(skb);

	if (skb->protocol != htons(ETH_P_IP))
		return 0;
	if (unlikely(!pskb_may_pull(skb, noff + sizeof(struct iphdr))))
		return 0;
	return ip_hdr(skb)->protocol == IPPROTO_IGMP;
}

unsigned int cxxbond_random_u32(void)
{
	return get_random_u32();
}

/* --- the transmit hash's inputs, as 6.1's bond_flow_dissect reads them ------------------------ */

static const struct flow_dissector_key cxxbond_flow_keys[] = {
	{ .key_id = FLOW_DISSECTOR_KEY_CONTROL, .offset = offsetof(struct flow_keys, control) },
	{ .key_id = FLOW_DISSECTOR_KEY_BASIC, .offset = offsetof(struct flow_keys, basic) },
	{ .key_id = FLOW_DISSECTOR_KEY_IPV4_ADDRS,
	  .offset = offsetof(struct flow_keys, addrs.v4addrs) },
	{ .key_id = FLOW_DISSECTOR_KEY_IPV6_ADDRS,
	  .offset = offsetof(struct flow_keys, addrs.v6addrs) },
	{ .key_id = FLOW_DISSECTOR_KEY_TIPC, .offset = offsetof(struct flow_keys, addrs.tipckey) },
	{ .key_id = FLOW_DISSECTOR_KEY_PORTS, .offset = offsetof(struct flow_keys, ports) },
	{ .key_id = FLOW_DISSECTOR_KEY_ICMP, .offset = offsetof(struct flow_keys, icmp) },
	{ .key_id = FLOW_DISSECTOR_KEY_VLAN, .offset = offsetof(struct flow_keys, vlan) },
	{ .key_id = FLOW_DISSECTOR_KEY_FLOW_LABEL, .offset = offsetof(struct flow_keys, tags) },
	{ .key_id = FLOW_DISSECTOR_KEY_GRE_KEYID, .offset = offsetof(struct flow_keys, keyid) },
};

static struct flow_dissector cxxbond_dissector __read_mostly;

void cxxbond_flow_init(void)
{
	skb_flow_dissector_init(&cxxbond_dissector, cxxbond_flow_keys,
				ARRAY_SIZE(cxxbond_flow_keys));
}

static const void *cxxbond_pull(struct sk_buff *skb, const void *data, int hlen, int n)
{
	if (likely(n <= hlen))
		return data;
	if (pskb_may_pull(skb, n))
		return skb->data;
	return NULL;
}

static bool cxxbond_flow_ip(struct sk_buff *skb, struct flow_keys *fk, const void *data,
			    int hlen, __be16 l2_proto, int *nhoff, int *ip_proto, bool l34)
{
	const struct ipv6hdr *iph6;
	const struct iphdr *iph;

	if (l2_proto == htons(ETH_P_IP)) {
		data = cxxbond_pull(skb, data, hlen, *nhoff + sizeof(*iph));
		if (!data)
			return false;
		iph = (const struct iphdr *)(data + *nhoff);
		iph_to_flow_copy_v4addrs(fk, iph);
		*nhoff += iph->ihl << 2;
		if (!ip_is_fragment(iph))
			*ip_proto = iph->protocol;
	} else if (l2_proto == htons(ETH_P_IPV6)) {
		data = cxxbond_pull(skb, data, hlen, *nhoff + sizeof(*iph6));
		if (!data)
			return false;
		iph6 = (const struct ipv6hdr *)(data + *nhoff);
		iph_to_flow_copy_v6addrs(fk, iph6);
		*nhoff += sizeof(*iph6);
		*ip_proto = iph6->nexthdr;
	} else {
		return false;
	}
	if (l34 && *ip_proto >= 0)
		fk->ports.ports = __skb_flow_get_ports(skb, *nhoff, *ip_proto, data, hlen);
	return true;
}

static bool cxxbond_flow_dissect(struct sk_buff *skb, int policy, struct flow_keys *fk)
{
	bool l34 = policy == BOND_XMIT_POLICY_LAYER34;
	const void *data = skb->data;
	int nhoff = skb_network_offset(skb);
	int hlen = skb_headlen(skb);
	int ip_proto = -1;

	if (policy == BOND_XMIT_POLICY_ENCAP23 || policy == BOND_XMIT_POLICY_ENCAP34) {
		memset(fk, 0, sizeof(*fk));
		return __skb_flow_dissect(dev_net(skb->dev), skb, &cxxbond_dissector, fk, data,
					  skb->protocol, nhoff, hlen, 0);
	}
	fk->ports.ports = 0;
	memset(&fk->icmp, 0, sizeof(fk->icmp));
	if (!cxxbond_flow_ip(skb, fk, data, hlen, skb->protocol, &nhoff, &ip_proto, l34))
		return false;
	/* An ICMP error belongs to the flow of the packet it quotes. */
	if (ip_proto == IPPROTO_ICMP || ip_proto == IPPROTO_ICMPV6) {
		skb_flow_get_icmp_tci(skb, &fk->icmp, data, nhoff, hlen);
		if (ip_proto == IPPROTO_ICMP) {
			if (!icmp_is_err(fk->icmp.type))
				return true;
			nhoff += sizeof(struct icmphdr);
		} else {
			if (!icmpv6_is_err(fk->icmp.type))
				return true;
			nhoff += sizeof(struct icmp6hdr);
		}
		return cxxbond_flow_ip(skb, fk, data, hlen, skb->protocol, &nhoff, &ip_proto, l34);
	}
	return true;
}

void cxxbond_skb_flow(struct sk_buff *skb, int policy, struct cxxbond_flow *out)
{
	struct flow_keys fk;

	memset(out, 0, sizeof(*out));
	out->l4_hash = skb->l4_hash;
	out->skb_hash = skb->hash;
	out->vlan = skb_vlan_tag_present(skb) ? skb_vlan_tag_get(skb) : 0;
	if (pskb_may_pull(skb, ETH_HLEN)) {
		memcpy(out->eth, skb->data, ETH_HLEN);
		out->eth_ok = 1;
	}
	if (policy == BOND_XMIT_POLICY_LAYER2 || policy == BOND_XMIT_POLICY_VLAN_SRCMAC)
		return;
	if (!cxxbond_flow_dissect(skb, policy, &fk))
		return;
	out->dissected = 1;
	out->dst = (__force u32)flow_get_u32_dst(&fk);
	out->src = (__force u32)flow_get_u32_src(&fk);
	memcpy(&out->ports, &fk.ports.ports, sizeof(out->ports));
	out->icmp_id = !!fk.icmp.id;
	memcpy(&out->icmp, &fk.icmp, sizeof(out->icmp));
}
