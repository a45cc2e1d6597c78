// SPDX-License-Identifier: GPL-2.0
// The netconsole= parameter: targets separated by ';', each "[+]<netpoll options>" ('+' for
// the extended format), as 6.1's init_netconsole/alloc_param_target read it. Process context.
#pragma once

#include <cxx/result.h>

#include <cxx/types.h>

#include "../include/cxx_netpoll.h"

namespace netconsole {

inline constexpr cxx::usize max_param_length = 256;	// MAX_PARAM_LENGTH

// 6.1's defaults: eth0, 6665 -> 6666, broadcast MAC. name: the log prefix of the netpoll.
void target_defaults(cxx_netpoll &np, const char *name);

// One target "[+]options" of len bytes: np (already holding defaults) and extended filled.
// 0 or -EINVAL (bad options, or longer than the parameter itself can be).
cxx::Result<void> parse_target(const char *opt, cxx::usize len, cxx_netpoll &np,
			       bool &extended);

// Calls f(const char *target, usize len) for each ';'-separated target of config, in order;
// stops at and returns the first nonzero result. An empty config has no targets; an empty
// target between separators is passed on (and fails to parse, as with 6.1's strsep).
template <typename F> int for_each_target(const char *config, F &&f)
{
	if (!config || !*config)
		return 0;
	const char *start = config;
	for (const char *p = config;; p++) {
		if (*p != ';' && *p != 0)
			continue;
		if (int rc = f(start, cxx::usize(p - start)))
			return rc;
		if (!*p)
			return 0;
		start = p + 1;
	}
}

} // namespace netconsole
