/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cxx_netpoll: the netpoll core in C++, for C users (netconsole, bonding, pongtest, tests).
 * Mirrors the kernel's netpoll API one to one with a cxx_ prefix. Plain C, no kernel
 * includes, so the C++ side shares the same definition.
 *
 * Contexts:
 *   cxx_netpoll_parse_options, cxx_netpoll_print_options     any process context
 *   cxx_netpoll_parse_addr                                   any context
 *   cxx_netpoll_setup, cxx_netpoll_cleanup                   process context, takes RTNL
 *   __cxx_netpoll_setup, __cxx_netpoll_cleanup               process context, RTNL held
 *   cxx_netpoll_send_udp, cxx_netpoll_send_skb(_copy)        any context; IRQs off expected
 *   cxx_netpoll_send_udp_to                                  any context; IRQs off expected
 *   cxx_netpoll_poll_dev                                     IRQs off
 *   cxx_netpoll_try_send_skb, cxx_netpoll_hold_skb            nested in an upper's xmit
 *   cxx_netpoll_ready, cxx_netpoll_in_panic                  any context
 *   cxx_netpoll_register_upper, _unregister_upper            module init/exit
 *   rx_hook (called by the core)                             softirq (the receive path),
 *                                                            RCU read side; must not sleep
 */
#ifndef CXX_NETPOLL_H
#define CXX_NETPOLL_H

#ifdef __cplusplus
extern "C" {
#endif

struct net_device;
struct net_device_ops;
struct sk_buff;
struct cxx_netpoll_state;	/* the core's state of one attached netpoll (netpoll::State) */

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
	/* A stacked driver's netpoll on one of its lower devices (a bond's slave), set before
	 * __cxx_netpoll_setup: no skb pool, no debugfs file, no rx hook (the upper's receive
	 * path sees the frames). Its sends nested in an upper's send are that sender's (see
	 * cxx_netpoll_register_upper). */
	unsigned char lower;

	/* Owned by the core; NULL when not attached. */
	struct net_device *dev;
	struct cxx_netpoll_state *state;
};

/*
 * The counters of a netpoll, each named once here: the fields of struct cxx_netpoll_stats,
 * the core's counter enum, the debugfs names, every user's output and the test harness derive
 * from these lists.
 */
/* What was not sent, by reason. */
#define CXX_NETPOLL_TX_DROPS(X)							\
	X(drop_no_skb)		/* no memory: no skb, or none to push a VLAN tag */	\
	X(drop_queue_full)	/* the deferred queue was at txq_limit */		\
	X(drop_dev_down)	/* the device was down or going (or purged at cleanup) */ \
	X(drop_not_attached)	/* sent on a netpoll not (or no longer) attached */
/* Every datagram is counted once: sent directly, or deferred and then sent or dropped. */
#define CXX_NETPOLL_TX_COUNTERS(X)						\
	X(sent)			/* handed to the driver */				\
	X(deferred)		/* queued for the work item */				\
	CXX_NETPOLL_TX_DROPS(X)

/*
 * What the rx hook's validator made of each received frame (exactly one per frame):
 * X(ENUM_SUFFIX, debugfs_name). Not ours, passed on to the stack: NOT_IP .. WRONG_PORT.
 * Malformed: GSO .. EXT_HEADER; of those, the ones known to be addressed to our UDP port are
 * dropped, the others passed on (the stack drops them itself). NO_MEM: ours and valid but
 * could not be linearized.
 */
#define CXX_NETPOLL_RX_REASON_LIST(X)						\
	X(DELIVERED, delivered)		/* handed to rx_hook and consumed */		\
	X(NOT_IP, not_ip)		/* not IPv4 (IPv6) as the netpoll */		\
	X(OTHER_HOST, other_host)	/* PACKET_OTHERHOST, other MAC or IP, a VLAN tag */ \
	X(NOT_UDP, not_udp)							\
	X(WRONG_PORT, wrong_port)						\
	X(GSO, gso)								\
	X(TRUNCATED, truncated)		/* shorter than its headers or its IP length */	\
	X(BAD_HEADER, bad_header)	/* IP version or header length, martian source */ \
	X(BAD_IP_CSUM, bad_ip_csum)						\
	X(BAD_LEN, bad_len)		/* UDP length disagrees with the IP length */	\
	X(BAD_UDP_CSUM, bad_udp_csum)						\
	X(IP_OPTIONS, ip_options)						\
	X(FRAGMENT, fragment)							\
	X(EXT_HEADER, ext_header)	/* an IPv6 extension header it cannot follow */	\
	X(NO_MEM, no_mem)

enum cxx_netpoll_rx_reason {
#define CXX_NETPOLL_RX_ENUM(upper, lower) CXX_NETPOLL_RX_##upper,
	CXX_NETPOLL_RX_REASON_LIST(CXX_NETPOLL_RX_ENUM)
#undef CXX_NETPOLL_RX_ENUM
	CXX_NETPOLL_RX_REASONS
};

/* Counted per netpoll (debugfs cxx_netpoll/<name>-<dev>-<id>). */
struct cxx_netpoll_stats {
#define CXX_NETPOLL_STAT_FIELD(name) unsigned long long name;
	CXX_NETPOLL_TX_COUNTERS(CXX_NETPOLL_STAT_FIELD)
#undef CXX_NETPOLL_STAT_FIELD
	unsigned long long queued;		/* now: deferred, not yet sent */
	/* Receive (with rx_hook): every frame the device received, classified once. */
	unsigned long long rx[CXX_NETPOLL_RX_REASONS];
};

/* The sum of the drop counters. */
static inline unsigned long long cxx_netpoll_dropped(const struct cxx_netpoll_stats *s)
{
	unsigned long long n = 0;
#define CXX_NETPOLL_ADD_DROP(name) n += s->name;
	CXX_NETPOLL_TX_DROPS(CXX_NETPOLL_ADD_DROP)
#undef CXX_NETPOLL_ADD_DROP
	return n;
}

int cxx_netpoll_parse_options(struct cxx_netpoll *np, const char *opt);
/* An IPv4 or IPv6 address, the whole of s[0..len) (IPv6 if it holds a ':'), as the option
 * parser reads it: 0 (IPv4) or 1 (IPv6) and *addr set, or -EINVAL and *addr unchanged. */
int cxx_netpoll_parse_addr(const char *s, unsigned int len, union cxx_netpoll_addr *addr);
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
/* Consumes skb (skb->dev must be np->dev). Returns NETDEV_TX_OK (0) or NET_XMIT_DROP (1).
 * Nested in a registered upper's xmit for a cxx netpoll's send, it runs in that sender's
 * context (never polls if the sender must not, or from hard IRQ) and what the lower device
 * cannot take at once goes back to the sender, which keeps it in order in its own deferred
 * queue and counts it once (returns 0). */
int cxx_netpoll_send_skb(struct cxx_netpoll *np, struct sk_buff *skb);
/* The same for one of several copies of a datagram (a bond's broadcast): nested in an upper's
 * send, what the lower device cannot take now waits in the lower netpoll's own queue (the
 * copies that went are not sent again); the sender counts the datagram sent once a copy went
 * or waits. Not nested: cxx_netpoll_send_skb. */
int cxx_netpoll_send_skb_copy(struct cxx_netpoll *np, struct sk_buff *skb);
/* For an upper that can choose another lower device (a bond during an oops): nested in its
 * xmit, as cxx_netpoll_send_skb, but what this lower device cannot take now is returned
 * untouched (NULL: sent or dropped, counted). Give back what no lower device took with
 * cxx_netpoll_hold_skb (the sender keeps it, as cxx_netpoll_send_skb would). Not nested:
 * cxx_netpoll_send_skb, NULL. */
struct sk_buff *cxx_netpoll_try_send_skb(struct cxx_netpoll *np, struct sk_buff *skb);
/* Nested in an upper's xmit for a cxx netpoll's send: the sender keeps skb in its deferred
 * queue (tried again through the upper later) and 1 is returned. Not nested (the kernel's
 * netpoll, or no netpoll at all): 0, and skb is left to the caller. */
int cxx_netpoll_hold_skb(struct sk_buff *skb);
void cxx_netpoll_poll_dev(struct net_device *dev);
/* Attached, and an RCU grace period has passed since (__cxx_netpoll_setup publishes at once;
 * until then a stacked driver neither sends through it nor polls its device). Any context. */
int cxx_netpoll_ready(const struct cxx_netpoll *np);
/* panic() has stopped the other CPUs (its notifiers have run): a lock or skb they, or the
 * context the panic interrupted on this CPU, held is never given back. Any context. */
int cxx_netpoll_in_panic(void);

/*
 * A stacked driver whose ndo_start_xmit, while netpoll_tx_running, hands every skb to
 * cxx_netpoll_send_skb on a lower device's netpoll (or drops it) and whose
 * ndo_poll_controller polls only through cxx_netpoll_poll_dev (cxx_bonding) registers its
 * net_device_ops, at module init, before any device of it exists. A cxx netpoll on such a
 * device then sends inline from any context, as on a NIC, instead of deferring as for other
 * stacked devices (whose xmit reaches the kernel's netpoll, which polls drivers). Returns 0
 * or -ENOSPC. Unregister at module exit, after the last device is gone.
 */
int cxx_netpoll_register_upper(const struct net_device_ops *ops);
void cxx_netpoll_unregister_upper(const struct net_device_ops *ops);

/* Counters so far (zero if never attached). Any context. */
void cxx_netpoll_get_stats(const struct cxx_netpoll *np, struct cxx_netpoll_stats *stats);
/* "delivered", "not_ip", ...: the debugfs names of enum cxx_netpoll_rx_reason. */
const char *cxx_netpoll_rx_reason_name(unsigned int reason);

#ifdef __cplusplus
}
#endif

#endif /* CXX_NETPOLL_H */
