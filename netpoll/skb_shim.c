// SPDX-License-Identifier: GPL-2.0
/* Socket buffers for the C++ core: allocation, frame space, header offsets, freeing. */
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "shim.h"

struct sk_buff *cxxnp_skb_alloc(unsigned int size)
{
	return alloc_skb(size, GFP_ATOMIC | __GFP_NOWARN);
}

unsigned char *cxxnp_skb_frame(struct sk_buff *skb, unsigned int headroom,
			       unsigned int frame_len)
{
	skb_reserve(skb, headroom);
	return skb_put(skb, frame_len);
}


void cxxnp_skb_set_headers(struct sk_buff *skb, struct net_device *dev, unsigned short proto,
			   unsigned int l3_offset, unsigned int l4_offset)
{
	skb_reset_mac_header(skb);
	skb_set_network_header(skb, l3_offset);
	skb_set_transport_header(skb, l4_offset);
	skb->protocol = htons(proto);
	skb->dev = dev;
}


void cxxnp_skb_free_irq(struct sk_buff *skb)
{
	dev_kfree_skb_irq(skb);
}

