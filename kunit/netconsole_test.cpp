// SPDX-License-Identifier: GPL-2.0
// Cases of the cxx_netconsole suite: netconsole= parsing (targets, '+', defaults kept, errors),
// plain splitting and extended fragmentation as 6.1's send_ext_msg_udp does it.
#include <cxx/errno.h>
#include <cxx/new.h>
#include <cxx/oops_wait.h>
#include <cxx/test.h>
#include <cxx/types.h>

#include "../netconsole/config.h"
#include "../netconsole/format.h"
#include "../netconsole/window.h"

using namespace cxx;
using namespace netconsole;

namespace {

// What a sink received: every datagram, back to back, with their lengths.
struct Recorder {
	static constexpr usize max_frags = 32;
	char data[8192];
	usize used = 0;
	usize lens[max_frags] = {};
	usize frags = 0;
	bool overflow = false;

	void operator()(const char *p, usize n)
	{
		if (frags == max_frags || used + n > sizeof(data)) {
			overflow = true;
			return;
		}
		__builtin_memcpy(data + used, p, n);
		lens[frags++] = n;
		used += n;
	}
	void reset()
	{
		used = frags = 0;
		overflow = false;
	}
	const char *frag(usize i) const
	{
		usize off = 0;
		for (usize k = 0; k < i; k++)
			off += lens[k];
		return data + off;
	}
};

struct Buffers {
	char record[6000];
	char body[6000];
	char scratch[max_print_chunk];
	Recorder rec;
};

usize str_len(const char *s)
{
	return __builtin_strlen(s);
}

// "<header>;<body>": returns the record length.
usize make_record(char *out, const char *header, usize body_len)
{
	usize h = str_len(header);
	__builtin_memcpy(out, header, h);
	out[h] = ';';
	for (usize i = 0; i < body_len; i++)
		out[h + 1 + i] = char('a' + i % 26);
	return h + 1 + body_len;
}

// Parses "<prefix>,ncfrag=<off>/<total>;" at the start of a fragment; returns the header
// length or 0.
usize parse_frag_header(const char *f, usize len, const char *prefix, usize &off, usize &total)
{
	usize p = str_len(prefix);
	if (len < p + 8 || __builtin_memcmp(f, prefix, p) || __builtin_memcmp(f + p, ",ncfrag=", 8))
		return 0;
	usize i = p + 8;
	off = total = 0;
	while (i < len && f[i] >= '0' && f[i] <= '9')
		off = off * 10 + usize(f[i++] - '0');
	if (i == len || f[i++] != '/')
		return 0;
	while (i < len && f[i] >= '0' && f[i] <= '9')
		total = total * 10 + usize(f[i++] - '0');
	if (i == len || f[i++] != ';')
		return 0;
	return i;
}

struct Parsed {
	usize count = 0;
	const char *opt[8] = {};
	usize len[8] = {};
};

Parsed split(const char *config)
{
	Parsed p;
	for_each_target(config, [&](const char *opt, usize len) {
		if (p.count < 8) {
			p.opt[p.count] = opt;
			p.len[p.count] = len;
		}
		p.count++;
		return 0;
	});
	return p;
}

} // namespace

CXX_TEST(param_split_targets)
{
	EXPECT_EQ(split("").count, 0u);
	EXPECT_EQ(split(nullptr).count, 0u);
	Parsed one = split("@/eth0,@10.0.0.1/");
	EXPECT_EQ(one.count, 1u);
	EXPECT_EQ(one.len[0], 17u);
	Parsed three = split("@/eth0,@10.0.0.1/;+6665@/eth1,6666@10.0.0.2/;@/,@10.0.0.3/");
	EXPECT_EQ(three.count, 3u);
	EXPECT(three.len[1] == 26 && three.opt[1][0] == '+');
	EXPECT_EQ(three.len[2], 13u);
	// strsep semantics: empty targets are passed on (and refused by the parser)
	Parsed empty = split("a;;b;");
	EXPECT_EQ(empty.count, 4u);
	EXPECT(empty.len[1] == 0 && empty.len[3] == 0);
	// the first error stops the walk
	usize calls = 0;
	int rc = for_each_target("a;b;c", [&](const char *, usize) { return ++calls == 2 ? -5 : 0; });
	EXPECT_EQ(rc, -5);
	EXPECT_EQ(calls, 2u);
}

CXX_TEST(param_extended_and_options)
{
	cxx_netpoll np;
	bool ext = true;
	target_defaults(np, "kunit");
	const char *plain = "@/,@10.0.0.3/";
	EXPECT_EQ(parse_target(plain, str_len(plain), np, ext).errno_or_zero(), 0);
	EXPECT(!ext);
	EXPECT(__builtin_strcmp(np.dev_name, "eth0") == 0);
	EXPECT_EQ(np.local_port, 6665);
	EXPECT_EQ(np.remote_port, 6666);
	EXPECT_EQ(np.remote_ip.ip, 0x0300000aU);	// 10.0.0.3, network order
	EXPECT(np.remote_mac[0] == 0xff && np.remote_mac[5] == 0xff);

	target_defaults(np, "kunit");
	const char *full = "+4444@10.0.0.2/eth1,9353@10.0.0.1/00:09:3d:12:34:56";
	EXPECT_EQ(parse_target(full, str_len(full), np, ext).errno_or_zero(), 0);
	EXPECT(ext);
	EXPECT(__builtin_strcmp(np.dev_name, "eth1") == 0);
	EXPECT_EQ(np.local_port, 4444);
	EXPECT_EQ(np.remote_port, 9353);
	EXPECT_EQ(np.local_ip.ip, 0x0200000aU);
	EXPECT_EQ(np.remote_ip.ip, 0x0100000aU);
	EXPECT(np.remote_mac[0] == 0x00 && np.remote_mac[2] == 0x3d && np.remote_mac[5] == 0x56);

	// a target inside a longer parameter: only its own bytes count
	target_defaults(np, "kunit");
	const char *two = "+@/eth2,@fd00::1/;@/,@10.0.0.9/";
	EXPECT_EQ(parse_target(two, 17, np, ext).errno_or_zero(), 0);
	EXPECT(ext && np.ipv6);
	EXPECT(__builtin_strcmp(np.dev_name, "eth2") == 0);
	EXPECT(np.remote_ip.ip6[0] == 0xfd && np.remote_ip.ip6[15] == 1);
}

CXX_TEST(param_invalid)
{
	cxx_netpoll np;
	bool ext;
	const char *bad[] = { "", "+", "garbage", "@/,", "+@/eth0", "@/,@/", "++@/,@10.0.0.1/" };
	for (const char *s : bad) {
		target_defaults(np, "kunit");
		EXPECT_EQ(parse_target(s, str_len(s), np, ext).errno_or_zero(), -err::EINVAL);
	}
	// longer than the parameter itself can be
	char *longer = static_cast<char *>(operator new(400, gfp_kernel));
	EXPECT(longer);
	if (!longer)
		return;
	__builtin_memset(longer, '1', 399);
	longer[399] = 0;
	target_defaults(np, "kunit");
	EXPECT_EQ(parse_target(longer, 399, np, ext).errno_or_zero(), -err::EINVAL);
	operator delete(longer, 400);
}

CXX_TEST(plain_split)
{
	Buffers *b = new (gfp_kernel) Buffers;
	EXPECT(b);
	if (!b)
		return;
	split_plain(b->record, 0, b->rec);
	EXPECT_EQ(b->rec.frags, 0u);
	const usize sizes[] = { 1, 999, 1000, 1001, 2000, 2500 };
	for (usize len : sizes) {
		b->rec.reset();
		make_record(b->record, "x", len);
		split_plain(b->record, len, b->rec);
		EXPECT_EQ(b->rec.frags, (len + 999) / 1000);
		EXPECT_EQ(b->rec.used, len);
		for (usize i = 0; i < b->rec.frags; i++)
			EXPECT_EQ(b->rec.lens[i], i + 1 < b->rec.frags ? 1000u : len - 1000 * i);
		EXPECT(__builtin_memcmp(b->rec.data, b->record, len) == 0);
	}
	delete b;
}

CXX_TEST(ext_short_record_whole)
{
	Buffers *b = new (gfp_kernel) Buffers;
	EXPECT(b);
	if (!b)
		return;
	usize len = make_record(b->record, "6,17,123456,-", 50);
	EXPECT(split_extended(b->record, len, b->scratch, b->rec) == FragResult::ok);
	EXPECT_EQ(b->rec.frags, 1u);
	EXPECT_EQ(b->rec.lens[0], len);
	EXPECT(__builtin_memcmp(b->rec.data, b->record, len) == 0);
	delete b;
}

CXX_TEST(ext_fragments_reassemble)
{
	Buffers *b = new (gfp_kernel) Buffers;
	EXPECT(b);
	if (!b)
		return;
	const char *header = "4,1234,98765432,c";
	const usize body_len = 5120;
	usize len = make_record(b->record, header, body_len);
	EXPECT(split_extended(b->record, len, b->scratch, b->rec) == FragResult::ok);
	EXPECT(!b->rec.overflow);
	EXPECT(b->rec.frags >= 6);
	usize next = 0;
	for (usize i = 0; i < b->rec.frags; i++) {
		const char *f = b->rec.frag(i);
		usize flen = b->rec.lens[i], off, total;
		EXPECT(flen <= max_print_chunk);
		usize h = parse_frag_header(f, flen, header, off, total);
		EXPECT(h);
		if (!h)
			break;
		EXPECT_EQ(total, body_len);
		EXPECT_EQ(off, next);
		// full fragments but the last
		if (i + 1 < b->rec.frags)
			EXPECT_EQ(flen, max_print_chunk);
		__builtin_memcpy(b->body + off, f + h, flen - h);
		next = off + (flen - h);
	}
	EXPECT_EQ(next, body_len);
	EXPECT(__builtin_memcmp(b->body, b->record + str_len(header) + 1, body_len) == 0);
	delete b;
}

CXX_TEST(ext_boundary_1000)
{
	Buffers *b = new (gfp_kernel) Buffers;
	EXPECT(b);
	if (!b)
		return;
	const char *header = "6,5,100,-";
	// exactly 1000 bytes: sent whole, no ncfrag
	usize len = make_record(b->record, header, 1000 - str_len(header) - 1);
	EXPECT_EQ(len, 1000u);
	EXPECT(split_extended(b->record, len, b->scratch, b->rec) == FragResult::ok);
	EXPECT_EQ(b->rec.frags, 1u);
	EXPECT_EQ(b->rec.lens[0], 1000u);
	// 1001 bytes: fragmented, the body's 991 bytes across two datagrams
	b->rec.reset();
	len = make_record(b->record, header, 1001 - str_len(header) - 1);
	EXPECT(split_extended(b->record, len, b->scratch, b->rec) == FragResult::ok);
	EXPECT_EQ(b->rec.frags, 2u);
	usize off, total;
	usize h0 = parse_frag_header(b->rec.frag(0), b->rec.lens[0], header, off, total);
	EXPECT(h0 && off == 0 && total == 991);
	EXPECT_EQ(b->rec.lens[0], 1000u);
	usize h1 = parse_frag_header(b->rec.frag(1), b->rec.lens[1], header, off, total);
	EXPECT(h1 && off == 1000 - h0 && total == 991);
	EXPECT_EQ(b->rec.lens[1] - h1, 991 - (1000 - h0));
	// a fragment header with more digits still fits exactly
	b->rec.reset();
	len = make_record(b->record, header, 5000);
	EXPECT(split_extended(b->record, len, b->scratch, b->rec) == FragResult::ok);
	for (usize i = 0; i + 1 < b->rec.frags; i++)
		EXPECT_EQ(b->rec.lens[i], 1000u);
	delete b;
}

CXX_TEST(ext_bad_records)
{
	Buffers *b = new (gfp_kernel) Buffers;
	EXPECT(b);
	if (!b)
		return;
	// over 1000 bytes without a header separator: nothing sent
	__builtin_memset(b->record, 'x', 1500);
	EXPECT(split_extended(b->record, 1500, b->scratch, b->rec) == FragResult::no_header);
	EXPECT_EQ(b->rec.frags, 0u);
	// a header that leaves no room for text
	__builtin_memset(b->record, '1', 990);
	b->record[990] = ';';
	__builtin_memset(b->record + 991, 'y', 100);
	EXPECT(split_extended(b->record, 1091, b->scratch, b->rec) == FragResult::header_too_long);
	EXPECT_EQ(b->rec.frags, 0u);
	// under the bound a record is passed as is, whatever it holds
	EXPECT(split_extended(b->record, 900, b->scratch, b->rec) == FragResult::ok);
	EXPECT_EQ(b->rec.frags, 1u);
	delete b;
}

CXX_TEST(ext_long_header_exact_bytes)
{
	// A 955-byte header still leaves room (6.1 sends it). 6.1's send_ext_msg_udp() writes
	// ",ncfrag=<offset>/<total>;" after the header and fills each datagram up to
	// MAX_PRINT_CHUNK (1000) with body: for a 100-byte body that is 969 + 31, 970 + 30,
	// 970 + 30 and 970 + 9 bytes. The expected bytes are written out here, not computed.
	static constexpr struct {
		const char *ncfrag;
		usize body_off, body_len, total;
	} want[] = {
		{ ",ncfrag=0/100;", 0, 31, 1000 },
		{ ",ncfrag=31/100;", 31, 30, 1000 },
		{ ",ncfrag=61/100;", 61, 30, 1000 },
		{ ",ncfrag=91/100;", 91, 9, 979 },
	};
	Buffers *b = new (gfp_kernel) Buffers;
	EXPECT(b);
	if (!b)
		return;
	constexpr usize header_len = 955, body_len = 100;
	__builtin_memset(b->record, '7', header_len);
	b->record[header_len] = ';';
	char body[body_len];
	for (usize i = 0; i < body_len; i++)
		body[i] = char('a' + i % 26);
	__builtin_memcpy(b->record + header_len + 1, body, body_len);
	EXPECT(split_extended(b->record, header_len + 1 + body_len, b->scratch, b->rec) ==
	       FragResult::ok);
	EXPECT_EQ(b->rec.frags, 4u);
	for (usize i = 0; i < 4 && i < b->rec.frags; i++) {
		const char *f = b->rec.frag(i);
		const usize tag = __builtin_strlen(want[i].ncfrag);
		EXPECT_EQ(b->rec.lens[i], want[i].total);
		EXPECT_EQ(header_len + tag + want[i].body_len, want[i].total);
		for (usize k = 0; k < header_len; k++) {
			if (f[k] != '7') {
				EXPECT(f[k] == '7');
				break;
			}
		}
		EXPECT(__builtin_memcmp(f + header_len, want[i].ncfrag, tag) == 0);
		EXPECT(__builtin_memcmp(f + header_len + tag, body + want[i].body_off,
					want[i].body_len) == 0);
	}
	delete b;
}

CXX_TEST(oops_lock_wait_once)
{
	// During an oops, the first record waits for a lost target lock; once that wait ran
	// out, later records do not wait again (each would hold the panic up by 100 ms), until
	// the lock is had again.
	OopsWait<100000> w;
	EXPECT_EQ(w.budget_us(), 100000u);
	w.timed_out();
	EXPECT_EQ(w.budget_us(), 0u);
	EXPECT_EQ(w.budget_us(), 0u);
	w.acquired();
	EXPECT_EQ(w.budget_us(), 100000u);
}

CXX_TEST(resend_window)
{
	// The datagrams of the last W, bounded by slots and bytes, oldest out first; those
	// evicted while younger than W counted; a datagram wrapping the byte ring comes back
	// whole; `since` leaves out what was sent before it.
	static Window::Slot slots[4];
	static char data[64];
	Window w;
	EXPECT(!w.usable());
	w.record("x", 1, 0);				// no storage: nothing kept
	w.attach(slots, 4, data, sizeof(data), 100);	// W: 100 jiffies
	EXPECT(w.usable());
	char out[64];
	const char *msgs[] = { "alpha-20-bytes-long!", "bravo-20-bytes-long!",
			       "charlie-20-bytes-lo!", "delta-20-bytes-long!" };
	for (int i = 0; i < 3; i++)
		w.record(msgs[i], 20, 1000 + unsigned(i));
	EXPECT_EQ(w.count(), 3u);
	EXPECT_EQ(w.oldest(), 0u);
	EXPECT_EQ(w.end(), 3u);
	EXPECT_EQ(w.copy(1, 1000, out, sizeof(out)), 20u);
	EXPECT(__builtin_memcmp(out, msgs[1], 20) == 0);
	EXPECT_EQ(w.copy(0, 1001, out, sizeof(out)), 0u);	// sent before since
	EXPECT_EQ(w.copy(1, 1000, out, 10), 0u);		// no room for it
	// 64 bytes: a fourth of 20 evicts the first (young: counted) and wraps at byte 60.
	w.record(msgs[3], 20, 1003);
	EXPECT_EQ(w.oldest(), 1u);
	EXPECT_EQ(w.end(), 4u);
	EXPECT_EQ(w.evicted(), 1u);
	EXPECT_EQ(w.copy(3, 0, out, sizeof(out)), 20u);
	EXPECT(__builtin_memcmp(out, msgs[3], 20) == 0);
	// Much later: what goes for room is older than W, not counted; four slots at most.
	for (unsigned i = 0; i < 6; i++)
		w.record("s", 1, 5000 + i);
	EXPECT_EQ(w.count(), 4u);
	EXPECT_EQ(w.evicted(), 1u + 2u);	// two of the six evicted young ones
	EXPECT_EQ(w.copy(w.end() - 1, 5000, out, sizeof(out)), 1u);
	// Larger than the whole window: not kept, nothing evicted for it.
	char big[65] = {};
	const u64 end = w.end();
	w.record(big, sizeof(big), 6000);
	EXPECT_EQ(w.end(), end);
	w.clear();
	EXPECT_EQ(w.count(), 0u);
}
