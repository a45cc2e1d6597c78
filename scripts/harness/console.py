# SPDX-License-Identifier: GPL-2.0
"""Reading a guest's serial log: splats, taint, lockdep state, the guest's own verdict, KTAP."""
import re

# A line matching any of these is a failure, whatever the scenario proved otherwise.
SPLATS = [
    r'\bBUG: ', r'WARNING: ', r'\bOops\b', r'general protection fault', r'Kernel panic',
    r'possible recursive locking', r'possible circular locking', r'inconsistent lock state',
    r'possible irq lock inversion', r'suspicious RCU usage', r'INFO: lockdep is turned off',
    r'lock held when returning to user space', r'bad unlock balance', r'DEBUG_LOCKS_WARN_ON',
    r'KASAN: ', r'UBSAN: ', r'kmemleak: \d+ new suspected memory leaks', r'unreferenced object',
    r'VMTEST-KMEMLEAK-BEGIN', r'INFO: task .* blocked for more than', r'rcu: INFO: .* stall',
    r'self-detected stall', r'detected stalls', r'soft lockup', r'hard LOCKUP',
    r'refcount_t: ', r'list_add corruption', r'list_del corruption', r'ODEBUG: ',
    r'unregister_netdevice: waiting for', r'leaked reference', r'kernel BUG at',
    r'invalid opcode:',
    r'sleeping function called from invalid context', r'scheduling while atomic',
    r'divide error:', r'stack segment:', r'page allocation failure',
]
# init/main.c prints this for a parameter no part of the kernel claimed.
UNKNOWN_PARAMS = re.compile(r'Unknown kernel command line parameters "([^"]*)"')
SPLAT_RE = re.compile('|'.join(SPLATS))

# Taint bits a scenario may have: O (out-of-tree module) and E (unsigned module); on the test
# kernel also N (TAINT_TEST), which KUnit sets whenever a suite runs.
ALLOWED_TAINT = {'stock': (1 << 12) | (1 << 13), 'test': (1 << 12) | (1 << 13) | (1 << 18)}
TAINT_WARN = 1 << 9      # set by the known in-tree splats' WARN
TS = re.compile(r'^\[\s*\d+\.\d+\]\s?')


# In-tree bugs that any netpoll user triggers, the kernel's own netpoll included (the
# scenario intree-known-splats reproduces each one with it, so a fixed kernel shows up as a
# failure there). A splat matching one of these is reported, not failed; everything else is.
KNOWN_INTREE = [
    dict(id='e1000-budget0-napi-consume',
         # the exact line of 6.1.192's DEBUG_NET_WARN_ON_ONCE(!in_softirq()), and the
         # caller: e1000's tx clean, then e1000_clean, at the top of the trace
         head=r'WARNING: CPU: \d+ PID: \d+ at net/core/skbuff.c:1102 napi_consume_skb\+',
         trace=['e1000_unmap_and_free_tx_resource+', 'e1000_clean+'],
         why='6.1 e1000_clean_tx_irq passes budget 64 to napi_consume_skb even when netpoll '
             'polls it with budget 0 outside softirq: DEBUG_NET_WARN_ON_ONCE(!in_softirq())'),
]


def lines(text):
    return [TS.sub('', l.rstrip('\r')) for l in text.splitlines()]


def _blocks(ls):
    """(index of the splat line, the lines up to its end-of-trace marker)."""
    for i, l in enumerate(ls):
        if SPLAT_RE.search(l):
            end = i + 1
            while end < len(ls) and end < i + 120 and 'end trace' not in ls[end]:
                end += 1
            yield i, ls[i:end + 1]


def call_trace(block):
    """The reliable frames of a splat's call trace (no '?' guesses), innermost first."""
    frames, inside = [], False
    for l in block:
        s = l.strip()
        if s == 'Call Trace:':
            inside = True
        elif inside and s and not s.startswith(('<', '?')):
            frames.append(s.split()[0])
    return frames


def known_splat(block):
    """A splat matches a known one if its header matches and its call trace starts with the
    known frames."""
    for k in KNOWN_INTREE:
        frames = call_trace(block)[:len(k['trace'])]
        if re.search(k['head'], block[0]) and len(frames) == len(k['trace']) and all(
                f.startswith(t) for f, t in zip(frames, k['trace'])):
            return k['id']
    return None


def known(text):
    """Ids of the known in-tree splats in a log."""
    return sorted({known_splat(b) for _, b in _blocks(lines(text))} - {None})


def splats(text):
    """Splat lines that are not the header of a known in-tree splat."""
    ls = lines(text)
    known_heads = {i for i, b in _blocks(ls) if known_splat(b)}
    return [l for i, l in enumerate(ls) if SPLAT_RE.search(l) and i not in known_heads]


def only_known_warnings(text):
    """Every WARNING of the log is a known in-tree splat (then its taint W is allowed)."""
    ls = lines(text)
    heads = [i for i, l in enumerate(ls) if 'WARNING:' in l]
    known_heads = {i for i, b in _blocks(ls) if known_splat(b)}
    return bool(heads) and all(i in known_heads for i in heads)


def check(text, kernel_name):
    """Problems found in a console log (empty list: clean)."""
    problems = []
    found = splats(text)
    if found:
        problems.append('console splat: ' + found[0].strip()
                        + (f' (+{len(found) - 1} more lines)' if len(found) > 1 else ''))
    # Guest markers are searched anywhere: kernel output can land in the middle of a line.
    taint = re.findall(r'VMTEST-TAINT (\d+)', text)
    allowed = ALLOWED_TAINT[kernel_name] | (TAINT_WARN if only_known_warnings(text) else 0)
    if not taint:
        problems.append('no taint report (guest did not finish)')
    elif int(taint[-1]) & ~allowed:
        problems.append(f'kernel tainted: {taint[-1]} (allowed: out-of-tree, unsigned'
                        + (', KUnit)' if kernel_name == 'test' else ')'))
    if kernel_name == 'test':
        dl = re.findall(r'VMTEST-DEBUG-LOCKS (\d+)', text)
        if not dl or dl[-1] != '1':
            problems.append('lockdep switched itself off (debug_locks != 1)')
    for m in re.finditer(r'VMTEST-FAIL: ?([^\n]*)', text):
        problems.append('guest: ' + m.group(1).strip())
    return problems


def boot_problems(text, kernel_name):
    """Problems of a boot up to /init's snapshot point: the console rules of a scenario, an
    ignored kernel parameter, and any taint at all."""
    problems = check(text, kernel_name)
    problems += [f'kernel command line parameters unknown to the kernel: {m.group(1)}'
                 for m in UNKNOWN_PARAMS.finditer(text)]
    taint = re.findall(r'VMTEST-TAINT (\d+)', text)
    if taint and taint[-1] != '0':
        problems.append(f'kernel tainted ({taint[-1]}) during boot')
    return problems


class Suite:
    def __init__(self, name):
        self.name, self.plan, self.cases, self.ok = name, None, [], None

    def problems(self):
        out = []
        if self.plan is None:
            out.append(f'{self.name}: no test plan')
        elif len(self.cases) != self.plan:
            out.append(f'{self.name}: {len(self.cases)} of {self.plan} cases reported '
                       '(crashed or missing)')
        for n, name, ok, skip in self.cases:
            if not ok:
                out.append(f'{self.name}: case {n} {name} failed')
        if self.ok is None:
            out.append(f'{self.name}: no suite result')
        elif not self.ok:
            out.append(f'{self.name}: suite failed')
        return out


def ktap(text):
    """Suites of a KUnit-style KTAP log (6.1 layout: suites as indented subtests)."""
    suites, cur = [], None
    for l in lines(text):
        s = l.strip()
        m = re.match(r'# Subtest: (\S+)$', s)
        if m and l.startswith('    ') and not l.startswith('        '):
            cur = Suite(m.group(1))
            suites.append(cur)
            continue
        if cur is None:
            continue
        if l.startswith('    ') and not l.startswith('        '):
            m = re.match(r'1\.\.(\d+)$', s)
            if m:
                cur.plan = int(m.group(1))
                continue
            m = re.match(r'(not )?ok (\d+) (\S+)(.*)$', s)
            if m:
                skip = '# SKIP' in m.group(4)
                cur.cases.append((int(m.group(2)), m.group(3), not m.group(1), skip))
                continue
        m = re.match(r'(not )?ok \d+ (\S+)', l)
        if m and m.group(2) == cur.name:
            cur.ok = not m.group(1)
            cur = None
    return suites
