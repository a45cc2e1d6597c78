// SPDX-License-Identifier: GPL-2.0
// What netconsole puts in each datagram, as 6.1's drivers/net/netconsole.c does: plain console
// text split into chunks of at most max_print_chunk bytes; extended records
// ("<level>,<seq>,<usec>,<flags>;text\n dict...") sent whole when they fit, else split with
// ",ncfrag=<offset>/<total>" appended to the header of every fragment. Pure code (no kernel
// calls): the KUnit suite runs it as is. Any context; no allocation.
#pragma once

#include <cxx/types.h>

namespace netconsole {

inline constexpr cxx::usize max_print_chunk = 1000;	// MAX_PRINT_CHUNK

enum class FragResult {
	ok,
	no_header,	// an extended record without ';' (6.1: WARN_ON_ONCE, dropped)
	header_too_long,	// no room for text after the header (6.1: WARN_ON_ONCE, dropped)
};

// Decimal digits of v at out (no terminator); returns how many.
inline cxx::usize format_decimal(char *out, cxx::usize v)
{
	char digits[20];
	cxx::usize n = 0;
	do {
		digits[n++] = char('0' + v % 10);
		v /= 10;
	} while (v);
	for (cxx::usize i = 0; i < n; i++)
		out[i] = digits[n - 1 - i];
	return n;
}

// Plain console text: consecutive chunks of at most max_print_chunk bytes.
// sink(const char *data, usize len) is called once per datagram.
template <typename Sink> void split_plain(const char *msg, cxx::usize len, Sink &&sink)
{
	while (len) {
		cxx::usize frag = len < max_print_chunk ? len : max_print_chunk;
		sink(msg, frag);
		msg += frag;
		len -= frag;
	}
}

// An extended record. buf: scratch of max_print_chunk bytes (the caller serialises its use).
template <typename Sink>
FragResult split_extended(const char *msg, cxx::usize len, char *buf, Sink &&sink)
{
	if (len <= max_print_chunk) {
		sink(msg, len);
		return FragResult::ok;
	}
	const char *body = static_cast<const char *>(__builtin_memchr(msg, ';', len));
	if (!body)
		return FragResult::no_header;
	const cxx::usize header_len = cxx::usize(body - msg);
	const cxx::usize body_len = len - header_len - 1;
	body++;
	// ",ncfrag=<offset>/<total>;" must leave room for text in every fragment; no offset
	// has more digits than the total.
	char digits[20];
	const cxx::usize total_digits = format_decimal(digits, body_len);
	if (header_len + 8 + 2 * total_digits + 2 >= max_print_chunk)
		return FragResult::header_too_long;
	__builtin_memcpy(buf, msg, header_len);
	for (cxx::usize offset = 0; offset < body_len;) {
		cxx::usize h = header_len;
		__builtin_memcpy(buf + h, ",ncfrag=", 8);
		h += 8;
		h += format_decimal(buf + h, offset);
		buf[h++] = '/';
		h += format_decimal(buf + h, body_len);
		buf[h++] = ';';
		cxx::usize chunk = body_len - offset;
		if (chunk > max_print_chunk - h)
			chunk = max_print_chunk - h;
		__builtin_memcpy(buf + h, body + offset, chunk);
		sink(static_cast<const char *>(buf), h + chunk);
		offset += chunk;
	}
	return FragResult::ok;
}

} // namespace netconsole
