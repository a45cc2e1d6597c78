# SPDX-License-Identifier: GPL-2.0
"""Scenarios of cxx_bonding, the bonding driver: each checked against what the host sees on
every link and against in-tree bonding doing the same in the same boot."""
import re
import struct
from collections import Counter, defaultdict

from ..registry import scenario

MODES = ('balance-rr', 'active-backup', 'balance-xor', 'broadcast', 'balance-xor/layer2+3',
         'balance-xor/layer3+4', 'balance-xor/encap2+3', 'balance-xor/encap3+4',
         'balance-xor/vlan+srcmac')
# The debug kernel is about 10 times slower per bond: there, the four modes and one IP policy
# (every mode's code path; the policies differ only in the arithmetic KUnit checks).
TEST_MODES = ('balance-rr', 'active-backup', 'balance-xor', 'broadcast', 'balance-xor/layer3+4')
N_FLOWS = 16        # destinations 10.0.0.10-25, each its own neighbour MAC


def drivers(ctx):
    """The bonding drivers a comparing scenario runs: both on the stock kernel, where
    cxx_bonding is compared with in-tree bonding line for line in the same boot; cxx_bonding
    alone on the debug kernel, whose sanitizers are there for the project's code (in-tree
    bonding's half would double the scenario's time under them to exercise Debian's code;
    the comparison is the stock kernel's run of the same scenario)."""
    return ('cxx', 'intree') if ctx.kernel.name == 'stock' else ('cxx',)


def intree_env(ctx):
    return {'INTREE': int('intree' in drivers(ctx))}


def udp_frames(ep):
    """(dst MAC, src MAC, dport, dst IP) of each IPv4 UDP frame the guest sent on a link."""
    out = []
    for _, raw in ep.snapshot():
        if len(raw) < 42 or raw[12:14] != b'\x08\x00' or raw[23] != 17:
            continue
        ihl = (raw[14] & 0xf) * 4
        out.append((raw[0:6], raw[6:12], struct.unpack('!H', raw[14 + ihl + 2:14 + ihl + 4])[0],
                    raw[30:34]))
    return out


def xor_link(dst, src):
    """6.1's layer2 hash (bond_eth_hash: the MACs' last bytes and the EtherType) modulo the
    two usable slaves, which are enslaved in link order."""
    return (dst[5] ^ src[5] ^ 0x0800) % 2


def distribution_problems(drv, mode, per_link, n):
    """per_link: [[(dst, src), ...] for link 0, link 1] of one mode's datagrams."""
    total = N_FLOWS * n
    counts = [len(f) for f in per_link]
    where = f'{drv} {mode}'
    if mode == 'broadcast':
        return [f'{where}: links saw {counts}, every one of {total} datagrams belongs on both'] \
            if counts != [total, total] else []
    if sum(counts) != total:
        return [f'{where}: the host saw {sum(counts)} datagrams ({counts}), the guest sent {total}']
    if mode == 'active-backup':
        return [] if counts in ([total, 0], [0, total]) else \
            [f'{where}: datagrams on both links {counts}: only the active slave may send']
    if mode == 'balance-rr':
        # Round robin over two slaves: within a few of half (other frames share the counter).
        return [] if min(counts) >= total * 0.45 else \
            [f'{where}: links saw {counts}: round robin should split them about evenly']
    if mode != 'balance-xor':
        return []       # the other policies: compared with in-tree bonding, flow by flow
    wrong = [(i, d.hex(':')) for i, frames in enumerate(per_link) for d, s in frames
             if xor_link(d, s) != i]
    return [f'{where}: {len(wrong)} datagrams on the other link than the layer2 hash picks '
            f'(first: link {wrong[0][0]}, dst {wrong[0][1]})'] if wrong else []


def lines(text, tag):
    """{(driver, mode): [line, ...]} of the guest's VMTEST-<tag> lines."""
    out = defaultdict(list)
    for m in re.finditer(rf'^VMTEST-{tag} (\S+) (\S+): (.*?)\r?$', text, re.M):
        out[(m.group(1), m.group(2))].append(m.group(3))
    return out


def differ(what, ours, theirs):
    """A problem if cxx_bonding's lines are not in-tree bonding's, naming the first that
    differs; [] if they are the same."""
    if ours == theirs:
        return []
    pad = [''] * max(len(ours), len(theirs))
    diff = [(x, y) for x, y in zip(ours + pad, theirs + pad) if x != y]
    return [f'{what}: cxx_bonding differs from in-tree bonding in {len(diff)} lines, first: '
            f'{diff[0][0]!r} vs {diff[0][1]!r}']


def compare_problems(what, got, modes, drvs):
    problems = []
    for mode in modes:
        a, b = got.get(('cxx', mode), []), got.get(('intree', mode), [])
        if not a:
            problems.append(f'{what} {mode}: nothing from cxx_bonding')
        elif 'intree' in drvs:
            problems += differ(f'{what} {mode}', a, b)
    return problems


@scenario('bond-modes', ('stock', 'test'),
          'cxx_bonding bonds built with ip in balance-rr, active-backup, balance-xor and '
          'broadcast: the host sees on each link the distribution the mode promises (xor: each '
          'flow on the slave 6.1\'s layer2 hash picks); /proc/net/bonding and ip -d equal '
          'in-tree bonding\'s, line for line, in the same boot; each driver refuses to load '
          'beside the other; rmmod deletes a bond made by max_bonds')
def bond_modes(ctx):
    n = 20
    modes = TEST_MODES if ctx.kernel.name == 'test' else MODES
    drvs = drivers(ctx)
    b = ctx.start('bond-modes', nics=['virtio', 'virtio'], manual=['bonding'],
                  env={'N': n, 'MODES': ' '.join(modes), **intree_env(ctx)}, tools=['udpclient'])
    problems = b.finish()
    text = b.text
    frames = [udp_frames(ep) for ep in b.eps]
    links = {}          # (driver, mode) -> {destination IP: set of links}
    for drv, base in (('cxx', 9000), ('intree', 9100))[:len(drvs)]:
        for i, mode in enumerate(modes):
            if f'VMTEST-SENT {drv} {mode} port={base + i}' not in text:
                problems.append(f'{drv} {mode}: the guest did not send')
                continue
            per_link = [[(d, s) for d, s, p, _ in f if p == base + i] for f in frames]
            problems += distribution_problems(drv, mode, per_link, n)
            flows = defaultdict(set)
            for link, f in enumerate(frames):
                for _, _, p, ip in f:
                    if p == base + i:
                        flows[ip].add(link)
            links[(drv, mode)] = flows
    for mode in modes:
        if not mode.startswith('balance-xor'):
            continue
        ours, theirs = links.get(('cxx', mode), {}), links.get(('intree', mode), {})
        split = [ip for ip, ls in ours.items() if len(ls) != 1]
        if split:
            problems.append(f'cxx {mode}: {len(split)} flows on both links')
        if mode == 'balance-xor/encap3+4' or 'intree' not in drvs:
            # The socket's random txhash (skb->l4_hash) decides in both drivers: no two runs
            # agree, so each flow on one link is all there is to check.
            continue
        if ours != theirs:
            differ = [ip for ip in set(ours) | set(theirs) if ours.get(ip) != theirs.get(ip)]
            problems.append(f'cxx {mode}: {len(differ)} of {N_FLOWS} flows on another link than '
                            f'in-tree bonding puts them')
        elif mode != 'balance-xor/vlan+srcmac' and len({min(ls) for ls in ours.values()}) < 2:
            ctx.notes.append(f'{mode}: every flow on one link in both drivers')
    problems += compare_problems('/proc/net/bonding', lines(text, 'PROC'), modes, drvs)
    problems += compare_problems('ip -d', lines(text, 'IPD'), modes, drvs)
    return problems


def collapse(seq):
    """seq without lines that repeat the line before them."""
    return [x for i, x in enumerate(seq) if i == 0 or seq[i - 1] != x]


def stage_problems(text, drvs=('cxx', 'intree')):
    """/proc/net/bonding at each failover stage and the bond's kernel messages: cxx_bonding's
    against in-tree bonding's (drvs without 'intree': cxx_bonding's are there)."""
    problems = []
    for tag, stages in (('PROC', ('start', 'cut', 'restored')), ('KMSG', ('up', 'failover'))):
        got = lines(text, tag)
        for stage in stages:
            a, b = got.get(('cxx', stage), []), got.get(('intree', stage), [])
            if 'intree' not in drvs:
                if not a:
                    problems.append(f'{tag} {stage}: no lines from cxx_bonding')
            elif not a or not b:
                problems.append(f'{tag} {stage}: missing ({len(a)} lines from cxx_bonding, '
                                f'{len(b)} from in-tree bonding)')
            elif stage == 'up':     # carrier timing orders these: as a set
                problems += differ(f'{tag} {stage}', sorted(a), sorted(b))
            else:
                # A monitor tick that finds RTNL taken (linkwatch holds it when a carrier
                # changes) inspects again one jiffy later and says its proposal again: 6.1's
                # design, in both drivers. A line repeated in a row counts once.
                problems += differ(f'{tag} {stage}', collapse(a), collapse(b))
    return problems


@scenario('bond-miimon', ('stock', 'test'),
          'an active-backup bond (miimon 100, updelay/downdelay 200, primary eth0): the host '
          'cuts the primary\'s link with QMP set_link and restores it: failover, link failure '
          'count, failback; /proc/net/bonding at each step and the bond\'s kernel messages '
          'equal in-tree bonding\'s in the same boot', alone=True)
def bond_miimon(ctx):
    b = ctx.start('bond-miimon', nics=['virtio', 'virtio'], manual=['bonding'],
                  env=intree_env(ctx))
    problems = []
    qmp = None
    marks = {}      # driver -> (frames on link 0 and 1 before the pings, before the cut, after)
    for i, drv in enumerate(drivers(ctx)):
        if not b.vm.wait_for(f'VMTEST: rx {drv}', ctx.total):
            problems.append(f'{drv}: the guest never got ready')
            break
        start = [len(ep.snapshot()) for ep in b.eps]
        for link, ep in enumerate(b.eps):
            for seq in range(5):
                ep.send(echo_request(ep, b.eps[0].guest_mac, 0x4200 + 16 * i + link, seq))
        if not b.vm.wait_for(f'VMTEST: cut {drv}', ctx.total):
            problems.append(f'{drv}: the guest never got to the cut')
            break
        cut = [len(ep.snapshot()) for ep in b.eps]
        qmp = qmp or b.vm.connect_qmp()
        qmp.set_link(b.vm.nic_ids[0], False)
        if not b.vm.wait_for(f'VMTEST: restore {drv}', ctx.total):
            problems.append(f'{drv}: the guest never saw the failover')
            break
        qmp.set_link(b.vm.nic_ids[0], True)
        marks[drv] = (start, cut, [len(ep.snapshot()) for ep in b.eps])
    problems = b.finish() + problems
    for i, (drv, (start, cut, restore)) in enumerate(marks.items()):
        frames = [ep.snapshot() for ep in b.eps]
        replies = Counter((link, ident) for link in (0, 1)
                          for ident in echo_reply_ids(frames[link][start[link]:cut[link]]))
        want = 0x4200 + 16 * i
        if replies != Counter({(0, want): 5}):
            problems.append(f'{drv}: echo replies {dict(replies)}: want the 5 requests sent on the '
                            f'active link answered there (id {want:#x}), none of the backup\'s')
        # After the failover the bond announces itself through the new active slave
        # (NETDEV_NOTIFY_PEERS: a gratuitous ARP from 10.0.0.2 on link 1).
        if not any(is_garp(f, '10.0.0.2') for _, f in frames[1][cut[1]:restore[1]]):
            problems.append(f'{drv}: no gratuitous ARP on the new active slave after the failover')
    return problems + stage_problems(b.text, drivers(ctx))


def echo_request(ep, guest_mac, ident, seq):
    from scapy.layers.inet import ICMP, IP
    from scapy.layers.l2 import Ether
    return bytes(Ether(src=ep.host_mac, dst=guest_mac) / IP(src='10.0.0.1', dst='10.0.0.2') /
                 ICMP(type=8, id=ident, seq=seq) / b'bond-rx')


def echo_reply_ids(frames):
    """The ICMP ids of the echo replies among (time, frame) pairs."""
    out = []
    for _, raw in frames:
        if len(raw) >= 42 and raw[12:14] == b'\x08\x00' and raw[23] == 1:
            ihl = (raw[14] & 0xf) * 4
            icmp = raw[14 + ihl:]
            if len(icmp) >= 8 and icmp[0] == 0:
                out.append(struct.unpack('!H', icmp[4:6])[0])
    return out


def is_garp(raw, ip):
    """An ARP frame whose sender and target addresses are both ip."""
    import socket
    a = socket.inet_aton(ip)
    return len(raw) >= 42 and raw[12:14] == b'\x08\x06' and raw[28:32] == a and raw[38:42] == a


def same_lines_problems(text, tags, drvs=('cxx', 'intree')):
    """Each VMTEST-<tag> <driver> <step> line group of cxx_bonding equals in-tree bonding's
    (drvs without 'intree': only that cxx_bonding's are there)."""
    problems = []
    for tag in tags if 'intree' in drvs else ():
        got = lines(text, tag)
        for step in sorted({s for _, s in got}):
            a, b = got.get(('cxx', step), []), got.get(('intree', step), [])
            if step == 'setup':
                # Which slave the monitor promotes first, and how often it says so, follows
                # the links' carrier timing and RTNL contention (a tick that finds RTNL taken
                # counts its delays down without committing), in both drivers: of bring-up,
                # the enslave messages are compared, as a set; the state reached is compared
                # in full by the dumps that follow.
                a = sorted(x for x in a if 'Enslaving' in x)
                b = sorted(x for x in b if 'Enslaving' in x)
            problems += differ(f'{tag} {step}', a, b)
    for tag in tags:
        if not any(d == 'cxx' for d, _ in lines(text, tag)):
            problems.append(f'no VMTEST-{tag} lines from the guest')
    return problems


@scenario('bond-sysfs', ('stock', 'test'),
          'bonds configured through module parameters (bad values corrected with 6.1\'s '
          'warnings), bonding_masters and <bond>/bonding/ only: every bonding/ and '
          'bonding_slave/ file, the outcome of valid and invalid writes (refused ones change '
          'nothing) and the kernel messages equal in-tree bonding\'s in the same boot')
def bond_sysfs(ctx):
    b = ctx.start('bond-sysfs', nics=['virtio', 'virtio'], manual=['bonding'],
                  env=intree_env(ctx))
    problems = b.finish()
    return problems + same_lines_problems(b.text, ('SYS', 'KMSG'), drivers(ctx))


@scenario('bond-iproute2', ('stock', 'test'),
          'a bond configured with ip only and read back through ip -d: valid and invalid '
          'changes (mode with slaves, an option of another mode, delays, active slave, mtu, '
          'a slave twice, the bond into itself directly and through another bond), each with '
          'ip\'s error text and nothing changed when refused; everything and the kernel '
          'messages equal in-tree bonding\'s in the same boot')
def bond_iproute2(ctx):
    b = ctx.start('bond-iproute2', nics=['virtio', 'virtio'],
                  intree=['8021q', 'sch_multiq', 'cls_u32', 'act_skbedit'], manual=['bonding'],
                  env=intree_env(ctx), tools=['udpclient'],
                  host_tools=['/usr/sbin/ethtool', '/usr/sbin/tc'])
    problems = b.finish()
    return (problems +
            same_lines_problems(b.text, ('IPD', 'IP', 'KMSG', 'FOM', 'FEAT', 'SLOPT'),
                                drivers(ctx)) +
            fom_problems(b.text) + feature_problems(b.text) + stats_problems(b.text, drivers(ctx)) +
            queue_problems([ep.snapshot() for ep in b.eps], drivers(ctx)))


def queue_problems(frames, drvs):
    """tc's queue mapping steered the frames: the 5 datagrams to port 9 (queue 2, the backup
    slave's queue_id) left on link 1, the 5 to port 10 on link 0 (the active slave); source
    port 4900 for cxx_bonding, 4901 for in-tree bonding. frames: [(time, bytes)] per link."""
    problems = []
    for drv, sport in (('cxx', 4900), ('intree', 4901)):
        if drv not in drvs:
            continue
        seen = Counter()
        for link, fs in enumerate(frames):
            for _, raw in fs:
                if len(raw) >= 42 and raw[12:14] == b'\x08\x00' and raw[23] == 17:
                    ihl = (raw[14] & 0xf) * 4
                    sp, dp = struct.unpack('!HH', raw[14 + ihl:18 + ihl])
                    if sp == sport and dp in (9, 10):
                        seen[(dp, link)] += 1
        if seen != Counter({(9, 1): 5, (10, 0): 5}):
            problems.append(f'{drv}: queue_id: datagrams by (port, link) {dict(seen)}: want the '
                            '5 to port 9 on link 1 (queue 2), the 5 to port 10 on link 0')
    return problems


def stats_problems(text, drvs):
    """The bond's tx_packets grew by what its slaves' did (something was sent), and did not
    change when a slave left (in-tree bonding's too: the check is the same for both)."""
    problems = []
    for drv in drvs:
        sent = re.search(rf'^VMTEST-STATS {drv} sent: bond (-?\d+) slaves (-?\d+)\r?$', text, re.M)
        kept = re.search(rf'^VMTEST-STATS {drv} released: bond (-?\d+)\r?$', text, re.M)
        if not sent or not kept:
            problems.append(f'{drv}: stats: no counters reported')
            continue
        bond, slaves = int(sent.group(1)), int(sent.group(2))
        if slaves <= 0 or bond != slaves:
            problems.append(f'{drv}: stats: the bond counted {bond} packets sent, its slaves '
                            f'{slaves} (want the same, more than 0)')
        if int(kept.group(1)) != 0:
            problems.append(f'{drv}: stats: releasing a slave changed the bond\'s tx_packets by '
                            f'{kept.group(1)}')
    return problems


def feature_problems(text):
    """What cxx_bonding's features must show on every kernel, whatever in-tree bonding does:
    tx-nocache-copy (6.1's NETIF_F_ALL_FOR_ALL) on while its only slave has it (turned on
    after enslaving: NETDEV_FEAT_CHANGE), off once a slave without it joins and after the one
    with it leaves; the bond's TSO limits its slaves' (virtio-net: 65536)."""
    got = lines(text, 'FEAT')
    problems = []
    for step, want in (('one', 'off'), ('changed', 'on'), ('two', 'off'), ('released', 'off')):
        state = [x.split()[2] for x in got.get(('cxx', step), [])
                 if x.startswith('bond2 tx-nocache-copy: ')]
        if state != [want]:
            problems.append(f'features, {step}: the bond\'s tx-nocache-copy is not {want} '
                            '(on only while every slave has it)')
    for step, want in (('one', 'tso_max_size 65536 '), ('none', 'tso_max_size 65536 ')):
        tso = [x for x in got.get(('cxx', step), []) if 'gso_max_size' in x]
        if not tso or want not in tso[0]:
            problems.append(f'features, {step}: ip -d shows {tso[:1]}, want {want.strip()}')
    return problems


# What 6.1's bond_do_fail_over_mac and enslave/release make of the addresses (P0, P1: the
# slaves' own; OTHER: the bond's random one once it has no slave), step by step: bond, e0, e1.
FOM_ADDRS = {
    'active': {'enslaved': 'P0 P0 P1', 'active-e1': 'P1 P0 P1', 'active-e0': 'P0 P0 P1',
               'set-address': 'P0 P0 P1', 'released-e0': 'P1 P0 P1',
               'released-e1': 'OTHER P0 P1'},
    # follow: the new active slave takes the bond's address, the old one the new one's; when
    # the active slave is released, the next one takes the bond's address and the released
    # one gets its own back: both carry P0 until the last is released.
    'follow': {'enslaved': 'P0 P0 P1', 'active-e1': 'P0 P1 P0', 'active-e0': 'P0 P0 P1',
               'set-address': 'P0 P0 P1', 'released-e0': 'P0 P0 P0',
               'released-e1': 'OTHER P0 P1'},
}


def fom_problems(text):
    """cxx_bonding's addresses at each fail_over_mac step are 6.1's (on every kernel)."""
    got = lines(text, 'FOM')
    problems = []
    for fom, steps in FOM_ADDRS.items():
        for step, want in steps.items():
            seen = dict(x.split() for x in got.get(('cxx', f'{fom}-{step}'), []))
            names = sorted(seen, key=lambda n: (n != 'bond2', n))
            have = ' '.join(seen[n] for n in names)
            if have != want:
                problems.append(f'fail_over_mac {fom}, {step}: bond, slaves carry {have!r}, '
                                f'want {want!r}')
    return problems


@scenario('bond-unload', ('stock', 'test'),
          'rmmod with two bonds up, slaves enslaved (MTU changed), a VLAN on a bond and '
          'traffic going out, twice: every bond deleted, bonding_masters and /proc/net/bonding '
          'gone, each slave given back as it was (ip -d: address, MTU, flags) and working; the '
          'same as in-tree bonding in the same boot; clean console')
def bond_unload(ctx):
    b = ctx.start('bond-unload', nics=['virtio', 'virtio'], intree=['8021q'], manual=['bonding'],
                  tools=['udpclient'], env=intree_env(ctx))
    problems = b.finish()
    got = lines(b.text, 'UNLOAD')
    for drv in drivers(ctx):
        before, after = got.get((drv, 'before'), []), got.get((drv, 'after'), [])
        if not before:
            problems.append(f'{drv}: no state reported')
        elif before != after:
            first = next((x, y) for x, y in zip(before + [''] * len(after),
                                                 after + [''] * len(before)) if x != y)
            problems.append(f'{drv}: the slaves were not given back as they were: {first}')
    return problems + same_lines_problems(b.text, ('UNLOAD',), drivers(ctx))


# --- bond-events -----------------------------------------------------------------------------

EVENT_STEPS = ('create', 'enslave', 'up', 'failover', 'back', 'release-active', 'release-last',
               'delete')


@scenario('bond-events', ('stock', 'test'),
          'the netdev events of a bond\'s life (create, enslave two, up, the active slave down '
          'and up, release the active one, then the last, delete), with IFF_MASTER, IFF_SLAVE '
          'and IFF_BONDING at each: cxx_bonding\'s equal in-tree bonding\'s in the same boot')
def bond_events(ctx):
    fixtures = ctx.fixture_modules()
    if 'vmtest_netdev_events' not in fixtures:
        return ['fixture vmtest_netdev_events was not built']
    project = dict(ctx.project_modules(), vmtest_netdev_events=fixtures['vmtest_netdev_events'])
    b = ctx.boot('bond-events', nics=['virtio', 'virtio'], manual=['bonding'], project=project,
                 env=intree_env(ctx))
    problems = list(b.problems)
    got = lines(b.text, 'EV')
    drvs = drivers(ctx)
    if 'intree' in drvs:
        for step in EVENT_STEPS:    # a step may have none (create, up, delete)
            problems += differ(step, got.get(('cxx', step), []), got.get(('intree', step), []))
    # What the comparison stands on (the debug kernel, cxx_bonding alone: what it must send):
    # the events other code relies on, each seen.
    ref = drvs[-1]
    seen = ' '.join(l for (drv, _), ls in got.items() if drv == ref for l in ls)
    for ev in ('JOIN', 'RELEASE', 'CHANGELOWERSTATE', 'BONDING_FAILOVER', 'NOTIFY_PEERS',
               'master=1 slave=0 bonding=1', 'master=0 slave=1 bonding=1'):
        if ev not in seen:
            problems.append(f'{ref}: no {ev} logged')
    return problems
