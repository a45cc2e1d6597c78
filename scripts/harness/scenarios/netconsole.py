# SPDX-License-Identifier: GPL-2.0
"""Scenarios of cxx_netconsole: delivery over virtio-net and e1000, the extended format with
ncfrag reassembly, configfs, sysrq dumps (trigger and keyboard, hard IRQ), netdev events, and
side by side with in-tree netconsole."""
import os
import re
import time
from collections import Counter

from .. import counters
from ..peer import udp_datagrams, udp_payloads
from ..registry import scenario


TS = re.compile(r'^\[\s*\d+\.\d+\]\s?')
EXT = re.compile(rb'^(\d+),(\d+),(\d+),([^;,]*)((?:,[^;]*)?);(.*)$', re.S)
FRAG = re.compile(rb',ncfrag=(\d+)/(\d+)$')


def nc_stats(text):
    """{target name: counters} from the guest's VMTEST-NCSTATS lines (the last one wins)."""
    return counters.by(text, 'NCSTATS', 'target')


def stats_problems(label, s, want_extra=()):
    """Nothing dropped, every fragment sent by the core."""
    if not s:
        return [f'{label}: no counters reported']
    problems = []
    drops = {k: s[k] for k in ['drop_dev_down', 'drop_format', 'drop_locked']
             + [f'np_{d}' for d in counters.DROPS] if s.get(k)}
    missing = [f'np_{k}' for k in counters.TX if f'np_{k}' not in s]
    if missing:
        problems.append(f'{label}: counters missing from the report: {missing}')
    if drops:
        problems.append(f'{label}: drops counted: {drops}')
    # A failover's resend (README, "Resend after a failover") goes through the core too.
    if s['np_sent'] != s['fragments'] + s.get('resent', 0):
        problems.append(f'{label}: {s["fragments"]} fragments and {s.get("resent", 0)} resent, '
                        f'but the core sent {s["np_sent"]}')
    if s['messages'] == 0:
        problems.append(f'{label}: no message counted')
    return problems


def plain_lines(ep, port):
    """Text lines of a plain netconsole stream, timestamp prefix removed."""
    data = b''.join(p for _, _, p in udp_payloads(ep, port)).decode(errors='replace')
    return [TS.sub('', l) for l in data.split('\n') if l]


def datagrams_by_ip_id(eps, port):
    """The datagrams to port over several links (a bond that may send a datagram through any
    slave) in the order the guest sent them, by the IPv4 id the core gives each one in turn
    (unwrapped from the first datagram seen; fewer than 32768 per run): [(id, payload)]. A
    copy of one datagram on another link (a broadcast bond: same id, same payload) is kept
    once; the number of such copies is returned too."""
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Ether
    grams = []
    for ep in eps:
        for t, raw in ep.snapshot():
            pkt = Ether(raw)
            if IP in pkt and UDP in pkt and pkt[UDP].dport == port:
                grams.append((t, pkt[IP].id, bytes(pkt[UDP].payload)))
    if not grams:
        return [], 0
    base = min(grams)[1]
    grams.sort(key=lambda g: ((g[1] - base) & 0xffff, g[0]))
    out, copies = [], 0
    for _, i, p in grams:
        if out and out[-1] == (i, p):
            copies += 1
        else:
            out.append((i, p))
    return out, copies


def plain_lines_by_ip_id(eps, port):
    """plain_lines over several links, in the order the guest sent the datagrams."""
    data = b''.join(p for _, p in datagrams_by_ip_id(eps, port)[0]).decode(errors='replace')
    return [TS.sub('', l) for l in data.split('\n') if l]


def ext_records(ep, port):
    """Extended datagrams to port, parsed: list of dicts (level, seq, usec, flags, extra, text)
    and the payloads that did not parse."""
    recs, bad = [], []
    for _, _, p in udp_payloads(ep, port):
        m = EXT.match(p)
        if not m:
            bad.append(p[:80])
            continue
        recs.append(dict(level=int(m.group(1)), seq=int(m.group(2)), usec=int(m.group(3)),
                         flags=m.group(4), extra=m.group(5), text=m.group(6)))
    return recs, bad


def reassemble(recs):
    """Whole records from extended datagrams: {seq: (header dict, body bytes)} and problems."""
    out, frags, problems = {}, {}, []
    for r in recs:
        f = FRAG.search(r['extra'])
        if not f:
            out[r['seq']] = (r, r['text'])
            continue
        frags.setdefault(r['seq'], []).append((int(f.group(1)), int(f.group(2)), r))
    for seq, parts in frags.items():
        parts.sort(key=lambda x: x[0])
        total = parts[0][1]
        body, pos = b'', 0
        for off, tot, r in parts:
            if tot != total or off != pos:
                problems.append(f'record {seq}: fragment at {off} of {tot}, expected {pos} '
                                f'of {total}')
                break
            body += r['text']
            pos += len(r['text'])
            if len(r['text']) + len(b'%d,%d,%d,%s%s;' % (r['level'], r['seq'], r['usec'],
                                                          r['flags'], r['extra'])) > 1000:
                problems.append(f'record {seq}: a fragment over 1000 bytes')
        if pos != total:
            problems.append(f'record {seq}: reassembled {pos} of {total} bytes')
        out[seq] = (parts[0][2], body)
    return out, problems


def seq_problems(recs):
    """In arrival order, the unfragmented datagrams of printk records carry strictly increasing
    seqs, one each (records above the console loglevel leave gaps, as on the serial console):
    a repeat, a loss reordered behind, or a reordering shows."""
    seqs = [r['seq'] for r in recs if not FRAG.search(r['extra']) and r['seq'] != 999999]
    bad = [(a, b) for a, b in zip(seqs, seqs[1:]) if a >= b]
    if len(seqs) < 100 or bad:
        return [f'extended seq numbers not strictly increasing in arrival order '
                f'({len(seqs)} datagrams, first offence {bad[:1]})']
    return []


def marker_problems(lines, tag, n, label):
    """nc-<tag>-0..n-1 each once, in order, in lines."""
    got = [int(m.group(1)) for l in lines for m in [re.search(rf'nc-{tag}-(\d+)$', l)] if m]
    if got != list(range(n)):
        missing = sorted(set(range(n)) - set(got))
        return [f'{label}: markers {tag}: {len(got)} of {n} arrived'
                + (f', missing {missing[:10]}' if missing else ', out of order or repeated')]
    return []


UNREGISTERED = re.compile(rb'printk: console \[cxxnetcon(_ext)?\d+\] disabled$')

# --- netconsole-nic --------------------------------------------------------------------------


@scenario('netconsole-nic', ('stock', 'test'),
          'netconsole= with two targets (virtio-net, e1000): the boot log is replayed, /dev/kmsg '
          'markers arrive once and in order on both, counters agree, nothing dropped',
          tier='quick')
def netconsole_nic(ctx):
    n = 300 if ctx.kernel.name == 'stock' else 100
    b = ctx.boot('netconsole-nic', nics=['virtio', 'e1000'], intree=['configfs'], env={'N': n})
    problems = list(b.problems)
    st = nc_stats(b.text)
    for i, label in enumerate(('virtio-net', 'e1000')):
        lines = plain_lines(b.eps[i], 6666)
        problems += marker_problems(lines, 'nic', n, label)
        if not any(l.startswith('Linux version') for l in lines):
            problems.append(f'{label}: the boot log was not replayed (no "Linux version")')
        s = st.get(f'param{i}')
        problems += stats_problems(label, s)
        # the counters were read before rmmod; unregistering the console still says so
        payloads = [p for _, _, p in udp_payloads(b.eps[i], 6666)]
        while payloads and UNREGISTERED.search(payloads[-1]):
            payloads.pop()
        dgrams = len(payloads)
        if s and dgrams != s['fragments'] + s.get('resent', 0):
            problems.append(f'{label}: counters say {s["fragments"]} sent '
                            f'({s.get("resent", 0)} resent), host got {dgrams}')
    return problems


# --- netconsole-ext --------------------------------------------------------------------------


@scenario('netconsole-ext', ('stock', 'test'),
          'extended format: level, seq and timestamp of every line parse; a 3.6 KiB printk record '
          'and a 5 KiB record are reassembled from their ncfrag fragments')
def netconsole_ext(ctx):
    n = 100
    b = ctx.boot('netconsole-ext', nics=['virtio'], intree=['configfs'], env={'N': n})
    problems = list(b.problems)
    recs, bad = ext_records(b.eps[0], 6666)
    if bad:
        problems.append(f'{len(bad)} extended datagrams do not parse, first: {bad[0]!r}')
    whole, rp = reassemble(recs)
    problems += rp
    printk = [whole[s] for s in sorted(whole) if s != 999999]
    problems += seq_problems(recs)
    # one writer, one after the other: the markers' timestamps never go back
    usecs = [r['usec'] for r, body in printk if body.startswith(b'nc-ext-')]
    if not usecs or usecs != sorted(usecs) or usecs[0] == 0:
        problems.append('marker timestamps missing or going backwards')
    texts = [body.decode(errors='replace').rstrip('\n') for _, body in printk]
    problems += marker_problems(texts, 'ext', n, 'extended')
    lv = {r['level'] for r, body in printk if body.startswith(b'nc-ext-')}
    if lv != {13}:
        problems.append(f'marker level/facility fields {lv}, want 13 (user.notice)')
    if not any(body.startswith(b'Linux version') and r['level'] == 5 for r, body in printk):
        problems.append('boot log not replayed in extended format (Linux version at level 5)')
    longrec = [body for r, body in printk if body.startswith(b'nc-long-')]
    if longrec != [b'nc-long-' + b'\\x5c' * 900 + b'\n']:
        problems.append(f'the 3.6 KiB printk record: {len(longrec)} found, '
                        f'{[len(x) for x in longrec]} bytes')
    if 999999 not in whole or whole[999999][1] != b'z' * 5120 + b'\n':
        problems.append('the 5 KiB record was not reassembled intact')
    frags = sum(1 for r in recs if FRAG.search(r['extra']))
    if frags < 10:
        problems.append(f'only {frags} ncfrag fragments seen')
    problems += marker_problems(plain_lines(b.eps[0], 6667), 'ext', n, 'plain beside it')
    st = nc_stats(b.text)
    problems += stats_problems('extended', st.get('param0'))
    problems += stats_problems('plain', st.get('param1'))
    return problems


# --- netconsole-configfs ---------------------------------------------------------------------


@scenario('netconsole-configfs', ('stock', 'test'),
          'configfs targets: defaults, create, enable, change only while disabled, invalid '
          'values refused, IPv6, remove (also while enabled)')
def netconsole_configfs(ctx):
    b = ctx.boot('netconsole-configfs', nics=['virtio'], intree=['configfs'])
    problems = list(b.problems)
    problems += marker_problems(plain_lines(b.eps[0], 6670), 'cfa', 20, 't1 plain')
    recs, bad = ext_records(b.eps[0], 6671)
    if bad:
        problems.append(f't1 extended: {len(bad)} datagrams do not parse')
    problems += marker_problems([r['text'].decode().rstrip('\n') for r in recs], 'cfb', 20,
                                't1 extended')
    v6 = [d for d in udp_datagrams(b.eps[0], 6672)]
    if not v6 or not all(d['v6'] and d['csum_ok'] for d in v6):
        problems.append(f't2: {len(v6)} datagrams, want IPv6 with good checksums')
    problems += marker_problems([TS.sub('', d['payload'].decode().rstrip('\n')) for d in v6],
                                'cfb', 20, 't2 IPv6')
    everything = b''.join(p for port in (6670, 6671, 6672, 6673)
                          for _, _, p in udp_payloads(b.eps[0], port))
    if b'nc-gone' in everything:
        problems.append('a disabled or removed target still sent')
    problems += marker_problems(plain_lines(b.eps[0], 6673), 't3on', 5, 't3 before its rmdir')
    # s5 was removed while enabled and flooded: nothing printed after its rmdir arrived
    removed = [float(m.group(1)) for m in
               re.finditer(r'^\[\s*(\d+\.\d+)\] nc-s5-removed', b.text, re.M)]
    stamps = [float(m.group(1)) for _, _, p in udp_payloads(b.eps[0], 6674)
              for m in [re.match(rb'\[\s*(\d+\.\d+)\]', p)] if m]
    if len(removed) != 1 or not stamps:
        problems.append(f's5: removal marker {removed}, {len(stamps)} plain datagrams on 6674')
    elif max(stamps) > removed[0]:
        problems.append(f's5 still sent after its rmdir: a line of {max(stamps)} s, removed at '
                        f'{removed[0]} s')
    if 'VMTEST-CFSSTATS messages' not in b.text:
        problems.append('configfs stats attribute missing or empty')
    refusals = b.text.count(' refused ')
    if refusals < 20:
        problems.append(f'only {refusals} refusals logged')
    st = nc_stats(b.text)
    problems += stats_problems('t1', st.get('t1'))
    problems += stats_problems('t2', st.get('t2'))
    return problems


# --- netconsole-sysrq-trigger, netconsole-sysrq-keyboard -------------------------------------

DROPPED = re.compile(r'\*\* \d+ printk messages dropped \*\*')


def region(lines, begin, end, with_begin=False):
    """The lines between the first holding begin and the next holding end (the begin line
    itself only if with_begin; end None: to the last line), without printk's "messages
    dropped" notes; None if there is no such region."""
    try:
        a = next(i for i, l in enumerate(lines) if begin in l)
        z = len(lines) if end is None else next(i for i, l in enumerate(lines)
                                                if i > a and end in l)
    except StopIteration:
        return None
    return [l for l in lines[a + (0 if with_begin else 1):z] if not DROPPED.search(l)]


TS_ANYWHERE = re.compile(r'\[\s*\d+\.\d+\]\s?')


def serial_lines(text):
    """Kernel lines of the serial console (the ones with a printk timestamp; the guest's own
    output has none), timestamp prefixes removed. The guest's output can land in front of a
    kernel line (the tty writes "VMTEST: ..." and its newline apart, and a console record may
    come between): what precedes the timestamp is not the kernel's. A record itself is
    written whole, so nothing lands inside one."""
    out = []
    for l in text.replace('\r', '').split('\n'):
        m = TS_ANYWHERE.search(l)
        if m:
            out.append(reprinted(l[m.end():]))
    return out


def reprinted(rest):
    """A record whose printing an NMI interrupted is printed again in full by the panic's
    console flush, on the same serial line: "[ t] nc-fl[ t] nc-flood-134". The record is the
    part after the last timestamp when what came before it was the start of the same record."""
    ms = list(TS_ANYWHERE.finditer(rest))
    if ms:
        head, tail = rest[:ms[-1].start()], rest[ms[-1].end():]
        if tail.startswith(TS_ANYWHERE.sub('', head)):
            return tail
    return rest


def sequence_problems(want, got, label):
    """got must be want, line for line: same lines, as often, in the same order."""
    if got == want:
        return []
    missing, extra = Counter(want) - Counter(got), Counter(got) - Counter(want)
    first = next((i for i, (w, g) in enumerate(zip(want, got)) if w != g), min(len(want), len(got)))
    return [f'{label}: {len(got)} lines, want {len(want)}; {sum(missing.values())} missing '
            f'(e.g. {list(missing)[:2]}), {sum(extra.values())} extra (e.g. {list(extra)[:2]}); '
            f'first difference at line {first}: want {want[first:first + 1]}, '
            f'got {got[first:first + 1]}']


def dmesg_lines(text):
    """The kernel log as the guest's `dmesg | sed 's/^/VMTEST-DMESG /'` printed it, in the
    kernel's (sequence) order, timestamp prefixes removed."""
    out = []
    for l in text.replace('\r', '').split('\n'):
        i = l.find('VMTEST-DMESG ')
        if i >= 0:
            out.append(TS.sub('', l[i + len('VMTEST-DMESG '):]))
    return out


def kernel_order(kernel, lines):
    """lines (a netconsole's) in the order the kernel logged them: the kernel log's lines that
    make up the same multiset, earliest first. A line the log does not have is left out (and so
    shows as missing when compared)."""
    left = Counter(lines)
    out = []
    for l in kernel:
        if left[l] > 0:
            left[l] -= 1
            out.append(l)
    return out


def dump_compare(console_text, host_lines, begin, end, want, with_begin=False,
                 host_to_end=False):
    """Between the same begin and end lines, the host received exactly what the serial console
    printed: every line as often and in the same order (host_to_end: the host's part runs to
    the last line it received, for a sender that stops before the end line). Returns
    (problems, lines compared)."""
    serial = region(serial_lines(console_text), begin, end, with_begin)
    if serial is None:
        return [f'dump region {begin}..{end} not found on the serial console'], 0
    problems = [f'serial console has no "{w}" line in the dump'
                for w in want if not any(w in l for l in serial)]
    host = region(host_lines, begin, None if host_to_end else end, with_begin)
    if host is None:
        return problems + [f'dump region {begin}..{end} not found in what the host received'], 0
    return problems + sequence_problems(serial, host, 'dump at the host'), len(serial)


def dump_problems(b, begin, end, want, port=6666, with_begin=False, host_to_end=False):
    problems, n = dump_compare(b.text, plain_lines(b.eps[0], port), begin, end, want,
                               with_begin, host_to_end)
    b.ctx.notes.append(f'{b.name}: {n} dump lines compared in order')
    return [f'{b.name}: {p}' for p in problems]


@scenario('netconsole-sysrq-trigger', ('stock', 'test'),
          'echo t and m > /proc/sysrq-trigger: every dump line the serial console printed reached '
          'the host; nothing dropped')
def netconsole_sysrq_trigger(ctx):
    b = ctx.boot('netconsole-sysrq-trigger', nics=['virtio'], intree=['configfs'])
    b.ctx = ctx
    problems = list(b.problems)
    problems += dump_problems(b, 'nc-sysrq-begin', 'nc-sysrq-end',
                              ('sysrq: Show State', 'sysrq: Show Memory'))
    problems += stats_problems('sysrq', nc_stats(b.text).get('param0'))
    return problems


@scenario('netconsole-sysrq-keyboard', ('stock', 'test'),
          'QMP send-key alt+sysrq+t and alt+sysrq+m (hard IRQ): every dump line the serial '
          'console printed reached the host; nothing dropped')
def netconsole_sysrq_keyboard(ctx):
    b = ctx.start('netconsole-sysrq-keyboard', nics=['virtio'], intree=['configfs'])
    b.ctx = ctx
    if b.vm.wait_for('VMTEST: ready-for-t', ctx.total):
        qmp = b.vm.connect_qmp()
        qmp.send_keys('alt', 'sysrq', 't')
        if b.vm.wait_for('VMTEST: ready-for-m', 300):
            qmp.send_keys('alt', 'sysrq', 'm')
    problems = b.finish()
    problems += dump_problems(b, 'nc-kbd-begin', 'nc-kbd-end',
                              ('sysrq: Show State', 'sysrq: Show Memory'))
    problems += stats_problems('keyboard', nc_stats(b.text).get('param0'))
    return problems


# --- netconsole-bond -------------------------------------------------------------------------

BOND_MODES = ('active-backup', 'balance-rr', 'balance-xor', 'broadcast')


def bond_mode_problems(b, st, mode, port):
    """One mode of netconsole-bond: what the serial console printed between the mode's begin
    and end markers reached the host over the bond's links, as the mode spreads it."""
    tag = mode.replace('-', '')
    serial = region(serial_lines(b.text), f'nc-{tag}-begin', f'nc-{tag}-end')
    if not serial:
        return [f'{mode}: no nc-{tag}-begin..end region on the serial console']
    links = [plain_lines(ep, port) for ep in b.eps]
    per_link = [region(l, f'nc-{tag}-begin', f'nc-{tag}-end') or [] for l in links]
    problems = []
    if mode == 'active-backup':
        # one link carries all of it, in order; the backup's carries none
        used = [i for i, l in enumerate(links) if l]
        if len(used) != 1:
            problems.append(f'{mode}: lines on links {used}, want exactly one')
        problems += sequence_problems(serial, max(per_link, key=len), f'{mode}')
    elif mode == 'broadcast':
        for i, got in enumerate(per_link):
            problems += sequence_problems(serial, got, f'{mode} link {i}')
    else:
        # spread over the links (rr: by packet; xor: by flow): as often as the console printed
        # each line; the order across two host sockets is not the wire's
        want = Counter(serial)
        got = Counter(l for l in links[0] + links[1] if l in want)
        if got != want:
            missing, extra = want - got, got - want
            problems.append(f'{mode}: {sum(missing.values())} lines missing (e.g. '
                            f'{list(missing)[:2]}), {sum(extra.values())} extra (e.g. '
                            f'{list(extra)[:2]}) of {len(serial)}')
        if mode == 'balance-rr' and not (links[0] and links[1]):
            problems.append(f'{mode}: lines on one link only')
    s = st.get(tag)
    problems += stats_problems(mode, s)
    m = counters.by(b.text, 'NCMARKS', 'target').get(tag)
    if s and m:
        b.ctx.notes.append(f'{mode}: {len(serial)} console lines; {s["np_sent"]} datagrams, '
                           f'{s["np_deferred"]} deferred; of the markers {m["np_deferred"]} '
                           f'of {m["np_sent"]}')
        # Inline is the rule while the host keeps up: the markers, written one by one. (A
        # sysrq dump fills the NIC's ring as fast as the console prints, bond or not: over
        # a NIC alone netconsole-sysrq-keyboard defers about two thirds on the debug kernel.)
        if m["np_deferred"] * 2 > m["np_sent"]:
            problems.append(f'{mode}: {m["np_deferred"]} of the {m["np_sent"]} marker '
                            f'datagrams deferred')
    elif not m:
        problems.append(f'{mode}: no counters after the markers')
    return problems


@scenario('netconsole-bond', ('stock', 'test'),
          'cxx_netconsole over a cxx_bonding bond (virtio-net + e1000) in active-backup, '
          'balance-rr, balance-xor and broadcast: markers and sysrq dumps from the trigger and '
          '(active-backup) the keyboard reach the host as the mode spreads them, sent inline')
def netconsole_bond(ctx):
    n = 200 if ctx.kernel.name == 'stock' else 60
    b = ctx.start('netconsole-bond', nics=['virtio', 'e1000'], intree=['configfs'],
                  env={'N': n, 'MODES': ' '.join(BOND_MODES)})
    b.ctx = ctx
    if b.vm.wait_for('VMTEST: ready-for-t', ctx.total):
        qmp = b.vm.connect_qmp()
        qmp.send_keys('alt', 'sysrq', 't')
        if b.vm.wait_for('VMTEST: ready-for-m', 300):
            qmp.send_keys('alt', 'sysrq', 'm')
    problems = b.finish()
    st = nc_stats(b.text)
    for i, mode in enumerate(BOND_MODES):
        problems += bond_mode_problems(b, st, mode, 6670 + i)
    return problems


# --- interop-intree-netconsole-on-cxx-bond, interop-cxx-netconsole-on-intree-bond -----------


@scenario('interop-intree-netconsole-on-cxx-bond', ('stock', 'test'),
          'in-tree netconsole on a cxx_bonding active-backup bond: markers and a sysrq dump reach '
          'the host as the console printed them; the backup slave released and enslaved again '
          'under netconsole, more markers')
def interop_intree_nc_cxx_bond(ctx):
    return interop_bond(ctx, bond='cxx', nc='intree')


@scenario('interop-cxx-netconsole-on-intree-bond', ('stock', 'test'),
          'cxx_netconsole on an in-tree active-backup bond: the same, nothing dropped')
def interop_cxx_nc_intree_bond(ctx):
    return interop_bond(ctx, bond='intree', nc='cxx')


def interop_bond(ctx, bond, nc):
    n = 100 if ctx.kernel.name == 'stock' else 40
    # two virtio-net NICs: the kernel's netpoll polls e1000 outside softirq, which the debug
    # kernel reports (see intree-known-splats)
    b = ctx.boot('interop-bond', nics=['virtio', 'virtio'], intree=['configfs'],
                 manual=['bonding', 'netconsole'], env={'N': n, 'BOND': bond, 'NC': nc})
    b.ctx = ctx
    problems = list(b.problems)
    links = [plain_lines(ep, 6666) for ep in b.eps]
    used = [i for i, l in enumerate(links) if any('nc-io-' in x for x in l)]
    if len(used) != 1:
        return problems + [f'markers on links {used}, want exactly one (active-backup)']
    lines = links[used[0]]
    problems += marker_problems(lines, 'io', n, 'before the re-enslave')
    problems += marker_problems(lines, 'io2', n, 'after the re-enslave')
    p, count = dump_compare(b.text, lines, 'nc-io-begin', 'nc-io-end', ('sysrq: Show Memory',))
    problems += p
    ctx.notes.append(f'{count} lines between nc-io-begin and nc-io-end compared in order')
    if nc == 'cxx':
        problems += stats_problems('cxx', nc_stats(b.text).get('param0'))
    return problems


# --- bond-panic ------------------------------------------------------------------------------

PANIC_TRIGGERS = ('trigger', 'keyboard', 'nmi')
# panic() from an NMI takes locks never taken in NMI before: console_sem's spinlock
# (down_trylock) and, stopping the other CPUs, the NMI handler list's (register_nmi_handler).
NMI_PANIC_LOCKS = re.compile(r'inconsistent \{INITIAL USE\} -> \{IN-NMI\} usage\.\s*\n'
                             r'.*takes:\s*\n.*(\(\(console_sem\)\.lock\).*down_trylock|'
                             r'\(&nmi_desc\[\d\]\.lock\).*__register_nmi_handler)')


def panic_problems(ctx, b, label):
    """One panicked guest: what the serial console printed from the flood's begin marker to
    its last line (the panic's, before the reset) reached the host, in order."""
    from .. import console
    # The panic is the point: its own lines, the guest's missing verdict and QEMU's exit at
    # the reset (panic=-1, -no-reboot) are expected; other splats before it are not.
    problems = [p for p in b.problems
                if not any(k in p for k in ('console splat', 'kernel tainted', 'lockdep',
                                            'without a verdict', 'QEMU exited',
                                            'no taint report'))]
    panic_at = next((i for i, l in enumerate(serial_lines(b.text))
                     if 'Kernel panic - not syncing' in l), None)
    if panic_at is None:
        # What the network saw tells a panic that the serial console missed from none.
        host = plain_lines_by_ip_id(b.eps, 6666)
        seen = [l for l in host if any(p in l for p in PANIC_FIRST)]
        unread = label.endswith('/nmi') and not seen and b.vm.proc.returncode is not None
        if unread and not dump_compare(b.text, host, 'nc-panic-begin', None, ())[0]:
            # The NMI reaches every CPU. One that it stopped inside printk, with a record
            # reserved in the ring buffer and not yet committed, leaves the panic's records
            # unreadable: 6.1's readers stop at a record that is not finalized (mainline's
            # "printk: Skip non-finalized records in panic", late 2023, skips it), so the
            # panic rebooted the machine having printed nothing to any console. What was
            # printed before it must all have arrived.
            ctx.notes.append(f'{label}: the panic printed nothing on any console and '
                             "rebooted (6.1's ring buffer: another CPU stopped inside a "
                             'printk record); every line before it reached the host')
            return problems
        return problems + [f'{label}: no panic on the serial console (the host received '
                           f'{len(host)} lines, {len(seen)} of the panic: {seen[:2]})']
    before = [l for l in console.splats(b.text) if 'Kernel panic' not in l
              and 'sysrq triggered crash' not in l and 'NMI' not in l]
    # The debug kernel's lockdep reports the kernel's own panic from an NMI (lockdep reports
    # once: the first is the only one). Only those reports are let pass, only for the NMI.
    m = NMI_PANIC_LOCKS.search(b.text) if label.endswith('/nmi') else None
    if m and b.text.count('inconsistent lock state') == 1:
        before = [l for l in before if 'inconsistent lock state' not in l]
        lock = 'console_sem' if 'console_sem' in m.group(1) else 'nmi_desc.lock'
        ctx.notes.append(f'{label}: lockdep reported panic() taking {lock} in NMI (the '
                         'kernel\'s own; tolerated)')
    if before:
        problems.append(f'{label}: splats besides the panic: {before[:2]}')
    text, again = collapse_serial_replay(b.text)
    if again:
        ctx.notes.append(f'{label}: the serial console printed a line twice in a row, the '
                         f'panic\'s flush replaying the record whose printing the NMI '
                         f'interrupted: {again}')
    # Over a bond a line the mode's slave could not take during the panic leaves through
    # the other one: both links, in the order the guest sent the datagrams.
    host, replayed = collapse_replayed(plain_lines_by_ip_id(b.eps, 6666), text)
    if replayed:
        ctx.notes.append(f'{label}: the line the panic interrupted was sent again (printk\'s '
                         f'replay, or the netpoll\'s resend of its work item\'s frame) and '
                         f'arrived twice: {replayed}')
    p, n = dump_compare(text, host, 'nc-panic-begin', None, ('Kernel panic - not syncing',))
    per_link = [len(udp_payloads(ep, 6666)) for ep in b.eps]
    ctx.notes.append(f'{label}: {n} console lines from the flood through the panic compared; '
                     f'datagrams per link {per_link}')
    after, why = PANIC_TAIL_LIMIT.get(label, (None, None))
    lost = panic_tail_lost(text, host, after) if p and after else None
    if lost:
        # The known limits (README, "Panics"): not a pass in disguise, a count in the notes.
        ctx.notes.append(f'{label}: the last {lost} console lines, after {after}, did not '
                         f'leave ({why})')
        return problems
    return problems + [f'{label}: {x}' for x in p]


PANIC_FIRST = ('NMI received for unknown reason', 'sysrq: Trigger a crash',
               'Kernel panic - not syncing')


def collapse_serial_replay(text):
    """The serial console's side of collapse_replayed: an NMI after serial8250 wrote a record
    but before printk counted it written has the panic's flush print it again, whole, on the
    next line (the same timestamp: the same record). One such pair, before the panic's first
    line, is collapsed; returns (text, the line or None)."""
    lines = text.split('\n')
    begin = next((i for i, l in enumerate(lines) if 'nc-panic-begin' in l), len(lines))
    for i in range(begin + 1, len(lines)):
        cur = lines[i].rstrip('\r')
        if any(p in cur for p in PANIC_FIRST):
            break
        if cur and cur == lines[i - 1].rstrip('\r') and TS_ANYWHERE.match(cur):
            return '\n'.join(lines[:i] + lines[i + 1:]), TS.sub('', cur)
    return text, None


def collapse_replayed(host, text):
    """A CPU the panic stopped (an NMI) inside netconsole's write, after the datagram went but
    before the write returned, leaves that record unprinted for printk, which emits it again
    to this console in the panic's flush; one stopped inside the driver with a frame of the
    netpoll's work item has that frame sent again by the panic (the device may have had it
    or not: README, "Panics"). Either way the host has it twice in a row where the serial
    console (its own write finished, or printed again whole: reprinted) has it once. One such
    pair, of a line before the panic's first, is collapsed; returns (lines, the line or None).
    """
    serial = region(serial_lines(text), 'nc-panic-begin', None) or []
    first = next((i for i, l in enumerate(serial) if any(p in l for p in PANIC_FIRST)),
                 len(serial))
    before = set(serial[:first])
    for i in range(1, len(host)):
        if host[i] == host[i - 1] and host[i] in before and \
                serial.count(host[i]) == 1 and 'nc-panic-begin' not in host[i]:
            return host[:i] + host[i + 1:], host[i]
    return host, None


# Where the lines of a panic can stay behind, and why. A panic stops the other CPU wherever
# it is (an NMI anywhere; the stop IPI wherever IRQs are on, also in a softirq's tx poll or
# the stack's own xmit), and the context it interrupted never resumes: a tx queue lock held
# there is never given back. cxx_bonding sends through its other slave; a NIC with one tx
# queue has nothing else, and in-tree bonding's slave xmit goes through the kernel's netpoll,
# which queues what it cannot send at once (and everything after it) for a work item a panic
# never runs.
# Over in-tree bonding every line of cxx_netconsole (a sender that must not poll) goes
# through the work item, never from NMI, and in a panic not while a slave's tx lock is held
# by a stopped CPU: what the flood had queued when the panic came stays queued. Over a NIC
# the lines before the trigger went inline: the loss may only begin after nc-panic-armed.
PANIC_TAIL_LIMIT = {
    f'{dev}/{trig}': why for trig in ('trigger', 'keyboard', 'nmi') for dev, why in (
        ('nic', ('nc-panic-armed',
                 'the panic stopped a context holding the only tx queue\'s lock')),
        ('intree', ('nc-panic-begin',
                    'in-tree bonding: the kernel\'s netpoll below, entered only where it '
                    'cannot spin for ever, or its own queue')))}


def panic_tail_lost(text, host, after):
    """The number of console lines lost if what the host received is exactly what the serial
    console printed up to some line after the marker `after` and nothing after it; else None
    (a line missing before it, out of order, repeated)."""
    serial = region(serial_lines(text), 'nc-panic-begin', None, with_begin=True)
    got = region(host, 'nc-panic-begin', None, with_begin=True)
    if not serial or got is None:
        return None
    mark = next((i for i, l in enumerate(serial) if after in l), None)
    if mark is None or len(got) <= mark or got != serial[:len(got)]:
        return None
    return len(serial) - len(got)


KERNEL_RECORD = re.compile(r'\[\s*\d+\.\d+\][^\n]*\n')


def wait_split_line(vm, needle, timeout):
    """vm.wait_for for a guest line written while the kernel prints a flood: a kernel record
    can land inside it on the serial console ("VMTEST: ready-fo[ 9.00] nc-flood-0")."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if needle in KERNEL_RECORD.sub('', vm.text()):
            return True
        if vm.proc.poll() is not None:
            return needle in KERNEL_RECORD.sub('', vm.text())
        time.sleep(0.2)
    return False


@scenario('bond-panic', ('stock', 'test'),
          'cxx_netconsole on a cxx_bonding bond, an in-tree bonding bond and a NIC, a printk '
          'flood still being sent when the kernel panics (sysrq-trigger c, alt+sysrq+c from '
          'the keyboard in hard IRQ, an NMI): every console line through the last one before '
          'the reset reached the host (a cxx_bonding bond through its other slave if need '
          'be); the known limits of a NIC and of in-tree bonding are counted in the notes')
def bond_panic(ctx):
    n = 400 if ctx.kernel.name == 'stock' else 100
    problems = []
    for dev in os.environ.get('BOND_PANIC_DEVS', 'bond intree nic').split():
        for trig in os.environ.get('BOND_PANIC_TRIGGERS', ' '.join(PANIC_TRIGGERS)).split():
            label = f'{dev}/{trig}'
            b = ctx.start('bond-panic', nics=['virtio', 'virtio'], intree=['configfs'],
                          manual=['bonding'] if dev == 'intree' else [],
                          name=f'{dev}-{trig}', env={'N': n, 'DEV': dev, 'TRIGGER': trig})
            if trig != 'trigger' and wait_split_line(b.vm, f'VMTEST: ready-for-{trig}',
                                                     ctx.total):
                qmp = b.vm.connect_qmp()
                if trig == 'keyboard':
                    qmp.send_keys('alt', 'sysrq', 'c')
                else:
                    qmp.cmd('inject-nmi')
            b.finish()
            problems += panic_problems(ctx, b, label)
    return problems


# --- bond-netpoll-churn ----------------------------------------------------------------------


@scenario('bond-netpoll-churn', ('stock', 'test'),
          'cxx_netconsole (configfs) and cxx_pongtest on a cxx_bonding bond while it churns: a '
          'slave released and enslaved again and the other flapped each round, every third '
          'round both released (the target stops), the mode changed without slaves and the '
          'target enabled again; a printk flood throughout, PONG requests from the host on '
          'both links: clean console, nothing leaked, every datagram the core counted sent at '
          'the host, the rest counted, the markers that arrived in order')
def bond_netpoll_churn(ctx):
    from ..peer import mac_bytes
    from .pong import pong_stats, replies_and_icmp, udp_request
    rounds = 9 if ctx.kernel.name == 'stock' else 6
    b = ctx.start('bond-netpoll-churn', nics=['virtio', 'virtio'], intree=['configfs'],
                  env={'ROUNDS': rounds})
    requests = 0
    if b.vm.wait_for('VMTEST: churn-start', ctx.total):
        # to the bond's address (its first slave's) on both links, until the churn ends
        mac = mac_bytes(b.eps[0].guest_mac)
        while not b.vm.wait_for('VMTEST: churn-done', 0.05):
            if b.vm.proc.poll() is not None:
                break
            ep = b.eps[requests % 2]
            ep.send(mac + udp_request(ep, False, '10.0.0.1', '10.0.0.2', 30000 + requests)[6:])
            requests += 1
    problems = b.finish()
    m = re.search(r'VMTEST-CHURN stops (\d+) flooded (\d+)', b.text)
    if not m:
        return problems + ['no churn summary']
    stops, flooded = int(m.group(1)), int(m.group(2))
    if stops != rounds // 3:
        problems.append(f'the target stopped {stops} times, want {rounds // 3}')
    # Every datagram the core counted sent reached the host (a broadcast copy once), the
    # others are counted: nothing vanished between the target and the wire.
    grams, copies = datagrams_by_ip_id(b.eps, 6666)
    st = nc_stats(b.text).get('c')
    if not st:
        return problems + ['no counters for the target']
    drops = sum(st.get(f'np_{d}', 0) for d in counters.DROPS)
    if len(grams) != st['np_sent']:
        problems.append(f'{len(grams)} datagrams at the host, the core counted {st["np_sent"]} '
                        'sent')
    if st.get('resent'):
        problems.append(f'{st["resent"]} datagrams resent: the target\'s resend_ms 0 did not '
                        'hold')
    if st['fragments'] != st['np_sent'] + drops:
        problems.append(f'{st["fragments"]} fragments, but {st["np_sent"]} sent and {drops} '
                        'dropped')
    lines = [TS.sub('', l) for l in
             b''.join(p for _, p in grams).decode(errors='replace').split('\n') if l]
    got = [int(x.group(1)) for l in lines for x in [re.search(r'nc-churn-(\d+)$', l)] if x]
    if got != sorted(set(got)):
        problems.append('markers out of order or repeated at the host')
    for w in ('nc-churn-begin', 'nc-churn-end'):
        if w not in lines:
            problems.append(f'{w} did not arrive')
    ctx.notes.append(f'{rounds} rounds, the target stopped and enabled again {stops} times; '
                     f'{len(got)} of {flooded} flood markers at the host; {st["np_sent"]} '
                     f'datagrams sent ({copies} broadcast copies), {st["np_deferred"]} deferred, '
                     f'{drops} dropped')
    # PONG: what cxx_pongtest received it answered or counted; each answer at the host once
    # (broadcast: once per link).
    ps = pong_stats(b.text).get('churn')
    replies = set()
    for ep in b.eps:
        replies |= set(replies_and_icmp(raw for _, raw in ep.snapshot())[0])
    if not ps:
        problems.append('no pongtest counters')
    else:
        if not 0 < ps['received'] <= requests:
            problems.append(f'pongtest received {ps["received"]} of {requests} requests')
        if ps['sent'] + ps['dropped'] != ps['received']:
            problems.append(f'pongtest: {ps["received"]} received, {ps["sent"]} sent, '
                            f'{ps["dropped"]} dropped')
        if len(replies) != ps['sent']:
            problems.append(f'{len(replies)} requests answered at the host, pongtest sent '
                            f'{ps["sent"]}')
        ctx.notes.append(f'PONG: {requests} requests, {ps["received"]} received, '
                         f'{ps["sent"]} answered, {ps["dropped"]} dropped')
    return problems


# --- netconsole-events -----------------------------------------------------------------------


@scenario('netconsole-events', ('stock', 'test'),
          'netdev events on a VLAN target: rename followed, down ignored, unregister stops it, '
          're-enabled after re-register; joining a bond and releasing the last slave stop targets '
          '(in-tree bonding, then cxx_bonding)')
def netconsole_events(ctx):
    b = ctx.boot('netconsole-events', nics=['virtio'], intree=['configfs', '8021q', 'dummy'],
                 manual=['bonding'])
    problems = list(b.problems)
    dg = udp_datagrams(b.eps[0], 6680)
    if not dg or any(d['vlan'] != 100 for d in dg):
        problems.append(f'{len(dg)} datagrams on port 6680, not all tagged VLAN 100')
    lines = [TS.sub('', d['payload'].decode().rstrip('\n')) for d in dg]
    for tag in ('ev1', 'ev2', 'ev3'):
        problems += marker_problems(lines, tag, 10, 'VLAN target')
    if any('nc-evgone' in l or 'nc-evdown' in l for l in lines):
        problems.append('markers sent while the device was down or gone arrived')
    s = nc_stats(b.text).get('v')
    if not s:
        problems.append('v: no counters')
    elif s['drop_dev_down'] < 3:
        problems.append(f'v: {s["drop_dev_down"]} records counted dev_down while down, want >= 3')
    return problems


# --- netconsole-vs-intree --------------------------------------------------------------------


@scenario('netconsole-vs-intree', ('stock', 'test'),
          'in-tree netconsole and cxx_netconsole on one NIC, two ports: the host receives the '
          'same lines from both (boot log replay, markers, a sysrq dump), cxx\'s in the '
          'kernel\'s order')
def netconsole_vs_intree(ctx):
    n = 200 if ctx.kernel.name == 'stock' else 60
    b = ctx.boot('netconsole-vs-intree', nics=['virtio'], intree=['configfs'],
                 manual=['netconsole'],
                 env={'N': n})
    problems = list(b.problems)

    def upto_end(lines):
        for i, l in enumerate(lines):
            if l.endswith('nc-vs-end'):
                return lines[:i + 1]
        return None
    intree = upto_end(plain_lines(b.eps[0], 6666))
    ours = upto_end(plain_lines(b.eps[0], 6667))
    if intree is None or ours is None:
        return problems + [f'end marker missing (in-tree: {intree is not None}, '
                           f'cxx: {ours is not None})']
    problems += marker_problems(intree, 'vs', n, 'in-tree')
    problems += marker_problems(ours, 'vs', n, 'cxx')
    if not any('sysrq: Show Memory' in l for l in intree):
        problems.append('in-tree netconsole sent no "sysrq: Show Memory" line')
    # The same lines as in-tree netconsole, as often; in the kernel's order (6.1's netconsole
    # can send a line the work item dequeued after a later one: its queue race, not ours).
    if Counter(ours) != Counter(intree):
        problems += sequence_problems(sorted(intree), sorted(ours), 'cxx against in-tree')
    kernel = kernel_order(dmesg_lines(b.text), ours)
    problems += sequence_problems(kernel, ours, 'cxx against the kernel log')
    ctx.notes.append(f'{len(ours)} lines from each, the same lines; cxx\'s in the kernel\'s order')
    if intree != kernel_order(dmesg_lines(b.text), intree):
        ctx.notes.append('in-tree netconsole sent lines out of the kernel\'s order '
                         '(6.1\'s deferred-queue race)')
    problems += stats_problems('cxx', nc_stats(b.text).get('param0'))
    return problems


# --- netconsole-oops --------------------------------------------------------------------------


# What the oops itself prints; any other splat line fails the run.
OOPS_LINES = re.compile(r'kernel BUG at .*vmtest_oops|invalid opcode:|\bOops\b|vmtest_oops')
KMEMLEAK = re.compile(r'kmemleak: \d+ new suspected|VMTEST-KMEMLEAK-BEGIN|unreferenced object')


ALLOCATOR = re.compile(r'^(__)?(k|kv|vm|kmem_cache_|slab_|kmemleak_)\w*(alloc|malloc)\w*\+')
FRAME = re.compile(r'\[<[^>]*>\] (\S+)')     # the address may be hashed: (____ptrval____)


def only_init_leaks(text):
    """kmemleak found only the memory do_init_module allocated itself (its freeinit) for the
    init the oops killed: in each object's backtrace the first frame past the allocator is
    do_init_module."""
    m = re.search(r'VMTEST-KMEMLEAK-BEGIN\n(.*?)VMTEST-KMEMLEAK-END', text, re.S)
    if not m:
        return True
    for obj in m.group(1).split('unreferenced object')[1:]:
        frames = [f for f in FRAME.findall(obj) if not ALLOCATOR.match(f)]
        if not frames or not frames[0].startswith('do_init_module+'):
            return False
    return True


def oops_fixture_line():
    """The line of the fixture's BUG()."""
    src = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'vmtest_oops.c')
    with open(src) as f:
        return next(i for i, l in enumerate(f, 1) if l.strip() == 'BUG();')


def oops_header_problems(serial):
    """Exactly one oops, the fixture's BUG() at its own line: one `kernel BUG at` naming it and
    one die() header `[#1]`, no second one."""
    line = oops_fixture_line()
    bug = [l for l in serial if 'kernel BUG at' in l]
    heads = [l for l in serial if re.search(r'\[#\d+\]', l)]
    problems = []
    if len(bug) != 1 or not bug[0].endswith(f'vmtest_oops.c:{line}!'):
        problems.append(f'want one "kernel BUG at ...vmtest_oops.c:{line}!", got {bug[:3]}')
    if len(heads) != 1 or not re.match(r'invalid opcode: 0000 \[#1\]', heads[0]):
        problems.append(f'want one oops header "invalid opcode: 0000 [#1]", got {heads[:3]}')
    return problems


TAINT_DIE = 1 << 7


@scenario('netconsole-oops', ('stock', 'test'),
          'oops_only=1: ordinary messages stay home; a module oopses: every line of the oops '
          'the serial console printed reached the host')
def netconsole_oops(ctx):
    from .. import console
    fixtures = ctx.fixture_modules()
    if 'vmtest_oops' not in fixtures:
        return ['fixture vmtest_oops was not built']
    project = dict(ctx.project_modules(), vmtest_oops=fixtures['vmtest_oops'])
    b = ctx.boot('netconsole-oops', nics=['virtio'], intree=['configfs'], project=project)
    b.ctx = ctx
    # The oops is expected: its splat, the D taint and (test kernel) lockdep switching itself
    # off on oops_enter(). Everything else still counts.
    problems = [p for p in b.problems
                if not any(k in p for k in ('console splat', 'kernel tainted', 'lockdep'))]
    leaks_ok = only_init_leaks(b.text)
    other = [l for l in console.splats(b.text)
             if not OOPS_LINES.search(l) and not (leaks_ok and KMEMLEAK.search(l))]
    if other:
        problems.append(f'splats besides the oops: {other[:3]}')
    if not any(OOPS_LINES.search(l) for l in console.splats(b.text)):
        problems.append('the fixture did not oops')
    taint = re.findall(r'VMTEST-TAINT (\d+)', b.text)
    if not taint or int(taint[-1]) & ~(console.ALLOWED_TAINT[ctx.kernel.name] | TAINT_DIE):
        problems.append(f'kernel tainted: {taint[-1:]} (beyond the oops)')
    host = plain_lines(b.eps[0], 6666)
    if any('nc-quiet-' in l for l in host):
        problems.append('oops_only=1 sent an ordinary message')
    # From die()'s header to the end marker: every line of the oops, the header included,
    # and nothing else. oops_only sends neither "kernel BUG at" (report_bug prints it before
    # die() raises oops_in_progress) nor the end marker (oops_exit() prints it after
    # oops_in_progress is cleared), so the host's part runs to the last line it received.
    problems += oops_header_problems(serial_lines(b.text))
    problems += dump_problems(b, 'invalid opcode:', '---[ end trace', ('RIP:',),
                              with_begin=True, host_to_end=True)
    return problems


# --- bond-failover ---------------------------------------------------------------------------

# "driver/mode[/option...]": the host cuts link 0 for good, unless 'flap' (link 0 down and up
# again within miimon's interval) or 'both' (the links cut one after the other, then link 0
# back: lines wait meanwhile; cxx_bonding only, in-tree bonding drops them while it has no
# active slave); 'extended': the extended format; 'e1000': e1000 slaves, else virtio-net
# (6.1's e1000 under QEMU takes 1-2 s to see its link go: 'w3000', a window of 3000 ms);
# 'nc-intree': in-tree netconsole (a comparison, for BOND_FAILOVER_RUNS: it has no resend).
# BOND_FAILOVER_RUNS (labels, space-separated) runs those instead.
FAILOVER_RUNS = {'stock': ['cxx/active-backup', 'cxx/balance-rr', 'intree/active-backup',
                           'intree/balance-rr', 'cxx/active-backup/extended',
                           'cxx/active-backup/e1000/w3000', 'cxx/active-backup/flap',
                           'intree/active-backup/flap', 'cxx/active-backup/both'],
                 'test': ['cxx/active-backup', 'cxx/active-backup/both']}
FLAP_S = 0.04           # shorter than miimon's 100 ms
FO_MARK = re.compile(r'nc-fo-(\d+)$')
KTS = re.compile(r'^\[\s*(\d+\.\d+)\]')


def failover_counts(serial, host):
    """Flood lines the serial console printed, and of them how many the host never got and
    how many it got more than once (lines without their timestamps)."""
    want = [l for l in serial if FO_MARK.search(l)]
    got = Counter(l for l in host if FO_MARK.search(l))
    lost = [l for l in want if not got[l]]
    repeated = sum(n - 1 for n in got.values() if n > 1)
    return want, lost, repeated


def ext_failover_lines(eps):
    """The extended format over both links: each record's text once (a receiver drops a
    repeat by its sequence number), the number of repeats, and problems (a repeat whose text
    differs from its first copy: a resend must carry its original sequence number)."""
    first, repeats, problems = {}, 0, []
    for ep in eps:
        recs, bad = ext_records(ep, 6666)
        problems += [f'extended datagram that does not parse: {p!r}' for p in bad[:3]]
        for r in recs:
            text = r['text'].decode(errors='replace').rstrip('\n')
            if r['seq'] in first:
                repeats += 1
                if first[r['seq']] != text:
                    problems.append(f'seq {r["seq"]} carried {first[r["seq"]]!r} and {text!r}')
            else:
                first[r['seq']] = text
    return [first[s] for s in sorted(first)], repeats, problems


class FramesBefore:
    """What an endpoint had received by a moment (time.monotonic()), as an endpoint."""

    def __init__(self, ep, moment):
        self.ep, self.moment = ep, moment

    def snapshot(self):
        return [(t, data) for t, data in self.ep.snapshot() if t < self.moment]


def notice_ms(text, link0_lines):
    """From the cut to the bond's first "link status definitely down", in the guest's clock:
    the last line link 0 carried before the cut was sent just before it. None if either is
    missing."""
    down = re.search(r'\[\s*(\d+\.\d+)\][^\n]*link status definitely down', text)
    last = [float(m.group(1)) for l in link0_lines for m in [KTS.match(l)] if m]
    if not down or not last:
        return None
    return (float(down.group(1)) - max(last)) * 1000


@scenario('bond-failover', ('stock', 'test'),
          'cxx_netconsole on an active-backup and a balance-rr bond (miimon 100) of cxx_bonding '
          'and of in-tree bonding, a printk flood, the host cuts link 0 a quarter of the way '
          'in: every flood line the serial console printed reached the host (lines that went '
          'into the dead link are sent again after the failover: repeats counted, not lost); '
          'the time from the cut to the guest noticing it is reported and must be within the '
          'resend window; also link 0 flapping faster than miimon, and (cxx_bonding) both '
          'links cut one after the other, then link 0 back: lines wait, none lost')
def bond_failover(ctx):
    n = 2000 if ctx.kernel.name == 'stock' else 600
    resend_ms = int(os.environ.get('BOND_FAILOVER_RESEND_MS', 1000))
    problems = []
    runs = os.environ.get('BOND_FAILOVER_RUNS', '').split() or FAILOVER_RUNS[ctx.kernel.name]
    for label in runs:
        drv, mode, *options = label.split('/')
        ext = 'extended' in options
        cut = 'flap' if 'flap' in options else 'both' if 'both' in options else 'cut'
        nic = 'e1000' if 'e1000' in options else 'virtio'
        w = next((int(o[1:]) for o in options if re.fullmatch(r'w\d+', o)), resend_ms)
        b = ctx.start('bond-failover', nics=[nic, nic], intree=['configfs'],
                      manual=['bonding'] + (['netconsole'] if 'nc-intree' in options else []),
                      name=label.replace('/', '-'),
                      env={'N': n, 'DRV': drv, 'MODE': mode, 'EXT': int(ext),
                           'RESEND_MS': w, 'NC': 'intree' if 'nc-intree' in options else 'cxx'})
        cut_at = None
        if b.vm.wait_for('VMTEST: ready-for-cut', ctx.total):
            base = len(b.eps[0].snapshot())
            step = n // 4 if mode == 'active-backup' else n // 8
            end = time.monotonic() + 120
            while len(b.eps[0].snapshot()) < base + step and time.monotonic() < end:
                time.sleep(0.02)
            qmp = b.vm.connect_qmp()
            cut_at = time.monotonic()
            qmp.set_link(b.vm.nic_ids[0], False)
            if cut == 'flap':
                time.sleep(FLAP_S)
                qmp.set_link(b.vm.nic_ids[0], True)
            elif cut == 'both':
                # link 1 carries the next eighth (and the resend) for half a second at
                # least, then dies too; link 0 returns a second later: what was printed
                # meanwhile waits in the guest
                base1 = len(b.eps[1].snapshot())
                while ((len(b.eps[1].snapshot()) < base1 + n // 8 or
                        time.monotonic() < cut_at + 0.5) and time.monotonic() < end):
                    time.sleep(0.02)
                qmp.set_link(b.vm.nic_ids[1], False)
                time.sleep(1)
                qmp.set_link(b.vm.nic_ids[0], True)
            b.vm.wait_for('VMTEST: fo-done', ctx.total)
        problems += [f'{label}: {p}' for p in b.finish()]
        serial = region(serial_lines(b.text), 'nc-fo-begin', 'nc-fo-end') or []
        # what link 0 carried before the cut ('both': link 0 carries again later)
        before = FramesBefore(b.eps[0], cut_at if cut_at is not None else time.monotonic())
        if ext:
            host, ext_repeats, p = ext_failover_lines(b.eps)
            problems += [f'{label}: {x}' for x in p]
            # the guest's clock: the records' usec, as "[s.us] text" for notice_ms
            link0 = [f'[{r["usec"] / 1e6:.6f}] {r["text"].decode(errors="replace")}'
                     for r in ext_records(before, 6666)[0]]
        else:
            host = [l for ep in b.eps for l in plain_lines(ep, 6666)]
            link0 = [l for _, _, p in udp_payloads(before, 6666)
                     for l in p.decode(errors='replace').split('\n') if FO_MARK.search(l)]
        want, lost, repeated = failover_counts(serial, host)
        if ext:
            repeated = ext_repeats      # dropped by sequence number: none left in host
        st = nc_stats(b.text).get('param0') or {}
        ms = notice_ms(b.text, link0)
        ctx.notes.append(f'{label}: {len(want)} flood lines printed, {len(want) - len(lost)} '
                         f'received, {len(lost)} lost, {repeated} repeated; '
                         f'{st.get("resent", "?")} datagrams resent; the guest noticed the cut '
                         f'after ' + (f'{ms:.0f} ms' if ms is not None else '? ms (never)') +
                         (f'; window {w} ms' if w != resend_ms else ''))
        if len(want) < n:
            problems.append(f'{label}: the serial console printed {len(want)} of {n} flood lines')
        if cut == 'flap':       # the bond may or may not see it: nothing lost either way
            m = re.search(r'VMTEST-CARRIER link0 downs (\d+)', b.text)
            if lost and m and m.group(1) == '0':
                # QEMU dropped what link 0 carried while it was down, and the flap was over
                # before virtio-net looked at the link: the guest's carrier never dropped, so
                # nothing in it could know those lines were lost (no resend without a sign).
                ctx.notes.append(f'{label}: {len(lost)} flood lines dropped by the link while '
                                 'the guest never saw its carrier go down (the flap was over '
                                 'before virtio-net read the link state)')
            elif lost:
                problems.append(f'{label}: {len(lost)} flood lines lost (e.g. {lost[:3]}); '
                                f'link 0\'s carrier went down {m.group(1) if m else "?"} times')
        elif ms is None:
            problems.append(f'{label}: no cut noticed (no "link status definitely down")')
        elif ms > w:
            problems.append(f'{label}: the guest noticed the cut after {ms:.0f} ms, beyond the '
                            f'{w} ms window: lines may be lost ({len(lost)} were)')
        elif lost:
            problems.append(f'{label}: {len(lost)} flood lines lost (e.g. {lost[:3]}) though the '
                            f'cut was noticed within the window')
        if 'nc-intree' not in options:
            problems += stats_problems(label, st)
    return problems
