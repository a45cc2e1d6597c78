// SPDX-License-Identifier: GPL-2.0
// Setup and cleanup, as users know them from 6.1's netpoll_setup/netpoll_cleanup: the device
// by name in the caller's netns, brought up if down (bounded carrier wait), slaves refused, a
// local address chosen, attached through the kernel's __netpoll_setup, then an RCU grace
// period so no NAPI poll that started before npinfo was visible is still running.
#include <cxx/context.h>
#include <cxx/warn.h>

#include "state.h"

using namespace cxx;
using netpoll::State;

namespace {

const char *np_name(const cxx_netpoll *np)
{
	return np->name ? np->name : "cxx_netpoll";
}

bool local_ip_unset(const cxx_netpoll *np)
{
	// 6.1 tests only the first word, so an IPv6 address starting with :: counts as unset.
	return np->local_ip.all[0] == 0;
}

// Up, then wait for carrier (at most carrier_timeout s). Drops and retakes RTNL.
Result<void> bring_up(cxx_netpoll *np, net_device *dev)
{
	cxx_log(CXX_LOG_INFO, "%s: device %s not up yet, forcing it\n", np_name(np), np->dev_name);
	if (int err = cxxnp_dev_open(dev)) {
		cxx_log(CXX_LOG_ERR, "%s: failed to open %s\n", np_name(np), cxxnp_dev_name(dev));
		return Error(err);
	}
	cxx_rtnl_unlock();
	const unsigned long start = cxxnp_jiffies();
	const unsigned limit_ms = cxxnp_param_carrier_timeout() * 1000;
	while (!cxxnp_dev_carrier_ok(dev)) {
		if (cxxnp_jiffies_to_msecs(cxxnp_jiffies() - start) > limit_ms) {
			cxx_log(CXX_LOG_NOTICE, "%s: timeout waiting for carrier\n", np_name(np));
			break;
		}
		cxx_msleep(1);
	}
	// Carrier that comes up at once is not trusted: give the link time, as 6.1 does.
	if (cxxnp_jiffies_to_msecs(cxxnp_jiffies() - start) < 100) {
		cxx_log(CXX_LOG_NOTICE,
			"%s: carrier detect appears untrustworthy, waiting 4 seconds\n", np_name(np));
		cxx_msleep(4000);
	}
	cxx_rtnl_lock();
	// RTNL was dropped: the device may have gone meanwhile (our reference keeps it in memory).
	if (!cxxnp_dev_registered(dev)) {
		cxx_log(CXX_LOG_ERR, "%s: %s went away while coming up\n", np_name(np),
			np->dev_name);
		return Error(err::ENODEV);
	}
	return ok();
}

Result<void> choose_local_ip(cxx_netpoll *np, net_device *dev)
{
	if (!local_ip_unset(np))
		return ok();
	if (!np->ipv6) {
		if (cxxnp_dev_ipv4_addr(dev, &np->local_ip.ip)) {
			cxx_log(CXX_LOG_ERR, "%s: no IP address for %s, aborting\n", np_name(np),
				np->dev_name);
			return Error(err::EDESTADDRREQ);
		}
		cxx_log(CXX_LOG_INFO, "%s: local IP %pI4\n", np_name(np), &np->local_ip.ip);
		return ok();
	}
	if (cxxnp_dev_ipv6_addr(dev, np->remote_ip.ip6, np->local_ip.ip6)) {
		cxx_log(CXX_LOG_ERR, "%s: no IPv6 address for %s, aborting\n", np_name(np),
			np->dev_name);
		return Error(err::EDESTADDRREQ);
	}
	cxx_log(CXX_LOG_INFO, "%s: local IPv6 %pI6c\n", np_name(np), np->local_ip.ip6);
	return ok();
}

// A reference on dev (RTNL dropped in bring_up) for as long as this lives.
class DevRef {
public:
	explicit DevRef(net_device *dev) : dev_(dev) { cxxnp_dev_hold(dev); }
	DevRef(const DevRef &) = delete;
	DevRef &operator=(const DevRef &) = delete;
	~DevRef() { cxxnp_dev_put(dev_); }

private:
	net_device *dev_;
};

// RTNL held: 6.1's netpoll_setup for a device found by name.
Result<void> setup_on(cxx_netpoll *np, net_device *dev)
{
	DevRef ref(dev);	// attached netpolls hold their own tracked reference
	if (cxxnp_dev_has_master(dev)) {
		cxx_log(CXX_LOG_ERR, "%s: %s is a slave device, aborting\n", np_name(np),
			np->dev_name);
		return Error(err::EBUSY);
	}
	if (!cxxnp_dev_running(dev))
		TRY(bring_up(np, dev));
	TRY(choose_local_ip(np, dev));
	if (int err = cxxnp_setup_dev(np, dev))
		return Error(err);
	return ok();
}

} // namespace

// RTNL held, device given: what a stacked driver calls for its lower devices.
extern "C" int cxxnp_setup_dev(cxx_netpoll *np, net_device *dev)
{
	CXX_ASSERT_RTNL();
	if (!np || !dev)
		return -err::EINVAL;
	if (np->state)
		return -err::EBUSY;	// already set up: clean up first
	// The kernel copies the name into its own struct netpoll; keep ours in step.
	const char *name = cxxnp_dev_name(dev);
	unsigned i = 0;
	for (; name[i] && i < CXX_NETPOLL_IFNAMSIZ - 1; i++)
		np->dev_name[i] = name[i];
	np->dev_name[i] = 0;
	auto r = State::create(*np, dev);
	if (!r.ok()) {
		int e = r.errno_or_zero();
		cxx_log(CXX_LOG_ERR, "%s: cannot attach to %s: error %d%s\n", np_name(np),
			np->dev_name, e, e == -err::ENOTSUPP ? " (device does not support netpoll)" : "");
		return e;
	}
	return 0;
}

extern "C" int cxxnp_setup(cxx_netpoll *np)
{
	CXX_MIGHT_SLEEP();
	if (!np)
		return -err::EINVAL;
	{
		RtnlGuard rtnl;
		net_device *dev = np->dev_name[0] ? cxxnp_dev_by_name(np->dev_name) : nullptr;
		if (!dev) {
			cxx_log(CXX_LOG_ERR, "%s: %s doesn't exist, aborting\n", np_name(np),
				np->dev_name);
			return -err::ENODEV;
		}
		if (int err = setup_on(np, dev).errno_or_zero())
			return err;	// the C boundary
	}
	cxx_synchronize_rcu();
	return 0;
}

extern "C" void cxxnp_cleanup_dev(cxx_netpoll *np)
{
	CXX_ASSERT_RTNL();
	if (!np || !np->state)
		return;
	reinterpret_cast<State *>(np->state)->destroy();
}

extern "C" void cxxnp_cleanup(cxx_netpoll *np)
{
	CXX_MIGHT_SLEEP();
	RtnlGuard rtnl;
	cxxnp_cleanup_dev(np);
}
