/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's own netpoll helpers, as oracles for the cxx_netpoll KUnit cases. Plain C. */
#ifndef CXX_KUNIT_NETPOLL_ORACLE_H
#define CXX_KUNIT_NETPOLL_ORACLE_H

#include "../include/cxx_netpoll.h"

#ifdef __cplusplus
extern "C" {
#endif

/* netpoll_parse_options() on a copy of opt, starting from the same values as *np; the
 * result is written back into *np. Returns the kernel's return value. */
int oracle_parse_options(struct cxx_netpoll *np, const char *opt);
unsigned short oracle_ip_fast_csum(const unsigned char *iph, unsigned int ihl);
/* The UDP checksum as 6.1's netpoll_send_udp computes it (network order bytes in out). */
void oracle_udp_csum(int ipv6, const unsigned char *saddr, const unsigned char *daddr,
		     const unsigned char *udp, unsigned int len, unsigned char out[2]);

struct net_device *oracle_loopback(void);
void oracle_stop_queues(struct net_device *dev);
void oracle_wake_queues(struct net_device *dev);
/* netif_device_detach/attach: the device is "not present" (its queues stopped) meanwhile */
void oracle_detach(struct net_device *dev);
void oracle_attach(struct net_device *dev);
void oracle_msleep(unsigned int ms);

/* A slow LLTX device: records the last payload byte of each one-byte datagram as its xmit
 * returns; armed, holds the next one for hold_us first (on whichever CPU sends it). */
struct net_device *oracle_slow_dev_create(unsigned int hold_us);
void oracle_slow_dev_destroy(struct net_device *dev);
const char *oracle_dev_name(const struct net_device *dev);
void oracle_slow_arm(void);
/* The CPU that held the armed datagram, once it began to (-1: not within timeout_ms). */
int oracle_slow_wait_held(unsigned int timeout_ms);
/* The recorded bytes, NUL-terminated; returns how many. */
unsigned int oracle_slow_order(char *out, unsigned int size);
int oracle_pin_here(void);			/* the current CPU, now the only one allowed */
void oracle_unpin(void);
int oracle_other_cpu(int cpu);			/* an online CPU but cpu, or -1 */
int oracle_call_on(int cpu, void (*fn)(void *), void *arg);	/* in hard IRQ there */
/* A registered upper over a sink device (see netpoll_main.c), both up; NULL if they could
 * not be made. */
struct net_device *oracle_upper_create(void);
void oracle_upper_destroy(struct net_device *dev);
struct net_device *oracle_upper_sink(void);
struct cxx_netpoll *oracle_upper_lower(void);	/* the lower netpoll its netpoll_setup made */
int oracle_upper_xmits(void);			/* its xmit's calls through netpoll so far */
int oracle_upper_returned(void);		/* during an oops: given back by the lower */
int oracle_upper_sunk(void);			/* IPv4 frames the sink took */
int oracle_register_spare_upper(int i);		/* i < 5: distinct ops each */
void oracle_unregister_spare_upper(int i);
/* __cxx_netpoll_setup / __cxx_netpoll_cleanup under RTNL; with_rx_hook sets np->rx_hook. */
int oracle_setup_lower(struct cxx_netpoll *np, struct net_device *dev, int with_rx_hook);
void oracle_cleanup_lower(struct cxx_netpoll *np);
void oracle_oops_in_progress(int on);
void oracle_skb_driver_free(struct sk_buff *skb);	/* dev_consume_skb_any */
void oracle_skb_free(struct sk_buff *skb);
void oracle_skb_set_destructor(struct sk_buff *skb);	/* a no-op one */
int oracle_skb_fresh(const struct sk_buff *skb, unsigned int size);

/* A received skb as a driver hands it to the stack: the frame copied in (bytes after
 * `linear` in a page fragment when linear < len), Ethernet header pulled, protocol and
 * pkt_type set, skb->dev loopback (Ethernet-framed), ip_summed as csum says. */
enum oracle_csum {
	ORACLE_CSUM_NONE,
	ORACLE_CSUM_UNNECESSARY,
	ORACLE_CSUM_COMPLETE,		/* skb->csum over the bytes after the Ethernet header */
	ORACLE_CSUM_COMPLETE_WRONG,	/* the same, off by one: a device that got it wrong */
	ORACLE_CSUM_PARTIAL,
};
struct oracle_rx {
	unsigned int linear;		/* 0: all linear */
	enum oracle_csum csum;
	unsigned char pkt_type;		/* PACKET_HOST 0, PACKET_OTHERHOST 3 */
	unsigned char gso;
	unsigned short vlan;		/* a hardware-accelerated VLAN tag (with VLAN_TAG_PRESENT) */
	unsigned char vlan_present;
	const unsigned char *csum_of;	/* COMPLETE: skb->csum over this frame instead */
};
struct sk_buff *oracle_rx_skb(const unsigned char *frame, unsigned int len,
			      const struct oracle_rx *how);
void oracle_rx_skb_free(struct sk_buff *skb);	/* the skb is shared (two users): both go */
/* Everything a reader must leave alone: lengths, offsets, checksum state, users, bytes. */
unsigned int oracle_skb_digest(const struct sk_buff *skb);
int oracle_skb_is_nonlinear(const struct sk_buff *skb);

#ifdef __cplusplus
}
#endif

#endif
