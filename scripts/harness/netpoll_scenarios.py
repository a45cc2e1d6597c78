# SPDX-License-Identifier: GPL-2.0
"""Scenarios of the netpoll core (cxx_netpoll + the cxx_npclient test client)."""
import re

from .peer import udp_datagrams, udp_payloads
from .scenarios import scenario

COMMON = r'''
npc=/sys/kernel/debug/cxx_npclient
np_send() { echo "$1 $2" > $npc/send || vm_fail "send $1 $2"; }
queued() { grep -q '^queued [1-9]' /sys/kernel/debug/cxx_netpoll/* 2>/dev/null; }
# Empty twice, a second apart: the work item may hold a dequeued skb for a moment.
drained() { ! queued && sleep 1 && ! queued; }
# Counters once every deferred datagram has gone out (or been dropped).
np_stats() {
	vm_wait 60 drained || vm_fail "deferred queues did not drain"
	sed 's/^/VMTEST-STATS /' $npc/stats
}
has_carrier() { [ "$(cat /sys/class/net/$1/carrier 2>/dev/null)" = 1 ]; }
# The usual setup: NIC 0 as 10.0.0.2, the core, and a client with one target (the host on
# NIC 0, port 6666); extra arguments go to the client (e.g. kernel_netpoll=1).
one_nic_client() {
	nic_up 0 10.0.0.2
	e0=$(vm_nic 0)
	vm_insmod cxx_netpoll &&
		vm_insmod cxx_npclient "$@" targets="6665@10.0.0.2/$e0,6666@10.0.0.1/$HOST_MAC0"
}
nic_up() { # nic_up <index> <ipv4> <ipv6>: address, up, and carrier (e1000 takes a while)
	n=$(vm_nic "$1")
	ip addr add "$2/24" dev "$n"
	[ -n "$3" ] && ip -6 addr add "$3/64" dev "$n" nodad
	ip link set "$n" up
	vm_wait 150 has_carrier "$n" || vm_fail "no carrier on $n"
}
'''


def reports(text):
    """The guest's VMTEST-STATS lines, in order: dicts with target, dev and the counters."""
    out = []
    for m in re.finditer(r'VMTEST-STATS target (\d+) dev (\S+) (.*)', text):
        vals = m.group(3).split()
        r = {k: int(v) for k, v in zip(vals[::2], vals[1::2])}
        r.update(target=int(m.group(1)), dev=m.group(2))
        out.append(r)
    return out


def stats(text):
    """{target: counters} (the last report of each target wins)."""
    return {r['target']: r for r in reports(text)}


def stats_by_dev(text):
    """{device name: counters} (the last report of each device wins)."""
    return {r['dev']: r for r in reports(text)}


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
    drops = {k: v for k, v in s.items() if k not in ('sent', 'deferred', 'target', 'dev') and v}
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

TX_SCRIPT = COMMON + r'''
scenario() {
	nic_up 0 10.0.0.2 fd00::2
	nic_up 1 10.0.1.2 fd01::2
	e0=$(vm_nic 0) e1=$(vm_nic 1)
	vm_insmod cxx_netpoll || return
	# a VLAN on the virtio NIC: the frames must carry the tag
	ip link add link "$e0" name vlan100 type vlan id 100 || vm_fail "vlan100"
	ip addr add 10.0.100.2/24 dev vlan100
	ip link set vlan100 up
	vm_insmod cxx_npclient targets="6665@10.0.0.2/$e0,6666@10.0.0.1/$HOST_MAC0;6665@fd00::2/$e0,6667@fd00::1/$HOST_MAC0;6665@10.0.1.2/$e1,6666@10.0.1.1/$HOST_MAC1;6665@fd01::2/$e1,6667@fd01::1/$HOST_MAC1;6665@10.0.100.2/vlan100,6668@10.0.100.1/$HOST_MAC0" || return
	# From hard IRQ the VLAN target's datagrams are deferred by the core: its lower device
	# is reached through the kernel's own netpoll, which would poll virtio-net from there
	# (an in-tree lockdep report).
	for mode in process irqsoff hardirq; do
		np_send "$N" $mode
	done
	np_stats
	grep . /sys/kernel/debug/cxx_netpoll/*
	vm_rmmod cxx_npclient
	vm_rmmod cxx_netpoll
}
'''

MODES = ('process', 'irqsoff', 'hardirq')


@scenario('netpoll-tx', ('stock', 'test'),
          'send_udp over virtio-net and e1000, IPv4 and IPv6, process/IRQs-off/hard-IRQ: all '
          'arrive with valid checksums, counters agree', tier='quick')
def netpoll_tx(ctx):
    n = 200 if ctx.kernel.name == 'stock' else 60
    b = ctx.boot(TX_SCRIPT, nics=['virtio', 'e1000'], intree=['8021q'], env={'N': n})
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

BUSY_SCRIPT = COMMON + r'''
scenario() {
	one_nic_client || return
	np_send "$N" busy:500
	sed 's/^/VMTEST-BUSY /' $npc/stats	# at once: what the busy batch did
	np_send "$N" irqsoff
	np_stats
	vm_rmmod cxx_npclient
	vm_rmmod cxx_netpoll
}
'''


@scenario('netpoll-busy', ('stock', 'test'),
          'a device kept busy (tx locks held on another CPU): datagrams deferred, then all '
          'delivered in order, counters agree')
def netpoll_busy(ctx):
    n = 200
    b = ctx.boot(BUSY_SCRIPT, nics=['virtio'], env={'N': n})
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
    m = re.search(r'VMTEST-BUSY target 0 dev \S+ sent (\d+) deferred (\d+)', b.text)
    if not m or int(m.group(2)) != n:
        problems.append(f'busy batch: {m and m.group(2)} of {n} datagrams deferred while '
                        'the tx locks were held')
    return problems + counter_problems('busy', s, 2 * n, len(got))


# --- netpoll-interop -------------------------------------------------------------------------

INTEROP_SCRIPT = COMMON + r'''
markers() { # markers <tag> <count>
	i=0
	while [ $i -lt "$2" ]; do echo "interop-$1-$i" > /dev/kmsg; i=$((i + 1)); done
}
client() {
	vm_insmod cxx_npclient targets="6670@10.0.0.2/$e0,6671@10.0.0.1/$HOST_MAC0"
}
writing() { [ -s /tmp/written ]; }

scenario() {
	nic_up 0 10.0.0.2
	e0=$(vm_nic 0)
	insmod /lib/intree/netconsole.ko netconsole="6665@10.0.0.2/$e0,6666@10.0.0.1/$HOST_MAC0" ||
		{ vm_fail "netconsole"; return; }
	# order 1: in-tree first, cxx second; the cxx side unloads while netconsole sends
	vm_insmod cxx_netpoll && client || return
	markers a 20
	np_send "$N" irqsoff
	# a writer keeps netconsole busy from before the unload until after it
	(
		i=0
		while [ ! -e /tmp/stop ]; do
			echo "interop-b-$i" > /dev/kmsg
			i=$((i + 1))
			echo $i > /tmp/written
		done
	) &
	vm_wait 10 writing || vm_fail "the writer did not start"
	before=$(cat /tmp/written)
	vm_rmmod cxx_npclient
	vm_rmmod cxx_netpoll
	after=$(cat /tmp/written)
	touch /tmp/stop
	wait
	echo "VMTEST-WRITER $before $after $(cat /tmp/written)"
	markers c 20
	# order 2: cxx loaded again beside it, then in-tree netconsole unloads first
	vm_insmod cxx_netpoll && client || return
	markers d 20
	vm_rmmod netconsole
	np_send "$N" process
	sleep 1
	vm_rmmod cxx_npclient
	vm_rmmod cxx_netpoll
}
'''


@scenario('netpoll-interop', ('stock', 'test'),
          'in-tree netconsole and a cxx_netpoll user on one NIC: both deliver; unload in both '
          'orders')
def netpoll_interop(ctx):
    n = 100
    b = ctx.boot(INTEROP_SCRIPT, nics=['virtio'], manual=['netconsole'], env={'N': n})
    problems = list(b.problems)
    data = b''.join(p for _, _, p in udp_payloads(b.eps[0], 6666)).decode(errors='replace')
    lines = [l.split('] ', 1)[-1] for l in data.split('\n')]
    w = re.search(r'VMTEST-WRITER (\d+) (\d+) (\d+)', b.text)
    if not w or int(w.group(2)) <= int(w.group(1)):
        problems.append(f'the writer did not write while cxx_netpoll unloaded: '
                        f'{w and w.groups()}')
    for tag, count in (('a', 20), ('b', int(w.group(3)) if w else 0), ('c', 20), ('d', 20)):
        got = [int(l.rsplit('-', 1)[1]) for l in lines if l.startswith(f'interop-{tag}-')]
        if got != list(range(count)):
            problems.append(f'netconsole markers {tag}: {len(got)} of {count} arrived'
                            + ('' if len(got) != count else ', out of order or repeated'))
    got = client_datagrams(b.eps[0], 6671)
    problems += check_stream(got, 0, ('irqsoff', 'process'), n, 'cxx client')
    return problems


# --- netpoll-unload --------------------------------------------------------------------------

UNLOAD_SCRIPT = COMMON + r'''
scenario() {
	one_nic_client || return
	rmmod cxx_netpoll 2>/dev/null && vm_fail "cxx_netpoll unloaded while a user holds it"
	vm_rmmod cxx_npclient

	# a device that goes away: the core lets go of it and counts what follows
	ip link add d0 type dummy && ip addr add 10.0.5.2/24 dev d0 && ip link set d0 up
	vm_insmod cxx_npclient targets="6665@10.0.5.2/d0,6666@10.0.5.1/" || return
	np_send 10 irqsoff
	ip link del d0 || vm_fail "ip link del d0"
	np_send 7 irqsoff
	np_stats
	vm_rmmod cxx_npclient

	# a device that is down is brought up; the local address is taken from it
	ip link add d2 type dummy && ip addr add 10.0.7.2/24 dev d2
	vm_insmod cxx_npclient targets="@/d2,@10.0.7.1/" || return
	ip link show d2 | grep -q "[<,]UP[,>]" || vm_fail "d2 was not brought up"
	dmesg | grep -q "device d2 not up yet, forcing it" || vm_fail "no 'forcing it' message"
	dmesg | grep -q "local IP 10.0.7.2" || vm_fail "local address not taken from d2"
	np_send 5 irqsoff
	np_stats
	vm_rmmod cxx_npclient

	# refused: a bridge port (has a master), no such device, bad options
	ip link add br0 type bridge && ip link add d1 type dummy && ip link set d1 master br0
	for t in "@/d1,@10.0.6.1/" "@/nosuch,@10.0.6.1/" "garbage" "6665@10.0.0.2/$e0,6666@fd00::1/" \
		 "70000@/$e0,@10.0.0.1/" "@/$e0,@10.0.0.1/zz:zz"; do
		insmod /lib/cxx/cxx_npclient.ko targets="$t" 2>/dev/null &&
			{ vm_fail "target '$t' was accepted"; rmmod cxx_npclient; }
	done
	vm_rmmod cxx_netpoll
	lsmod | grep -q cxx_ && vm_fail "modules left: $(lsmod | grep cxx_)"
	dmesg | grep -q "d1 is a slave device" || vm_fail "no 'is a slave device' error"
	dmesg | grep -q "nosuch doesn't exist" || vm_fail "no 'doesn't exist' error"
	dmesg | grep -q "couldn't parse config at" || vm_fail "no parse error"
}
'''


@scenario('netpoll-unload', ('stock', 'test'),
          'the core cannot unload while used; a device that goes away is let go; bad setups '
          'are refused with clear errors; clean after')
def netpoll_unload(ctx):
    b = ctx.boot(UNLOAD_SCRIPT, nics=['virtio'], intree=['dummy', 'bridge'])
    problems = list(b.problems)
    by_dev = stats_by_dev(b.text)
    s = by_dev.get('d0')
    if not s:
        problems.append('no counters reported for d0')
    elif s['sent'] != 10 or s['not_attached'] != 7:
        problems.append(f'after unregister: sent {s["sent"]} (want 10), not_attached '
                        f'{s["not_attached"]} (want 7)')
    s = by_dev.get('d2')
    if not s or s['sent'] != 5:
        problems.append(f'device brought up by setup: counters {s}')
    return problems


# --- intree-known-splats ---------------------------------------------------------------------

KNOWN_SCRIPT = COMMON + r'''
scenario() {
	one_nic_client kernel_netpoll=1 || return
	# e1000's interrupt and the sender on CPU 0: with IRQs off there, nothing cleans the tx
	# ring, it fills, and the kernel's netpoll polls the driver with budget 0.
	irq=$(sed -n 's/^ *\([0-9]*\):.*eth0.*/\1/p' /proc/interrupts | head -n 1)
	[ -n "$irq" ] && echo 0 > /proc/irq/$irq/smp_affinity_list || vm_fail "e1000 IRQ affinity"
	np_send "$N" process
	taskset 1 sh -c "echo '$N irqsoff' > $npc/send" || vm_fail "send irqsoff on CPU 0"
	taskset 1 sh -c "echo '$N irqsoff' > $npc/send" || vm_fail "send irqsoff on CPU 0"
	vm_rmmod cxx_npclient
	vm_rmmod cxx_netpoll
}
'''


@scenario('intree-known-splats', ('test',),
          'each known in-tree splat the harness tolerates is reproduced with the kernel\'s '
          'own netpoll (so a fixed kernel shows up here)')
def intree_known_splats(ctx):
    from . import console
    # The kernel's netpoll polls e1000 (budget 0) only when its tx ring is full: 300
    # datagrams with IRQs off on the CPU that takes e1000's interrupt fill its 256
    # descriptors.
    b = ctx.boot(KNOWN_SCRIPT, nics=['e1000'], env={'N': 300})
    problems = [p for p in b.problems]
    seen = console.known(b.text)
    for k in console.KNOWN_INTREE:
        if k['id'] not in seen:
            problems.append(f'{k["id"]} no longer reproduces with the kernel\'s netpoll: '
                            'drop it from console.KNOWN_INTREE')
    return problems
