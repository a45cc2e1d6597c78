// SPDX-License-Identifier: GPL-2.0
// netconsole= parsing. No kernel calls beyond the core's option parser.
#include <cxx/errno.h>

#include "config.h"

namespace netconsole {

void target_defaults(cxx_netpoll &np, const char *name)
{
	np = {};
	np.name = name;
	__builtin_memcpy(np.dev_name, "eth0", 5);
	np.local_port = 6665;
	np.remote_port = 6666;
	for (auto &b : np.remote_mac)
		b = 0xff;
}

cxx::Result<void> parse_target(const char *opt, cxx::usize len, cxx_netpoll &np, bool &extended)
{
	char buf[max_param_length];
	extended = false;
	if (len && *opt == '+') {
		extended = true;
		opt++;
		len--;
	}
	if (len >= sizeof(buf))
		return cxx::Error(cxx::err::EINVAL);
	__builtin_memcpy(buf, opt, len);
	buf[len] = 0;
	if (int err = cxx_netpoll_parse_options(&np, buf))
		return cxx::Error(err);
	return cxx::ok();
}

} // namespace netconsole
