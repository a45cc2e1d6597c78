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

#include "main.h"
#include "shim.h"

/* 6.1's bond_dev_queue_xmit, without netpoll (a later step): the slave picks its queue. */
int cxxbond_xmit_slave(struct sk_buff *skb, struct net_device *slave_dev)
{
	skb->dev = slave_dev;
	skb_set_queue_mapping(skb, 0);
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

int cxxbond_skb_eth(struct sk_buff *skb, unsigned char *out)
{
	if (!pskb_may_pull(skb, ETH_HLEN))
		return -1;
	memcpy(out, skb->data, ETH_HLEN);
	return 0;
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
