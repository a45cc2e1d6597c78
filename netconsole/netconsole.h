/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cxx_netconsole: the C++ entry points (targets, the write path, netdev events, counters), C
 * linkage, as main.c and configfs.c see them. Plain C, no kernel includes. The kernel calls
 * the C++ side needs are in shim.h.
 */
#ifndef CXXNC_NETCONSOLE_H
#define CXXNC_NETCONSOLE_H

#include "../include/cxx_netpoll.h"

#ifdef __cplusplus
extern "C" {
#endif

struct net_device;
struct cxxnc_target;

/* Counters of one target. Nothing is lost silently: every console record handed to an enabled
 * target is either sent (fragments, bytes) or counted under a drop reason here or in np. */
struct cxxnc_stats {
	unsigned long long messages;		/* console records handed to this target */
	unsigned long long fragments;		/* datagrams handed to the netpoll core */
	unsigned long long bytes;		/* UDP payload bytes in them */
	unsigned long long drop_dev_down;	/* records skipped: device not running */
	unsigned long long drop_format;		/* extended records that could not be split */
	unsigned long long resent;		/* datagrams sent again after a failover */
	unsigned long long resend_evicted;	/* younger than the window, evicted for room */
	struct cxx_netpoll_stats np;		/* the core's, summed over every enable */
};

/* --- target.cpp -------------------------------------------------------------------------- */
void cxxnc_init(void);				/* module init, before any other call */
/* Process context. A disabled, unlisted target with 6.1's defaults into *out: 0 or -ENOMEM. */
int cxxnc_target_alloc(const char *name, struct cxxnc_target **out);
void cxxnc_target_free(struct cxxnc_target *t);	/* disabled and unlisted */
/* "[+]options" of the netconsole= parameter into a fresh target: 0 or -EINVAL. */
int cxxnc_target_parse(struct cxxnc_target *t, const char *opt, unsigned int len);
/* Calls fn(opt, len, arg) for each ';'-separated target of config; stops at an error. */
int cxxnc_for_each_param_target(const char *config,
				int (*fn)(const char *opt, unsigned int len, void *arg), void *arg);
void cxxnc_target_list_add(struct cxxnc_target *t);
void cxxnc_target_list_del(struct cxxnc_target *t);
/* Process context, may sleep, takes RTNL; the caller serialises enable/disable/changes. */
int cxxnc_target_enable(struct cxxnc_target *t);
int cxxnc_target_disable(struct cxxnc_target *t);	/* 0, or -EALREADY if already stopped */
int cxxnc_target_enabled(const struct cxxnc_target *t);
int cxxnc_target_extended(const struct cxxnc_target *t);
/* configfs attributes a user writes. */
enum cxxnc_attr {
	CXXNC_ATTR_ENABLED,
	CXXNC_ATTR_EXTENDED,
	CXXNC_ATTR_DEV_NAME,
	CXXNC_ATTR_LOCAL_PORT,
	CXXNC_ATTR_REMOTE_PORT,
	CXXNC_ATTR_LOCAL_IP,
	CXXNC_ATTR_REMOTE_IP,
	CXXNC_ATTR_REMOTE_MAC,
	CXXNC_ATTR_RESEND_MS,		/* beyond 6.1: the resend window, 0 (off) to 60000 */
};
/* Config mutex held: one attribute write (buf NUL-terminated, len bytes as written), validated
 * with 6.1's rules and messages. 0, or a negative errno and nothing changed. */
int cxxnc_target_store(struct cxxnc_target *t, enum cxxnc_attr attr, const char *buf,
		       unsigned int len);
const char *cxxnc_target_name(const struct cxxnc_target *t);
struct cxx_netpoll *cxxnc_target_np(struct cxxnc_target *t);
/* RTNL held (the core's counters are read under it). */
void cxxnc_target_stats(const struct cxxnc_target *t, struct cxxnc_stats *st);
/* RTNL held: dev of an enabled target, else NULL. */
struct net_device *cxxnc_target_dev(const struct cxxnc_target *t);
/* Process context, under the caller's configuration lock (targets do not come or go). */
void cxxnc_for_each_target(void (*fn)(struct cxxnc_target *t, void *arg), void *arg);

/* The consoles' write: any context (hard IRQ, IRQs off, oops, panic). */
void cxxnc_write(const char *msg, unsigned int len, int extended);
/* Records not written: the target lock stayed held during an oops (a CPU died holding it). */
unsigned long long cxxnc_drop_locked(void);

/* LOWER_DOWN: a slave of dev (a bond) that carried traffic lost its link; FAILOVER: dev's
 * active slave changed; LOWER_CARRIER_ON: a slave of dev has carrier again after losing it
 * (LOWER_CARRIER_OFF), maybe too briefly for the bond to notice. All but CARRIER_OFF arm the
 * resend of the targets on dev (cxxnc_resend_armed, from the work cxxnc_schedule_resend
 * queues). */
enum cxxnc_event { CXXNC_EV_CHANGENAME, CXXNC_EV_UNREGISTER, CXXNC_EV_JOIN, CXXNC_EV_RELEASE,
		   CXXNC_EV_LOWER_DOWN, CXXNC_EV_FAILOVER, CXXNC_EV_LOWER_CARRIER_OFF,
		   CXXNC_EV_LOWER_CARRIER_ON };
void cxxnc_netdev_event(struct net_device *dev, enum cxxnc_event ev);	/* RTNL held */
void cxxnc_resend_armed(void);		/* process context, config mutex held */
unsigned int cxxnc_target_resend_ms(const struct cxxnc_target *t);

#ifdef __cplusplus
}
#endif

#endif /* CXXNC_NETCONSOLE_H */
