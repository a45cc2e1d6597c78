/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cxx_netpoll's C shims: the kernel calls the C++ core needs, over opaque pointers. Plain C,
 * no kernel includes. No policy here: each function is one kernel operation.
 */
#ifndef CXXNP_SHIM_H
#define CXXNP_SHIM_H

#ifdef __cplusplus
extern "C" {
#endif

struct net_device;
struct sk_buff;
struct napi_struct;
struct netdev_queue;
/* The kernel objects one attached netpoll (netpoll::State, cxx_netpoll_state to C users)
 * owns: its kernel struct netpoll, queues, pool, work items, ingress hook, debugfs file. */
struct cxxnp_kobjs;

/* --- netpoll_shim.c: the kernel objects of one State ------------------------------------- */
/* Allocates the kernel struct netpoll, the deferred queue, the skb pool and two work items,
 * whose handlers call cxxnp_tx_work(owner) and cxxnp_refill_work(owner). */
struct cxxnp_kobjs *cxxnp_kobjs_alloc(void *owner);
void cxxnp_kobjs_free(struct cxxnp_kobjs *k);		/* queues purged, works idle */
/* __netpoll_setup on dev + a tracked reference (RTNL held). */
int cxxnp_kobjs_attach(struct cxxnp_kobjs *k, struct net_device *dev, const char *name);
/* __netpoll_cleanup + the reference dropped (RTNL held). */
void cxxnp_kobjs_detach(struct cxxnp_kobjs *k, struct net_device *dev);
void cxxnp_kobjs_schedule_tx(struct cxxnp_kobjs *k, unsigned int delay_ms);
void cxxnp_kobjs_schedule_refill(struct cxxnp_kobjs *k);
void cxxnp_kobjs_cancel_works(struct cxxnp_kobjs *k);
/* The netdev-ingress hook on dev (RTNL held): each frame goes to cxxnp_rx(owner, skb). */
int cxxnp_kobjs_rx_register(struct cxxnp_kobjs *k, struct net_device *dev);
void cxxnp_kobjs_rx_unregister(struct cxxnp_kobjs *k);	/* if registered; waits for running hooks */
void cxxnp_kobjs_debugfs_add(struct cxxnp_kobjs *k, const char *name);
void cxxnp_kobjs_debugfs_remove(struct cxxnp_kobjs *k);

unsigned int cxxnp_txq_len(struct cxxnp_kobjs *k);
/* tail/head: 0, or -EBUSY in NMI with the lock held (stuck: see netpoll_shim.c). */
int cxxnp_txq_stuck(struct cxxnp_kobjs *k);
int cxxnp_txq_tail(struct cxxnp_kobjs *k, struct sk_buff *skb);
int cxxnp_txq_head(struct cxxnp_kobjs *k, struct sk_buff *skb);
struct sk_buff *cxxnp_txq_dequeue(struct cxxnp_kobjs *k);
unsigned int cxxnp_txq_purge(struct cxxnp_kobjs *k);	/* returns how many were dropped */

/* The frame tx_work has in the driver (see netpoll_shim.c): a copy saved before the xmit and
 * cleared after it; take reads the length and clears it (0: none); restore writes the saved
 * frame into skb (headroom reserved first; room for len needed). */
int cxxnp_inflight_alloc(struct cxxnp_kobjs *k, unsigned int cap);	/* GFP_KERNEL */
void cxxnp_inflight_save(struct cxxnp_kobjs *k, const struct sk_buff *skb);
void cxxnp_inflight_clear(struct cxxnp_kobjs *k);
unsigned int cxxnp_inflight_len(struct cxxnp_kobjs *k);
unsigned int cxxnp_inflight_take(struct cxxnp_kobjs *k);
void cxxnp_inflight_restore(struct cxxnp_kobjs *k, struct sk_buff *skb, struct net_device *dev,
			    unsigned int headroom, unsigned int len);
unsigned int cxxnp_pool_len(struct cxxnp_kobjs *k);
struct sk_buff *cxxnp_pool_get(struct cxxnp_kobjs *k, unsigned int size);
int cxxnp_pool_add(struct cxxnp_kobjs *k, unsigned int size);	/* GFP_KERNEL; 0/-ENOMEM */

/* Callbacks into C++ (defined in state.cpp). */
void cxxnp_tx_work(void *owner);
void cxxnp_refill_work(void *owner);
void cxxnp_stats_fill(void *owner, unsigned long long *vals, unsigned int n);
enum cxxnp_rx_verdict {
	CXXNP_RX_PASS,		/* not ours (or malformed, not known to be ours): to the stack */
	CXXNP_RX_DROP,		/* addressed to us but malformed: freed, counted */
	CXXNP_RX_CONSUMED,	/* delivered to the hook: freed by the shim */
};
enum cxxnp_rx_verdict cxxnp_rx(void *owner, struct sk_buff *skb);
void cxxnp_rx_stats_fill(void *owner, unsigned long long *vals, unsigned int n);

/* --- skb_shim.c: buffers --------------------------------------------------------------------- */
struct sk_buff *cxxnp_skb_alloc(unsigned int size);	/* GFP_ATOMIC, no warning */
/* Reserve headroom and put frame_len bytes; returns the frame's first byte. */
unsigned char *cxxnp_skb_frame(struct sk_buff *skb, unsigned int headroom,
			       unsigned int frame_len);
void cxxnp_skb_set_headers(struct sk_buff *skb, struct net_device *dev, unsigned short proto,
			   unsigned int l3_offset, unsigned int l4_offset);
void cxxnp_skb_free_irq(struct sk_buff *skb);		/* dev_kfree_skb_irq: any context */
/* skb_clone (GFP_ATOMIC), NULL without memory; and whether skb's data has another user
 * (a clone not freed yet). */
struct sk_buff *cxxnp_skb_clone(struct sk_buff *skb);
int cxxnp_skb_data_shared(const struct sk_buff *skb);
/* In NMI (see xmit_leaf): an extra reference held across the driver's xmit tells when the
 * driver has let go (skb ours alone again: sole); unhold drops it, or returns 1 when the
 * driver's reference is gone already and skb is ours alone. A sole skb may be recycled for
 * the next frame built in NMI (nmi_take: NULL if none, or too small for size); whatever is
 * not recyclable is left alone. nmi_spare_free at module exit. */
void cxxnp_skb_hold(struct sk_buff *skb);
int cxxnp_skb_sole(const struct sk_buff *skb);
int cxxnp_skb_unhold(struct sk_buff *skb);
void cxxnp_skb_nmi_recycle(struct sk_buff *skb);
struct sk_buff *cxxnp_skb_nmi_take(unsigned int size);
void cxxnp_skb_nmi_spare_free(void);

/* --- skb_shim.c: read-only views of a received skb (shared, possibly nonlinear) ----------- */
enum cxxnp_csum_state {		/* skb->ip_summed */
	CXXNP_CSUM_NONE,
	CXXNP_CSUM_UNNECESSARY,
	CXXNP_CSUM_COMPLETE,
	CXXNP_CSUM_PARTIAL,
};
struct cxxnp_rx_skb {
	unsigned int len;		/* bytes from the network header (skb->data) on */
	unsigned int csum;		/* skb->csum over those bytes, if CHECKSUM_COMPLETE */
	unsigned short protocol;	/* skb->protocol, host order */
	unsigned char pkt_type;		/* PACKET_HOST == 0, PACKET_OTHERHOST == 3 */
	unsigned char ip_summed;	/* enum cxxnp_csum_state */
	unsigned char gso;
	unsigned char has_mac;		/* an Ethernet header precedes skb->data */
	unsigned char vlan_tagged;	/* still carries a VLAN tag: a VLAN device's frame */
	unsigned char dst_mac[6];
	unsigned char src_mac[6];
};
void cxxnp_rx_describe(const struct sk_buff *skb, struct cxxnp_rx_skb *out);
/* Copies len bytes at offset off (from skb->data): 0 or -EFAULT if the skb is shorter. */
int cxxnp_rx_copy(const struct sk_buff *skb, unsigned int off, void *to, unsigned int len);
/* skb->data + off if those len bytes are in the linear part, else NULL. */
const void *cxxnp_rx_linear(const struct sk_buff *skb, unsigned int off, unsigned int len);
/* One's complement sum (32 bits, unfolded, as csum_partial) of len bytes at off, plus sum. */
unsigned int cxxnp_rx_csum(const struct sk_buff *skb, unsigned int off, unsigned int len,
			   unsigned int sum);
void *cxxnp_rx_buf_alloc(unsigned int len);	/* GFP_ATOMIC, no warning */
void cxxnp_rx_buf_free(void *buf);

/* --- netdev_shim.c: devices, polling, xmit (RTNL, RCU, time: include/shim/support.h) --- */
unsigned long cxxnp_jiffies(void);
unsigned int cxxnp_jiffies_to_msecs(unsigned long j);

/* RTNL held; current netns; returns a device without a reference. */
struct net_device *cxxnp_dev_by_name(const char *name);
const char *cxxnp_dev_name(struct net_device *dev);
const unsigned char *cxxnp_dev_addr(struct net_device *dev);
int cxxnp_dev_has_master(struct net_device *dev);
int cxxnp_dev_registered(struct net_device *dev);
int cxxnp_dev_is_stacked(struct net_device *dev);	/* has ndo_netpoll_setup (vlan, bond...) */
int cxxnp_dev_is_bond_master(struct net_device *dev);	/* slaves' frames reach it */
/* Its ops are registered with cxx_netpoll_register_upper (main.c). */
int cxxnp_dev_is_cxx_upper(struct net_device *dev);
int cxxnp_dev_running(struct net_device *dev);
int cxxnp_dev_present(struct net_device *dev);
int cxxnp_dev_carrier_ok(struct net_device *dev);
int cxxnp_dev_open(struct net_device *dev);
void cxxnp_dev_hold(struct net_device *dev);
void cxxnp_dev_put(struct net_device *dev);
unsigned int cxxnp_dev_headroom(struct net_device *dev);	/* LL_RESERVED_SPACE */
unsigned int cxxnp_dev_tailroom(struct net_device *dev);
/* Local address selection (RTNL held): 0 or -EDESTADDRREQ. */
int cxxnp_dev_ipv4_addr(struct net_device *dev, unsigned int *addr);
int cxxnp_dev_ipv6_addr(struct net_device *dev, const unsigned char *remote,
			unsigned char *addr);

/* Transmit. */
enum cxxnp_xmit {
	CXXNP_XMIT_DONE,	/* the driver took the skb */
	CXXNP_XMIT_BUSY,	/* lock not taken, queue stopped or driver busy: skb still ours */
	CXXNP_XMIT_DROPPED,	/* consumed without being sent (VLAN push failed) */
};
struct netdev_queue *cxxnp_pick_txq(struct net_device *dev, struct sk_buff *skb);
/* The queue skb->queue_mapping names, bounded by the real queue count. */
struct netdev_queue *cxxnp_mapped_txq(struct net_device *dev, struct sk_buff *skb);
/* IRQs off; takes the queue's tx lock with trylock only. */
enum cxxnp_xmit cxxnp_xmit(struct net_device *dev, struct netdev_queue *txq,
			   struct sk_buff *skb);

/* This CPU's innermost send through a registered upper (netpoll::Nest), IRQs off. */
void *cxxnp_nest_swap(void *nest);	/* returns the one it replaces */
void *cxxnp_nest_current(void);
int cxxnp_in_nmi(void);
void cxxnp_skb_set_dev(struct sk_buff *skb, struct net_device *dev);
/* RCU grace-period cookies (get_state_synchronize_rcu / poll_state_synchronize_rcu). */
unsigned long cxxnp_rcu_cookie(void);
int cxxnp_rcu_cookie_passed(unsigned long cookie);

/* Polling (IRQs off). */
/* npinfo present and its dev_lock taken: returns it (for the unlock), else NULL. */
void *cxxnp_npinfo_trylock(struct net_device *dev);
void cxxnp_npinfo_unlock(void *npinfo);
int cxxnp_local_xmit_active(struct net_device *dev);	/* this CPU holds a tx queue lock */
/* Some tx queue's lock is held (by any CPU). */
int cxxnp_dev_xmit_locked(struct net_device *dev);
/* Some tx queue lock of a device below dev (any depth) is held. RCU read side. */
int cxxnp_lowers_xmit_locked(struct net_device *dev);
/* Lockdep looks away (this task) between the two: a panic's last polls, see poll_dev. */
void cxxnp_lockdep_off(void);
void cxxnp_lockdep_on(void);
void cxxnp_poll_controller(struct net_device *dev);	/* ndo_poll_controller, if any */
struct napi_struct *cxxnp_napi_next(struct net_device *dev, struct napi_struct *napi);
int cxxnp_napi_owner_is_this_cpu(struct napi_struct *napi);
int cxxnp_napi_claim(struct napi_struct *napi);	/* cmpxchg(poll_owner, -1, cpu) */
void cxxnp_napi_release(struct napi_struct *napi);
int cxxnp_napi_svc_begin(struct napi_struct *napi);	/* test_and_set NAPI_STATE_NPSVC */
int cxxnp_napi_poll_tx(struct napi_struct *napi);	/* napi->poll(napi, 0) */
void cxxnp_napi_svc_end(struct napi_struct *napi);
void cxxnp_zap_completion_queue(void);

/* Parsing helpers of lib/ (in4_pton, in6_pton, mac_pton, kstrtou16): 0 on success. */
int cxxnp_parse_ipv4(const char *s, unsigned int len, unsigned char *out);
int cxxnp_parse_ipv6(const char *s, unsigned int len, unsigned char *out);
int cxxnp_parse_mac(const char *s, unsigned char *out);
int cxxnp_parse_u16(const char *s, unsigned int len, unsigned short *out);

#ifdef __cplusplus
}
#endif

#endif /* CXXNP_SHIM_H */
