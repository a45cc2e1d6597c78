# SPDX-License-Identifier: GPL-2.0
"""Scenarios of the rx path: cxx_netpoll's rx hook and cxx_pongtest answering UDP with PONG."""
import random
import re
import socket
import struct
import time
from collections import Counter

from .. import counters, rxmodel
from ..peer import mac_bytes, relay, udp_datagrams
from ..registry import scenario

PORT = 7777


def ip_bytes(addr):
    return socket.inet_pton(socket.AF_INET6 if ':' in addr else socket.AF_INET, addr)


# --- frames, seen from the host -----------------------------------------------------------------

def parse_ip(raw):
    """(v6, src, dst, proto, l4 bytes) of an Ethernet frame carrying IPv4/IPv6 (no extension
    headers), or None. Addresses as bytes."""
    if len(raw) >= 18 and raw[12:14] == b'\x81\x00':
        raw = raw[:12] + raw[16:]       # one 802.1Q tag
    if len(raw) < 14:
        return None
    et = raw[12:14]
    if et == b'\x08\x00' and len(raw) >= 34:
        ihl = (raw[14] & 0xf) * 4
        tot = struct.unpack('!H', raw[16:18])[0]
        return False, raw[26:30], raw[30:34], raw[23], raw[14 + ihl:14 + tot]
    if et == b'\x86\xdd' and len(raw) >= 54:
        plen = struct.unpack('!H', raw[18:20])[0]
        return True, raw[22:38], raw[38:54], raw[20], raw[54:54 + plen]
    return None


def replies_and_icmp(frames, port=PORT):
    """From the guest's frames: {dport: [payload, ...]} of UDP from `port`, and the list of
    ICMP/ICMPv6 destination-unreachable errors quoting a datagram to `port`."""
    replies, icmp = {}, []
    for raw in frames:
        p = parse_ip(raw)
        if not p:
            continue
        v6, _, _, proto, l4 = p
        if proto == 17 and len(l4) >= 8 and struct.unpack('!H', l4[0:2])[0] == port:
            replies.setdefault(struct.unpack('!H', l4[2:4])[0], []).append(l4[8:])
        elif (proto == 1 and not v6 and len(l4) >= 8 and l4[0] == 3) or \
                (proto == 58 and v6 and len(l4) >= 8 and l4[0] == 1):
            inner = l4[8:]
            q = inner[(inner[0] & 0xf) * 4:] if not v6 and inner else inner[40:]
            if len(q) >= 4 and struct.unpack('!H', q[2:4])[0] == port:
                icmp.append(raw)
    return replies, icmp


def ip_frame(ep, v6, src, dst, l4, proto=17):
    """An Ethernet frame from the host to the guest, built with scapy."""
    from scapy.layers.inet import IP
    from scapy.layers.inet6 import IPv6
    from scapy.layers.l2 import Ether
    ip = IPv6(src=src, dst=dst, nh=proto) if v6 else IP(src=src, dst=dst, proto=proto)
    return bytes(Ether(src=ep.host_mac, dst=ep.guest_mac) / ip / l4)


def udp_request(ep, v6, src, dst, sport, payload=b'PING'):
    from scapy.layers.inet import UDP
    return ip_frame(ep, v6, src, dst, UDP(sport=sport, dport=PORT) / payload)


def new_frames(ep, start):
    with ep.lock:
        return ep.frames[start:], len(ep.frames)


def exchange(ep, requests, window=32, timeout=120):
    """Send requests ({sport: frame}), at most `window` unanswered at a time (so neither
    QEMU's socket nor the guest's ring overflows), until every one was answered or nothing
    moved for `timeout` s. Returns (replies {dport: [payload]}, icmp errors, frames seen)."""
    _, start = new_frames(ep, 0)
    pending = list(requests.items())
    answered, replies, icmp, seen = set(), {}, [], []
    sent, last_progress = 0, time.monotonic()
    while time.monotonic() - last_progress < timeout:
        frames, start = new_frames(ep, start)
        seen += [f for _, f in frames]
        r, i = replies_and_icmp(f for _, f in frames)
        icmp += i
        for port, payloads in r.items():
            replies.setdefault(port, []).extend(payloads)
            if port in requests and port not in answered:
                answered.add(port)
                last_progress = time.monotonic()
        if len(answered) == len(requests):
            break
        while pending and sent - len(answered) < window:
            _, frame = pending.pop(0)
            ep.send(frame)
            sent += 1
            last_progress = time.monotonic()
        time.sleep(0.01)
    time.sleep(1)       # late duplicates and ICMP errors
    frames, _ = new_frames(ep, start)
    r, i = replies_and_icmp(f for _, f in frames)
    icmp += i
    for port, payloads in r.items():
        replies.setdefault(port, []).extend(payloads)
    return replies, icmp, seen + [f for _, f in frames]


def reply_problems(label, requests, replies, icmp):
    problems = []
    missing = [p for p in requests if p not in replies]
    extra = {p: len(v) for p, v in replies.items() if len(v) != 1 and p in requests}
    wrong = {p: v[0] for p, v in replies.items() if v and v[0] != b'PONG'}
    if missing:
        problems.append(f'{label}: {len(missing)} of {len(requests)} requests unanswered '
                        f'(first ports {missing[:5]})')
    if extra:
        problems.append(f'{label}: duplicate or unexpected replies {dict(list(extra.items())[:5])}')
    if wrong:
        problems.append(f'{label}: replies other than PONG {dict(list(wrong.items())[:3])}')
    if icmp:
        problems.append(f'{label}: the guest sent {len(icmp)} ICMP errors for requests to '
                        f'port {PORT}')
    return problems


def pong_stats(text):
    """{label: {counter: value}} from the guest's VMTEST-PONG lines."""
    return counters.by(text, 'PONG')


def counter_problems(label, s, n, deferred_all=True):
    """The guest's counters after the host sent n valid requests (and saw one PONG for each,
    checked apart): the validator delivered n, pongtest received n, the core handed n replies
    to the driver and dropped none; deferred_all: every reply left through the work item (the
    device's NAPI poll received its request)."""
    if not s:
        return [f'{label}: no counters reported']
    problems = []
    want = dict(rx_delivered=n, received=n, sent=n, dropped=0)
    if deferred_all:
        want['deferred'] = n
    bad = {k: (s.get(k), v) for k, v in want.items() if s.get(k) != v}
    if bad:
        problems.append(f'{label}: counters (got, want) {bad}')
    return problems


def reply_format_problems(label, ep, v6, guest_ip, host_ip, ports):
    """The replies as a receiver checks them: addresses, MACs and checksums."""
    problems = []
    bad = []
    for d in udp_datagrams(ep):
        if d['sport'] != PORT or d['dport'] not in ports:
            continue
        if d['v6'] != v6 or d['src'] != guest_ip or d['dst'] != host_ip or not d['csum_ok']:
            bad.append(d)
    if bad:
        problems.append(f'{label}: {len(bad)} replies with wrong addresses or checksums, e.g. '
                        f'{bad[0]}')
    macs = {(raw[0:6], raw[6:12]) for _, raw in ep.snapshot()
            if (p := parse_ip(raw)) and p[3] == 17 and p[4][0:2] == struct.pack('!H', PORT)}
    want = (mac_bytes(ep.host_mac), mac_bytes(ep.guest_mac))
    if macs and macs != {want}:
        problems.append(f'{label}: replies not addressed MAC to MAC as the requests: {macs}')
    return problems


# --- pong-nic, pong-nic-ipv6 ----------------------------------------------------------------------


NICS = [('virtio', 0, '10.0.0.2', '10.0.0.1', 'fd00::2', 'fd00::1'),
        ('e1000', 1, '10.0.1.2', '10.0.1.1', 'fd00:1::2', 'fd00:1::1')]


def run_nic_phases(ctx, v6, burst):
    phases = [(f'{model}-{"v6" if v6 else "v4"}', idx, g6 if v6 else g4, h6 if v6 else h4)
              for model, idx, g4, h4, g6, h6 in NICS]
    vlan_n = 50
    vlan_g, vlan_h = ('fd00:100::2', 'fd00:100::1') if v6 else ('10.0.100.2', '10.0.100.1')
    env = {'PHASES': ' '.join(f'{label}:{idx}:{1 + burst}{":6" if v6 else ""}'
                              for label, idx, _, _ in phases),
           'VLAN_IP': '10.0.100.2', 'VLAN_IP6': 'fd00:100::2', 'VLAN_N': vlan_n,
           'VLAN_ARGS': 'ipv6=1' if v6 else ''}
    b = ctx.start('pong-nic', nics=['virtio', 'e1000'], intree=['8021q'], env=env)
    problems = []
    for label, idx, guest_ip, host_ip in phases:
        ep = b.eps[idx]
        if not b.vm.wait_for(f'VMTEST: pong-ready {label}', ctx.total):
            problems.append(f'{label}: the guest never got ready')
            break
        # One request alone, then a burst.
        one = {20000: udp_request(ep, v6, host_ip, guest_ip, 20000, b'PING one')}
        # Every 25th carries 1,400 bytes: the NICs hand those up nonlinear (page fragments).
        burst_reqs = {20001 + i: udp_request(ep, v6, host_ip, guest_ip, 20001 + i,
                                             f'PING {i}'.encode().ljust(1400 if i % 25 == 0
                                                                        else 0, b'.'))
                      for i in range(burst)}
        r1, i1, _ = exchange(ep, one)
        r2, i2, _ = exchange(ep, burst_reqs)
        problems += reply_problems(f'{label} single', one, r1, i1)
        problems += reply_problems(f'{label} burst', burst_reqs, r2, i2)
        problems += reply_format_problems(label, ep, v6, guest_ip, host_ip,
                                          set(one) | set(burst_reqs))
    if not problems and b.vm.wait_for('VMTEST: pong-ready vlan', ctx.total):
        ep = b.eps[0]

        def tagged(frame):
            return frame[:12] + b'\x81\x00' + struct.pack('!H', 100) + frame[12:]
        reqs = {26000 + i: tagged(udp_request(ep, v6, vlan_h, vlan_g, 26000 + i))
                for i in range(vlan_n)}
        replies, icmp, seen = exchange(ep, reqs)
        problems += reply_problems('VLAN 100', reqs, replies, icmp)
        tags = [f[12:16] for f in seen
                if (p := parse_ip(f)) and p[3] == 17 and p[4][0:2] == struct.pack('!H', PORT)]
        wrong = [t for t in tags if t[0:2] != b'\x81\x00' or
                 struct.unpack('!H', t[2:4])[0] & 0xfff != 100]
        if not tags or wrong:
            problems.append(f'VLAN 100: {len(wrong)} of {len(tags)} replies without the tag of '
                            f'VLAN 100 (e.g. {wrong[:1]})')
        if b.vm.wait_for('VMTEST: vlan-flood', ctx.total):
            flood = tagged(udp_request(ep, v6, vlan_h, vlan_g, 27000))
            deadline = time.monotonic() + 120
            while 'VMTEST: vlan deleted' not in b.vm.text() and time.monotonic() < deadline:
                for _ in range(20):
                    ep.send(flood)
                time.sleep(0.01)
    problems = b.finish() + problems
    st = pong_stats(b.text)
    for label, _, _, _ in phases:
        problems += counter_problems(label, st.get(label), 1 + burst)
    # A VLAN device has no NAPI of its own: the core sends the reply directly.
    problems += counter_problems('vlan', st.get('vlan'), vlan_n, deferred_all=False)
    return problems


@scenario('pong-nic', ('stock', 'test'),
          'the host sends UDP to cxx_pongtest on virtio-net and e1000 (one, then a burst of '
          '1,000) and on a VLAN: one PONG each, deferred out of the NAPI poll, no ICMP; the '
          'VLAN device deleted under pongtest takes the hook with it')
def pong_nic(ctx):
    return run_nic_phases(ctx, False, 1000)


@scenario('pong-nic-ipv6', ('stock', 'test'),
          'the same over IPv6 on virtio-net and e1000')
def pong_nic_ipv6(ctx):
    return run_nic_phases(ctx, True, 300)


# --- pong-malformed -------------------------------------------------------------------------------


def malformed_v4(ep, rng, n_random):
    """(category, frame) pairs: IPv4 frames each validator check must refuse, and random
    frames. The category names the counter that must see at least that many."""
    from scapy.layers.inet import IP, TCP, UDP
    from scapy.layers.l2 import Ether
    g, h = '10.0.0.2', '10.0.0.1'
    eth = Ether(src=ep.host_mac, dst=ep.guest_mac)

    def udp(**kw):
        return UDP(sport=rng.randrange(1024, 65535), dport=PORT, **kw) / b'PING malformed'

    def mutate(frame, off, value):
        b = bytearray(frame)
        b[off:off + len(value)] = value
        return bytes(b)

    good = bytes(eth / IP(src=h, dst=g) / udp())
    out = []
    for _ in range(150):
        out += [
            ('other_host', bytes(Ether(src=ep.host_mac, dst='52:54:00:99:99:99') /
                                 IP(src=h, dst=g) / udp())),
            ('other_host', bytes(eth / IP(src=h, dst='10.0.0.99') / udp())),
            ('not_udp', bytes(eth / IP(src=h, dst=g) / TCP(dport=PORT))),
            ('wrong_port', bytes(eth / IP(src=h, dst=g) / UDP(dport=PORT + 1) / b'x')),
            # IP total length beyond the frame
            ('truncated', mutate(bytes(eth / IP(src=h, dst=g, len=400) / udp()), 0, b'')),
            ('truncated', bytes(eth / IP(src=h, dst=g, proto=17))[:14 + 24]),   # no full UDP
            ('bad_header', mutate(good, 14, bytes([0x65]))),                    # version 6 in v4
            ('bad_header', mutate(good, 14, bytes([0x43]))),                    # ihl 3
            ('bad_ip_csum', mutate(good, 24, b'\x12\x34')),
            ('bad_len', bytes(eth / IP(src=h, dst=g) / UDP(dport=PORT, len=9) / b'PING long')),
            ('bad_len', bytes(eth / IP(src=h, dst=g) / UDP(dport=PORT, len=200) / b'PING')),
            ('bad_udp_csum', bytes(eth / IP(src=h, dst=g) / UDP(dport=PORT, chksum=0x1234) /
                                   b'PING')),
            ('ip_options', bytes(eth / IP(src=h, dst=g, options=b'\x01\x01\x01\x00') / udp())),
            ('fragment', bytes(eth / IP(src=h, dst=g, flags='MF', id=rng.randrange(65536)) /
                               udp())),
            ('fragment', bytes(eth / IP(src=h, dst=g, frag=100, id=rng.randrange(65536),
                                        proto=17) / b'fragment tail')),
        ]
    for _ in range(n_random):
        body = rng.randbytes(rng.randrange(46, 300))
        et = rng.choice([b'\x08\x00', b'\x86\xdd', rng.randbytes(2)])
        ip = bytearray(good[14:])
        k = rng.randrange(1, 6)
        for _ in range(k):      # a valid request with a few bytes damaged
            ip[rng.randrange(len(ip))] = rng.randrange(256)
        frame = rng.choice([body, bytes(ip)])
        out.append(('random', mac_bytes(ep.guest_mac) + mac_bytes(ep.host_mac) + et + frame))
    rng.shuffle(out)
    return out


def malformed_v6(ep, rng, n_random):
    from scapy.layers.inet import TCP, UDP
    from scapy.layers.inet6 import (IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment,
                                    IPv6ExtHdrRouting)
    from scapy.layers.l2 import Ether
    g, h = 'fd00::2', 'fd00::1'
    eth = Ether(src=ep.host_mac, dst=ep.guest_mac)

    def udp(**kw):
        return UDP(sport=rng.randrange(1024, 65535), dport=PORT, **kw) / b'PING malformed'

    good = bytes(eth / IPv6(src=h, dst=g) / udp())
    out = []
    for _ in range(150):
        out += [
            ('other_host', bytes(eth / IPv6(src=h, dst='fd00::99') / udp())),
            ('not_udp', bytes(eth / IPv6(src=h, dst=g) / TCP(dport=PORT))),
            ('wrong_port', bytes(eth / IPv6(src=h, dst=g) / UDP(dport=PORT + 1) / b'x')),
            ('truncated', bytes(eth / IPv6(src=h, dst=g, plen=500) / udp())),
            ('bad_header', bytes([0x45]).join([good[:14], good[15:]])),
            ('bad_len', bytes(eth / IPv6(src=h, dst=g) / UDP(dport=PORT, len=30) / b'PING')),
            ('bad_udp_csum', bytes(eth / IPv6(src=h, dst=g) / UDP(dport=PORT, chksum=0x1234) /
                                   b'PING')),
            ('bad_udp_csum', bytes(eth / IPv6(src=h, dst=g) / UDP(dport=PORT, chksum=0) /
                                   b'PING')),
            ('ext_header', bytes(eth / IPv6(src=h, dst=g) /
                                 IPv6ExtHdrRouting(type=0, segleft=1, addresses=['fd00::3']) /
                                 udp())),
            ('ext_header', bytes(eth / IPv6(src=h, dst=g, nh=50) / (b'\0' * 40))),     # ESP
            ('fragment', bytes(eth / IPv6(src=h, dst=g) /
                               IPv6ExtHdrFragment(m=1, id=rng.randrange(1 << 32)) / udp())),
            ('fragment', bytes(eth / IPv6(src=h, dst=g) /
                               IPv6ExtHdrFragment(offset=20, nh=17, id=rng.randrange(1 << 32)) /
                               b'fragment tail')),
            # followable: destination options before UDP is a valid request
            ('delivered', bytes(eth / IPv6(src=h, dst=g) / IPv6ExtHdrDestOpt() / udp())),
        ]
    for _ in range(n_random):
        ip = bytearray(good[14:])
        for _ in range(rng.randrange(1, 6)):
            ip[rng.randrange(len(ip))] = rng.randrange(256)
        frame = rng.choice([rng.randbytes(rng.randrange(46, 300)), bytes(ip)])
        out.append(('random', mac_bytes(ep.guest_mac) + mac_bytes(ep.host_mac) + b'\x86\xdd' +
                    frame))
    rng.shuffle(out)
    return out


def send_acked(ep, frames, probe, batch=50, timeout=60):
    """Send frames in batches, each followed by a valid request (probe(sport) builds it)
    whose PONG says the guest has worked through the batch: the guest's pace, not the host's,
    so neither QEMU's socket nor the guest's ring overflows. Returns {probe port: frame}
    and the ports never answered."""
    probes, unanswered, icmp = {}, [], []
    _, start = new_frames(ep, 0)
    for k in range(0, len(frames), batch):
        for f in frames[k:k + batch]:
            ep.send(f)
        port = 40000 + len(probes)
        probes[port] = probe(port)
        ep.send(probes[port])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            seen, now = new_frames(ep, start)
            replies, errors = replies_and_icmp(f for _, f in seen)
            if port in replies:
                icmp += errors
                start = now
                break
            time.sleep(0.005)
        else:
            unanswered.append(port)
    return probes, unanswered, icmp


@scenario('pong-malformed', ('stock', 'test'),
          '>= 10,000 malformed and random frames (IPv4 and IPv6), then valid requests: no '
          'splat, every frame counted once under the reason a host-side model of the validator '
          'gives it, every delivered one answered once')
def pong_malformed(ctx):
    rng = random.Random(4242)
    n_valid, batch = 100, 50
    plan = [('v4', False, 4000, '10.0.0.2', '10.0.0.1'),
            ('v6', True, 4000, 'fd00::2', 'fd00::1')]
    # Built first, with stand-in MACs (the guest's real ones are set below), so the guest
    # knows how many requests each phase delivers.
    stand_in = type('Ep', (), dict(host_mac='02:00:00:00:00:01', guest_mac='02:00:00:00:00:02'))
    frames = {label: (malformed_v6 if v6 else malformed_v4)(stand_in, rng, n_random)
              for label, v6, n_random, _, _ in plan}

    def model(frame, v6, guest_mac, guest_ip):
        return rxmodel.reason(frame, v6, mac_bytes(guest_mac), ip_bytes(guest_ip), PORT)
    delivers = {label: n_valid + -(-len(frames[label]) // batch) +
                sum(model(f, v6, stand_in.guest_mac, g) == 'delivered' for _, f in frames[label])
                for label, v6, _, g, _ in plan}
    b = ctx.start('pong-malformed', nics=['virtio'],
                  env={'PHASES': ' '.join(f'{label}:{delivers[label]}{":6" if v6 else ""}'
                                          for label, v6, _, _, _ in plan)})
    ep = b.eps[0]
    macs = {mac_bytes(stand_in.guest_mac): mac_bytes(ep.guest_mac),
            mac_bytes(stand_in.host_mac): mac_bytes(ep.host_mac)}
    problems, sent = [], {}
    for label, v6, _, g, h in plan:
        phase = [macs.get(f[0:6], f[0:6]) + macs.get(f[6:12], f[6:12]) + f[12:]
                 for _, f in frames[label]]
        if not b.vm.wait_for(f'VMTEST: pong-ready {label}', ctx.total):
            problems.append(f'{label}: the guest never got ready')
            break
        _, start = new_frames(ep, 0)
        probes, unanswered, icmp = send_acked(ep, phase,
                                              lambda port: udp_request(ep, v6, h, g, port),
                                              batch)
        if unanswered:
            problems.append(f'{label}: {len(unanswered)} of {len(probes)} probes between '
                            'the malformed frames unanswered')
        # Refused requests to our port (options, first fragments, bad lengths...) must have
        # been dropped, not left to the stack, which would answer them with ICMP.
        if icmp:
            problems.append(f'{label}: {len(icmp)} ICMP errors for malformed frames to port '
                            f'{PORT}')
        reqs = {30000 + i: udp_request(ep, v6, h, g, 30000 + i) for i in range(n_valid)}
        replies, icmp, _ = exchange(ep, reqs)
        problems += reply_problems(f'{label} valid after malformed', reqs, replies, icmp)
        everything = phase + list(probes.values()) + list(reqs.values())
        expected = Counter(model(f, v6, ep.guest_mac, g) for f in everything)
        b.vm.wait_for(f'VMTEST: pong-done {label}', ctx.total)
        seen, _ = new_frames(ep, start)
        pongs = sum(len(v) for v in replies_and_icmp(f for _, f in seen)[0].values())
        sent[label] = (expected, len(everything), pongs)
    problems = b.finish() + problems
    st = pong_stats(b.text)
    rxpkt = counters.by(b.text, 'RXPKT')
    for label, _, _, _, _ in plan:
        s = st.get(label)
        if not s or label not in sent:
            problems.append(f'{label}: no counters reported')
            continue
        expected, total, pongs = sent[label]
        # Every frame the device received went through the hook exactly once, under the
        # reason the model gives it; every delivered one was answered on the wire, once.
        arrived = rxpkt.get(label, {}).get('after', 0) - rxpkt.get(label, {}).get('before', 0)
        if arrived != total:
            problems.append(f'{label}: the host sent {total} frames, the device received '
                            f'{arrived}')
        differ = {r: (s.get(f'rx_{r}'), expected[r]) for r in counters.RX_REASONS
                  if s.get(f'rx_{r}') != expected[r]}
        if differ:
            problems.append(f'{label}: rx counters differ from the model (counted, model): '
                            f'{differ}')
        problems += counter_problems(label, s, expected['delivered'])
        if pongs != expected['delivered']:
            problems.append(f'{label}: the host saw {pongs} PONGs for '
                            f'{expected["delivered"]} deliverable requests')
        ctx.notes.append(f'{label}: {total} frames, counted as the model: '
                         f'{dict(sorted(expected.items()))}')
    return problems


# --- pong-real-client -----------------------------------------------------------------------------


@scenario('pong-real-client', ('stock', 'test'),
          'a real UDP client in a second VM (connected socket) sends to cxx_pongtest over a '
          'link and reads PONG, IPv4 and IPv6: no ECONNREFUSED (no ICMP error)', guests=2)
def pong_real_client(ctx):
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Ether
    n = 50
    phases = [('v4', '10.0.5.1', False), ('v6', 'fd00:5::1', True)]
    server = ctx.start('pong-real-client-server', nics=['virtio'], name='server', mac_base=0x31,
                       env={'SETTLE': 1, 'PHASES': ' '.join(f'{l}:{n}{":6" if v6 else ""}'
                                               for l, _, v6 in phases)})
    client = ctx.start('pong-real-client-client', nics=['virtio'], name='client', mac_base=0x32,
                       smp=1, peer=True, project={}, tools=['udpclient'],
                       env={'PHASES': ' '.join(f'{l}:{n}:{a}' for l, a, _ in phases)})
    relay(server.eps[0], client.eps[0])
    problems = []
    cep = client.eps[0]
    for label, _, _ in phases:
        if not server.vm.wait_for(f'VMTEST: pong-ready {label}', ctx.total) or \
                not client.vm.wait_for(f'VMTEST: client-wait {label}', ctx.total):
            problems.append(f'{label}: a guest never got ready')
            break
        cep.send(bytes(Ether(src=cep.host_mac, dst=cep.guest_mac) /
                       IP(src='10.0.5.99', dst='10.0.5.2') / UDP(sport=9, dport=9) / b'go'))
        if not client.vm.wait_for(f'VMTEST-CLIENT {label}', ctx.total):
            problems.append(f'{label}: the client never finished')
            break
    problems = server.finish() + client.finish() + problems
    for label in [p[0] for p in phases] + ['closed']:
        if not re.search(rf'VMTEST-CLIENT {label} ', client.text):
            problems.append(f'{label}: no client summary')
    st = pong_stats(server.text)
    for label, _, _ in phases:
        problems += counter_problems(label, st.get(label), n)
    _, icmp = replies_and_icmp(raw for _, raw in server.eps[0].snapshot())
    if icmp:
        problems.append(f'the server sent {len(icmp)} ICMP errors for port {PORT}')
    return problems


# --- pong-intree-bond, pong-cxx-bond -------------------------------------------------------------


@scenario('pong-intree-bond', ('stock', 'test'),
          'cxx_pongtest on an (in-tree) active-backup bond: requests through the active slave '
          'are answered through it, IPv4 and IPv6; requests on the backup slave never reach '
          'the bond')
def pong_intree_bond(ctx):
    return pong_bond(ctx, 'intree')


@scenario('pong-cxx-bond', ('stock', 'test'),
          'cxx_pongtest on a cxx_bonding active-backup bond: requests through the active slave '
          'are answered through it (the slave\'s netpoll, nested in the bond\'s), IPv4 and '
          'IPv6; requests on the backup slave never reach the bond. Then in each mode, a real '
          'UDP client in a second VM behind an in-tree bond over the same two links: every '
          'request answered (broadcast: on both links), the PONGs spread as the mode spreads '
          'them', guests=2)
def pong_cxx_bond(ctx):
    return pong_bond(ctx, 'cxx') + pong_bond_modes(ctx)


# Each mode of the server's cxx_bonding bond, the client's in-tree bond toward it (an
# active-backup pair uses the same link; balance-rr spreads requests over both links, so the
# server's rr, xor and broadcast bonds receive on both slaves), and how many PONGs each
# request gets back (broadcast: one per link).
PONG_BOND_MODES = (('active-backup', 'active-backup', 1), ('balance-rr', 'balance-rr', 1),
                   ('balance-xor', 'balance-rr', 1), ('broadcast', 'balance-rr', 2))


def pong_bond_modes(ctx):
    """pong-cxx-bond's two-VM part: cxx_pongtest on a cxx_bonding bond in each mode, a real
    UDP client in a second VM behind an in-tree bond over the same two links."""
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Ether
    n = 50
    server = ctx.start('pong-bond-modes-server', nics=['virtio', 'virtio'], name='modes-server',
                       mac_base=0x41, env={'N': n, 'SETTLE': 1,
                                           'MODES': ' '.join(m for m, _, _ in PONG_BOND_MODES)})
    client = ctx.start('pong-bond-modes-client', nics=['virtio', 'virtio'], name='modes-client',
                       mac_base=0x42, smp=1, manual=['bonding'], project={}, peer=True,
                       tools=['udpclient'],
                       env={'N': n, 'MODES': ' '.join(f'{m}:{c}:{k}'
                                                      for m, c, k in PONG_BOND_MODES)})
    for i in (0, 1):
        relay(server.eps[i], client.eps[i])
    problems, sent = [], {}
    cep = client.eps[0]
    for mode, _, _ in PONG_BOND_MODES:
        for v in ('v4', 'v6'):
            label = f'{mode}-{v}'
            if not server.vm.wait_for(f'VMTEST: pong-ready {label}', ctx.total) or \
                    not client.vm.wait_for(f'VMTEST: client-wait {label}', ctx.total):
                problems.append(f'{label}: a guest never got ready')
                break
            starts = [len(ep.snapshot()) for ep in server.eps]
            cep.send(bytes(Ether(src=cep.host_mac, dst=cep.guest_mac) /
                           IP(src='10.0.5.99', dst='10.0.5.2') / UDP(sport=9, dport=9) / b'go'))
            if not client.vm.wait_for(f'VMTEST-CLIENT {label}', ctx.total):
                problems.append(f'{label}: the client never finished')
                break
            # the client waited for every reply: all of them were on the links by now
            sent[label] = [sum(len(r) for r in replies_and_icmp(
                raw for _, raw in ep.snapshot()[start:])[0].values())
                for ep, start in zip(server.eps, starts)]
        if problems:
            break
    problems = server.finish() + client.finish() + problems
    st = pong_stats(server.text)
    for mode, _, _ in PONG_BOND_MODES:
        for v in ('v4', 'v6'):
            label = f'{mode}-{v}'
            m = re.search(rf'VMTEST-CLIENT {label} (.*)', client.text)
            if not m:
                problems.append(f'{label}: no client summary')
            elif f'{n}/{n} PONG, wrong 0, timeouts 0, ECONNREFUSED 0, other errors 0' \
                    not in m.group(1):
                problems.append(f'{label}: the client saw {m.group(1)}')
            # A reply may go inline (through a slave other than the one that received); the
            # core counts each reply once, also the broadcast's two copies.
            problems += counter_problems(label, st.get(label), n, deferred_all=False)
            links = sent.get(label)
            if links is None:
                continue
            ctx.notes.append(f'{label}: PONGs per link {links}')
            # xor, layer2: one flow (the two bonds' MACs and the ethertype), one slave
            want = {'active-backup': links == [n, 0],
                    'balance-rr': sum(links) == n and min(links) > 0,
                    'balance-xor': sorted(links) == [0, n],
                    'broadcast': links == [n, n]}[mode]
            if not want:
                problems.append(f'{label}: PONGs per link {links}, not as the mode spreads '
                                'them')
    return problems


def pong_bond(ctx, driver):
    """pong-intree-bond and pong-cxx-bond: one guest script, the bonding driver chosen by
    BOND."""
    n, n_backup = 200, 20
    b = ctx.start('pong-intree-bond', nics=['virtio', 'virtio'], manual=['bonding'],
                  env={'N': n, 'BOND': driver})
    problems = []
    for label, v6 in (('v4', False), ('v6', True)):
        if not b.vm.wait_for(f'VMTEST: pong-ready {label}', ctx.total):
            problems.append(f'{label}: the guest never got ready')
            break
        # The first slave is the active one and lends the bond its MAC.
        if 'VMTEST: bond-active 0' not in b.vm.text():
            problems.append('the first slave is not the active one')
            break
        ep, backup = b.eps[0], b.eps[1]
        g, h = ('fd00::2', 'fd00::1') if v6 else ('10.0.0.2', '10.0.0.1')
        # The slaves share the bond's MAC; a frame on the backup link reaches the backup.
        _, bstart = new_frames(backup, 0)
        for i in range(n_backup):
            f = udp_request(backup, v6, h, g, 21000 + i)
            backup.send(mac_bytes(ep.guest_mac) + f[6:])
        base = 24000 if v6 else 20000
        reqs = {base + i: udp_request(ep, v6, h, g, base + i) for i in range(n)}
        replies, icmp, _ = exchange(ep, reqs)
        problems += reply_problems(f'{label} via the active slave', reqs, replies, icmp)
        stray = [p for p in replies if 21000 <= p < 21000 + n_backup]
        seen, _ = new_frames(backup, bstart)
        r2, i2 = replies_and_icmp(f for _, f in seen)
        if stray or r2 or i2:
            problems.append(f'{label}: requests on the backup slave were answered '
                            f'({len(stray)} on the active link, {len(r2)} on the backup link, '
                            f'{len(i2)} ICMP errors)')
        problems += reply_format_problems(label, ep, v6, g, h, set(reqs))
    problems = b.finish() + problems
    # The frames sent on the backup link did reach the backup slave (and went no further).
    rxpkt = counters.by(b.text, 'RXPKT')
    for label in ('v4', 'v6'):
        got = rxpkt.get(label, {}).get('after', 0) - rxpkt.get(label, {}).get('before', 0)
        if got != n_backup:
            problems.append(f'{label}: the backup slave received {got} frames, the host sent '
                            f'{n_backup} on its link')
    st = pong_stats(b.text)
    for label in ('v4', 'v6'):
        # In-tree bonding: replies leave through the bond into the kernel's netpoll on the
        # slave, which queues them itself (the core sends them directly). cxx_bonding: the
        # slave's cxx netpoll finds its NAPI poll running on this CPU and hands each reply
        # back to the bond's, which defers it, as on a NIC.
        problems += counter_problems(label, st.get(label), n, deferred_all=driver == 'cxx')
    return problems
