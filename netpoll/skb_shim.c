// SPDX-License-Identifier: GPL-2.0
/*
 * Socket buffers for the C++ core: allocation, frame space, header offsets and freeing for
 * transmit; read-only access to a received skb for the rx validator (rx.cpp). A received skb
 * may be shared (taps hold references) and nonlinear: nothing here pulls, trims or writes it.
 */
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/if_ether.h>
#include <linux/if_arp.h>
#include <linux/if_packet.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/slab.h>
#include <net/checksum.h>

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

/* --- received skbs: read-only views --- */

void cxxnp_rx_describe(const struct sk_buff *skb, struct cxxnp_rx_skb *out)
{
	memset(out, 0, sizeof(*out));
	out->len = skb->len;
	out->protocol = ntohs(skb->protocol);
	out->pkt_type = skb->pkt_type;
	out->gso = skb_is_gso(skb);
	/* A priority tag (VLAN ID 0) is cleared by the stack and the frame delivered here. */
	out->vlan_tagged = skb_vlan_tag_present(skb) && skb_vlan_tag_get_id(skb) != 0;
	switch (skb->ip_summed) {
	case CHECKSUM_UNNECESSARY:
		out->ip_summed = CXXNP_CSUM_UNNECESSARY;
		break;
	case CHECKSUM_COMPLETE:
		out->ip_summed = CXXNP_CSUM_COMPLETE;
		out->csum = (__force unsigned int)skb->csum;
		break;
	case CHECKSUM_PARTIAL:
		out->ip_summed = CXXNP_CSUM_PARTIAL;
		break;
	default:
		out->ip_summed = CXXNP_CSUM_NONE;
	}
	/* The Ethernet header eth_type_trans() left behind skb->data (VLAN tags removed);
	 * loopback frames carry one too. */
	if (skb_mac_header_was_set(skb) && skb->dev &&
	    (skb->dev->type == ARPHRD_ETHER || skb->dev->type == ARPHRD_LOOPBACK) &&
	    skb_mac_offset(skb) <= -ETH_HLEN) {
		const struct ethhdr *eth = (const struct ethhdr *)skb_mac_header(skb);

		out->has_mac = 1;
		ether_addr_copy(out->dst_mac, eth->h_dest);
		ether_addr_copy(out->src_mac, eth->h_source);
	}
}

int cxxnp_rx_copy(const struct sk_buff *skb, unsigned int off, void *to, unsigned int len)
{
	return skb_copy_bits(skb, off, to, len) ? -EFAULT : 0;
}

const void *cxxnp_rx_linear(const struct sk_buff *skb, unsigned int off, unsigned int len)
{
	if ((u64)off + len > skb_headlen(skb))
		return NULL;
	return skb->data + off;
}

unsigned int cxxnp_rx_csum(const struct sk_buff *skb, unsigned int off, unsigned int len,
			   unsigned int sum)
{
	return (__force unsigned int)skb_checksum(skb, off, len, (__force __wsum)sum);
}

void *cxxnp_rx_buf_alloc(unsigned int len)
{
	return kmalloc(len ? len : 1, GFP_ATOMIC | __GFP_NOWARN);
}

void cxxnp_rx_buf_free(void *buf)
{
	kfree(buf);
}

struct sk_buff *cxxnp_skb_clone(struct sk_buff *skb)
{
	return skb_clone(skb, GFP_ATOMIC | __GFP_NOWARN);
}

int cxxnp_skb_data_shared(const struct sk_buff *skb)
{
	return atomic_read(&skb_shinfo(skb)->dataref) != 1;
}

void cxxnp_skb_hold(struct sk_buff *skb)
{
	skb_get(skb);
}

int cxxnp_skb_sole(const struct sk_buff *skb)
{
	return refcount_read(&skb->users) == 1;
}

int cxxnp_skb_unhold(struct sk_buff *skb)
{
	/* Atomic against the driver's free: either our reference goes (the driver's free, now
	 * or later, is the last) or the driver's already went and the skb is ours alone. */
	return !refcount_dec_not_one(&skb->users);
}

/* A transmitted skb made ready to be framed again, for NMI where nothing is allocated:
 * skb's state as __alloc_skb leaves it. Only an skb that holds nothing but its own linear
 * buffer qualifies (ours: no socket, destructor, route, conntrack or extension). */
static bool skb_reset_for_reuse(struct sk_buff *skb)
{
	struct skb_shared_info *shinfo = skb_shinfo(skb);
	bool pfmemalloc = skb->pfmemalloc;

	if (refcount_read(&skb->users) != 1 || skb->cloned || skb->fclone != SKB_FCLONE_UNAVAILABLE ||
	    skb->head_frag || skb_is_nonlinear(skb) || shinfo->frag_list || skb->sk ||
	    skb->destructor || skb_dst(skb) || skb_nfct(skb) || skb_has_extensions(skb))
		return false;
	memset(skb, 0, offsetof(struct sk_buff, tail));
	skb->pfmemalloc = pfmemalloc;
	skb->data = skb->head;
	skb_reset_tail_pointer(skb);
	skb->mac_header = (typeof(skb->mac_header))~0U;
	skb->transport_header = (typeof(skb->transport_header))~0U;
	memset(shinfo, 0, offsetof(struct skb_shared_info, dataref));
	atomic_set(&shinfo->dataref, 1);
	return true;
}

/* One transmitted skb kept for the next frame in NMI (a panic's: one CPU sends, and every
 * frame it sends there is waited for, so one is enough). */
static struct sk_buff *nmi_spare;

void cxxnp_skb_nmi_recycle(struct sk_buff *skb)
{
	/* Not reusable, or a spare already there: left alone (nothing may be freed in NMI;
	 * the machine is going down). */
	if (skb_reset_for_reuse(skb))
		cmpxchg(&nmi_spare, NULL, skb);
}

struct sk_buff *cxxnp_skb_nmi_take(unsigned int size)
{
	struct sk_buff *skb = xchg(&nmi_spare, NULL);

	if (skb && skb_tailroom(skb) < size) {
		cmpxchg(&nmi_spare, NULL, skb);	/* kept for a smaller frame */
		return NULL;
	}
	return skb;
}

void cxxnp_skb_nmi_spare_free(void)
{
	kfree_skb(xchg(&nmi_spare, NULL));
}
