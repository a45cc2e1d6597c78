// SPDX-License-Identifier: GPL-2.0
/*
 * cxx_bonding's sysfs, with 6.1's files, names and modes: /sys/class/net/bonding_masters
 * (+bondX creates, -bondX deletes), <bond>/bonding/<option> (reading prints what
 * sysfs.cpp formats; writing sets the option, as `ip link set ... type bond` does) and
 * <slave>/bonding_slave/. Glue only: the option logic is the C++ side's.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/sysfs.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "main.h"
#include "bonding.h"
#include "shim.h"

int cxxbond_emit(char *buf, int at, const char *fmt, ...)
{
	va_list args;
	int len;

	if (at < 0 || at >= PAGE_SIZE)
		return 0;
	va_start(args, fmt);
	len = vscnprintf(buf + at, PAGE_SIZE - at, fmt, args);
	va_end(args);
	return len;
}

/* --- <bond>/bonding/ ------------------------------------------------------------------------ */

struct cxxbond_dev_attr {
	struct device_attribute attr;
	int id;			/* enum cxxbond_opt or enum cxxbond_attr */
};

static ssize_t cxxbond_attr_show(struct device *d, struct device_attribute *attr, char *buf)
{
	const struct cxxbond_dev_attr *a = container_of(attr, struct cxxbond_dev_attr, attr);
	struct net_device *bond_dev = to_net_dev(d);
	ssize_t n;

	if (a->id == CXXBOND_OPT_SLAVES || a->id == CXXBOND_OPT_QUEUE_ID ||
	    a->id == CXXBOND_OPT_PRIMARY) {
		if (!rtnl_trylock())
			return restart_syscall();
		n = cxxbond_sysfs_show(bond_dev, a->id, buf);
		rtnl_unlock();
		return n;
	}
	rcu_read_lock();
	n = cxxbond_sysfs_show(bond_dev, a->id, buf);
	rcu_read_unlock();
	return n;
}

static ssize_t cxxbond_attr_store(struct device *d, struct device_attribute *attr,
				  const char *buf, size_t count)
{
	const struct cxxbond_dev_attr *a = container_of(attr, struct cxxbond_dev_attr, attr);
	struct net_device *bond_dev = to_net_dev(d);
	struct cxxbond_optval v = { 0, NULL };
	char *copy, *nl;
	int err;

	copy = kstrndup(buf, count, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	/* As 6.1's option parser: the value ends at the newline. */
	nl = strchr(copy, '\n');
	if (nl)
		*nl = '\0';
	if (!rtnl_trylock()) {
		kfree(copy);
		return restart_syscall();
	}
	v.str = copy;
	err = cxxbond_set_option(bond_dev, a->id, &v, NULL);
	if (!err && bond_dev->reg_state == NETREG_REGISTERED)
		call_netdevice_notifiers(NETDEV_CHANGEINFODATA, bond_dev);
	rtnl_unlock();
	kfree(copy);
	return err ? err : count;
}

#define CXXBOND_ATTR(_name, _mode, _id)						\
	static struct cxxbond_dev_attr cxxbond_attr_##_name = {			\
		.attr = __ATTR(_name, _mode, cxxbond_attr_show,			\
			       (_mode) & 0200 ? cxxbond_attr_store : NULL),	\
		.id = _id,							\
	}

/* 6.1's per_bond_attrs, in its order. */
CXXBOND_ATTR(slaves, 0644, CXXBOND_OPT_SLAVES);
CXXBOND_ATTR(mode, 0644, CXXBOND_OPT_MODE);
CXXBOND_ATTR(fail_over_mac, 0644, CXXBOND_OPT_FAIL_OVER_MAC);
CXXBOND_ATTR(arp_validate, 0644, CXXBOND_OPT_ARP_VALIDATE);
CXXBOND_ATTR(arp_all_targets, 0644, CXXBOND_OPT_ARP_ALL_TARGETS);
CXXBOND_ATTR(arp_interval, 0644, CXXBOND_OPT_ARP_INTERVAL);
CXXBOND_ATTR(arp_ip_target, 0644, CXXBOND_OPT_ARP_IP_TARGET);
CXXBOND_ATTR(downdelay, 0644, CXXBOND_OPT_DOWNDELAY);
CXXBOND_ATTR(updelay, 0644, CXXBOND_OPT_UPDELAY);
CXXBOND_ATTR(peer_notif_delay, 0644, CXXBOND_OPT_PEER_NOTIF_DELAY);
CXXBOND_ATTR(lacp_active, 0644, CXXBOND_OPT_AD_LACP_ACTIVE);
CXXBOND_ATTR(lacp_rate, 0644, CXXBOND_OPT_AD_LACP_RATE);
CXXBOND_ATTR(ad_select, 0644, CXXBOND_OPT_AD_SELECT);
CXXBOND_ATTR(xmit_hash_policy, 0644, CXXBOND_OPT_XMIT_HASH_POLICY);
CXXBOND_ATTR(num_grat_arp, 0644, CXXBOND_OPT_NUM_PEER_NOTIF);
CXXBOND_ATTR(num_unsol_na, 0644, CXXBOND_OPT_NUM_PEER_NOTIF);
CXXBOND_ATTR(miimon, 0644, CXXBOND_OPT_MIIMON);
CXXBOND_ATTR(primary, 0644, CXXBOND_OPT_PRIMARY);
CXXBOND_ATTR(primary_reselect, 0644, CXXBOND_OPT_PRIMARY_RESELECT);
CXXBOND_ATTR(use_carrier, 0644, CXXBOND_OPT_USE_CARRIER);
CXXBOND_ATTR(active_slave, 0644, CXXBOND_OPT_ACTIVE_SLAVE);
CXXBOND_ATTR(mii_status, 0444, CXXBOND_ATTR_MII_STATUS);
CXXBOND_ATTR(ad_aggregator, 0444, CXXBOND_ATTR_AD_INFO);
CXXBOND_ATTR(ad_num_ports, 0444, CXXBOND_ATTR_AD_INFO);
CXXBOND_ATTR(ad_actor_key, 0444, CXXBOND_ATTR_AD_INFO);
CXXBOND_ATTR(ad_partner_key, 0444, CXXBOND_ATTR_AD_INFO);
CXXBOND_ATTR(ad_partner_mac, 0444, CXXBOND_ATTR_AD_INFO);
CXXBOND_ATTR(queue_id, 0644, CXXBOND_OPT_QUEUE_ID);
CXXBOND_ATTR(all_slaves_active, 0644, CXXBOND_OPT_ALL_SLAVES_ACTIVE);
CXXBOND_ATTR(resend_igmp, 0644, CXXBOND_OPT_RESEND_IGMP);
CXXBOND_ATTR(min_links, 0644, CXXBOND_OPT_MIN_LINKS);
CXXBOND_ATTR(lp_interval, 0644, CXXBOND_OPT_LP_INTERVAL);
CXXBOND_ATTR(packets_per_slave, 0644, CXXBOND_OPT_PACKETS_PER_SLAVE);
CXXBOND_ATTR(tlb_dynamic_lb, 0644, CXXBOND_OPT_TLB_DYNAMIC_LB);
CXXBOND_ATTR(ad_actor_sys_prio, 0644, CXXBOND_OPT_AD_ACTOR_SYS_PRIO);
CXXBOND_ATTR(ad_actor_system, 0644, CXXBOND_OPT_AD_ACTOR_SYSTEM);
CXXBOND_ATTR(ad_user_port_key, 0644, CXXBOND_OPT_AD_USER_PORT_KEY);
CXXBOND_ATTR(arp_missed_max, 0644, CXXBOND_OPT_MISSED_MAX);

static struct attribute *cxxbond_attrs[] = {
	&cxxbond_attr_slaves.attr.attr,
	&cxxbond_attr_mode.attr.attr,
	&cxxbond_attr_fail_over_mac.attr.attr,
	&cxxbond_attr_arp_validate.attr.attr,
	&cxxbond_attr_arp_all_targets.attr.attr,
	&cxxbond_attr_arp_interval.attr.attr,
	&cxxbond_attr_arp_ip_target.attr.attr,
	&cxxbond_attr_downdelay.attr.attr,
	&cxxbond_attr_updelay.attr.attr,
	&cxxbond_attr_peer_notif_delay.attr.attr,
	&cxxbond_attr_lacp_active.attr.attr,
	&cxxbond_attr_lacp_rate.attr.attr,
	&cxxbond_attr_ad_select.attr.attr,
	&cxxbond_attr_xmit_hash_policy.attr.attr,
	&cxxbond_attr_num_grat_arp.attr.attr,
	&cxxbond_attr_num_unsol_na.attr.attr,
	&cxxbond_attr_miimon.attr.attr,
	&cxxbond_attr_primary.attr.attr,
	&cxxbond_attr_primary_reselect.attr.attr,
	&cxxbond_attr_use_carrier.attr.attr,
	&cxxbond_attr_active_slave.attr.attr,
	&cxxbond_attr_mii_status.attr.attr,
	&cxxbond_attr_ad_aggregator.attr.attr,
	&cxxbond_attr_ad_num_ports.attr.attr,
	&cxxbond_attr_ad_actor_key.attr.attr,
	&cxxbond_attr_ad_partner_key.attr.attr,
	&cxxbond_attr_ad_partner_mac.attr.attr,
	&cxxbond_attr_queue_id.attr.attr,
	&cxxbond_attr_all_slaves_active.attr.attr,
	&cxxbond_attr_resend_igmp.attr.attr,
	&cxxbond_attr_min_links.attr.attr,
	&cxxbond_attr_lp_interval.attr.attr,
	&cxxbond_attr_packets_per_slave.attr.attr,
	&cxxbond_attr_tlb_dynamic_lb.attr.attr,
	&cxxbond_attr_ad_actor_sys_prio.attr.attr,
	&cxxbond_attr_ad_actor_system.attr.attr,
	&cxxbond_attr_ad_user_port_key.attr.attr,
	&cxxbond_attr_arp_missed_max.attr.attr,
	NULL,
};

const struct attribute_group cxxbond_attr_group = {
	.name = "bonding",
	.attrs = cxxbond_attrs,
};

/* --- <slave>/bonding_slave/ ------------------------------------------------------------------- */

struct cxxbond_slave_kobj {
	struct kobject kobj;
	struct cxxbond_slave *slave;
};

struct cxxbond_slave_attribute {
	struct attribute attr;
	enum cxxbond_slave_attr id;
};

#define CXXBOND_SLAVE_ATTR(_name, _id)						\
	static struct cxxbond_slave_attribute cxxbond_slave_attr_##_name = {	\
		.attr = { .name = __stringify(_name), .mode = 0444 },		\
		.id = _id,							\
	}

CXXBOND_SLAVE_ATTR(state, CXXBOND_SLAVE_STATE);
CXXBOND_SLAVE_ATTR(mii_status, CXXBOND_SLAVE_MII_STATUS);
CXXBOND_SLAVE_ATTR(link_failure_count, CXXBOND_SLAVE_LINK_FAILURE_COUNT);
CXXBOND_SLAVE_ATTR(perm_hwaddr, CXXBOND_SLAVE_PERM_HWADDR);
CXXBOND_SLAVE_ATTR(queue_id, CXXBOND_SLAVE_QUEUE_ID);
CXXBOND_SLAVE_ATTR(ad_aggregator_id, CXXBOND_SLAVE_AD_INFO);
CXXBOND_SLAVE_ATTR(ad_actor_oper_port_state, CXXBOND_SLAVE_AD_INFO);
CXXBOND_SLAVE_ATTR(ad_partner_oper_port_state, CXXBOND_SLAVE_AD_INFO);

static struct attribute *cxxbond_slave_attrs[] = {
	&cxxbond_slave_attr_state.attr,
	&cxxbond_slave_attr_mii_status.attr,
	&cxxbond_slave_attr_link_failure_count.attr,
	&cxxbond_slave_attr_perm_hwaddr.attr,
	&cxxbond_slave_attr_queue_id.attr,
	&cxxbond_slave_attr_ad_aggregator_id.attr,
	&cxxbond_slave_attr_ad_actor_oper_port_state.attr,
	&cxxbond_slave_attr_ad_partner_oper_port_state.attr,
	NULL,
};
ATTRIBUTE_GROUPS(cxxbond_slave);

static ssize_t cxxbond_slave_show(struct kobject *kobj, struct attribute *attr, char *buf)
{
	struct cxxbond_slave_kobj *k = container_of(kobj, struct cxxbond_slave_kobj, kobj);
	struct cxxbond_slave_attribute *a =
		container_of(attr, struct cxxbond_slave_attribute, attr);

	return cxxbond_slave_sysfs_show(k->slave, a->id, buf);
}

static const struct sysfs_ops cxxbond_slave_sysfs_ops = {
	.show = cxxbond_slave_show,
};

static void cxxbond_slave_kobj_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct cxxbond_slave_kobj, kobj));
}

static struct kobj_type cxxbond_slave_ktype = {
	.release = cxxbond_slave_kobj_release,
	.sysfs_ops = &cxxbond_slave_sysfs_ops,
	.default_groups = cxxbond_slave_groups,
};

void *cxxbond_sysfs_slave_add(struct net_device *slave_dev, struct cxxbond_slave *slave)
{
	struct cxxbond_slave_kobj *k = kzalloc(sizeof(*k), GFP_KERNEL);

	if (!k)
		return NULL;
	k->slave = slave;
	if (kobject_init_and_add(&k->kobj, &cxxbond_slave_ktype, &slave_dev->dev.kobj,
				 "bonding_slave")) {
		kobject_put(&k->kobj);
		return NULL;
	}
	return k;
}

/* After this, no show runs: kobject_del waits for readers of the files. */
void cxxbond_sysfs_slave_del(void *handle)
{
	struct cxxbond_slave_kobj *k = handle;

	if (!k)
		return;
	kobject_del(&k->kobj);
	kobject_put(&k->kobj);
}

/* --- /sys/class/net/bonding_masters ----------------------------------------------------------- */

static ssize_t cxxbond_masters_show(struct class *cls, struct class_attribute *attr, char *buf)
{
	struct cxxbond_net *bn = container_of(attr, struct cxxbond_net, class_attr_bonding_masters);
	struct net_device *dev;
	int res = 0;

	rtnl_lock();
	for_each_netdev(bn->net, dev) {
		if (!cxxbond_is_bond(dev))
			continue;
		if (res > (PAGE_SIZE - IFNAMSIZ)) {
			/* not enough space for another interface name */
			if ((PAGE_SIZE - res) > 10)
				res = PAGE_SIZE - 10;
			res += sysfs_emit_at(buf, res, "++more++ ");
			break;
		}
		res += sysfs_emit_at(buf, res, "%s ", dev->name);
	}
	if (res)
		buf[res - 1] = '\n';	/* the last space */
	rtnl_unlock();
	return res;
}

/* 6.1's bonding_store_bonds: "+name" creates a bond, "-name" deletes one of ours. */
static ssize_t cxxbond_masters_store(struct class *cls, struct class_attribute *attr,
				     const char *buffer, size_t count)
{
	struct cxxbond_net *bn = container_of(attr, struct cxxbond_net, class_attr_bonding_masters);
	char command[IFNAMSIZ + 1] = { 0, };
	struct net_device *bond_dev;
	int rv, res = count;
	char *ifname;

	if (sscanf(buffer, "%16s", command) != 1)
		goto err_no_cmd;
	ifname = command + 1;
	if (strlen(command) <= 1 || !dev_valid_name(ifname))
		goto err_no_cmd;

	if (command[0] == '+') {
		pr_info("%s is being created...\n", ifname);
		rv = cxxbond_create(bn->net, ifname);
		if (rv) {
			if (rv == -EEXIST)
				pr_info("%s already exists\n", ifname);
			else
				pr_info("%s creation failed\n", ifname);
			res = rv;
		}
	} else if (command[0] == '-') {
		rtnl_lock();
		bond_dev = __dev_get_by_name(bn->net, ifname);
		if (bond_dev && cxxbond_is_bond(bond_dev)) {
			pr_info("%s is being deleted...\n", ifname);
			unregister_netdevice(bond_dev);
		} else {
			pr_err("unable to delete non-existent %s\n", ifname);
			res = -ENODEV;
		}
		rtnl_unlock();
	} else {
		goto err_no_cmd;
	}
	return res;

err_no_cmd:
	pr_err("no command found in bonding_masters - use +ifname or -ifname\n");
	return -EPERM;
}

static const struct class_attribute cxxbond_masters_attr = {
	.attr = { .name = "bonding_masters", .mode = 0644 },
	.show = cxxbond_masters_show,
	.store = cxxbond_masters_store,
};

int cxxbond_sysfs_net_init(struct net *net)
{
	struct cxxbond_net *bn = net_generic(net, cxxbond_net_id);
	int err;

	bn->net = net;
	bn->class_attr_bonding_masters = cxxbond_masters_attr;
	sysfs_attr_init(&bn->class_attr_bonding_masters.attr);
	err = netdev_class_create_file_ns(&bn->class_attr_bonding_masters, net);
	if (err == -EEXIST)
		pr_err("network device named %s already exists in sysfs\n",
		       bn->class_attr_bonding_masters.attr.name);
	else if (err)
		pr_err("couldn't create bonding_masters: %d\n", err);
	bn->masters_created = !err;
	return 0;
}

void cxxbond_sysfs_net_exit(struct net *net)
{
	struct cxxbond_net *bn = net_generic(net, cxxbond_net_id);

	if (bn->masters_created)
		netdev_class_remove_file_ns(&bn->class_attr_bonding_masters, net);
}
