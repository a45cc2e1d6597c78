// SPDX-License-Identifier: GPL-2.0
/* The kernel calls cxx_netconsole's C++ side needs: one kernel operation each. */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/delay.h>
#include <linux/printk.h>

#include "nc.h"

int cxxnc_dev_running(struct net_device *dev)
{
	return dev && netif_running(dev);
}

int cxxnc_dev_has_master(struct net_device *dev)
{
	return netdev_master_upper_dev_get(dev) != NULL;
}

int cxxnc_oops_in_progress(void)
{
	return READ_ONCE(oops_in_progress);
}

void cxxnc_udelay(unsigned int us)
{
	udelay(us);
}

void cxxnc_msleep(unsigned int ms)
{
	msleep(ms);
}

const char *cxxnc_dev_name(struct net_device *dev)
{
	return dev->name;
}

void cxxnc_rtnl_lock(void)
{
	rtnl_lock();
}

void cxxnc_rtnl_unlock(void)
{
	rtnl_unlock();
}

int cxxnc_rtnl_is_locked(void)
{
	return rtnl_is_locked();
}
