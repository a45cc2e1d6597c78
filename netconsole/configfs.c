// SPDX-License-Identifier: GPL-2.0
/*
 * configfs targets under /sys/kernel/config/cxx_netconsole/<target>/, with 6.1's attribute
 * names: attribute glue. The target (target.cpp) validates what is written with 6.1's rules:
 * created disabled with 6.1's defaults; extended, dev_name, local_port, remote_port, local_ip,
 * remote_ip, remote_mac change only while disabled; local_mac is read-only. Beyond 6.1: a
 * read-only `stats` with the target's counters, `resend_ms` (the resend window after a bond
 * failover, changed only while disabled), stricter address parsing, and -EBUSY (not -EINVAL)
 * for a change while enabled.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/configfs.h>
#include <linux/etherdevice.h>
#include <linux/inet.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "main.h"

struct cxxnc_item {
	struct config_item item;
	struct cxxnc_target *t;
};

static struct cxxnc_target *to_target(struct config_item *item)
{
	return container_of(item, struct cxxnc_item, item)->t;
}

static struct cxx_netpoll *to_np(struct config_item *item)
{
	return cxxnc_target_np(to_target(item));
}

/* --- show ------------------------------------------------------------------------------------ */

static ssize_t enabled_show(struct config_item *item, char *buf)
{
	return sysfs_emit(buf, "%d\n", cxxnc_target_enabled(to_target(item)));
}

static ssize_t extended_show(struct config_item *item, char *buf)
{
	return sysfs_emit(buf, "%d\n", cxxnc_target_extended(to_target(item)));
}

static ssize_t dev_name_show(struct config_item *item, char *buf)
{
	return sysfs_emit(buf, "%s\n", to_np(item)->dev_name);
}

static ssize_t local_port_show(struct config_item *item, char *buf)
{
	return sysfs_emit(buf, "%d\n", to_np(item)->local_port);
}

static ssize_t resend_ms_show(struct config_item *item, char *buf)
{
	return sysfs_emit(buf, "%u\n", cxxnc_target_resend_ms(to_target(item)));
}

static ssize_t remote_port_show(struct config_item *item, char *buf)
{
	return sysfs_emit(buf, "%d\n", to_np(item)->remote_port);
}

static ssize_t show_ip(const struct cxx_netpoll *np, const union cxx_netpoll_addr *a, char *buf)
{
	if (np->ipv6)
		return sysfs_emit(buf, "%pI6c\n", a->ip6);
	return sysfs_emit(buf, "%pI4\n", &a->ip);
}

static ssize_t local_ip_show(struct config_item *item, char *buf)
{
	return show_ip(to_np(item), &to_np(item)->local_ip, buf);
}

static ssize_t remote_ip_show(struct config_item *item, char *buf)
{
	return show_ip(to_np(item), &to_np(item)->remote_ip, buf);
}

static ssize_t local_mac_show(struct config_item *item, char *buf)
{
	static const u8 bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct net_device *dev;
	ssize_t ret;

	rtnl_lock();
	dev = cxxnc_target_dev(to_target(item));
	ret = sysfs_emit(buf, "%pM\n", dev ? dev->dev_addr : bcast);
	rtnl_unlock();
	return ret;
}

static ssize_t remote_mac_show(struct config_item *item, char *buf)
{
	return sysfs_emit(buf, "%pM\n", to_np(item)->remote_mac);
}

static ssize_t stats_show(struct config_item *item, char *buf)
{
	ssize_t ret;

	mutex_lock(&cxxnc_config_mutex);
	ret = cxxnc_format_stats(buf, PAGE_SIZE, to_target(item), '\n');
	mutex_unlock(&cxxnc_config_mutex);
	return ret;
}

/* --- store: the target validates (6.1's rules and messages) ------------------------------ */

static ssize_t store(struct config_item *item, enum cxxnc_attr attr, const char *buf,
		     size_t count)
{
	int err;

	mutex_lock(&cxxnc_config_mutex);
	err = cxxnc_target_store(to_target(item), attr, buf, count);
	mutex_unlock(&cxxnc_config_mutex);
	return err ? err : strnlen(buf, count);
}

#define CXXNC_STORE(name, attr)                                                          \
	static ssize_t name##_store(struct config_item *item, const char *buf, size_t count) \
	{                                                                                \
		return store(item, attr, buf, count);                                    \
	}
CXXNC_STORE(enabled, CXXNC_ATTR_ENABLED)
CXXNC_STORE(extended, CXXNC_ATTR_EXTENDED)
CXXNC_STORE(dev_name, CXXNC_ATTR_DEV_NAME)
CXXNC_STORE(local_port, CXXNC_ATTR_LOCAL_PORT)
CXXNC_STORE(remote_port, CXXNC_ATTR_REMOTE_PORT)
CXXNC_STORE(local_ip, CXXNC_ATTR_LOCAL_IP)
CXXNC_STORE(remote_ip, CXXNC_ATTR_REMOTE_IP)
CXXNC_STORE(remote_mac, CXXNC_ATTR_REMOTE_MAC)
CXXNC_STORE(resend_ms, CXXNC_ATTR_RESEND_MS)

CONFIGFS_ATTR(, enabled);
CONFIGFS_ATTR(, extended);
CONFIGFS_ATTR(, dev_name);
CONFIGFS_ATTR(, local_port);
CONFIGFS_ATTR(, remote_port);
CONFIGFS_ATTR(, local_ip);
CONFIGFS_ATTR(, remote_ip);
CONFIGFS_ATTR_RO(, local_mac);
CONFIGFS_ATTR(, remote_mac);
CONFIGFS_ATTR(, resend_ms);
CONFIGFS_ATTR_RO(, stats);

static struct configfs_attribute *cxxnc_target_attrs[] = {
	&attr_enabled,
	&attr_extended,
	&attr_dev_name,
	&attr_local_port,
	&attr_remote_port,
	&attr_local_ip,
	&attr_remote_ip,
	&attr_local_mac,
	&attr_remote_mac,
	&attr_resend_ms,
	&attr_stats,
	NULL,
};

/* --- items ----------------------------------------------------------------------------------- */

static void cxxnc_target_release(struct config_item *item)
{
	struct cxxnc_item *ci = container_of(item, struct cxxnc_item, item);

	cxxnc_target_free(ci->t);
	kfree(ci);
}

static struct configfs_item_operations cxxnc_target_item_ops = {
	.release	= cxxnc_target_release,
};

static const struct config_item_type cxxnc_target_type = {
	.ct_attrs	= cxxnc_target_attrs,
	.ct_item_ops	= &cxxnc_target_item_ops,
	.ct_owner	= THIS_MODULE,
};

/* Created disabled, with 6.1's defaults. */
static struct config_item *make_target(struct config_group *group, const char *name)
{
	struct cxxnc_item *ci = kzalloc(sizeof(*ci), GFP_KERNEL);
	int err;

	if (!ci)
		return ERR_PTR(-ENOMEM);
	err = cxxnc_target_alloc(name, &ci->t);
	if (err) {
		kfree(ci);
		return ERR_PTR(err);
	}
	config_item_init_type_name(&ci->item, name, &cxxnc_target_type);
	mutex_lock(&cxxnc_config_mutex);
	cxxnc_target_list_add(ci->t);
	mutex_unlock(&cxxnc_config_mutex);
	return &ci->item;
}

static void drop_target(struct config_group *group, struct config_item *item)
{
	struct cxxnc_target *t = to_target(item);

	mutex_lock(&cxxnc_config_mutex);
	cxxnc_target_list_del(t);
	/* Always, enabled or not: it also waits (RTNL) for a notifier still stopping it. */
	cxxnc_target_disable(t);
	mutex_unlock(&cxxnc_config_mutex);
	config_item_put(item);
}

static struct configfs_group_operations cxxnc_group_ops = {
	.make_item	= make_target,
	.drop_item	= drop_target,
};

static const struct config_item_type cxxnc_subsys_type = {
	.ct_group_ops	= &cxxnc_group_ops,
	.ct_owner	= THIS_MODULE,
};

static struct configfs_subsystem cxxnc_subsys = {
	.su_group = {
		.cg_item = {
			.ci_namebuf	= "cxx_netconsole",
			.ci_type	= &cxxnc_subsys_type,
		},
	},
};

int cxxnc_configfs_init(void)
{
	config_group_init(&cxxnc_subsys.su_group);
	mutex_init(&cxxnc_subsys.su_mutex);
	return configfs_register_subsystem(&cxxnc_subsys);
}

void cxxnc_configfs_exit(void)
{
	configfs_unregister_subsystem(&cxxnc_subsys);
}
