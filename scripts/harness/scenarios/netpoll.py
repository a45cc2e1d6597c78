# SPDX-License-Identifier: GPL-2.0
"""Scenarios of the netpoll core (cxx_netpoll + the cxx_npclient test client)."""
import re

from .. import counters
from ..peer import udp_datagrams, udp_payloads
from ..registry import scenario


def stats(text):
    """{target: counters} of the client's VMTEST-STATS lines (the last report of each wins)."""
    return counters.by(text, 'STATS', 'target')


def stats_by_dev(text):
    """{device name: counters} (the last report of each device wins)."""
    return counters.by(text, 'STATS', 'dev')


def client_datagrams(ep, dport):
    """npclient datagrams on ep to dport: list of (target, seq, mode, csum_ok)."""
    out = []
    for d in udp_datagrams(ep, dport):
        m = re.match(rb'npclient t=(\d+) seq=(\d+) mode=(\w+)', d['payload'])
        if m:
            out.append((int(m.group(1)), int(m.group(2)), m.group(3).decode(), d['csum_ok']))
    return out


def counter_problems(label, s, want, arrived):
    """The client's counters agree with the host: sent == want == arrived, nothing dropped."""
    problems = []
    if s['sent'] != want or arrived != s['sent']:
        problems.append(f'{label}: counters say sent {s["sent"]}, host got {arrived}, '
                        f'expected {want}')
    drops = {k: s[k] for k in counters.DROPS if s.get(k)}
    missing = [k for k in counters.TX if k not in s]
    if missing:
        problems.append(f'{label}: counters missing from the report: {missing}')
    if drops:
        problems.append(f'{label}: drops counted: {drops}')
    return problems


def check_stream(got, target, modes, n, label):
    """Every mode's N datagrams of one target arrived once, in order, with good checksums."""
    problems = []
    mine = [g for g in got if g[0] == target]
    bad = sum(1 for g in mine if not g[3])
    if bad:
        problems.append(f'{label}: {bad} datagrams with bad checksums')
    for mode in modes:
        seqs = [g[1] for g in mine if g[2] == mode]
        if len(seqs) != n or seqs != sorted(seqs) or len(set(seqs)) != n:
            problems.append(f'{label} {mode}: {len(seqs)} of {n} datagrams'
                            + ('' if seqs == sorted(seqs) else ', out of order'))
    return problems


# --- netpoll-tx ------------------------------------------------------------------------------


MODES = ('process', 'irqsoff', 'hardirq')


@scenario('netpoll-tx', ('stock', 'test'),
          'send_udp over virtio-net and e1000, IPv4 and IPv6, process/IRQs-off/hard-IRQ: all '
          'arrive with valid checksums, counters agree', tier='quick')
def netpoll_tx(ctx):
    n = 200 if ctx.kernel.name == 'stock' else 60
    b = ctx.boot('netpoll-tx', nics=['virtio', 'e1000'], intree=['8021q'], env={'N': n})
    problems = list(b.problems)
    st = stats(b.text)
    vlan = [d['vlan'] for d in udp_datagrams(b.eps[0], 6668)]
    if not vlan or any(v != 100 for v in vlan):
        problems.append(f'VLAN target: {len(vlan)} datagrams, tags {sorted(set(vlan))} '
                        '(want VLAN 100 on every one)')
    # targets: 0 virtio v4, 1 virtio v6, 2 e1000 v4, 3 e1000 v6, 4 VLAN 100 on virtio
    for t, (link, port, label) in enumerate([(0, 6666, 'virtio IPv4'), (0, 6667, 'virtio IPv6'),
                                             (1, 6666, 'e1000 IPv4'), (1, 6667, 'e1000 IPv6'),
                                             (0, 6668, 'VLAN 100 IPv4')]):
        modes = MODES
        got = client_datagrams(b.eps[link], port)
        problems += check_stream(got, t, modes, n, label)
        s = st.get(t)
        if not s:
            problems.append(f'{label}: no counters reported')
            continue
        problems += counter_problems(label, s, len(modes) * n,
                                     sum(1 for g in got if g[0] == t))
    return problems


# --- netpoll-busy ----------------------------------------------------------------------------


@scenario('netpoll-busy', ('stock', 'test'),
          'a device kept busy (tx locks held on another CPU): datagrams deferred, then all '
          'delivered in order, counters agree')
def netpoll_busy(ctx):
    n = 200
    b = ctx.boot('netpoll-busy', nics=['virtio'], env={'N': n})
    problems = list(b.problems)
    got = client_datagrams(b.eps[0], 6666)
    problems += check_stream(got, 0, ('busy', 'irqsoff'), n, 'busy')
    seqs = [g[1] for g in got]
    if seqs != sorted(seqs):
        problems.append('datagrams overtook each other across the busy period')
    s = stats(b.text).get(0)
    if not s:
        return problems + ['no counters reported']
    # Right after the busy batch (sent while the locks were held on another CPU, which the
    # client checks): every datagram of it was deferred, none sent directly.
    deferred = counters.by(b.text, 'BUSY', 'target').get(0, {}).get('deferred')
    if deferred != n:
        problems.append(f'busy batch: {deferred} of {n} datagrams deferred while the tx locks '
                        'were held')
    return problems + counter_problems('busy', s, 2 * n, len(got))


# --- netpoll-interop -------------------------------------------------------------------------


@scenario('netpoll-interop', ('stock', 'test'),
          'in-tree netconsole and a cxx_netpoll user on one NIC: both deliver; unload in both '
          'orders')
def netpoll_interop(ctx):
    n = 100
    b = ctx.boot('netpoll-interop', nics=['virtio'], manual=['netconsole'], env={'N': n})
    problems = list(b.problems)
    data = b''.join(p for _, _, p in udp_payloads(b.eps[0], 6666)).decode(errors='replace')
    lines = [l.split('] ', 1)[-1] for l in data.split('\n')]
    w = (counters.reports(b.text, 'WRITER') or [{}])[-1]
    if w.get('after', 0) <= w.get('before', 0):
        problems.append(f'the writer did not write while cxx_netpoll unloaded: {w}')
    # In-tree netconsole's lines: each exactly once. Their order is noted, not judged: 6.1's
    # deferred queue lets a new line overtake one its work item holds (see
    # netconsole-vs-intree), which is not what this scenario is about.
    for tag, count in (('a', 20), ('b', w.get('total', 0)), ('c', 20), ('d', 20)):
        got = [int(l.rsplit('-', 1)[1]) for l in lines if l.startswith(f'interop-{tag}-')]
        if sorted(got) != list(range(count)):
            problems.append(f'netconsole markers {tag}: {len(set(got))} of {count} arrived, '
                            f'{len(got) - len(set(got))} repeated')
        elif got != list(range(count)):
            ctx.notes.append(f'in-tree netconsole sent markers {tag} out of order '
                             '(6.1\'s deferred-queue race)')
    got = client_datagrams(b.eps[0], 6671)
    problems += check_stream(got, 0, ('irqsoff', 'process'), n, 'cxx client')
    return problems


# --- netpoll-unload --------------------------------------------------------------------------


@scenario('netpoll-unload', ('stock', 'test'),
          'the core cannot unload while used; a device that goes away is let go; bad setups '
          'are refused with clear errors; clean after')
def netpoll_unload(ctx):
    b = ctx.boot('netpoll-unload', nics=['virtio'], intree=['dummy', 'bridge'])
    problems = list(b.problems)
    by_dev = stats_by_dev(b.text)
    s = by_dev.get('d0')
    if not s:
        problems.append('no counters reported for d0')
    elif s['sent'] != 10 or s['drop_not_attached'] != 7:
        problems.append(f'after unregister: sent {s["sent"]} (want 10), drop_not_attached '
                        f'{s["drop_not_attached"]} (want 7)')
    s = by_dev.get('d2')
    if not s or s['sent'] != 5:
        problems.append(f'device brought up by setup: counters {s}')
    return problems


# --- intree-known-splats ---------------------------------------------------------------------


@scenario('intree-known-splats', ('test',),
          'each known in-tree splat the harness tolerates is reproduced with the kernel\'s '
          'own netpoll (so a fixed kernel shows up here)')
def intree_known_splats(ctx):
    from .. import console
    # The kernel's netpoll polls e1000 (budget 0) only when its tx ring is full: 300
    # datagrams with IRQs off on the CPU that takes e1000's interrupt fill its 256
    # descriptors.
    b = ctx.boot('intree-known-splats', nics=['e1000'], env={'N': 300})
    problems = [p for p in b.problems]
    seen = console.known(b.text)
    for k in console.KNOWN_INTREE:
        if k['id'] not in seen:
            problems.append(f'{k["id"]} no longer reproduces with the kernel\'s netpoll: '
                            'drop it from console.KNOWN_INTREE')
    return problems
