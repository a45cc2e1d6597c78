// SPDX-License-Identifier: GPL-2.0
/* The device calls cxx_netconsole's C++ side needs, one kernel operation each (RTNL, time
 * and the oops flag are in the support shim, shared by every module). */
#include <linux/netdevice.h>

#include "shim.h"

int cxxnc_dev_running(struct net_device *dev)
{
	return dev && netif_running(dev);
}

int cxxnc_dev_has_master(struct net_device *dev)
{
	return netdev_master_upper_dev_get(dev) != NULL;
}

const char *cxxnc_dev_name(struct net_device *dev)
{
	return dev->name;
}

