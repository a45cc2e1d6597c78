# SPDX-License-Identifier: GPL-2.0
"""Boots guests for a scenario and turns what they did into a list of problems."""
import os
import time

from . import console, initramfs, kernels
from .peer import Endpoint
from .registry import guest_script
from .snapshot import Snapshots
from .vm import FAIL_CODE, PASS_CODE, Vm


class Boot:
    """A started guest: its VM, its host endpoints, and after finish() its verdict."""

    def __init__(self, ctx, name, vm, eps, kernel):
        self.ctx, self.name, self.vm, self.eps, self.kernel = ctx, name, vm, eps, kernel
        self.problems = []
        self.text = ''

    def finish(self, total=None, idle=None):
        k = self.kernel
        total = total or self.ctx.total
        idle = idle or self.ctx.idle
        rc, why = self.vm.wait(total, idle)
        self.ctx.log.write(f'{self.name}: ran {time.monotonic() - self.vm.started:.1f}s\n')
        self.text = self.vm.text()
        for i, ep in enumerate(self.eps):
            ep.close()      # drains what is still queued on the host socket first
            ep.write_pcap(os.path.join(self.ctx.outdir, f'{self.name}-link{i}.pcap'))
            if ep.host_drops:
                self.problems.append(f'host socket of link {i} (buffer {ep.rcvbuf} bytes) '
                                     f'dropped {ep.host_drops} datagrams (host-side loss, '
                                     'not the guest\'s)')
        if rc is None:
            self.problems.append(f'{self.name}: {why}')
        elif rc == FAIL_CODE:
            self.problems.append(f'{self.name}: guest reported FAIL')
        elif rc != PASS_CODE:
            self.problems.append(f'{self.name}: QEMU exited {rc} without a verdict '
                                 '(panic, reboot or crash; the CPU state at a reset is in '
                                 f'{os.path.basename(self.vm.debug_log)})')
        self.problems += [f'{self.name}: {p}' for p in console.check(self.text, k.name)]
        self.ctx.notes += [f'{self.name}: known in-tree splat {s} (not ours; see console.py)'
                           for s in console.known(self.text)]
        return self.problems


class Context:
    def __init__(self, kernel, outdir, log, total, idle, fresh=False):
        """fresh: boot every guest instead of starting it from a saved VM state."""
        self.kernel, self.outdir, self.log = kernel, outdir, log
        self.total, self.idle = total, idle
        self.snapshots = Snapshots(kernel, log)
        self._peer = None       # (stock kernel, its Snapshots) for peer guests
        self.fresh = fresh
        self.boots = []
        self.notes = []         # reported with the result, never a failure

    def project_modules(self):
        return kernels.project_modules(self.kernel)

    def fixture_modules(self):
        return kernels.fixture_modules(self.kernel)

    def peer_kernel(self):
        """The stock kernel and its saved states, for a peer guest of a test-kernel scenario."""
        if self.kernel.name == 'stock':
            return self.kernel, self.snapshots
        if not self._peer:
            k = kernels.get('stock')
            self._peer = k, Snapshots(k, self.log)
        return self._peer

    def start(self, script, nics=(), intree=(), manual=(), project=None, env=None, smp=2,
              name='vm', mac_base=0x10, host_macs=None, tools=(), host_tools=(), peer=False):
        """Start a guest from the saved state of its machine (or boot it, if fresh) with the
        scenario on its payload disk. script: the name of its guest side
        (guest/scenarios/<script>.sh). nics: NIC models, one per link.
        project: {name: path} of project modules to ship (default: all of them).
        host_tools: host programs to ship (initramfs.build_payload).
        peer: a guest that runs none of the project's code (the other end of a link, with
        in-tree drivers only): it runs Debian's kernel whatever the scenario's kernel, since
        the debug kernel's checks would only slow it down."""
        kernel, snapshots = self.peer_kernel() if peer else (self.kernel, self.snapshots)
        if peer and project:
            raise ValueError('a peer guest runs no project module')
        if project is None:
            project = self.project_modules()
        payload = os.path.join(self.outdir, f'{name}-payload.img')
        eps = [Endpoint(f'{name}.{i}', (host_macs or {}).get(i, f'52:54:00:ff:{mac_base:02x}:{i:02x}'))
               for i in range(len(nics))]
        env = dict(env or {})
        env['VMTEST_KERNEL'] = kernel.name
        for i, ep in enumerate(eps):
            env[f'HOST_MAC{i}'] = ep.host_mac
        drivers = {'virtio': ['virtio_pci', 'virtio_net'], 'e1000': ['e1000']}
        intree = [d for n in sorted(set(nics)) for d in drivers[n]] + list(intree)
        vm = None
        t0 = time.monotonic()
        try:
            initramfs.build_payload(payload, kernel, intree, manual, project,
                                    guest_script(script), env, tools, host_tools)
            state = None if self.fresh else snapshots.get(nics, smp, mac_base, None,
                                                           self.total)
            t1 = time.monotonic()
            self.log.write(f'{name}: payload {t1 - t0:.1f}s; '
                           f'{"booted" if self.fresh else "restored from " + state}\n')
            self.log.flush()
            vm = Vm(name, kernel, snapshots.base_initrd(), self.outdir, list(zip(nics, eps)),
                    payload, smp=smp, mac_base=mac_base, incoming=state)
            vm.start()
            self.log.write(f'{name}: running after {time.monotonic() - t1:.1f}s\n')
            self.log.flush()
        except Exception:
            if vm:
                vm.kill()
            for ep in eps:
                ep.close()
            raise
        b = Boot(self, name, vm, eps, kernel)
        self.boots.append(b)
        return b

    def boot(self, script, **kw):
        """Start a guest and wait for its verdict; returns the Boot."""
        b = self.start(script, **kw)
        b.finish()
        return b

    def cleanup(self):
        for b in self.boots:
            b.vm.kill()
            for ep in b.eps:
                ep.close()
