// SPDX-License-Identifier: GPL-2.0
// The option table, as 6.1's bond_options.c defines it: each option's value words, range and
// the conditions under which it may be set; and the parser all interfaces share.
#include "options.h"

namespace bonding {

namespace {

constexpr u64 int_max = 0x7fffffff;

constexpr Word mode_words[] = {
	{ "balance-rr", 0, word_default },
	{ "active-backup", 1, 0 },
	{ "balance-xor", 2, 0 },
	{ "broadcast", 3, 0 },
	{ "802.3ad", 4, 0 },
	{ "balance-tlb", 5, 0 },
	{ "balance-alb", 6, 0 },
	{ nullptr, 0, 0 },
};
constexpr Word pps_words[] = {
	{ "default", 1, word_default },
	{ "maxval", 65535, word_max },
	{ nullptr, 0, 0 },
};
constexpr Word hash_words[] = {
	{ "layer2", 0, word_default },
	{ "layer3+4", 1, 0 },
	{ "layer2+3", 2, 0 },
	{ "encap2+3", 3, 0 },
	{ "encap3+4", 4, 0 },
	{ "vlan+srcmac", 5, 0 },
	{ nullptr, 0, 0 },
};
constexpr Word arp_validate_words[] = {
	{ "none", 0, word_default },
	{ "active", 1, 0 },
	{ "backup", 2, 0 },
	{ "all", 3, 0 },
	{ "filter", 4, 0 },
	{ "filter_active", 5, 0 },
	{ "filter_backup", 6, 0 },
	{ nullptr, 0, 0 },
};
constexpr Word arp_all_targets_words[] = {
	{ "any", 0, word_default },
	{ "all", 1, 0 },
	{ nullptr, 0, 0 },
};
constexpr Word fail_over_mac_words[] = {
	{ "none", 0, word_default },
	{ "active", 1, 0 },
	{ "follow", 2, 0 },
	{ nullptr, 0, 0 },
};
constexpr Word intmax_words[] = {
	{ "off", 0, word_default },
	{ "maxval", int_max, word_max },
	{ nullptr, 0, 0 },
};
constexpr Word on_default_words[] = {	// lacp_active, use_carrier, tlb_dynamic_lb
	{ "off", 0, 0 },
	{ "on", 1, word_default },
	{ nullptr, 0, 0 },
};
constexpr Word lacp_rate_words[] = {
	{ "slow", 0, 0 },
	{ "fast", 1, 0 },
	{ nullptr, 0, 0 },
};
constexpr Word ad_select_words[] = {
	{ "stable", 0, word_default },
	{ "bandwidth", 1, 0 },
	{ "count", 2, 0 },
	{ nullptr, 0, 0 },
};
constexpr Word num_peer_notif_words[] = {	// also resend_igmp
	{ "off", 0, 0 },
	{ "maxval", 255, word_max },
	{ "default", 1, word_default },
	{ nullptr, 0, 0 },
};
constexpr Word peer_notif_delay_words[] = {
	{ "off", 0, 0 },
	{ "maxval", 300000, word_max },
	{ nullptr, 0, 0 },
};
constexpr Word primary_reselect_words[] = {
	{ "always", 0, word_default },
	{ "better", 1, 0 },
	{ "failure", 2, 0 },
	{ nullptr, 0, 0 },
};
constexpr Word off_default_words[] = {	// all_slaves_active
	{ "off", 0, word_default },
	{ "on", 1, 0 },
	{ nullptr, 0, 0 },
};
constexpr Word lp_interval_words[] = {
	{ "minval", 1, word_min | word_default },
	{ "maxval", int_max, word_max },
	{ nullptr, 0, 0 },
};
constexpr Word ad_actor_sys_prio_words[] = {
	{ "minval", 1, word_min },
	{ "maxval", 65535, word_max | word_default },
	{ nullptr, 0, 0 },
};
constexpr Word ad_user_port_key_words[] = {
	{ "minval", 0, word_min | word_default },
	{ "maxval", 1023, word_max },
	{ nullptr, 0, 0 },
};
constexpr Word missed_max_words[] = {
	{ "minval", 1, word_min },
	{ "maxval", 255, word_max },
	{ "default", 2, word_default },
	{ nullptr, 0, 0 },
};
constexpr Word coupled_control_words[] = {
	{ "on", 1, word_default },
	{ "off", 0, 0 },
	{ nullptr, 0, 0 },
};

constexpr u8 mode_bit(Mode m) { return u8(1u << unsigned(m)); }
constexpr u8 all_modes = 0x7f;
constexpr u8 all_except(u8 modes) { return all_modes & ~modes; }
constexpr u8 uses_primary_modes =
	mode_bit(Mode::activebackup) | mode_bit(Mode::tlb) | mode_bit(Mode::alb);
constexpr u8 ad_modes = mode_bit(Mode::ieee8023ad);
constexpr u8 lb_modes = mode_bit(Mode::tlb) | mode_bit(Mode::alb);

// Indexed by cxxbond_opt. implemented=false: only the default value is accepted.
constexpr OptionSpec specs[CXXBOND_OPT_COUNT] = {
	{ CXXBOND_OPT_MODE, "mode", mode_words, opt_noslaves | opt_ifdown, 0, true },
	{ CXXBOND_OPT_ACTIVE_SLAVE, "active_slave", nullptr, opt_rawval,
				       all_except(uses_primary_modes), true },
	{ CXXBOND_OPT_MIIMON, "miimon", intmax_words, 0, 0, true },
	{ CXXBOND_OPT_UPDELAY, "updelay", intmax_words, 0, 0, true },
	{ CXXBOND_OPT_DOWNDELAY, "downdelay", intmax_words, 0, 0, true },
	{ CXXBOND_OPT_PEER_NOTIF_DELAY, "peer_notif_delay", peer_notif_delay_words, 0, 0,
					   true },
	{ CXXBOND_OPT_USE_CARRIER, "use_carrier", on_default_words, 0, 0, true },
	{ CXXBOND_OPT_ARP_INTERVAL, "arp_interval", intmax_words, 0,
				       ad_modes | lb_modes, false },
	{ CXXBOND_OPT_ARP_IP_TARGET, "arp_ip_target", nullptr, opt_rawval, 0, false },
	{ CXXBOND_OPT_NS_IP6_TARGET, "ns_ip6_target", nullptr, opt_rawval, 0, false },
	{ CXXBOND_OPT_ARP_VALIDATE, "arp_validate", arp_validate_words, 0,
				       ad_modes | lb_modes, false },
	{ CXXBOND_OPT_ARP_ALL_TARGETS, "arp_all_targets", arp_all_targets_words, 0, 0,
					  false },
	{ CXXBOND_OPT_PRIMARY, "primary", nullptr, opt_rawval,
				  all_except(uses_primary_modes), true },
	{ CXXBOND_OPT_PRIMARY_RESELECT, "primary_reselect", primary_reselect_words, 0, 0,
					   true },
	{ CXXBOND_OPT_FAIL_OVER_MAC, "fail_over_mac", fail_over_mac_words, opt_noslaves, 0,
					true },
	{ CXXBOND_OPT_XMIT_HASH_POLICY, "xmit_hash_policy", hash_words, 0, 0, true },
	{ CXXBOND_OPT_RESEND_IGMP, "resend_igmp", num_peer_notif_words, 0, 0, true },
	{ CXXBOND_OPT_NUM_PEER_NOTIF, "num_grat_arp", num_peer_notif_words, 0, 0, true },
	{ CXXBOND_OPT_ALL_SLAVES_ACTIVE, "all_slaves_active", off_default_words, 0, 0,
					    true },
	{ CXXBOND_OPT_MIN_LINKS, "min_links", intmax_words, 0, 0, true },
	{ CXXBOND_OPT_LP_INTERVAL, "lp_interval", lp_interval_words, 0, 0, true },
	{ CXXBOND_OPT_PACKETS_PER_SLAVE, "packets_per_slave", pps_words, 0,
					    all_except(mode_bit(Mode::roundrobin)), true },
	{ CXXBOND_OPT_AD_LACP_ACTIVE, "lacp_active", on_default_words, opt_ifdown,
					 all_except(ad_modes), false },
	{ CXXBOND_OPT_AD_LACP_RATE, "lacp_rate", lacp_rate_words, opt_ifdown,
				       all_except(ad_modes), false },
	{ CXXBOND_OPT_AD_SELECT, "ad_select", ad_select_words, opt_ifdown, 0, false },
	{ CXXBOND_OPT_AD_ACTOR_SYS_PRIO, "ad_actor_sys_prio", ad_actor_sys_prio_words,
					    opt_ifdown, all_except(ad_modes), false },
	{ CXXBOND_OPT_AD_USER_PORT_KEY, "ad_user_port_key", ad_user_port_key_words,
					   opt_ifdown, all_except(ad_modes), false },
	{ CXXBOND_OPT_AD_ACTOR_SYSTEM, "ad_actor_system", nullptr, opt_rawval | opt_ifdown,
					  all_except(ad_modes), false },
	{ CXXBOND_OPT_TLB_DYNAMIC_LB, "tlb_dynamic_lb", on_default_words, opt_ifdown,
					 all_except(lb_modes), false },
	{ CXXBOND_OPT_MISSED_MAX, "arp_missed_max", missed_max_words, 0,
				     ad_modes | lb_modes, false },
	{ CXXBOND_OPT_COUPLED_CONTROL, "coupled_control", coupled_control_words, opt_ifdown,
					  all_except(ad_modes), false },
	{ CXXBOND_OPT_SLAVES, "slaves", nullptr, opt_rawval, 0, true },
	{ CXXBOND_OPT_QUEUE_ID, "queue_id", nullptr, opt_rawval, 0, true },
	{ CXXBOND_OPT_PRIO, "prio", nullptr, opt_rawval, all_except(uses_primary_modes), true },
	{ CXXBOND_OPT_ACTOR_PORT_PRIO, "actor_port_prio", nullptr, opt_rawval,
					  all_except(ad_modes), false },
};

consteval bool specs_in_enum_order()
{
	for (unsigned i = 0; i < CXXBOND_OPT_COUNT; i++)
		if (specs[i].id != i)
			return false;
	return true;
}
static_assert(specs_in_enum_order(), "specs[] must follow enum cxxbond_opt");

bool streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

// kstrtoull's base-10 subset, with sysfs's trailing newline already stripped.
bool parse_number(const char *s, u64 &out)
{
	if (!*s)
		return false;
	u64 v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		u64 next = v * 10 + u64(*s - '0');
		if (next / 10 != v)
			return false;
		v = next;
	}
	out = v;
	return true;
}

const Word *word_with(const Word *words, u8 flag)
{
	for (const Word *w = words; w->string; w++)
		if (w->flags & flag)
			return w;
	return nullptr;
}

} // namespace

const OptionSpec &option_spec(cxxbond_opt opt)
{
	return specs[opt < CXXBOND_OPT_COUNT ? opt : CXXBOND_OPT_MODE];
}

const Word *mode_word(Mode m)
{
	return unsigned(m) <= 6 ? &mode_words[unsigned(m)] : &mode_words[0];
}

const char *mode_name(Mode m)
{
	constexpr const char *names[] = {
		"load balancing (round-robin)",
		"fault-tolerance (active-backup)",
		"load balancing (xor)",
		"fault-tolerance (broadcast)",
		"IEEE 802.3ad Dynamic link aggregation",
		"transmit load balancing",
		"adaptive load balancing",
	};
	return unsigned(m) <= 6 ? names[unsigned(m)] : "unknown";
}

const char *word_of(cxxbond_opt opt, u64 value)
{
	const Word *words = option_spec(opt).words;
	for (const Word *w = words; w && w->string; w++)
		if (w->value == value && !(w->flags & (word_min | word_max)))
			return w->string;
	return "?";
}

// 6.1's bond_opt_parse: a number matches a word exactly or falls within the option's range;
// a word matches by name ("default" names the default).
bool parse_value(const OptionSpec &spec, const cxxbond_optval &val, Parsed &out)
{
	if (!spec.words)
		return false;
	u64 num = val.num;
	bool by_number = !val.str || parse_number(val.str, num);
	for (const Word *w = spec.words; w->string; w++) {
		bool match = by_number ? w->value == num
				       : (streq(val.str, w->string) ||
					  ((w->flags & word_default) && streq(val.str, "default")));
		if (match) {
			out = { w->value, w->string };
			return true;
		}
	}
	if (!by_number)
		return false;
	const Word *min = word_with(spec.words, word_min);
	const Word *max = word_with(spec.words, word_max);
	if (!max || (min && num < min->value) || num > max->value)
		return false;
	out = { num, nullptr };
	return true;
}

} // namespace bonding
