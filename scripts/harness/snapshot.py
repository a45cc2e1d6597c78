# SPDX-License-Identifier: GPL-2.0
"""Saved VM states: a guest booted once to the snapshot point of its /init (the payload disk
still empty), stopped and migrated to a file. A scenario's VM starts from such a state with
`-incoming` and its own payload disk instead of booting: on the debug kernel that turns a
boot of about 40 s into a restore of a few seconds. Each restored VM is a fresh copy of the
booted machine, so scenarios stay isolated (taint, lockdep state, leaks are their own).

States are kept outside the repo, beside the test kernel (CXXNP_CACHE, default
~/.cache/cxx-netpoll/vm-states/), so a new clone on the same machine reuses them; states
unused for a week are removed. A state depends on the kernel, the base initramfs, QEMU and
the machine (CPUs, memory, NIC models and MACs); its file name is a digest of all of them.
The boot that makes it is held to the same console rules as a scenario: a splat, a taint,
lockdep off or an unknown kernel parameter fails it, and nothing is saved."""
import fcntl
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import time

from . import console, guestmem, initramfs, kernels
from .kernels import common
from .peer import Endpoint
from .vm import Vm, machine_args

SAVE_TIMEOUT = 300
# A boot prints all the way to the snapshot point (the longest quiet stretch seen in a debug
# boot beside two others: 6 s); one silent for this long has hung.
BOOT_IDLE = 60
UNUSED_DAYS = 7


class SnapshotError(RuntimeError):
    pass


def _qemu_version():
    return subprocess.run(['qemu-system-x86_64', '--version'], check=True, capture_output=True,
                          text=True).stdout.splitlines()[0]


def hang_report(vm, kernel, path):
    """What a hung guest was doing, into path: every CPU's registers, each RIP with its symbol
    where the kernel's System.map holds (the test kernel: no KASLR), each CPU's local APIC and
    the PIC, and on the test kernel from guest memory: jiffies read twice two seconds apart (a
    tick that stopped, or a guest that still ticks and waits on something else), every task
    with the text addresses on its stack, and the text of printk's log buffer: what was
    logged but never reached the console (a panic whose records 6.1's console could not
    print)."""
    out = []
    try:
        qmp = vm.connect_qmp()
        syms = guestmem.Symbols.of(kernel)
        mem = guestmem.Memory(qmp, path + '.mem')
        jiffies = syms.address('jiffies_64')
        if jiffies:
            first = mem.u64(jiffies)
            time.sleep(2)
            second = mem.u64(jiffies)
            out.append(f'jiffies_64 {first} then {second} two seconds later '
                       f'({"ticking" if second != first else "STOPPED: no timer interrupt"})')
        regs = _hmp(qmp, 'info registers -a')
        for rip in re.findall(r'RIP=([0-9a-f]{16})', regs):
            out.append(f'RIP {rip} {syms.name(int(rip, 16))}')
        out += ['', regs]
        for cpu in range(len(re.findall(r'^CPU#\d+', regs, re.M))):
            out += [f'info lapic {cpu}:', _hmp(qmp, f'info lapic {cpu}')]
        out += ['info pic:', _hmp(qmp, 'info pic')]
        layout = guestmem.task_layout(kernels.fixture_modules(kernel).get('vmtest_task_layout'))
        if layout and syms.address('init_task'):
            out += ['', 'tasks (a raw scan of each stack from its saved stack pointer):']
            try:
                out.extend(guestmem.tasks(mem, syms, layout))
            except RuntimeError as e:     # a list or a stack the guest corrupted
                out.append(f'(task walk stopped: {e})')
        logbuf = syms.address('__log_buf')
        shift = _config_value(kernel, 'CONFIG_LOG_BUF_SHIFT')
        if logbuf and shift:
            data = mem.read(logbuf, 1 << int(shift))
            with open(path + '.logbuf', 'wb') as f:
                f.write(data)
            # the ring's text blocks: an 8-byte id, then the message (in ring order)
            out += ['', 'printk log buffer (ring order):']
            out += [t.decode() for t in re.findall(rb'[\x20-\x7e\t]{6,}', data)]
    except (OSError, RuntimeError, ValueError) as e:
        out.append(f'(report incomplete: {e})')
    with open(path, 'w') as f:
        f.write('\n'.join(out) + '\n')


def _hmp(qmp, command):
    return qmp.cmd('human-monitor-command', **{'command-line': command})


def _config_value(kernel, name):
    path = os.path.join(kernel.kdir, '.config')
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if line.startswith(name + '='):
                    return line.split('=', 1)[1].strip()
    return None


class Snapshots:
    def __init__(self, kernel, log):
        self.kernel, self.log = kernel, log
        self.dir = os.path.join(common('echo "$CACHE_ROOT"'), 'vm-states', kernel.name)
        os.makedirs(self.dir, exist_ok=True)
        self._initrd = None
        self._prune()

    def _prune(self):
        old = time.time() - UNUSED_DAYS * 86400
        for f in os.listdir(self.dir):
            path = os.path.join(self.dir, f)
            if f == '.lock' or os.path.getmtime(path) >= old:
                continue
            if os.path.isdir(path):     # the logs of a boot that failed
                shutil.rmtree(path, ignore_errors=True)
            else:
                os.unlink(path)

    def base_initrd(self):
        if not self._initrd:
            path = os.path.join(self.dir, f'base-{initramfs.base_key(self.kernel)}.cpio.gz')
            if not os.path.exists(path):
                tmp = f'{path}.{os.getpid()}.tmp'
                initramfs.build_base(tmp, self.kernel)
                os.replace(tmp, path)
            os.utime(path)
            self._initrd = path
        return self._initrd

    def _key(self, margs):
        st = os.stat(self.kernel.image)
        what = [_qemu_version(), self.kernel.image, st.st_size, st.st_mtime_ns, margs]
        return hashlib.sha256(json.dumps(what).encode()).hexdigest()[:16]

    def get(self, models, smp, mac_base, memory, timeout):
        """Path of the saved state for this machine, made first if there is none."""
        margs = machine_args(self.kernel, self.base_initrd(), list(models), smp, mac_base,
                             memory)
        path = os.path.join(self.dir, f'{self._key(margs)}.state')
        with open(os.path.join(self.dir, '.lock'), 'w') as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)    # another vmtest may be making the same one
            if not os.path.exists(path):
                self._save(path, list(models), smp, mac_base, memory, timeout)
            os.utime(path)      # used: kept by _prune
        return path

    def boot(self, workdir, models, smp=2, mac_base=0x10, memory=None, timeout=900):
        """Boot the base initramfs to /init's snapshot point. Returns the running Vm, its
        endpoints and the problems of the boot (none: it may be saved)."""
        shutil.rmtree(workdir, ignore_errors=True)
        os.makedirs(workdir)
        payload = os.path.join(workdir, 'empty.img')
        initramfs.empty_payload(payload)
        eps = [Endpoint(f'snapshot.{i}') for i in range(len(models))]
        vm = Vm('boot', self.kernel, self.base_initrd(), workdir, list(zip(models, eps)),
                payload, smp=smp, mac_base=mac_base, memory=memory)
        try:
            vm.start()
        except Exception:
            vm.kill()
            for ep in eps:
                ep.close()
            raise
        start = time.monotonic()
        reached = vm.wait_for('VMTEST-SNAPSHOT-POINT', timeout, idle=BOOT_IDLE)
        problems = console.boot_problems(vm.text(), self.kernel.name)
        if not reached:
            report = os.path.join(workdir, 'boot-hang.txt')
            if vm.proc.poll() is not None:
                # panic=0 while booting: not a panic (that stops the machine), a reset
                why = (f'QEMU exited {vm.proc.returncode} (a reset: a "Triple fault" in '
                       f'{vm.debug_log}, or one the guest asked for; see {vm.console})')
            elif time.monotonic() - start < timeout:
                hang_report(vm, self.kernel, report)
                why = (f'no console output for {BOOT_IDLE}s (hung, or a panic: panic=0 keeps a '
                       f'panicked boot; CPUs and the log buffer in {report})')
            else:
                hang_report(vm, self.kernel, report)
                why = f'not within {timeout}s (CPUs and the log buffer in {report})'
            problems.insert(0, f'the boot did not reach the snapshot point: {why}')
        elif problems:
            problems.append(f'console: {vm.console}')
        return vm, eps, problems

    def _save(self, path, models, smp, mac_base, memory, timeout):
        start = time.monotonic()
        workdir = path[:-len('.state')] + '.boot'
        vm, eps = None, []
        try:
            vm, eps, problems = self.boot(workdir, models, smp, mac_base, memory, timeout)
            if problems:
                raise SnapshotError('; '.join(problems))
            qmp = vm.connect_qmp()
            qmp.cmd('stop')
            tmp = path + '.tmp'
            qmp.cmd('migrate', uri=f'exec:cat > {shlex.quote(tmp)}')
            end = time.monotonic() + SAVE_TIMEOUT
            while True:
                status = qmp.cmd('query-migrate').get('status')
                if status == 'completed':
                    break
                if status in ('failed', 'cancelled') or time.monotonic() > end:
                    raise SnapshotError(f'saving the VM state: migration {status}')
                time.sleep(0.2)
            qmp.cmd('quit')
            vm.proc.wait(timeout=60)
            os.replace(tmp, path)
            shutil.copy(vm.console, path + '.console.log')
        finally:
            if vm:
                vm.kill()
            for ep in eps:
                ep.close()
        self.log.write(f'saved VM state {path} ({os.path.getsize(path) >> 20} MiB) in '
                       f'{time.monotonic() - start:.0f}s: {models} smp {smp} mac_base '
                       f'{mac_base:#x}\n')
        self.log.flush()
        shutil.rmtree(workdir, ignore_errors=True)
