// SPDX-License-Identifier: GPL-2.0
// The C entry points of a bond's life (RTNL held unless said otherwise), and the module
// parameters' check (6.1's bond_check_params, its messages).
#include <cxx/context.h>
#include <cxx/new.h>

#include "bond.h"
#include "shim.h"

namespace bonding {

Bond &bond_of(net_device *bond_dev)
{
	return *static_cast<Bond *>(cxxbond_priv_bond(bond_dev));
}

} // namespace bonding

using bonding::Bond;
using bonding::bond_of;

extern "C" int cxxbond_init(net_device *bond_dev)
{
	auto *bond = new (cxx::gfp_kernel) Bond(bond_dev, bonding::module_defaults);
	if (!bond)
		return -cxx::err::ENOMEM;
	cxxbond_priv_set_bond(bond_dev, bond);
	return 0;
}

extern "C" void cxxbond_uninit(net_device *bond_dev)
{
	bond_of(bond_dev).release_all();
}

extern "C" int cxxbond_netpoll_setup(net_device *bond_dev)
{
	return bond_of(bond_dev).netpoll_setup().errno_or_zero();
}

extern "C" void cxxbond_netpoll_cleanup(net_device *bond_dev)
{
	bond_of(bond_dev).netpoll_cleanup();
}

extern "C" void cxxbond_destroy(net_device *bond_dev)
{
	delete &bond_of(bond_dev);
	cxxbond_priv_set_bond(bond_dev, nullptr);
}

extern "C" int cxxbond_open(net_device *bond_dev)
{
	return bond_of(bond_dev).open().errno_or_zero();
}

extern "C" int cxxbond_close(net_device *bond_dev)
{
	bond_of(bond_dev).close();
	return 0;
}

extern "C" int cxxbond_enslave(net_device *bond_dev, net_device *slave_dev,
			       netlink_ext_ack *extack)
{
	return bond_of(bond_dev).enslave(slave_dev, extack).errno_or_zero();
}

extern "C" int cxxbond_release(net_device *bond_dev, net_device *slave_dev)
{
	return bond_of(bond_dev).release(slave_dev, false).errno_or_zero();
}

extern "C" int cxxbond_set_option(net_device *bond_dev, cxxbond_opt opt,
				  const cxxbond_optval *val, netlink_ext_ack *extack)
{
	if (opt >= CXXBOND_OPT_COUNT)
		return -cxx::err::EINVAL;
	return bond_of(bond_dev).set_option(opt, *val, extack).errno_or_zero();
}

extern "C" const char *cxxbond_opt_name(cxxbond_opt opt)
{
	return bonding::option_spec(opt).name;
}

extern "C" int cxxbond_change_mtu(net_device *bond_dev, int mtu)
{
	return bond_of(bond_dev).change_mtu(cxx::u32(mtu)).errno_or_zero();
}

extern "C" int cxxbond_set_mac_address(net_device *bond_dev, const unsigned char *addr,
				       netlink_ext_ack *extack)
{
	return bond_of(bond_dev).set_mac_address(addr, extack).errno_or_zero();
}

extern "C" void cxxbond_fold_slave_stats(net_device *bond_dev, void *stats)
{
	bond_of(bond_dev).fold_slave_stats(static_cast<cxx::u64 *>(stats));
}

extern "C" int cxxbond_set_slave_prio(net_device *bond_dev, net_device *slave_dev, int prio,
				      netlink_ext_ack *extack)
{
	return bond_of(bond_dev).set_slave_prio(slave_dev, prio, extack).errno_or_zero();
}

extern "C" int cxxbond_mac_from_slaves(net_device *bond_dev)
{
	return bond_of(bond_dev).mac_from_slaves();
}

extern "C" void cxxbond_change_rx_flags(net_device *bond_dev, int change)
{
	bond_of(bond_dev).change_rx_flags(change);
}

extern "C" void cxxbond_link_settings(net_device *bond_dev, int *speed, unsigned char *duplex)
{
	bond_of(bond_dev).link_settings(*speed, *duplex);
}

extern "C" int cxxbond_vlan_rx_add_vid(net_device *bond_dev, unsigned short proto,
				       unsigned short vid)
{
	return bond_of(bond_dev).vlan_add(proto, vid).errno_or_zero();
}

extern "C" int cxxbond_vlan_rx_kill_vid(net_device *bond_dev, unsigned short proto,
					unsigned short vid)
{
	bond_of(bond_dev).vlan_kill(proto, vid);
	return 0;
}

extern "C" void cxxbond_slave_event(net_device *, cxxbond_slave *cookie, unsigned long event)
{
	auto *slave = reinterpret_cast<bonding::Slave *>(cookie);
	slave->bond().slave_event(*slave, event);
}

extern "C" void cxxbond_get_info(net_device *bond_dev, cxxbond_info *out)
{
	bond_of(bond_dev).get_info(*out);
}

extern "C" void cxxbond_get_slave_info(cxxbond_slave *cookie, cxxbond_slave_info *out)
{
	auto *s = reinterpret_cast<bonding::Slave *>(cookie);
	*out = {};
	out->state = s->backup() ? 1 : 0;
	out->mii_status = cxx::u8(s->link());
	out->link_failure_count = s->link_failure_count_;
	for (unsigned i = 0; i < sizeof(out->perm_hwaddr); i++)
		out->perm_hwaddr[i] = s->perm_hwaddr_[i];
	out->addr_len = s->addr_len_;
	out->queue_id = s->queue_id();
	out->prio = s->prio_;
}

extern "C" void cxxbond_proc_show(net_device *bond_dev, void *seq)
{
	bond_of(bond_dev).proc_show(seq);
}

extern "C" void cxxbond_mii_monitor(net_device *bond_dev)
{
	bond_of(bond_dev).mii_monitor();
}

// --- module parameters --------------------------------------------------------------------------

namespace {

using bonding::Mode;

constexpr int int_max = 0x7fffffff;

bool parse_word(cxxbond_opt opt, const char *s, cxx::u64 &out)
{
	bonding::Parsed v;
	if (!bonding::parse_value(bonding::option_spec(opt), cxxbond_optval { 0, s }, v))
		return false;
	out = v.value;
	return true;
}

} // namespace

// 6.1's bond_check_params for the parameters cxx_bonding implements; the others are
// refused unless left at their defaults. Fixes max_bonds and tx_queues in place.
extern "C" int cxxbond_check_params(cxxbond_module_params *p)
{
	bonding::Params &d = bonding::module_defaults;
	cxx::u64 v = 0;

	if (p->mode) {
		if (!parse_word(CXXBOND_OPT_MODE, p->mode, v)) {
			cxx_log(CXX_LOG_ERR, "Error: Invalid bonding mode \"%s\"\n", p->mode);
			return -cxx::err::EINVAL;
		}
		if (Mode(v) == Mode::ieee8023ad || Mode(v) == Mode::tlb || Mode(v) == Mode::alb) {
			cxx_log(CXX_LOG_ERR, "Error: bonding mode \"%s\" is not supported by cxx_bonding\n",
				p->mode);
			return -cxx::err::EINVAL;
		}
		d.mode = Mode(v);
	}
	if (p->xmit_hash_policy) {
		if (d.mode != Mode::xor_hash) {
			cxx_log(CXX_LOG_INFO, "xmit_hash_policy param is irrelevant in mode %s\n",
				bonding::mode_name(d.mode));
		} else {
			if (!parse_word(CXXBOND_OPT_XMIT_HASH_POLICY, p->xmit_hash_policy, v)) {
				cxx_log(CXX_LOG_ERR, "Error: Invalid xmit_hash_policy \"%s\"\n",
					p->xmit_hash_policy);
				return -cxx::err::EINVAL;
			}
			d.xmit_policy = bonding::HashPolicy(v);
		}
	}
	const char *unsupported[] = { p->lacp_rate, p->ad_select, p->arp_validate,
				      p->arp_all_targets };
	const char *unsupported_names[] = { "lacp_rate", "ad_select", "arp_validate",
					    "arp_all_targets" };
	for (unsigned i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++) {
		if (unsupported[i] && unsupported[i][0]) {
			cxx_log(CXX_LOG_ERR, "Error: %s is not supported by cxx_bonding\n",
				unsupported_names[i]);
			return -cxx::err::EINVAL;
		}
	}
	if (p->arp_interval || p->num_arp_ip_targets) {
		cxx_log(CXX_LOG_ERR, "Error: ARP monitoring (arp_interval, arp_ip_target) is not supported by cxx_bonding\n");
		return -cxx::err::EINVAL;
	}
	if (p->max_bonds < 0) {
		cxx_log(CXX_LOG_WARNING, "Warning: max_bonds (%d) not in range %d-%d, so it was reset to BOND_DEFAULT_MAX_BONDS (%d)\n",
			p->max_bonds, 0, int_max, 1);
		p->max_bonds = 1;
	}
	if (p->miimon < 0) {
		cxx_log(CXX_LOG_WARNING, "Warning: miimon module parameter (%d), not in range 0-%d, so it was reset to 0\n",
			p->miimon, int_max);
		p->miimon = 0;
	}
	if (p->updelay < 0) {
		cxx_log(CXX_LOG_WARNING, "Warning: updelay module parameter (%d), not in range 0-%d, so it was reset to 0\n",
			p->updelay, int_max);
		p->updelay = 0;
	}
	if (p->downdelay < 0) {
		cxx_log(CXX_LOG_WARNING, "Warning: downdelay module parameter (%d), not in range 0-%d, so it was reset to 0\n",
			p->downdelay, int_max);
		p->downdelay = 0;
	}
	if (p->use_carrier != 0 && p->use_carrier != 1) {
		cxx_log(CXX_LOG_WARNING, "Warning: use_carrier module parameter (%d), not of valid value (0/1), so it was set to 1\n",
			p->use_carrier);
		p->use_carrier = 1;
	}
	if (p->num_peer_notif < 0 || p->num_peer_notif > 255) {
		cxx_log(CXX_LOG_WARNING, "Warning: num_grat_arp/num_unsol_na (%d) not in range 0-255 so it was reset to 1\n",
			p->num_peer_notif);
		p->num_peer_notif = 1;
	}
	if (p->tx_queues < 1 || p->tx_queues > 255) {
		cxx_log(CXX_LOG_WARNING, "Warning: tx_queues (%d) should be between 1 and 255, resetting to %d\n",
			p->tx_queues, 16);
		p->tx_queues = 16;
	}
	if (p->all_slaves_active != 0 && p->all_slaves_active != 1) {
		cxx_log(CXX_LOG_WARNING, "Warning: all_slaves_active module parameter (%d), not of valid value (0/1), so it was set to 0\n",
			p->all_slaves_active);
		p->all_slaves_active = 0;
	}
	if (p->resend_igmp < 0 || p->resend_igmp > 255) {
		cxx_log(CXX_LOG_WARNING, "Warning: resend_igmp (%d) should be between 0 and 255, resetting to %d\n",
			p->resend_igmp, 1);
		p->resend_igmp = 1;
	}
	if (p->packets_per_slave < 0 || p->packets_per_slave > 65535) {
		cxx_log(CXX_LOG_WARNING, "Warning: packets_per_slave (%d) should be between 0 and %u resetting to 1\n",
			p->packets_per_slave, 65535u);
		p->packets_per_slave = 1;
	}
	if (!p->miimon) {
		if (p->updelay || p->downdelay)
			cxx_log(CXX_LOG_WARNING, "Warning: miimon module parameter not set and updelay (%d) or downdelay (%d) module parameter is set; updelay and downdelay have no effect unless miimon is set\n",
				p->updelay, p->downdelay);
		p->updelay = p->downdelay = 0;
	} else {
		if (p->updelay % p->miimon)
			cxx_log(CXX_LOG_WARNING, "Warning: updelay (%d) is not a multiple of miimon (%d), updelay rounded to %d ms\n",
				p->updelay, p->miimon, (p->updelay / p->miimon) * p->miimon);
		if (p->downdelay % p->miimon)
			cxx_log(CXX_LOG_WARNING, "Warning: downdelay (%d) is not a multiple of miimon (%d), downdelay rounded to %d ms\n",
				p->downdelay, p->miimon, (p->downdelay / p->miimon) * p->miimon);
	}
	if (p->primary && p->primary[0] && d.mode != Mode::activebackup) {
		cxx_log(CXX_LOG_WARNING, "Warning: %s primary device specified but has no effect in %s mode\n",
			p->primary, bonding::mode_name(d.mode));
		p->primary = nullptr;
	}
	// As 6.1: primary_reselect only counts with a primary (else: always).
	if (p->primary && p->primary_reselect) {
		if (!parse_word(CXXBOND_OPT_PRIMARY_RESELECT, p->primary_reselect, v)) {
			cxx_log(CXX_LOG_ERR, "Error: Invalid primary_reselect \"%s\"\n",
				p->primary_reselect);
			return -cxx::err::EINVAL;
		}
		d.primary_reselect = cxx::u8(v);
	}
	if (p->fail_over_mac) {
		if (!parse_word(CXXBOND_OPT_FAIL_OVER_MAC, p->fail_over_mac, v)) {
			cxx_log(CXX_LOG_ERR, "Error: invalid fail_over_mac \"%s\"\n", p->fail_over_mac);
			return -cxx::err::EINVAL;
		}
		d.fail_over_mac = cxx::u8(v);
		if (d.mode != Mode::activebackup)
			cxx_log(CXX_LOG_WARNING, "Warning: fail_over_mac only affects active-backup mode\n");
	}
	if (p->min_links < 0) {
		cxx_log(CXX_LOG_WARNING, "Warning: min_links (%d) should be between 0 and %d resetting to 0\n",
			p->min_links, int_max);
		p->min_links = 0;
	}
	if (p->lp_interval == 0) {
		cxx_log(CXX_LOG_WARNING, "Warning: ip_interval must be between 1 and %d, so it was reset to %d\n",
			int_max, 1);
		p->lp_interval = 1;
	}

	d.miimon = cxx::u32(p->miimon);
	d.updelay = p->miimon ? cxx::u32(p->updelay / p->miimon) : 0;
	d.downdelay = p->miimon ? cxx::u32(p->downdelay / p->miimon) : 0;
	d.use_carrier = cxx::u8(p->use_carrier);
	d.num_peer_notif = cxx::u8(p->num_peer_notif);
	d.all_slaves_active = cxx::u8(p->all_slaves_active);
	d.resend_igmp = cxx::u32(p->resend_igmp);
	d.packets_per_slave = cxx::u32(p->packets_per_slave);
	d.min_links = cxx::u32(p->min_links);
	d.lp_interval = cxx::u32(p->lp_interval);
	unsigned i = 0;
	for (const char *s = p->primary; s && s[i] && i < sizeof(d.primary) - 1; i++)
		d.primary[i] = s[i];
	d.primary[i] = 0;
	return 0;
}
