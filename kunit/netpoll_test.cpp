// SPDX-License-Identifier: GPL-2.0
// Cases of the cxx_netpoll suite: the option parser against the kernel's, frames and
// checksums against the kernel's checksum helpers, the deferred queue's bound and counters.
#include <cxx/context.h>
#include <cxx/errno.h>
#include <cxx/test.h>
#include <cxx/types.h>

#include "../netpoll/frame.h"
#include "../netpoll/shim.h"
#include "netpoll_oracle.h"

using namespace cxx;

namespace {

// netconsole's defaults, which the option string overrides field by field.
cxx_netpoll defaults()
{
	cxx_netpoll np {};
	np.name = "kunit";
	__builtin_memcpy(np.dev_name, "eth0", 5);
	np.local_port = 6665;
	np.remote_port = 6666;
	for (auto &b : np.remote_mac)
		b = 0xff;
	return np;
}

bool same(const cxx_netpoll &a, const cxx_netpoll &b)
{
	return __builtin_memcmp(a.dev_name, b.dev_name, sizeof(a.dev_name)) == 0 &&
	       __builtin_memcmp(&a.local_ip, &b.local_ip, sizeof(a.local_ip)) == 0 &&
	       __builtin_memcmp(&a.remote_ip, &b.remote_ip, sizeof(a.remote_ip)) == 0 &&
	       a.ipv6 == b.ipv6 && a.local_port == b.local_port &&
	       a.remote_port == b.remote_port &&
	       __builtin_memcmp(a.remote_mac, b.remote_mac, 6) == 0;
}

const char *const valid_options[] = {
	"@/,@10.0.0.1/",
	"6665@10.0.0.2/eth0,6666@10.0.0.1/52:54:00:ff:10:00",
	"4444@10.0.0.2/eth1,9353@10.0.0.1/00:09:3d:12:34:56",
	"@10.0.0.2/eth1,@10.0.0.1/",
	"1@/,65535@10.0.0.1/",
	"+6665@/,@10.0.0.1/",
	"@/eth0,@fd00::1/",
	"@fd00::2/eth0,@fd00::1/",
	"6665@fe80::1/eth0,6666@fe80::5054:ff:fe10:1/aa:bb:cc:dd:ee:ff",
	"@/,@::ffff:10.0.0.1/",
	"@/,@2001:db8:0:0:1:0:0:1/",
	"@/averyveryverylongdevicename,@10.0.0.1/",
	"@/,@10.0.0.1/aa:bb:cc:dd:ee:ffXYZ",
	"@/,@255.255.255.255/",
	"@/bond0,@10.0.0.1/AA:BB:CC:DD:EE:FF",
};

const char *const invalid_options[] = {
	"",
	"garbage",
	"@",
	"@/",
	"@/,",
	"@/,@",
	"@/,@10.0.0.1",
	"70000@/,@10.0.0.1/",
	"abc@/,@10.0.0.1/",
	"@10.0.0.300/,@10.0.0.1/",
	"@10.0.0.2/,@fd00::1/",
	"@fd00::2/,@10.0.0.1/",
	"@/,@10.0.0.1/zz:zz:zz:zz:zz:zz",
	"@/,@10.0.0.1/aa:bb:cc",
	"@/,@10.0.0.1/aa-bb-cc-dd-ee-ff",
	"@/, 6666@10.0.0.1/",
	"@/,-1@10.0.0.1/",
	"@/,@1.2.3/",
	"@/,@fd00:::1/",
	"@/,@/",
	"6665@10.0.0.2/eth0;6666@10.0.0.1/",
};

// xorshift: deterministic "random" payloads.
u32 next_random(u32 &state)
{
	state ^= state << 13;
	state ^= state >> 17;
	state ^= state << 5;
	return state;
}

u16 get16(const u8 *p)
{
	return u16(p[0] << 8 | p[1]);
}

} // namespace

CXX_TEST(options_match_kernel)
{
	for (const char *opt : valid_options) {
		cxx_netpoll ours = defaults(), theirs = defaults();
		int a = cxx_netpoll_parse_options(&ours, opt);
		int b = oracle_parse_options(&theirs, opt);
		EXPECT_EQ(a, 0);
		EXPECT_EQ(b, 0);
		if (!same(ours, theirs))
			cxx_test_fail(test_ctx_, __FILE__, __LINE__, opt);
	}
}

CXX_TEST(options_defaults_kept)
{
	cxx_netpoll np = defaults();
	EXPECT_EQ(cxx_netpoll_parse_options(&np, "@/,@10.0.0.1/"), 0);
	EXPECT_EQ(np.local_port, 6665);
	EXPECT_EQ(np.remote_port, 6666);
	EXPECT(__builtin_memcmp(np.dev_name, "eth0", 5) == 0);
	EXPECT_EQ(np.remote_mac[0], 0xff);
	EXPECT_EQ(np.ipv6, 0);
	const u8 want[] = { 10, 0, 0, 1 };
	EXPECT(__builtin_memcmp(&np.remote_ip.ip, want, 4) == 0);
	EXPECT_EQ(np.local_ip.ip, 0u);	// chosen at setup
}

CXX_TEST(options_invalid)
{
	for (const char *opt : invalid_options) {
		cxx_netpoll ours = defaults(), theirs = defaults();
		int a = cxx_netpoll_parse_options(&ours, opt);
		int b = oracle_parse_options(&theirs, opt);
		if (a == 0 || b == 0)
			cxx_test_fail(test_ctx_, __FILE__, __LINE__, opt);
		if (a != 0)
			EXPECT_EQ(a, -22);	// -EINVAL: a clear error, not 6.1's -1
	}
	EXPECT(cxx_netpoll_parse_options(nullptr, "@/,@10.0.0.1/") != 0);
}

CXX_TEST(ipv4_header_checksum)
{
	u32 state = 0x1234567;
	u8 frame[netpoll::udp_frame_len(false, 64)];
	const u8 mac[6] = { 2, 0, 0, 0, 0, 1 };
	for (int i = 0; i < 200; i++) {
		u8 src[4], dst[4];
		u32 r = next_random(state);
		__builtin_memcpy(src, &r, 4);
		r = next_random(state);
		__builtin_memcpy(dst, &r, 4);
		usize len = next_random(state) % 65;
		netpoll::UdpFrameSpec spec { mac, mac, false, src, dst, u16(r), u16(r >> 16),
					     u16(next_random(state)) };
		netpoll::build_udp_frame(frame, spec, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", len);
		u8 *ip = frame + netpoll::l3_offset();
		u16 stored = get16(ip + 10);
		ip[10] = ip[11] = 0;
		EXPECT_EQ(stored, oracle_ip_fast_csum(ip, 5));
		ip[10] = u8(stored >> 8);
		ip[11] = u8(stored);
		EXPECT_EQ(oracle_ip_fast_csum(ip, 5), 0);	// a valid header sums to zero
	}
}

CXX_TEST(udp_checksum_matches_kernel)
{
	u32 state = 0xfeedbeef;
	static constexpr usize max_payload = 1460;
	static u8 payload[max_payload];
	static u8 frame[netpoll::udp_frame_len(true, max_payload)];
	const u8 mac[6] = { 2, 0, 0, 0, 0, 1 };
	for (int i = 0; i < 300; i++) {
		const bool v6 = i & 1;
		u8 src[16], dst[16];
		for (int j = 0; j < 16; j += 4) {
			u32 r = next_random(state);
			__builtin_memcpy(src + j, &r, 4);
			r = next_random(state);
			__builtin_memcpy(dst + j, &r, 4);
		}
		usize len = i < 4 ? usize(i) : next_random(state) % (max_payload + 1);
		if (i == 5)
			len = max_payload;
		for (usize j = 0; j < len; j++)
			payload[j] = u8(next_random(state));
		netpoll::UdpFrameSpec spec { mac, mac, v6, src, dst, 6665, 6666, 1 };
		netpoll::build_udp_frame(frame, spec, reinterpret_cast<const char *>(payload), len);
		u8 *udp = frame + netpoll::l4_offset(v6);
		u8 stored[2] = { udp[6], udp[7] };
		udp[6] = udp[7] = 0;
		u8 want[2];
		oracle_udp_csum(v6, src, dst, udp, unsigned(netpoll::udp_hlen + len), want);
		EXPECT_EQ(stored[0], want[0]);
		EXPECT_EQ(stored[1], want[1]);
		// the checksum covers what was framed, which must be the payload given
		EXPECT_EQ(get16(udp + 4), netpoll::udp_hlen + len);
		EXPECT(__builtin_memcmp(udp + netpoll::udp_hlen, payload, len) == 0);
	}
}

CXX_TEST(frame_layout)
{
	const u8 smac[6] = { 0x52, 0x54, 0, 0, 0, 1 }, dmac[6] = { 0x52, 0x54, 0, 0, 0, 2 };
	const u8 s4[4] = { 10, 0, 0, 2 }, d4[4] = { 10, 0, 0, 1 };
	u8 f4[netpoll::udp_frame_len(false, 5)];
	netpoll::build_udp_frame(f4, { smac, dmac, false, s4, d4, 6665, 6666, 7 }, "hello", 5);
	EXPECT(__builtin_memcmp(f4, dmac, 6) == 0 && __builtin_memcmp(f4 + 6, smac, 6) == 0);
	EXPECT_EQ(get16(f4 + 12), 0x0800);
	EXPECT_EQ(f4[14], 0x45);
	EXPECT_EQ(get16(f4 + 16), 20 + 8 + 5);
	EXPECT_EQ(get16(f4 + 18), 7);
	EXPECT_EQ(f4[22], 64);
	EXPECT_EQ(f4[23], 17);
	EXPECT_EQ(get16(f4 + 34), 6665);
	EXPECT_EQ(get16(f4 + 36), 6666);
	EXPECT_EQ(get16(f4 + 38), 8 + 5);
	EXPECT(__builtin_memcmp(f4 + 42, "hello", 5) == 0);

	u8 s6[16] = { 0xfd }, d6[16] = { 0xfd };
	s6[15] = 2;
	d6[15] = 1;
	u8 f6[netpoll::udp_frame_len(true, 3)];
	netpoll::build_udp_frame(f6, { smac, dmac, true, s6, d6, 1, 2, 0 }, "abc", 3);
	EXPECT_EQ(get16(f6 + 12), 0x86dd);
	EXPECT_EQ(f6[14], 0x60);
	EXPECT_EQ(get16(f6 + 18), 8 + 3);
	EXPECT_EQ(f6[20], 17);
	EXPECT_EQ(f6[21], 32);
	EXPECT(__builtin_memcmp(f6 + 22, s6, 16) == 0 && __builtin_memcmp(f6 + 38, d6, 16) == 0);
	EXPECT_EQ(get16(f6 + 54), 1);
	EXPECT_EQ(get16(f6 + 56), 2);
	EXPECT_EQ(get16(f6 + 58), 8 + 3);
	EXPECT(__builtin_memcmp(f6 + 62, "abc", 3) == 0);
	EXPECT_EQ(sizeof(f6), 62u + 3);
}

CXX_TEST(queue_bound_and_counters)
{
	// A netpoll on loopback whose queues are stopped: the first datagram retries for a
	// jiffy, then everything queues up to the bound (txq_limit, 1024) and the rest is
	// counted as queue_full; waking the queues lets the work item deliver the queue.
	constexpr unsigned limit = 1024, extra = 76;
	cxx_netpoll np {};
	np.name = "kunit";
	__builtin_memcpy(np.dev_name, "lo", 3);
	EXPECT_EQ(cxx_netpoll_parse_options(&np, "7000@127.0.0.1/lo,7001@127.0.0.1/"), 0);
	int rc = cxx_netpoll_setup(&np);
	EXPECT_EQ(rc, 0);
	if (rc)
		return;
	net_device *lo = oracle_loopback();
	EXPECT(np.dev == lo);
	oracle_stop_queues(lo);
	for (unsigned i = 0; i < limit + extra; i++)
		cxx_netpoll_send_udp(&np, "kunit", 5);
	cxx_netpoll_stats st;
	cxx_netpoll_get_stats(&np, &st);
	EXPECT_EQ(st.sent, 0u);
	EXPECT_EQ(st.deferred, limit);
	EXPECT_EQ(st.drop_queue_full, extra);
	EXPECT_EQ(st.drop_no_skb + st.drop_dev_down + st.drop_not_attached, 0u);
	oracle_wake_queues(lo);
	for (int i = 0; i < 500; i++) {
		cxx_netpoll_get_stats(&np, &st);
		if (st.sent == limit)
			break;
		oracle_msleep(10);
	}
	EXPECT_EQ(st.sent, limit);
	// Garbage lengths: too long to frame is counted, negative is refused.
	static char big[70000];
	cxx_netpoll_send_udp(&np, big, int(sizeof(big)));
	cxx_netpoll_send_udp(&np, big, -1);
	cxx_netpoll_get_stats(&np, &st);
	EXPECT_EQ(st.drop_no_skb, 1u);
	EXPECT_EQ(st.sent, limit);
	cxx_netpoll_cleanup(&np);
	EXPECT(np.dev == nullptr && np.state == nullptr);
	cxx_netpoll_send_udp(&np, "after", 5);	// not attached: ignored, no crash
}

CXX_TEST(deferred_drop_counted_once)
{
	// Deferred datagrams that the work item finds no device present for are dropped and
	// counted once, as dev_down: the counters add up to what was sent.
	constexpr unsigned n = 10;
	cxx_netpoll np {};
	np.name = "kunit";
	__builtin_memcpy(np.dev_name, "lo", 3);
	EXPECT_EQ(cxx_netpoll_parse_options(&np, "7002@127.0.0.1/lo,7003@127.0.0.1/"), 0);
	int rc = cxx_netpoll_setup(&np);
	EXPECT_EQ(rc, 0);
	if (rc)
		return;
	net_device *lo = oracle_loopback();
	oracle_stop_queues(lo);
	for (unsigned i = 0; i < n; i++)
		cxx_netpoll_send_udp(&np, "kunit", 5);
	oracle_detach(lo);
	cxx_netpoll_stats st;
	for (int i = 0; i < 500; i++) {
		cxx_netpoll_get_stats(&np, &st);
		if (st.queued == 0)
			break;
		oracle_msleep(10);
	}
	oracle_attach(lo);
	oracle_wake_queues(lo);
	EXPECT_EQ(st.queued, 0u);
	EXPECT_EQ(st.deferred, n);
	EXPECT_EQ(st.drop_dev_down, n);
	EXPECT_EQ(st.drop_no_skb, 0u);
	EXPECT_EQ(st.sent + st.drop_dev_down + st.drop_no_skb + st.drop_queue_full +
		  st.drop_not_attached, u64(n));
	cxx_netpoll_cleanup(&np);
}

static void send_a(void *np)
{
	cxx_netpoll_send_udp(static_cast<cxx_netpoll *>(np), "A", 1);
}

CXX_TEST(oops_flush_keeps_order)
{
	// During an oops the deferred queue is flushed by the oopsing CPU, while the work item
	// on another CPU may be inside the driver with the datagram that was first in line
	// (draining_). The flush waits for it: the datagrams leave in the order sent. The device
	// is LLTX, as bonds and VLANs are: no tx lock orders the two CPUs.
	constexpr unsigned hold_us = 10000;	// below flush_for_oops's bound (20 ms)
	const int here = oracle_pin_here();
	const int other = here < 0 ? -1 : oracle_other_cpu(here);
	EXPECT(other >= 0);	// needs two CPUs
	net_device *dev = other >= 0 ? oracle_slow_dev_create(hold_us) : nullptr;
	EXPECT(dev != nullptr);
	if (!dev)
		return oracle_unpin();
	cxx_netpoll np {};
	np.name = "kunit";
	__builtin_strncpy(np.dev_name, oracle_dev_name(dev), sizeof(np.dev_name) - 1);
	EXPECT_EQ(cxx_netpoll_parse_options(&np, "7010@10.99.0.2/,7011@10.99.0.1/02:00:00:00:00:01"),
		  0);
	const int rc = cxx_netpoll_setup(&np);
	EXPECT_EQ(rc, 0);
	if (rc) {
		oracle_slow_dev_destroy(dev);
		return oracle_unpin();
	}
	// A is deferred from the other CPU (its work item runs there), B and C queue behind it.
	oracle_stop_queues(dev);
	EXPECT_EQ(oracle_call_on(other, send_a, &np), 0);
	cxx_netpoll_send_udp(&np, "B", 1);
	cxx_netpoll_send_udp(&np, "C", 1);
	// The work item's next try takes A into the driver, which holds it for a while.
	oracle_slow_arm();
	oracle_wake_queues(dev);
	EXPECT_EQ(oracle_slow_wait_held(2000), other);
	oracle_oops_in_progress(1);
	cxx_netpoll_send_udp(&np, "D", 1);
	oracle_oops_in_progress(0);
	char order[16] = {};
	for (int i = 0; i < 200 && oracle_slow_order(order, sizeof(order)) < 4; i++)
		oracle_msleep(10);
	if (__builtin_strcmp(order, "ABCD") != 0)	// the order seen, in the failure
		cxx_test_fail(test_ctx_, __FILE__, __LINE__, order);
	cxx_netpoll_cleanup(&np);
	oracle_slow_dev_destroy(dev);
	oracle_unpin();
}

CXX_TEST(nmi_skb_reuse)
{
	// In an NMI panic the core frames each line in the skb of the line before (nothing may
	// be allocated there): the driver gets it with an extra reference of ours, and once
	// that is the last one again the skb is reset to what __alloc_skb gives and kept.
	constexpr unsigned size = 512, headroom = 64, len = 100;
	sk_buff *skb = cxxnp_skb_alloc(size);
	EXPECT(skb != nullptr);
	if (!skb)
		return;
	cxxnp_skb_frame(skb, headroom, len);
	cxxnp_skb_set_headers(skb, oracle_loopback(), 0x0800, 14, 34);
	EXPECT(!oracle_skb_fresh(skb, 0));
	EXPECT(cxxnp_skb_nmi_take(0) == nullptr);		// nothing kept yet

	cxxnp_skb_hold(skb);				// xmit_leaf, before the driver
	EXPECT(!cxxnp_skb_sole(skb));			// the driver has it
	oracle_skb_driver_free(skb);			// the device is done
	EXPECT(cxxnp_skb_sole(skb));
	EXPECT(cxxnp_skb_unhold(skb));			// ours alone: not dropped
	cxxnp_skb_nmi_recycle(skb);
	EXPECT(cxxnp_skb_nmi_take(size * 4) == nullptr);	// too small for that: kept
	sk_buff *again = cxxnp_skb_nmi_take(size);
	EXPECT(again == skb);
	EXPECT(again && oracle_skb_fresh(again, size));
	EXPECT(cxxnp_skb_nmi_take(0) == nullptr);		// taken: one spare only

	// The driver still holds it (the wait ran out): our reference goes, the driver's free
	// stays the last; nothing is kept.
	cxxnp_skb_frame(skb, headroom, len);
	cxxnp_skb_hold(skb);
	EXPECT(!cxxnp_skb_unhold(skb));
	EXPECT(cxxnp_skb_sole(skb));			// the driver's, now

	// Shared data (a clone not freed) or anything attached: never reused.
	sk_buff *clone = cxxnp_skb_clone(skb);
	EXPECT(clone != nullptr);
	cxxnp_skb_nmi_recycle(skb);
	EXPECT(cxxnp_skb_nmi_take(0) == nullptr);
	if (clone)
		oracle_skb_free(clone);
	oracle_skb_set_destructor(skb);
	cxxnp_skb_nmi_recycle(skb);
	EXPECT(cxxnp_skb_nmi_take(0) == nullptr);
	oracle_skb_free(skb);
	cxxnp_skb_nmi_spare_free();
}

CXX_TEST(upper_api_bad_input)
{
	// The stacked drivers' calls refuse what they cannot do, and say so: four uppers at
	// most (-ENOSPC, and unregistering gives the slot back); a lower netpoll with an rx hook
	// (a bond's rx handler runs after ingress hooks: -EINVAL, nothing attached); no device
	// (-EINVAL); set up twice (-EBUSY, the first one untouched).
	net_device *up = oracle_upper_create();	// one slot: the oracle's upper
	EXPECT(up != nullptr);
	if (!up)
		return;
	// The other three, or fewer where cxx_bonding is loaded too (the boot scenario).
	int taken = 0;
	while (taken < 5 && oracle_register_spare_upper(taken) == 0)
		taken++;
	EXPECT(taken >= 2 && taken <= 3);
	EXPECT_EQ(oracle_register_spare_upper(4), -err::ENOSPC);
	oracle_unregister_spare_upper(0);
	EXPECT_EQ(oracle_register_spare_upper(4), 0);
	oracle_unregister_spare_upper(4);
	for (int i = 1; i < taken; i++)
		oracle_unregister_spare_upper(i);

	net_device *sink = oracle_upper_sink();
	cxx_netpoll np {};
	np.name = "kunit-bad";
	np.lower = 1;
	EXPECT_EQ(oracle_setup_lower(&np, sink, 1), -err::EINVAL);
	EXPECT(np.state == nullptr);
	np.rx_hook = nullptr;
	EXPECT_EQ(oracle_setup_lower(&np, nullptr, 0), -err::EINVAL);
	EXPECT_EQ(oracle_setup_lower(&np, sink, 0), 0);
	void *first = np.state;
	EXPECT(first != nullptr);
	EXPECT_EQ(oracle_setup_lower(&np, sink, 0), -err::EBUSY);
	EXPECT(np.state == first);
	oracle_cleanup_lower(&np);
	EXPECT(np.state == nullptr);
	// Outside a nested send nobody can keep an skb: hold says so and leaves it to the
	// caller (cxx_bonding then drops it, counted, as for the kernel's netpoll).
	if (sk_buff *skb = cxxnp_skb_alloc(64)) {
		int held;
		{
			IrqSaveGuard irqs;	// as in an upper's xmit under netpoll
			held = cxx_netpoll_hold_skb(skb);
		}
		EXPECT_EQ(held, 0);
		oracle_skb_free(skb);
	}
	oracle_upper_destroy(up);
}

CXX_TEST(upper_nested_sends)
{
	// A netpoll on a registered upper (cxx_bonding's kind) over a sink device, sender no_poll
	// (a console's). Inline, from process context and from hard IRQ, not deferred as for other
	// stacked devices; each datagram counted once, by the sender's netpoll. With the lower
	// device's queues stopped the lower netpoll hands each datagram back instead of queueing
	// it itself: the sender defers it and its work item sends it through the upper again;
	// during an oops the upper gets it back first (cxx_netpoll_try_send_skb).
	constexpr unsigned n = 8, m = 5;
	const int here = oracle_pin_here();
	const int other = here < 0 ? -1 : oracle_other_cpu(here);
	net_device *up = oracle_upper_create();
	EXPECT(up != nullptr);
	if (!up)
		return oracle_unpin();
	cxx_netpoll np {};
	np.name = "kunit";
	np.no_poll = 1;
	EXPECT_EQ(cxx_netpoll_parse_options(&np, "7012@127.0.0.1/,7013@127.0.0.1/"), 0);
	__builtin_strncpy(np.dev_name, oracle_dev_name(up), sizeof(np.dev_name) - 1);
	const int rc = cxx_netpoll_setup(&np);
	EXPECT_EQ(rc, 0);
	if (rc) {
		oracle_upper_destroy(up);
		return oracle_unpin();
	}
	cxx_netpoll *lower = oracle_upper_lower();
	net_device *sink = oracle_upper_sink();
	EXPECT(lower->state != nullptr && lower->dev == sink);
	EXPECT(cxx_netpoll_ready(lower));	// setup waited for a grace period
	for (unsigned i = 0; i < n; i++)
		cxx_netpoll_send_udp(&np, "inline", 6);
	if (other >= 0)
		EXPECT_EQ(oracle_call_on(other, send_a, &np), 0);
	const unsigned inline_sent = n + (other >= 0 ? 1 : 0);
	cxx_netpoll_stats st, ls;
	cxx_netpoll_get_stats(&np, &st);
	cxx_netpoll_get_stats(lower, &ls);
	EXPECT_EQ(st.sent, u64(inline_sent));
	EXPECT_EQ(st.deferred, 0u);
	EXPECT_EQ(ls.sent, u64(inline_sent));
	EXPECT_EQ(ls.deferred, 0u);
	EXPECT_EQ(oracle_upper_xmits(), int(inline_sent));
	EXPECT_EQ(oracle_upper_sunk(), int(inline_sent));

	oracle_stop_queues(sink);
	for (unsigned i = 0; i < m; i++)
		cxx_netpoll_send_udp(&np, "held", 4);
	cxx_netpoll_get_stats(&np, &st);
	cxx_netpoll_get_stats(lower, &ls);
	EXPECT_EQ(st.sent, u64(inline_sent));
	EXPECT_EQ(st.deferred, u64(m));
	EXPECT_EQ(ls.deferred + ls.queued, 0u);	// handed back, not queued below
	EXPECT_EQ(oracle_upper_returned(), 0);

	// During an oops the upper asks with cxx_netpoll_try_send_skb (cxx_bonding would try its
	// other slaves): what the lower device cannot take comes back to the upper, untouched,
	// and what it holds with cxx_netpoll_hold_skb the sender keeps, in order. Each send first
	// tries what is queued (through the upper again): at least one return per datagram.
	constexpr unsigned k = 3;
	oracle_oops_in_progress(1);
	for (unsigned i = 0; i < k; i++)
		cxx_netpoll_send_udp(&np, "oops", 4);
	oracle_oops_in_progress(0);
	cxx_netpoll_get_stats(&np, &st);
	cxx_netpoll_get_stats(lower, &ls);
	EXPECT_EQ(st.sent, u64(inline_sent));
	EXPECT_EQ(st.deferred, u64(m + k));
	EXPECT(oracle_upper_returned() >= int(k));
	EXPECT_EQ(ls.deferred + ls.queued, 0u);
	EXPECT_EQ(cxx_netpoll_dropped(&ls), 0u);

	oracle_wake_queues(sink);
	for (int i = 0; i < 500; i++) {
		cxx_netpoll_get_stats(&np, &st);
		if (st.sent == inline_sent + m + k)
			break;
		oracle_msleep(10);
	}
	cxx_netpoll_get_stats(lower, &ls);
	EXPECT_EQ(st.sent, u64(inline_sent + m + k));
	EXPECT_EQ(st.queued, 0u);
	EXPECT_EQ(cxx_netpoll_dropped(&st), 0u);
	EXPECT_EQ(ls.sent, u64(inline_sent + m + k));
	EXPECT_EQ(oracle_upper_sunk(), int(inline_sent + m + k));
	cxx_netpoll_cleanup(&np);
	EXPECT(lower->state == nullptr);	// the upper's netpoll_cleanup took it away
	oracle_upper_destroy(up);
	oracle_unpin();
}
