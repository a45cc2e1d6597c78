/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cxx_netpoll: the netpoll core in C++, for C users (netconsole, bonding, pongtest, tests).
 * Mirrors the kernel's netpoll API one to one with a cxx_ prefix. Plain C, no kernel
 * includes, so the C++ side shares the same definition.
 *
 * Contexts:
 *   cxx_netpoll_parse_options, cxx_netpoll_print_options     any process context
 *   cxx_netpoll_setup, cxx_netpoll_cleanup                   process context, takes RTNL
 *   __cxx_netpoll_setup, __cxx_netpoll_cleanup               process context, RTNL held
 *   cxx_netpoll_send_udp, cxx_netpoll_send_skb               any context; IRQs off expected
 *   cxx_netpoll_send_udp_to                                  any context; IRQs off expected
 *   cxx_netpoll_poll_dev                                     IRQs off
 *   rx_hook (called by the core)                             softirq (the receive path),
 *                                                            RCU read side; must not sleep
 */
#ifndef CXX_NETPOLL_H
#define CXX_NETPOLL_H

#ifdef __cplusplus
extern "C" {
#endif

struct net_device;
struct sk_buff;
struct cxx_netpoll_state;

#define CXX_NETPOLL_IFNAMSIZ 16

union cxx_netpoll_addr {
	unsigned int all[4];
	unsigned int ip;		/* IPv4, network order */
	unsigned char ip6[16];		/* IPv6, network order */
};

/* A UDP endpoint: where a received datagram came from, or where a reply goes. */
struct cxx_netpoll_peer {
	union cxx_netpoll_addr ip;		/* IPv4 or IPv6 as the netpoll's ipv6 */
	unsigned short port;			/* host order */
	unsigned char mac[6];
};

struct cxx_netpoll;
/*
 * Receive hook: called for each valid UDP datagram to the netpoll's local address and port
 * that arrives on its device (on a bond master: through an active slave). The datagram is
 * consumed: the stack never sees it (no ICMP port-unreachable). data is the UDP payload,
 * valid only during the call.
 */
typedef void (*cxx_netpoll_rx_hook_t)(struct cxx_netpoll *np, const struct cxx_netpoll_peer *from,
				      const char *data, int len);

/* Filled by the user (or cxx_netpoll_parse_options) before setup, like struct netpoll. */
struct cxx_netpoll {
	const char *name;				/* log prefix, e.g. "netconsole" */
	char dev_name[CXX_NETPOLL_IFNAMSIZ];
	union cxx_netpoll_addr local_ip, remote_ip;	/* local_ip 0: chosen at setup */
	unsigned char ipv6;
	unsigned short local_port, remote_port;
	unsigned char remote_mac[6];
	cxx_netpoll_rx_hook_t rx_hook;			/* optional; set before setup */

	/* Per-netpoll options, read at send time; 0 means the module's default. */
	unsigned int txq_limit;		/* deferred skbs before drops (else txq_limit param) */
	/* Never poll the device from the send path (unless an oops is in progress): a busy
	 * device, and any stacked device (whose xmit goes through the kernel's netpoll, which
	 * polls), defers instead. During an oops the deferred queue is sent first, inline. For senders nested in hard-IRQ-safe locks (a console's write:
	 * console_owner), where a driver's NAPI tx poll taking its tx lock without trylock
	 * (virtio-net) would close a HARDIRQ-safe -> unsafe lock chain. */
	unsigned char no_poll;
	/* Optional: filled with the last counters when the netpoll is cleaned up (a deferred
	 * queue purged then counts as drop_dev_down), so a user that keeps totals loses none. */
	struct cxx_netpoll_stats *final_stats;

	/* Owned by the core; NULL when not attached. */
	struct net_device *dev;
	struct cxx_netpoll_state *state;
};

/*
 * What the rx hook's validator made of each received frame (exactly one per frame).
 * Not ours, passed on to the stack: NOT_IP .. WRONG_PORT. Malformed: GSO .. EXT_HEADER; of
 * those, the ones known to be addressed to our UDP port are dropped, the others passed on
 * (the stack drops them itself). NO_MEM: ours and valid but could not be linearized.
 */
enum cxx_netpoll_rx_reason {
	CXX_NETPOLL_RX_DELIVERED,	/* handed to rx_hook and consumed */
	CXX_NETPOLL_RX_NOT_IP,		/* not IPv4 (IPv6) as the netpoll */
	CXX_NETPOLL_RX_OTHER_HOST,	/* PACKET_OTHERHOST, other MAC or IP, a VLAN tag */
	CXX_NETPOLL_RX_NOT_UDP,
	CXX_NETPOLL_RX_WRONG_PORT,
	CXX_NETPOLL_RX_GSO,
	CXX_NETPOLL_RX_TRUNCATED,	/* shorter than its headers or its IP length */
	CXX_NETPOLL_RX_BAD_HEADER,	/* IP version or header length */
	CXX_NETPOLL_RX_BAD_IP_CSUM,
	CXX_NETPOLL_RX_BAD_LEN,		/* UDP length disagrees with the IP length */
	CXX_NETPOLL_RX_BAD_UDP_CSUM,
	CXX_NETPOLL_RX_IP_OPTIONS,
	CXX_NETPOLL_RX_FRAGMENT,
	CXX_NETPOLL_RX_EXT_HEADER,	/* an IPv6 extension header the validator cannot follow */
	CXX_NETPOLL_RX_NO_MEM,
	CXX_NETPOLL_RX_REASONS
};

/* Drop reasons counted per netpoll (debugfs cxx_netpoll/<name>-<dev>-<id>). */
struct cxx_netpoll_stats {
	unsigned long long sent;		/* handed to the driver */
	unsigned long long deferred;		/* queued for the work item */
	unsigned long long drop_no_skb;
	unsigned long long drop_queue_full;
	unsigned long long drop_dev_down;
	unsigned long long drop_not_attached;
	unsigned long long queued;		/* now: deferred, not yet sent */
	/* Receive (with rx_hook): every frame the device received, classified once. */
	unsigned long long rx[CXX_NETPOLL_RX_REASONS];
};

int cxx_netpoll_parse_options(struct cxx_netpoll *np, const char *opt);
void cxx_netpoll_print_options(const struct cxx_netpoll *np);

int cxx_netpoll_setup(struct cxx_netpoll *np);
/* For stacked drivers' lower devices. Like the kernel's __netpoll_setup, no RCU grace period
 * here: the caller lets one pass (synchronize_rcu) before the first send or poll, so no NAPI
 * poll that started before npinfo was visible is still running (cxx_netpoll_setup does). */
int __cxx_netpoll_setup(struct cxx_netpoll *np, struct net_device *dev);
void cxx_netpoll_cleanup(struct cxx_netpoll *np);
void __cxx_netpoll_cleanup(struct cxx_netpoll *np);

void cxx_netpoll_send_udp(struct cxx_netpoll *np, const char *msg, int len);
/* The same to another endpoint (e.g. a reply to rx_hook's from). */
void cxx_netpoll_send_udp_to(struct cxx_netpoll *np, const struct cxx_netpoll_peer *to,
			     const char *msg, int len);
/* Consumes skb (skb->dev must be np->dev). Returns NETDEV_TX_OK (0) or NET_XMIT_DROP (1). */
int cxx_netpoll_send_skb(struct cxx_netpoll *np, struct sk_buff *skb);
void cxx_netpoll_poll_dev(struct net_device *dev);

/* Counters so far (zero if never attached). Any context. */
void cxx_netpoll_get_stats(const struct cxx_netpoll *np, struct cxx_netpoll_stats *stats);
/* "delivered", "not_ip", ...: the debugfs names of enum cxx_netpoll_rx_reason. */
const char *cxx_netpoll_rx_reason_name(unsigned int reason);

#ifdef __cplusplus
}
#endif

#endif /* CXX_NETPOLL_H */
