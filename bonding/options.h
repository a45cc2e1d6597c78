// SPDX-License-Identifier: GPL-2.0
// The bond's options: 6.1's table (names, value words, ranges, when each may be set) and the
// parsing every interface shares (netlink, module parameters; sysfs with its step).
#pragma once

#include <cxx/result.h>
#include <cxx/types.h>

#include "bonding.h"

namespace bonding {

using cxx::u8;
using cxx::u32;
using cxx::u64;

enum class Mode : u8 {
	roundrobin = 0,
	activebackup = 1,
	xor_hash = 2,
	broadcast = 3,
	ieee8023ad = 4,
	tlb = 5,
	alb = 6,
};

enum class HashPolicy : u8 { layer2 = 0, layer34 = 1, layer23 = 2, encap23 = 3, encap34 = 4,
			     vlan_srcmac = 5 };

// BOND_FOM_*: Params::fail_over_mac.
inline constexpr u8 fom_none = 0, fom_active = 1, fom_follow = 2;

// 6.1's struct bond_params, the part a bond keeps (delays in miimon ticks, as 6.1).
struct Params {
	Mode mode = Mode::roundrobin;
	u32 miimon = 0;
	u32 updelay = 0;
	u32 downdelay = 0;
	u32 peer_notif_delay = 0;
	u8 use_carrier = 1;
	u32 arp_interval = 0;
	u32 arp_validate = 0;
	u32 arp_all_targets = 0;
	u8 primary_reselect = 0;
	u8 fail_over_mac = 0;
	HashPolicy xmit_policy = HashPolicy::layer2;
	u32 resend_igmp = 1;
	u8 num_peer_notif = 1;
	u8 all_slaves_active = 0;
	u32 min_links = 0;
	u32 lp_interval = 1;
	u32 packets_per_slave = 1;
	u8 lacp_active = 1;
	u8 lacp_fast = 0;
	u8 ad_select = 0;
	u32 ad_actor_sys_prio = 65535;
	u32 ad_user_port_key = 0;
	u8 tlb_dynamic_lb = 1;
	u8 missed_max = 2;
	u8 coupled_control = 1;
	char primary[16] = {};	// IFNAMSIZ
};

// A value word of an option's table (6.1's struct bond_opt_value).
struct Word {
	const char *string;
	u64 value;
	u8 flags;
};
inline constexpr u8 word_default = 1, word_min = 2, word_max = 4;

struct OptionSpec {
	cxxbond_opt id;
	const char *name;
	const Word *words;	// null: a raw value (a device name)
	u8 flags;		// opt_* below
	u8 unsupp_modes;	// bit per Mode where it cannot be set
	bool implemented;	// false: only its default is accepted (README)
};
inline constexpr u8 opt_noslaves = 1, opt_ifdown = 2, opt_rawval = 4;

const OptionSpec &option_spec(cxxbond_opt opt);
const Word *mode_word(Mode m);
const char *mode_name(Mode m);		// /proc's long name, "fault-tolerance (active-backup)"
const char *word_of(cxxbond_opt opt, u64 value);	// the table's word for a value, or "?"

// 6.1's bond_opt_parse: the table entry (or, within the option's range, the value itself)
// that `val` names. Null: no such value.
struct Parsed {
	u64 value;
	const char *string;	// the word, or null for a plain number
};
bool parse_value(const OptionSpec &spec, const cxxbond_optval &val, Parsed &out);

} // namespace bonding
