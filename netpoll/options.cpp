// SPDX-License-Identifier: GPL-2.0
// The netpoll option string, as 6.1's netpoll_parse_options reads it:
//
//	[src-port]@[src-ip]/[dev],[tgt-port]@<tgt-ip>/[tgt-mac]
//
// An omitted field keeps the value already in the netpoll (the user's default). The source and
// target addresses must be of one family; an address with ':' is IPv6.
#include <cxx/errno.h>
#include <cxx/result.h>
#include <cxx/types.h>
#include <shim/support.h>

#include "netpoll.h"
#include "shim.h"

using namespace cxx;

namespace netpoll {
namespace {


// Position of c in s, or null (strchr).
const char *find(const char *s, char c)
{
	for (; *s; s++)
		if (*s == c)
			return s;
	return nullptr;
}

bool contains(const char *s, usize len, char c)
{
	for (usize i = 0; i < len; i++)
		if (s[i] == c)
			return true;
	return false;
}

// 0: IPv4, 1: IPv6, <0: neither (then *addr is unchanged).
int parse_ip(const char *s, usize len, cxx_netpoll_addr *addr)
{
	cxx_netpoll_addr tmp {};

	if (!contains(s, len, ':') && cxxnp_parse_ipv4(s, u32(len), tmp.ip6) == 0) {
		*addr = tmp;
		return 0;
	}
	if (cxxnp_parse_ipv6(s, u32(len), tmp.ip6) == 0) {
		*addr = tmp;
		return 1;
	}
	return -1;
}

class Parser {
public:
	Parser(cxx_netpoll *np, const char *opt) : np_(np), cur_(opt) {}

	Result<void> run()
	{
		bool ipversion_set = false;
		const char *end;

		if (*cur_ != '@') {
			if (!(end = find(cur_, '@')) ||
			    cxxnp_parse_u16(cur_, u32(end - cur_), &np_->local_port))
				return fail();
			cur_ = end;
		}
		cur_++;

		if (*cur_ != '/') {
			ipversion_set = true;
			if (!(end = find(cur_, '/')))
				return fail();
			int v6 = parse_ip(cur_, usize(end - cur_), &np_->local_ip);
			if (v6 < 0)
				return fail();
			np_->ipv6 = u8(v6);
			cur_ = end;
		}
		cur_++;

		if (*cur_ != ',') {
			if (!(end = find(cur_, ',')))
				return fail();
			copy_dev_name(end);
			cur_ = end;
		}
		cur_++;

		if (*cur_ != '@') {
			if (!(end = find(cur_, '@')))
				return fail();
			if (*cur_ == ' ' || *cur_ == '\t')
				cxx_log(CXX_LOG_INFO, "%s: warning: whitespace is not allowed\n",
					np_->name);
			if (cxxnp_parse_u16(cur_, u32(end - cur_), &np_->remote_port))
				return fail();
			cur_ = end;
		}
		cur_++;

		if (!(end = find(cur_, '/')))
			return fail();
		int v6 = parse_ip(cur_, usize(end - cur_), &np_->remote_ip);
		if (v6 < 0 || (ipversion_set && np_->ipv6 != v6))
			return fail();
		np_->ipv6 = u8(v6);
		cur_ = end + 1;

		if (*cur_ && cxxnp_parse_mac(cur_, np_->remote_mac))
			return fail();

		cxxnp_print_options(np_);
		return ok();
	}

private:
	void copy_dev_name(const char *end)
	{
		// strscpy semantics: truncated to IFNAMSIZ - 1 characters.
		usize n = usize(end - cur_);
		if (n > CXX_NETPOLL_IFNAMSIZ - 1)
			n = CXX_NETPOLL_IFNAMSIZ - 1;
		__builtin_memcpy(np_->dev_name, cur_, n);
		np_->dev_name[n] = 0;
	}

	Error fail()
	{
		cxx_log(CXX_LOG_INFO, "%s: couldn't parse config at '%s'!\n", np_->name, cur_);
		return Error(err::EINVAL);
	}

	cxx_netpoll *np_;
	const char *cur_;
};

} // namespace
} // namespace netpoll

extern "C" int cxxnp_parse_addr(const char *s, unsigned int len, cxx_netpoll_addr *addr)
{
	if (!s || !addr)
		return -err::EINVAL;
	const int v6 = netpoll::parse_ip(s, len, addr);
	return v6 < 0 ? -err::EINVAL : v6;
}

extern "C" int cxxnp_parse_options(cxx_netpoll *np, const char *opt)
{
	if (!np || !opt)
		return -err::EINVAL;
	return netpoll::Parser(np, opt).run().errno_or_zero();	// the C boundary
}

extern "C" void cxxnp_print_options(const cxx_netpoll *np)
{
	const char *name = np->name;

	cxx_log(CXX_LOG_INFO, "%s: local port %d\n", name, np->local_port);
	if (np->ipv6)
		cxx_log(CXX_LOG_INFO, "%s: local IPv6 address %pI6c\n", name, np->local_ip.ip6);
	else
		cxx_log(CXX_LOG_INFO, "%s: local IPv4 address %pI4\n", name, &np->local_ip.ip);
	cxx_log(CXX_LOG_INFO, "%s: interface '%s'\n", name, np->dev_name);
	cxx_log(CXX_LOG_INFO, "%s: remote port %d\n", name, np->remote_port);
	if (np->ipv6)
		cxx_log(CXX_LOG_INFO, "%s: remote IPv6 address %pI6c\n", name, np->remote_ip.ip6);
	else
		cxx_log(CXX_LOG_INFO, "%s: remote IPv4 address %pI4\n", name, &np->remote_ip.ip);
	cxx_log(CXX_LOG_INFO, "%s: remote ethernet address %pM\n", name, np->remote_mac);
}
