# SPDX-License-Identifier: GPL-2.0
"""Scenarios of cxx_netconsole: delivery over virtio-net and e1000, the extended format with
ncfrag reassembly, configfs, sysrq dumps (trigger and keyboard, hard IRQ), netdev events, and
side by side with in-tree netconsole."""
import os
import re
from collections import Counter

from .netpoll_scenarios import COMMON
from .peer import udp_datagrams, udp_payloads
from .scenarios import scenario

NC_COMMON = COMMON + r'''
CFS=/sys/kernel/config/cxx_netconsole
NCDBG=/sys/kernel/debug/cxx_netconsole
nc_load() { # nc_load [netconsole=...]: the core and cxx_netconsole
	vm_insmod cxx_netpoll $NP_ARGS && vm_insmod cxx_netconsole "$@"
}
markers() { # markers <tag> <count>: "<5>nc-<tag>-<i>" lines into printk
	i=0
	while [ $i -lt "$2" ]; do echo "<5>nc-$1-$i" > /dev/kmsg; i=$((i + 1)); done
}
# Counters once every deferred datagram has gone out (or been dropped).
nc_stats() {
	vm_wait 60 drained || vm_fail "deferred queues did not drain"
	sed 's/^/VMTEST-NCSTATS /' $NCDBG/stats
}
'''

TS = re.compile(r'^\[\s*\d+\.\d+\]\s?')
EXT = re.compile(rb'^(\d+),(\d+),(\d+),([^;,]*)((?:,[^;]*)?);(.*)$', re.S)
FRAG = re.compile(rb',ncfrag=(\d+)/(\d+)$')


def nc_stats(text):
    """{target name: counters} from the guest's VMTEST-NCSTATS lines (the last one wins)."""
    out = {}
    for m in re.finditer(r'VMTEST-NCSTATS target (\S+) (.*)', text):
        vals = m.group(2).split()
        out[m.group(1)] = {k: (v if k == 'dev' else int(v)) for k, v in zip(vals[::2], vals[1::2])}
    return out


def stats_problems(label, s, want_extra=()):
    """Nothing dropped, every fragment sent by the core."""
    if not s:
        return [f'{label}: no counters reported']
    problems = []
    drops = {k: v for k, v in s.items() if 'drop' in k and v}
    if drops:
        problems.append(f'{label}: drops counted: {drops}')
    if s['np_sent'] != s['fragments']:
        problems.append(f'{label}: {s["fragments"]} fragments but the core sent {s["np_sent"]}')
    if s['messages'] == 0:
        problems.append(f'{label}: no message counted')
    return problems


def plain_lines(ep, port):
    """Text lines of a plain netconsole stream, timestamp prefix removed."""
    data = b''.join(p for _, _, p in udp_payloads(ep, port)).decode(errors='replace')
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

NIC_SCRIPT = NC_COMMON + r'''
scenario() {
	nic_up 0 10.0.0.2
	nic_up 1 10.0.1.2
	e0=$(vm_nic 0) e1=$(vm_nic 1)
	nc_load netconsole="6665@10.0.0.2/$e0,6666@10.0.0.1/$HOST_MAC0;6665@10.0.1.2/$e1,6666@10.0.1.1/$HOST_MAC1" || return
	markers nic "$N"
	nc_stats
	vm_rmmod cxx_netconsole
	vm_rmmod cxx_netpoll
}
'''


@scenario('netconsole-nic', ('stock', 'test'),
          'netconsole= with two targets (virtio-net, e1000): the boot log is replayed, /dev/kmsg '
          'markers arrive once and in order on both, counters agree, nothing dropped',
          tier='quick')
def netconsole_nic(ctx):
    n = 300 if ctx.kernel.name == 'stock' else 100
    b = ctx.boot(NIC_SCRIPT, nics=['virtio', 'e1000'], intree=['configfs'], env={'N': n})
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
        if s and dgrams != s['fragments']:
            problems.append(f'{label}: counters say {s["fragments"]} sent, host got {dgrams}')
    return problems


# --- netconsole-ext --------------------------------------------------------------------------

EXT_SCRIPT = NC_COMMON + r'''
scenario() {
	nic_up 0 10.0.0.2
	e0=$(vm_nic 0)
	# an extended target and a plain one, to two ports
	nc_load netconsole="+6665@10.0.0.2/$e0,6666@10.0.0.1/$HOST_MAC0;6668@10.0.0.2/$e0,6667@10.0.0.1/$HOST_MAC0" || return
	markers ext "$N"
	# a real printk record longer than 1000 bytes once escaped: 900 backslashes -> \x5c each
	printf '<6>nc-long-%s\n' "$(head -c 900 /dev/zero | tr '\0' '\\')" > /dev/kmsg
	# a 5 KiB record through the extended write path (printk caps text at 992 bytes), one write
	{ printf '6,999999,1,-;'; head -c 5120 /dev/zero | tr '\0' 'z'; echo; } > /tmp/rec
	dd if=/tmp/rec of=$NCDBG/write_ext bs=8192 count=1 2>/dev/null || vm_fail "write_ext"
	nc_stats
	vm_rmmod cxx_netconsole
	vm_rmmod cxx_netpoll
}
'''


@scenario('netconsole-ext', ('stock', 'test'),
          'extended format: level, seq and timestamp of every line parse; a 3.6 KiB printk record '
          'and a 5 KiB record are reassembled from their ncfrag fragments')
def netconsole_ext(ctx):
    n = 100
    b = ctx.boot(EXT_SCRIPT, nics=['virtio'], intree=['configfs'], env={'N': n})
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

CONFIGFS_SCRIPT = NC_COMMON + r'''
put() { echo "$3" > "$CFS/$1/$2"; }
get() { cat "$CFS/$1/$2"; }
refused() { # refused <target> <attr> <value>: the write must fail
	if put "$1" "$2" "$3" 2>/dev/null; then
		vm_fail "$1/$2 accepted '$3'"
	else
		vm_log "$1/$2 refused '$3'"
	fi
}
expect() { # expect <target> <attr> <value>
	[ "$(get "$1" "$2")" = "$3" ] || vm_fail "$1/$2 is '$(get "$1" "$2")', want '$3'"
}

scenario() {
	nic_up 0 10.0.0.2
	e0=$(vm_nic 0)
	nc_load || return
	mkdir $CFS/t1 || { vm_fail "mkdir t1"; return; }
	# 6.1's defaults
	expect t1 enabled 0; expect t1 extended 0; expect t1 dev_name eth0
	expect t1 local_port 6665; expect t1 remote_port 6666
	expect t1 local_ip 0.0.0.0; expect t1 remote_ip 0.0.0.0
	expect t1 remote_mac ff:ff:ff:ff:ff:ff; expect t1 local_mac ff:ff:ff:ff:ff:ff
	# invalid values
	refused t1 enabled 2; refused t1 enabled x; refused t1 extended 5
	refused t1 local_port 70000; refused t1 remote_port -1; refused t1 remote_port abc
	refused t1 remote_ip 10.0.0.300; refused t1 remote_ip garbage; refused t1 local_ip 1.2.3
	refused t1 remote_ip fd00::zz; refused t1 remote_mac zz:zz:zz:zz:zz:zz
	refused t1 remote_mac 52:54:00; refused t1 dev_name averyveryverylongname
	refused t1 local_mac 52:54:00:00:00:01
	# a device that does not exist: enable fails, the target stays disabled
	put t1 dev_name nosuchdev
	refused t1 enabled 1
	expect t1 enabled 0
	# configure and enable
	put t1 dev_name "$e0"; put t1 local_ip 10.0.0.2; put t1 remote_ip 10.0.0.1
	put t1 remote_mac "$HOST_MAC0"; put t1 remote_port 6670
	put t1 enabled 1 || vm_fail "enable t1"
	expect t1 enabled 1
	expect t1 local_mac "$(cat /sys/class/net/$e0/address)"
	markers cfa 20
	# changes only while disabled
	refused t1 remote_port 6671; refused t1 dev_name lo; refused t1 extended 1
	refused t1 remote_ip 10.0.0.9; refused t1 remote_mac 52:54:00:00:00:09
	refused t1 enabled 1
	expect t1 remote_port 6670
	# disable, change port and format, enable again
	put t1 enabled 0 || vm_fail "disable t1"
	markers gone 5
	put t1 remote_port 6671; put t1 extended 1
	put t1 enabled 1 || vm_fail "re-enable t1"
	# a second target, IPv6, plain, beside it
	mkdir $CFS/t2
	ip -6 addr add fd00::2/64 dev "$e0" nodad
	put t2 dev_name "$e0"; put t2 local_ip fd00::2; put t2 remote_ip fd00::1
	refused t2 remote_ip 10.0.0.1
	put t2 remote_mac "$HOST_MAC0"; put t2 remote_port 6672
	put t2 enabled 1 || vm_fail "enable t2"
	markers cfb 20
	nc_stats
	sed 's/^/VMTEST-CFSSTATS /' $CFS/t1/stats
	put t1 enabled 0; put t2 enabled 0
	markers gone2 5
	rmdir $CFS/t1 $CFS/t2 || vm_fail "rmdir"
	# an enabled target removed as is
	mkdir $CFS/t3
	put t3 dev_name "$e0"; put t3 remote_ip 10.0.0.1; put t3 remote_port 6673
	put t3 enabled 1 || vm_fail "enable t3"
	markers t3on 5
	rmmod cxx_netconsole 2>/dev/null && vm_fail "unloaded with a configfs target"
	rmdir $CFS/t3 || vm_fail "rmdir t3"
	markers gone3 5
	# targets come, go, and are switched while printk floods them (two writers)
	flood() { i=0; while [ ! -e /tmp/stop ]; do echo "<5>nc-flood-$1-$i" > /dev/kmsg; i=$((i + 1)); done; }
	flood a & fa=$!
	flood b & fb=$!
	for r in 1 2 3 4 5; do
		mkdir $CFS/s$r
		put s$r dev_name "$e0"; put s$r remote_ip 10.0.0.1; put s$r remote_port 6674
		[ $((r % 2)) = 0 ] && put s$r extended 1
		put s$r enabled 1 || vm_fail "enable s$r"
		[ $r -gt 1 ] && { put s$((r - 1)) enabled 0; rmdir $CFS/s$((r - 1)) || vm_fail "rmdir s$((r - 1))"; }
	done
	rmdir $CFS/s5 || vm_fail "rmdir s5 (enabled)"
	echo "<5>nc-s5-removed" > /dev/kmsg	# nothing printed after this may arrive
	sleep 1
	touch /tmp/stop
	wait $fa $fb
	left=$(ls /sys/kernel/debug/cxx_netpoll)
	[ -z "$left" ] || vm_fail "netpolls left after every target was removed: $left"
	vm_rmmod cxx_netconsole
	vm_rmmod cxx_netpoll
}
'''


@scenario('netconsole-configfs', ('stock', 'test'),
          'configfs targets: defaults, create, enable, change only while disabled, invalid '
          'values refused, IPv6, remove (also while enabled)')
def netconsole_configfs(ctx):
    b = ctx.boot(CONFIGFS_SCRIPT, nics=['virtio'], intree=['configfs'])
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


def serial_lines(text):
    """Kernel lines of the serial console (the ones with a printk timestamp; the guest's own
    output has none), timestamp prefixes removed."""
    return [TS.sub('', l) for l in text.replace('\r', '').split('\n') if TS.match(l)]


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


SYSRQ_SCRIPT = NC_COMMON + r'''
scenario() {
	nic_up 0 10.0.0.2
	e0=$(vm_nic 0)
	nc_load netconsole="6665@10.0.0.2/$e0,6666@10.0.0.1/$HOST_MAC0" || return
	echo 1 > /proc/sys/kernel/sysrq
	echo "<5>nc-sysrq-begin" > /dev/kmsg
	echo t > /proc/sysrq-trigger
	echo m > /proc/sysrq-trigger
	echo "<5>nc-sysrq-end" > /dev/kmsg
	nc_stats
	grep . /sys/kernel/debug/cxx_netpoll/*
	vm_rmmod cxx_netconsole
	vm_rmmod cxx_netpoll
}
'''


@scenario('netconsole-sysrq-trigger', ('stock', 'test'),
          'echo t and m > /proc/sysrq-trigger: every dump line the serial console printed reached '
          'the host; nothing dropped')
def netconsole_sysrq_trigger(ctx):
    b = ctx.boot(SYSRQ_SCRIPT, nics=['virtio'], intree=['configfs'])
    b.ctx = ctx
    problems = list(b.problems)
    problems += dump_problems(b, 'nc-sysrq-begin', 'nc-sysrq-end',
                              ('sysrq: Show State', 'sysrq: Show Memory'))
    problems += stats_problems('sysrq', nc_stats(b.text).get('param0'))
    return problems


KEYBOARD_SCRIPT = NC_COMMON + r'''
seen() { dmesg | grep -q "$1"; }
scenario() {
	nic_up 0 10.0.0.2
	e0=$(vm_nic 0)
	nc_load netconsole="6665@10.0.0.2/$e0,6666@10.0.0.1/$HOST_MAC0" || return
	echo 1 > /proc/sys/kernel/sysrq
	echo "<5>nc-kbd-begin" > /dev/kmsg
	vm_log "ready-for-t"
	vm_wait 120 seen "sysrq: Show State" || vm_fail "QMP send-key t: no dump"
	sleep 3
	vm_log "ready-for-m"
	vm_wait 120 seen "sysrq: Show Memory" || vm_fail "QMP send-key m: no dump"
	sleep 3
	echo "<5>nc-kbd-end" > /dev/kmsg
	nc_stats
	grep . /sys/kernel/debug/cxx_netpoll/*
	vm_rmmod cxx_netconsole
	vm_rmmod cxx_netpoll
}
'''


@scenario('netconsole-sysrq-keyboard', ('stock', 'test'),
          'QMP send-key alt+sysrq+t and alt+sysrq+m (hard IRQ): every dump line the serial '
          'console printed reached the host; nothing dropped')
def netconsole_sysrq_keyboard(ctx):
    b = ctx.start(KEYBOARD_SCRIPT, nics=['virtio'], intree=['configfs'])
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


# --- netconsole-events -----------------------------------------------------------------------

EVENTS_SCRIPT = NC_COMMON + r'''
put() { echo "$3" > "$CFS/$1/$2"; }
expect() {
	[ "$(cat "$CFS/$1/$2")" = "$3" ] || vm_fail "$1/$2 is '$(cat "$CFS/$1/$2")', want '$3'"
}
logged() { dmesg | grep -q "$1"; }
vlan_up() { # vlan_up <name>
	ip link add link "$e0" name "$1" type vlan id 100 || vm_fail "vlan $1"
	ip addr add 10.0.100.2/24 dev "$1"
	ip link set "$1" up
}

scenario() {
	nic_up 0 10.0.0.2
	e0=$(vm_nic 0)
	nc_load || return
	vlan_up vlan100
	mkdir $CFS/v
	put v dev_name vlan100; put v local_ip 10.0.100.2; put v remote_ip 10.0.100.1
	put v remote_mac "$HOST_MAC0"; put v remote_port 6680
	put v enabled 1 || vm_fail "enable v"
	markers ev1 10
	# rename (a VLAN must be down for it): the target follows the device; down is ignored
	ip link set vlan100 down
	expect v enabled 1
	markers evdown 3
	ip link set vlan100 name vlanx || vm_fail "rename"
	ip link set vlanx up
	expect v dev_name vlanx
	expect v enabled 1
	markers ev2 10
	# unregister: the target stops, can be enabled again once the device is back
	ip link del vlanx
	vm_wait 10 logged "network logging stopped on interface vlanx as it unregistered" ||
		vm_fail "no unregister message"
	expect v enabled 0
	markers evgone 3
	vlan_up vlanx
	put v enabled 1 || vm_fail "re-enable v"
	markers ev3 10
	# joining a bond: a target on a dummy device stops when it is enslaved;
	# a target on the bond stops when its last slave is released
	ip link add dm0 type dummy && ip link set dm0 up || vm_fail "dm0"
	mkdir $CFS/d
	put d dev_name dm0; put d local_ip 10.0.7.2; put d remote_ip 10.0.7.1
	put d enabled 1 || vm_fail "enable d"
	markers evd 3
	insmod /lib/intree/bonding.ko max_bonds=0 || vm_fail "bonding"
	ip link add bond0 type bond mode active-backup || vm_fail "bond0"
	ip link set dm0 down
	ip link set dm0 master bond0 || vm_fail "enslave dm0"
	vm_wait 10 logged "network logging stopped on interface dm0 as it is joining a master device" ||
		vm_fail "no join message"
	expect d enabled 0
	ip link set bond0 up
	ip addr add 10.0.8.2/24 dev bond0
	mkdir $CFS/b
	put b dev_name bond0; put b remote_ip 10.0.8.1
	put b enabled 1 || vm_fail "enable b"
	markers evb 3
	ip link set dm0 nomaster || vm_fail "release dm0"
	vm_wait 10 logged "network logging stopped on interface bond0 as it released slaves" ||
		vm_fail "no release message"
	expect b enabled 0
	nc_stats
	rmdir $CFS/v $CFS/d $CFS/b || vm_fail "rmdir"
	ip link del bond0
	# a reference the stopped targets kept would hang this
	ip link del dm0 || vm_fail "deleting dm0"
	rmmod bonding
	vm_rmmod cxx_netconsole
	vm_rmmod cxx_netpoll
}
'''


@scenario('netconsole-events', ('stock', 'test'),
          'netdev events on a VLAN target: rename followed, down ignored, unregister stops it, '
          're-enabled after re-register; joining a bond and releasing the last slave stop targets')
def netconsole_events(ctx):
    b = ctx.boot(EVENTS_SCRIPT, nics=['virtio'], intree=['configfs', '8021q', 'dummy'],
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

VS_SCRIPT = NC_COMMON + r'''
scenario() {
	nic_up 0 10.0.0.2
	e0=$(vm_nic 0)
	insmod /lib/intree/netconsole.ko netconsole="6665@10.0.0.2/$e0,6666@10.0.0.1/$HOST_MAC0" ||
		{ vm_fail "netconsole"; return; }
	nc_load netconsole="6668@10.0.0.2/$e0,6667@10.0.0.1/$HOST_MAC0" || return
	markers vs "$N"
	echo 1 > /proc/sys/kernel/sysrq
	echo m > /proc/sysrq-trigger
	echo "<5>nc-vs-end" > /dev/kmsg
	nc_stats
	vm_rmmod netconsole
	vm_rmmod cxx_netconsole
	vm_rmmod cxx_netpoll
}
'''


@scenario('netconsole-vs-intree', ('stock', 'test'),
          'in-tree netconsole and cxx_netconsole on one NIC, two ports: the host receives the '
          'same lines from both (boot log replay, markers, a sysrq dump)')
def netconsole_vs_intree(ctx):
    n = 200 if ctx.kernel.name == 'stock' else 60
    b = ctx.boot(VS_SCRIPT, nics=['virtio'], intree=['configfs'], manual=['netconsole'],
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
    problems += sequence_problems(intree, ours, 'cxx against in-tree')
    ctx.notes.append(f'{len(ours)} lines from each, compared in order')
    problems += stats_problems('cxx', nc_stats(b.text).get('param0'))
    return problems


# --- netconsole-oops --------------------------------------------------------------------------

OOPS_SCRIPT = NC_COMMON + r'''
scenario() {
	nic_up 0 10.0.0.2
	e0=$(vm_nic 0)
	nc_load oops_only=1 netconsole="6665@10.0.0.2/$e0,6666@10.0.0.1/$HOST_MAC0" || return
	markers quiet 5		# oops_only: these must stay home
	sleep 1
	echo "<5>nc-oops-begin" > /dev/kmsg
	insmod /lib/cxx/vmtest_oops.ko	# killed by its own oops
	echo "<5>nc-oops-end" > /dev/kmsg
	sleep 2
	nc_stats
	grep . /sys/kernel/debug/cxx_netpoll/*
}
'''

# What the oops itself prints; any other splat line fails the run.
OOPS_LINES = re.compile(r'kernel BUG at .*vmtest_oops|invalid opcode:|\bOops\b|vmtest_oops')
KMEMLEAK = re.compile(r'kmemleak: \d+ new suspected|VMTEST-KMEMLEAK-BEGIN|unreferenced object')


ALLOCATOR = re.compile(r'^(__)?(k|kv|vm|kmem_cache_|slab_|kmemleak_)\w*(alloc|malloc)\w*\+')
FRAME = re.compile(r'\[<[0-9a-f]+>\] (\S+)')


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


def oops_header_problems(serial):
    """Exactly one oops, the fixture's BUG() at its own line: one `kernel BUG at` naming it and
    one die() header `[#1]`, no second one."""
    src = os.path.join(os.path.dirname(__file__), 'fixtures', 'vmtest_oops.c')
    with open(src) as f:
        line = next(i for i, l in enumerate(f, 1) if l.strip() == 'BUG();')
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
    from . import console
    fixtures = ctx.fixture_modules()
    if 'vmtest_oops' not in fixtures:
        return ['fixture vmtest_oops was not built']
    project = dict(ctx.project_modules(), vmtest_oops=fixtures['vmtest_oops'])
    b = ctx.boot(OOPS_SCRIPT, nics=['virtio'], intree=['configfs'], project=project)
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
