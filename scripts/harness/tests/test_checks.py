# SPDX-License-Identifier: GPL-2.0
"""The scenarios' checks against doctored captures: each claim a scenario makes must fail
when it is false (a line lost from a repeated run, a repeat, a reordering, a second oops, a
leak from elsewhere). Runs on the host in a second: `make check` step harness-checks."""
import unittest
import unittest.mock

import random
import struct
from collections import Counter

from harness import counters
from harness.scenarios import bonding as bs
from harness.scenarios import netconsole as nc
from harness.scenarios import pong as ps
from harness import rxmodel
from harness.peer import mac_bytes

DUMP = ['sysrq: Show State', 'task:kworker/0:1 state:I', ' <TASK>', ' __schedule+0x1/0x2',
        ' </TASK>', 'task:kworker/0:2 state:I', ' <TASK>', ' __schedule+0x1/0x2',
        ' </TASK>']


def console(lines):
    """A serial console log: timestamped kernel lines with the guest's own output between."""
    out = ['guest output without a timestamp']
    out += [f'[   12.{i:06d}] {l}' for i, l in enumerate(lines)]
    return '\r\n'.join(out + ['$ more guest output']) + '\r\n'


def framed(body):
    return ['nc-sysrq-begin'] + body + ['nc-sysrq-end']


class KernelOrder(unittest.TestCase):
    """netconsole-vs-intree: cxx's lines must be the kernel log's, in its order."""
    LOG = ['a', 'b', 'x', 'c', 'x', 'd']

    def check(self, got):
        return nc.sequence_problems(nc.kernel_order(self.LOG, got), got, 'cxx')

    def test_in_order_passes(self):
        self.assertEqual(self.check(['a', 'b', 'x', 'c', 'x', 'd']), [])

    def test_reordered_fails(self):
        self.assertTrue(self.check(['a', 'x', 'b', 'c', 'x', 'd']))

    def test_line_not_logged_fails(self):
        self.assertTrue(self.check(['a', 'b', 'zz']))

    def test_repeat_beyond_the_log_fails(self):
        self.assertTrue(self.check(['a', 'b', 'b']))

    def test_dmesg_lines_from_the_console(self):
        text = 'VMTEST-DMESG [    0.000000] a\r\nVMTEST: x VMTEST-DMESG [    1.5] b\r\nnoise\n'
        self.assertEqual(nc.dmesg_lines(text), ['a', 'b'])


class Dump(unittest.TestCase):
    def check(self, host_body, serial_body=DUMP):
        problems, _ = nc.dump_compare(console(['boot'] + framed(serial_body)),
                                      ['boot'] + framed(host_body),
                                      'nc-sysrq-begin', 'nc-sysrq-end', ('sysrq: Show State',))
        return problems

    def test_identical_passes(self):
        self.assertEqual(self.check(list(DUMP)), [])

    def test_one_repeated_line_lost_fails(self):
        body = list(DUMP)
        del body[7]     # the second ' __schedule+0x1/0x2': its text still arrived once
        self.assertIn(' __schedule+0x1/0x2', body)
        self.assertTrue(self.check(body))

    def test_repeat_fails(self):
        self.assertTrue(self.check(DUMP + [DUMP[-1]]))

    def test_reordered_fails(self):
        body = list(DUMP)
        body[1], body[5] = body[5], body[1]
        self.assertTrue(self.check(body))

    def test_line_outside_the_region_does_not_count(self):
        body = list(DUMP)
        del body[1]
        problems, _ = nc.dump_compare(console(framed(DUMP)), [DUMP[1]] + framed(body),
                                      'nc-sysrq-begin', 'nc-sysrq-end', ())
        self.assertTrue(problems)

    def test_dropped_note_ignored_on_both(self):
        note = '** 3 printk messages dropped **'
        self.assertEqual(self.check(DUMP[:3] + DUMP[3:], DUMP[:3] + [note] + DUMP[3:]), [])

    def test_begin_line_compared_when_included(self):
        oops = ['invalid opcode: 0000 [#1] PREEMPT SMP', 'RIP: 0010:x', 'Call Trace:']
        serial = console(['kernel BUG at x.c:1!'] + oops + ['---[ end trace 0 ]---'])
        host = oops[1:] + ['---[ end trace 0 ]---']     # the header line lost
        problems, _ = nc.dump_compare(serial, ['invalid opcode: 0000 [#2]'] + host,
                                      'invalid opcode:', '---[ end trace', (), True)
        self.assertTrue(problems)
        problems, _ = nc.dump_compare(serial, oops + host[-1:], 'invalid opcode:',
                                      '---[ end trace', ('RIP:',), True)
        self.assertEqual(problems, [])

    def test_guest_output_in_front_of_a_kernel_line(self):
        serial = console(['boot'] + framed(DUMP)).replace('[   12.000003]',
                                                          'VMTEST: ready-for-m[   12.000003]')
        problems, n = nc.dump_compare(serial, ['boot'] + framed(DUMP), 'nc-sysrq-begin',
                                      'nc-sysrq-end', ())
        self.assertEqual((problems, n), ([], len(DUMP)))

    def test_missing_end_fails(self):
        problems, _ = nc.dump_compare(console(framed(DUMP)), ['nc-sysrq-begin'] + DUMP,
                                      'nc-sysrq-begin', 'nc-sysrq-end', ())
        self.assertTrue(problems)


class PanicReplays(unittest.TestCase):
    SERIAL = ('VMTEST: x\n[ 1.000000] nc-panic-begin\n[ 2.000000] nc-flood-10\n'
              '[ 2.100000] nc-flood-11\n[ 2.100000] nc-flood-11\n'
              '[ 2.200000] Uhhuh. NMI received for unknown reason 21 on CPU 0.\n'
              '[ 2.300000] Kernel panic - not syncing: NMI: Not continuing\n')

    def test_serial_replay_collapsed_once(self):
        text, line = nc.collapse_serial_replay(self.SERIAL)
        self.assertEqual(line, 'nc-flood-11')
        self.assertEqual(nc.serial_lines(text).count('nc-flood-11'), 1)
        host = ['nc-panic-begin', 'nc-flood-10', 'nc-flood-11',
                'Uhhuh. NMI received for unknown reason 21 on CPU 0.',
                'Kernel panic - not syncing: NMI: Not continuing']
        problems, _ = nc.dump_compare(text, host, 'nc-panic-begin', None, ())
        self.assertEqual(problems, [])
        # Both consoles replayed it: the host's pair is collapsed as well.
        lines, again = nc.collapse_replayed(host[:3] + host[2:], text)
        self.assertEqual((lines, again), (host, 'nc-flood-11'))

    def test_other_time_or_after_the_panic_not_collapsed(self):
        other = self.SERIAL.replace('[ 2.100000] nc-flood-11\n[ 2.100000]',
                                    '[ 2.100000] nc-flood-11\n[ 2.150000]')
        self.assertEqual(nc.collapse_serial_replay(other), (other, None))
        late = self.SERIAL.replace('[ 2.100000] nc-flood-11\n[ 2.100000] nc-flood-11\n', '') + \
            '[ 2.400000] Kernel Offset\n[ 2.400000] Kernel Offset\n'
        self.assertEqual(nc.collapse_serial_replay(late), (late, None))


def ext(seq, text='x', extra=''):
    return dict(level=6, seq=seq, usec=seq, flags='-', extra=extra.encode(), text=text.encode())


class PanicUnread(unittest.TestCase):
    """bond-panic: an NMI panic that printed nothing anywhere (6.1's ring buffer stops at the
    record another CPU was writing) passes only if every line before it reached the host."""
    SERIAL = console(['nc-panic-begin', 'nc-flood-0', 'nc-flood-1', 'nc-flood-2'])
    HOST = ['nc-panic-begin', 'nc-flood-0', 'nc-flood-1', 'nc-flood-2']

    def check(self, host, label='nic/nmi', text=SERIAL):
        class Proc:
            returncode = 0

        class Vm:
            proc = Proc()

        class Boot:
            problems, eps, vm = [], [], Vm()

        class Ctx:
            notes = []
        b = Boot()
        b.text = text
        with unittest.mock.patch.object(nc, 'plain_lines_by_ip_id', lambda eps, port: host):
            return nc.panic_problems(Ctx(), b, label)

    def test_all_before_it_arrived_passes(self):
        self.assertEqual(self.check(self.HOST), [])

    def test_a_line_lost_fails(self):
        self.assertTrue(self.check(self.HOST[:2] + self.HOST[3:]))

    def test_not_an_nmi_fails(self):
        self.assertTrue(self.check(self.HOST, 'nic/trigger'))

    def test_panic_seen_by_the_host_fails(self):
        self.assertTrue(self.check(self.HOST + ['Kernel panic - not syncing: NMI']))


class Seqs(unittest.TestCase):
    def test_increasing_passes(self):
        self.assertEqual(nc.seq_problems([ext(i) for i in range(0, 300, 2)]), [])

    def test_duplicate_fails(self):
        recs = [ext(i) for i in range(200)]
        recs.insert(50, ext(49))
        self.assertTrue(nc.seq_problems(recs))

    def test_reorder_fails(self):
        recs = [ext(i) for i in range(200)]
        recs[10], recs[11] = recs[11], recs[10]
        self.assertTrue(nc.seq_problems(recs))


LEAK = '''VMTEST-KMEMLEAK-BEGIN
unreferenced object 0xffff888004a1c000 (size 32):
  comm "insmod", pid 141, jiffies 4294906620 (age 8.010s)
  backtrace:
    [<ffffffff8134d9a6>] __kmem_cache_alloc_node+0x1a6/0x2f0
    [<ffffffff812b1c4e>] kmalloc_trace+0x2e/0xc0
    [<ffffffff811cb0a2>] %s+0x52/0x2f0
    [<ffffffff811ce1d3>] %s+0x2b13/0x2d20
VMTEST-KMEMLEAK-END
'''


class Leaks(unittest.TestCase):
    def test_freeinit_of_the_killed_init_passes(self):
        self.assertTrue(nc.only_init_leaks(LEAK % ('do_init_module', 'load_module')))

    def test_leak_below_do_init_module_fails(self):
        # allocated by something the init called: a real leak, not the freeinit
        self.assertFalse(nc.only_init_leaks(LEAK % ('some_init_helper', 'do_init_module')))

    def test_hashed_addresses(self):
        # 6.1 prints kmemleak backtraces with hashed pointers
        leak = (LEAK % ('do_init_module', 'load_module')).replace('[<ffffffff8134d9a6>]',
                                                                  '[<(____ptrval____)>]')
        leak = nc.re.sub(r'\[<[0-9a-f]+>\]', '[<(____ptrval____)>]', leak)
        self.assertTrue(nc.only_init_leaks(leak))
        self.assertFalse(nc.only_init_leaks(leak.replace('do_init_module', 'other_init')))

    def test_no_report_passes(self):
        self.assertTrue(nc.only_init_leaks('nothing here'))


BUG = 'kernel BUG at scripts/harness/fixtures/vmtest_oops.c:%d!'
HEAD = 'invalid opcode: 0000 [#%d] PREEMPT SMP KASAN NOPTI'


class Oops(unittest.TestCase):
    def line(self):
        return nc.oops_fixture_line()

    def test_one_oops_passes(self):
        self.assertEqual(nc.oops_header_problems([BUG % self.line(), HEAD % 1, 'RIP: x']), [])

    def test_second_oops_fails(self):
        self.assertTrue(nc.oops_header_problems([BUG % self.line(), HEAD % 1, HEAD % 2]))

    def test_other_bug_line_fails(self):
        self.assertTrue(nc.oops_header_problems([BUG % (self.line() + 1), HEAD % 1]))


class Markers(unittest.TestCase):
    def test_in_order_passes(self):
        self.assertEqual(nc.marker_problems([f'nc-t-{i}' for i in range(5)], 't', 5, 'x'), [])

    def test_repeat_fails(self):
        self.assertTrue(nc.marker_problems([f'nc-t-{i}' for i in (0, 1, 1, 2, 3, 4)], 't', 5,
                                           'x'))


class RxModel(unittest.TestCase):
    """pong-malformed requires the guest's rx counters to equal the model's: the model gives
    every deliberate frame its category, and a misclassification changes the counts."""
    ep = type('Ep', (), dict(host_mac='02:00:00:00:00:01', guest_mac='02:00:00:00:00:02'))

    @classmethod
    def setUpClass(cls):
        rng = random.Random(4242)       # as pong-malformed builds them
        cls.built = {False: ps.malformed_v4(cls.ep, rng, 4000),
                     True: ps.malformed_v6(cls.ep, rng, 4000)}

    def frames(self, v6):
        return self.built[v6]

    def model(self, f, v6):
        return rxmodel.reason(f, v6, mac_bytes(self.ep.guest_mac),
                              ps.ip_bytes('fd00::2' if v6 else '10.0.0.2'), ps.PORT)

    def test_deliberate_frames_get_their_category(self):
        for v6 in (False, True):
            wrong = [(c, self.model(f, v6)) for c, f in self.frames(v6)
                     if c != 'random' and self.model(f, v6) != c]
            self.assertEqual(wrong, [])

    def test_random_frames_spread_over_reasons(self):
        for v6 in (False, True):
            got = Counter(self.model(f, v6) for c, f in self.frames(v6) if c == 'random')
            self.assertGreaterEqual(len(got), 6, got)

    def test_a_misclassification_changes_the_counts(self):
        # counting every IPv4 options frame as a bad length (as a validator checking the
        # length first would) is not the model's count
        frames = self.frames(False)
        model = Counter(self.model(f, False) for _, f in frames)
        broken = Counter('bad_len' if c == 'ip_options' else self.model(f, False)
                         for c, f in frames)
        self.assertNotEqual(model, broken)

    def test_model_reasons_are_the_modules(self):
        # the model may only name reasons the header lists (where debugfs gets them)
        for v6 in (False, True):
            got = {self.model(f, v6) for _, f in self.frames(v6)}
            self.assertLessEqual(got, set(counters.RX_REASONS))

    def test_valid_request_and_damage(self):
        good = ps.udp_request(self.ep, False, '10.0.0.1', '10.0.0.2', 20000)
        self.assertEqual(self.model(good, False), 'delivered')
        bad = bytearray(good)
        bad[-1] ^= 0xff
        self.assertEqual(self.model(bytes(bad), False), 'bad_udp_csum')
        nocsum = bytearray(good)
        struct.pack_into('!H', nocsum, 14 + 20 + 6, 0)
        self.assertEqual(self.model(bytes(nocsum), False), 'delivered')


class PongCounters(unittest.TestCase):
    """pong's counters must match what left on the wire: the core's sent, not pongtest's own
    replied (which it bumps right after received)."""
    good = dict(rx_delivered=5, received=5, replied=5, sent=5, deferred=5, dropped=0)

    def test_all_agree_passes(self):
        self.assertEqual(ps.counter_problems('x', self.good, 5), [])

    def test_core_sent_fewer_fails(self):
        self.assertTrue(ps.counter_problems('x', dict(self.good, sent=4), 5))

    def test_delivered_fewer_fails(self):
        self.assertTrue(ps.counter_problems('x', dict(self.good, rx_delivered=4), 5))


class FailOverMac(unittest.TestCase):
    """bond-iproute2's fail_over_mac steps: cxx_bonding's addresses must be 6.1's."""

    @staticmethod
    def report(fom, steps):
        out = []
        for step, addrs in steps.items():
            for dev, a in zip(('bond2', 'eth0', 'eth1'), addrs.split()):
                out.append(f'VMTEST-FOM cxx {fom}-{step}: {dev} {a}')
        return '\n'.join(out) + '\n'

    def text(self, follow=None):
        return (self.report('active', bs.FOM_ADDRS['active']) +
                self.report('follow', follow or bs.FOM_ADDRS['follow']))

    def test_6_1_addresses_pass(self):
        self.assertEqual(bs.fom_problems(self.text()), [])

    def test_follow_without_the_swap_fails(self):
        steps = dict(bs.FOM_ADDRS['follow'], **{'active-e1': 'P0 P0 P1'})
        self.assertTrue(bs.fom_problems(self.text(steps)))

    def test_missing_step_fails(self):
        steps = dict(bs.FOM_ADDRS['follow'])
        del steps['released-e1']
        self.assertTrue(bs.fom_problems(self.text(steps)))


class Features(unittest.TestCase):
    """bond-iproute2's features steps: tx-nocache-copy follows every slave having it."""

    @staticmethod
    def text(states, tso='65536'):
        out = []
        for step, s in states.items():
            extra = ' [requested off]' if s == 'on' else ''
            out.append(f'VMTEST-FEAT cxx {step}: bond2 tx-nocache-copy: {s}{extra}')
            out.append(f'VMTEST-FEAT cxx {step}: bond2 gso_max_size 65536 gso_max_segs 65535 '
                       f'tso_max_size {tso} tso_max_segs 65535 gro_max_size 65536 ')
        return '\n'.join(out) + '\n'

    good = dict(none='on', one='off', changed='on', two='off', released='off')

    def test_6_1_features_pass(self):
        self.assertEqual(bs.feature_problems(self.text(self.good)), [])

    def test_no_recompute_on_feat_change_fails(self):
        self.assertTrue(bs.feature_problems(self.text(dict(self.good, changed='off'))))

    def test_tso_limit_not_the_slaves_fails(self):
        self.assertTrue(bs.feature_problems(self.text(self.good, tso='524280')))


class BondStats(unittest.TestCase):
    """bond-iproute2's counters: the bond's tx_packets grew by its slaves' and stayed."""

    @staticmethod
    def text(bond, slaves, kept=0):
        return (f'VMTEST-STATS cxx sent: bond {bond} slaves {slaves}\n'
                f'VMTEST-STATS cxx released: bond {kept}\n')

    def test_equal_passes(self):
        self.assertEqual(bs.stats_problems(self.text(9, 9), ('cxx',)), [])

    def test_bond_counted_nothing_fails(self):
        self.assertTrue(bs.stats_problems(self.text(0, 9), ('cxx',)))

    def test_nothing_sent_fails(self):
        self.assertTrue(bs.stats_problems(self.text(0, 0), ('cxx',)))

    def test_release_changed_the_count_fails(self):
        self.assertTrue(bs.stats_problems(self.text(9, 9, kept=-9), ('cxx',)))


class Counters(unittest.TestCase):
    """The harness reads the counter names from include/cxx_netpoll.h."""

    def test_lists(self):
        self.assertEqual(counters.TX[:2], ['sent', 'deferred'])
        self.assertEqual(counters.TX[2:], counters.DROPS)
        self.assertTrue(all(d.startswith('drop_') for d in counters.DROPS))
        self.assertEqual(counters.RX_REASONS[0], 'delivered')
        self.assertEqual(len(counters.RX_REASONS), len(set(counters.RX_REASONS)))


if __name__ == '__main__':
    unittest.main()
