# SPDX-License-Identifier: GPL-2.0
"""Scenarios of the harness itself and of the boot: every module loads and unloads, KUnit,
the checks that must fail, two VMs with 802.3ad."""
import glob
import os
import re
import subprocess
import time

from .. import console
from ..kernels import TOP
from ..peer import relay, udp_payloads
from ..registry import scenario

def load_order(mods):
    """Project modules in dependency order (modinfo depends), for insmod; rmmod reverses."""
    deps = {}
    for name, path in mods.items():
        out = subprocess.run(['modinfo', '-F', 'depends', path], capture_output=True,
                             text=True).stdout.strip()
        deps[name] = [d for d in out.split(',') if d in mods]
    order = []

    def visit(n):
        for d in deps[n]:
            visit(d)
        if n not in order:
            order.append(n)
    for n in sorted(mods):
        visit(n)
    return order


def intree_deps(mods):
    """In-tree modules the project modules depend on (e.g. configfs on stock), for `intree`."""
    out = set()
    for path in mods.values():
        deps = subprocess.run(['modinfo', '-F', 'depends', path], capture_output=True,
                              text=True).stdout.strip()
        out |= {d for d in deps.split(',') if d and d not in mods}
    return sorted(out)


def expected_suites():
    """suite -> its case names in order, read from the sources (kunit/*_main.c: a
    `#define LIST(X) X(case) ...` list handed to CXX_KTEST_SUITE(suite, LIST)), not from any
    output of the code under test."""
    out = {}
    for path in sorted(glob.glob(os.path.join(TOP, 'kunit', '*_main.c'))):
        with open(path) as f:
            src = f.read()
        lists = {m.group(1): re.findall(r'\bX\((\w+)\)', m.group(2)) for m in
                 re.finditer(r'#define (\w+)\(X\)((?:[^\n]*\\\n)*[^\n]*)', src)}
        for m in re.finditer(r'CXX_KTEST_SUITE\((\w+),\s*(\w+)\)', src):
            out[m.group(1)] = lists.get(m.group(2), [])
    return out


def ktap_problems(text, expect=None):
    """Problems of the KTAP in a log; expect: {suite: [case names]} that must have run,
    each with exactly those cases, and no other suite."""
    suites = console.ktap(text)
    problems = [p for s in suites for p in s.problems()]
    if expect is not None:
        found = {s.name: [c[1] for c in s.cases] for s in suites}
        for name, cases in expect.items():
            if name not in found:
                problems.append(f'KUnit suite {name} did not run')
            elif found[name] != cases:
                problems.append(f'KUnit suite {name}: cases {found[name]}, expected {cases}')
        problems += [f'unexpected KUnit suite {n}' for n in found if n not in expect]
    return problems, suites


# --- boot-stock, boot-test -------------------------------------------------------------------


def boot_modules(ctx):
    mods = ctx.project_modules()
    if not mods:
        return ['no project module was built']
    if ctx.kernel.name == 'test':
        # the kunit scenario loads and unloads the suites there (as KUnit runs them)
        mods = {m: p for m, p in mods.items() if not m.endswith('_kunit')}
    order = load_order(mods)
    b = ctx.boot('boot-modules', intree=intree_deps(mods),
                 env={'VMTEST_MODULES': ' '.join(order),
                      'VMTEST_MODULES_REVERSED': ' '.join(reversed(order))})
    problems = list(b.problems)
    for m in order:
        if f'VMTEST: loaded {m}' not in b.text:
            problems.append(f'{m} was not loaded')
    # On stock every suite runs on load (the standalone runner) and must pass.
    if ctx.kernel.name == 'stock':
        problems += ktap_problems(b.text, expected_suites())[0]
    return problems


@scenario('boot-stock', ('stock',), 'every project module insmods and rmmods on Debian\'s kernel',
          tier='quick')
def boot_stock(ctx):
    return boot_modules(ctx)


@scenario('boot-test', ('test',), 'every project module insmods and rmmods on the debug kernel')
def boot_test(ctx):
    return boot_modules(ctx)


# --- kunit -----------------------------------------------------------------------------------


@scenario('kunit', ('test',), 'all KUnit suites of the project in the test kernel', tier='quick')
def kunit(ctx):
    mods = ctx.project_modules()
    suites = [m for m in mods if m.endswith('_kunit')]
    if not suites:
        return ['no KUnit module was built']
    # what the suites link against, in load order
    order = load_order({m: p for m, p in mods.items()})
    needed = set()
    for m in suites:
        out = subprocess.run(['modinfo', '-F', 'depends', mods[m]], capture_output=True,
                             text=True).stdout.strip()
        needed |= {d for d in out.split(',') if d in mods}
    deps = [m for m in order if m in needed]
    b = ctx.boot('kunit', intree=intree_deps(mods),
                 env={'VMTEST_SUITES': ' '.join(sorted(suites)),
                      'VMTEST_DEPS': ' '.join(deps),
                      'VMTEST_DEPS_REVERSED': ' '.join(reversed(deps))})
    problems, found = ktap_problems(b.text, expected_suites())
    return b.problems + problems


# --- harness-selftest ------------------------------------------------------------------------

def selftest_parsers():
    """The scanner and the KTAP parser on known text: each must catch what it exists for."""
    problems = []
    samples = [
        'WARNING: CPU: 0 PID: 1 at foo.c:1 bar+0x0/0x10',
        'BUG: KASAN: slab-out-of-bounds in foo+0x1/0x2',
        'UBSAN: shift-out-of-bounds in foo.c:3:4',
        'kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)',
        'unreferenced object 0xffff888000000000 (size 64):',
        'WARNING: possible circular locking dependency detected',
        'WARNING: inconsistent lock state',
        'kernel BUG at net/core/skbuff.c:100!',
        'BUG: sleeping function called from invalid context at mm/slab.h:1',
        'refcount_t: underflow; use-after-free.',
        'INFO: task init:1 blocked for more than 120 seconds.',
        'rcu: INFO: rcu_preempt self-detected stall on CPU',
        'list_del corruption. prev->next should be ffff, but was 0000',
        'leaked reference.',
    ]
    for sample in samples:
        if not console.splats(f'[    1.0] {sample}\n'):
            problems.append(f'scanner missed: {sample}')
    if console.splats('[    1.0] netconsole: network logging started\n'):
        problems.append('scanner flagged a clean line')
    tail = 'VMTEST-TAINT 512\n'
    if not any('tainted' in p for p in console.check(tail, 'stock')):
        problems.append('taint check allowed W (512)')
    if console.check('VMTEST-TAINT 12288\n', 'stock'):
        problems.append('taint check refused O|E')
    if not console.check('VMTEST-TAINT 0\nVMTEST-DEBUG-LOCKS 0\n', 'test'):
        problems.append('lockdep-off check missed debug_locks 0')
    crashed = ('    KTAP version 1\n    # Subtest: s\n    1..3\n    ok 1 a\n    ok 2 b\n')
    if not ktap_problems(crashed)[0]:
        problems.append('KTAP parser accepted a suite that stopped after 2 of 3 cases')
    failed = ('    KTAP version 1\n    # Subtest: s\n    1..1\n    not ok 1 a\nnot ok 1 s\n')
    if not ktap_problems(failed)[0]:
        problems.append('KTAP parser accepted a failed case')
    good = ('    KTAP version 1\n    # Subtest: s\n    1..1\n    ok 1 a\nok 1 s\n')
    if ktap_problems(good)[0] or ktap_problems(good, {'s': ['a']})[0]:
        problems.append('KTAP parser refused a passing suite')
    if not ktap_problems(good, {'s': ['a', 'b']})[0]:
        problems.append('KTAP check accepted a suite that lacks an expected case')
    if not ktap_problems(good, {'s': ['a'], 't': ['x']})[0]:
        problems.append('KTAP check accepted a missing suite')
    if not ktap_problems(good, {})[0]:
        problems.append('KTAP check accepted an unexpected suite')
    unknown = 'Unknown kernel command line parameters "foo=1", will be passed to user space.\n'
    if not console.boot_problems(unknown + 'VMTEST-TAINT 0\n', 'stock'):
        problems.append('boot check accepted an unknown kernel parameter')
    return problems


@scenario('harness-selftest', ('stock',),
          'the harness can fail: a WARNing module is FAIL; in-tree netconsole reaches the peer; '
          'QMP set_link and send-key reach the guest')
def harness_selftest(ctx):
    problems = selftest_parsers()

    warn = ctx.fixture_modules()
    if 'vmtest_warn' not in warn:
        return problems + ['fixture vmtest_warn was not built']
    b = ctx.boot('harness-selftest-warn', project=warn, name='warn')
    if not any('WARNING' in p or 'splat' in p for p in b.problems):
        problems.append('a module that WARNs was not reported as a failure: '
                        f'{b.problems or "no problems found"}')
    if not any('tainted' in p for p in b.problems):
        problems.append('the WARN taint was not reported')

    marker = f'vmtest-marker-{time.time_ns()}'
    b = ctx.start('harness-selftest-netconsole', nics=['virtio'], manual=['netconsole'], project={},
                  name='netconsole', env={'MARKER': marker})
    if b.vm.wait_for('VMTEST: ready-for-qmp', ctx.total):
        qmp = b.vm.connect_qmp()
        qmp.set_link(b.vm.nic_ids[0], False)
        if b.vm.wait_for('VMTEST: carrier down seen', 90):
            qmp.send_keys('alt', 'sysrq', 'h')
    problems += b.finish()
    lines = [p.decode(errors='replace') for _, _, p in udp_payloads(b.eps[0], 6666)]
    if not any(marker in l for l in lines):
        problems.append(f'marker line did not reach the host ({len(lines)} netconsole '
                        'datagrams seen)')
    return problems


@scenario('harness-selftest-test', ('test',),
          'the debug kernel\'s checks can fail: a module that leaks is reported by kmemleak',
          tier='quick')
def harness_selftest_test(ctx):
    leak = ctx.fixture_modules()
    if 'vmtest_leak' not in leak:
        return ['fixture vmtest_leak was not built']
    b = ctx.boot('harness-selftest-leak', project=leak, name='leak')
    if not any('kmemleak' in p or 'unreferenced object' in p for p in b.problems):
        return [f'three leaked objects were not reported: {b.problems or "no problems found"}']
    ctx.notes.append(f'leak: reported as expected ({b.problems[0]})')
    return []


# --- harness-two-vm --------------------------------------------------------------------------


@scenario('harness-two-vm', ('stock',),
          'two VMs, two links, in-tree 802.3ad on both: ports aggregate, ping crosses',
          alone=True, guests=2)
def harness_two_vm(ctx):
    a = ctx.start('harness-two-vm', nics=['virtio', 'virtio'], manual=['bonding'], project={},
                  name='a', mac_base=0x21, env={'MY_IP': '10.9.0.1', 'PEER_IP': '10.9.0.2'})
    b = ctx.start('harness-two-vm', nics=['virtio', 'virtio'], manual=['bonding'], project={},
                  name='b', mac_base=0x22, smp=1,
                  env={'MY_IP': '10.9.0.2', 'PEER_IP': '10.9.0.1'})
    for ea, eb in zip(a.eps, b.eps):
        relay(ea, eb)
    problems = a.finish() + b.finish()
    for vm, peer in ((a, '10.9.0.2'), (b, '10.9.0.1')):
        if f'VMTEST: ping {peer} ok' not in vm.text:
            problems.append(f'{vm.name}: ping did not cross the bond')
    lacpdus = sum(1 for ep in a.eps + b.eps for _, f in ep.snapshot()
                  if f[12:14] == b'\x88\x09')
    if lacpdus == 0:
        problems.append('no LACPDU crossed the links')
    return problems
