# SPDX-License-Identifier: GPL-2.0
"""One QEMU guest: kernel + initramfs, -smp N, every NIC a dgram link to a host socket on
127.0.0.1, a QMP socket, isa-debug-exit for the verdict, the serial log kept."""
import json
import os
import shlex
import socket
import subprocess
import time

PASS_CODE = (16 << 1) | 1
FAIL_CODE = (17 << 1) | 1

# panic=0: a panic while booting stops the machine where it is, for the harness to read
# (snapshot.hang_report); /init sets panic=-1 once booted, so a scenario's panic resets at once
# (QEMU exits: -no-reboot).
CMDLINE = ('console=ttyS0,115200 loglevel=7 panic=0 printk.devkmsg=on sysrq_always_enabled '
           'watchdog_thresh=55 workqueue.watchdog_thresh=140 rcupdate.rcu_cpu_stall_timeout=100 '
           'sysctl.kernel.hung_task_timeout_secs=120 net.ifnames=0 tsc=reliable '
           'rcupdate.rcu_task_stall_timeout=5000')
# rcu_task_stall_timeout 5000 jiffies (20 s at HZ=250, both kernels; 10 minutes by default): a
# boot that hung in "Running RCU-tasks wait API self tests" (twice in some 300 debug boots)
# names the tasks its grace period waits for, well inside snapshot.BOOT_IDLE.

# The scenario's payload (scripts, modules) is a virtio disk in the last PCI slot, so the NICs
# keep their slots; a saved VM state is restored with another payload in it.
PAYLOAD_SLOT = '0x1f'
QMP_TIMEOUT = 30


class Qmp:
    def __init__(self, path, timeout=QMP_TIMEOUT):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        end = time.monotonic() + timeout
        while True:
            try:
                self.sock.connect(path)
                break
            except OSError:
                if time.monotonic() > end:
                    raise RuntimeError(f'QMP: no socket at {path} after {timeout}s')
                time.sleep(0.1)
        self.sock.settimeout(timeout)       # every read below: a hung QEMU raises, never waits
        self.f = self.sock.makefile('rw')
        self._read()
        self.cmd('qmp_capabilities')

    def _read(self):
        try:
            line = self.f.readline()
        except (socket.timeout, TimeoutError):
            raise RuntimeError(f'QMP: no answer within {self.sock.gettimeout()}s')
        if not line:
            raise RuntimeError('QMP: QEMU closed the socket')
        return json.loads(line)

    def cmd(self, command, **args):
        self.f.write(json.dumps({'execute': command, 'arguments': args}) + '\n')
        self.f.flush()
        while True:
            msg = self._read()
            if 'return' in msg:
                return msg['return']
            if 'error' in msg:
                raise RuntimeError(f'QMP {command}: {msg["error"]}')

    def set_link(self, nic_id, up):
        self.cmd('set_link', name=nic_id, up=up)

    def send_keys(self, *keys):
        self.cmd('send-key', keys=[{'type': 'qcode', 'data': k} for k in keys])

    def close(self):
        self.sock.close()


def machine_args(kernel, initrd, models, smp, mac_base, memory):
    """Everything a saved VM state depends on (and so must be the same when it is restored):
    machine, CPUs, memory, kernel, command line, devices and their MACs."""
    args = ['-machine', 'pc', '-accel', 'tcg,thread=multi', '-smp', str(smp),
            '-m', str(memory or kernel.memory), '-nodefaults', '-no-reboot', '-display', 'none',
            '-kernel', kernel.image, '-initrd', initrd,
            '-append', f'{CMDLINE} {kernel.cmdline}'.strip(),
            '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
            '-device', f'virtio-blk-pci,drive=payload,id=payload,addr={PAYLOAD_SLOT}']
    for i, model in enumerate(models):
        mac = nic_mac(mac_base, i)
        if model == 'virtio':
            # guest_announce=off: a restored VM would otherwise be asked, for about a second
            # after the restore (QEMU's self-announce after an incoming migration), to announce
            # itself on each virtio NIC whose driver is up by then, and each request is a
            # NETDEV_NOTIFY_PEERS on that NIC in the middle of the scenario (a gratuitous ARP
            # when it has an address). A booted machine has no such thing.
            args += ['-device', f'virtio-net-pci,netdev=n{i},mac={mac},id=nic{i},'
                     'speed=1000,duplex=full,guest_announce=off']
        elif model == 'e1000':
            args += ['-device', f'e1000,netdev=n{i},mac={mac},id=nic{i}']
        else:
            raise ValueError(model)
    return args


def nic_mac(mac_base, i):
    return f'52:54:00:{mac_base:02x}:{i // 256:02x}:{i % 256:02x}'


class Vm:
    def __init__(self, name, kernel, initrd, outdir, nics, payload, smp=2, mac_base=0x10,
                 memory=None, incoming=None):
        """nics: list of (model, Endpoint) with model virtio | e1000; payload: the disk image
        the guest's /init waits for; incoming: a saved VM state to start from instead of
        booting (scripts/harness/snapshot.py)."""
        self.name, self.kernel, self.outdir = name, kernel, outdir
        self.console = os.path.join(outdir, f'{name}-console.log')
        self.qmp_path = os.path.join(outdir, f'{name}-qmp.sock')
        self.nic_ids = [f'nic{i}' for i in range(len(nics))]
        args = ['qemu-system-x86_64'] + machine_args(kernel, initrd, [m for m, _ in nics], smp,
                                                      mac_base, memory)
        # -d cpu_reset: QEMU logs the CPU state at every reset, so a guest that resets (a
        # triple fault) leaves its RIP and control registers behind.
        self.debug_log = os.path.join(outdir, f'{name}-qemu-debug.log')
        # The i8042's commands too: a reset the guest asks for through it (0xfe, or an output
        # port written with bit 0 clear) leaves no CPU Reset entry under -no-reboot, nor does
        # any other reset request; a triple fault logs "Triple fault".
        args += ['-d', 'cpu_reset,guest_errors', '-D', self.debug_log,
                 '-trace', 'pckbd_kbd_write_command', '-trace', 'pckbd_outport_write',
                 '-serial', f'file:{self.console}',
                 '-qmp', f'unix:{self.qmp_path},server=on,wait=off',
                 '-drive', f'if=none,id=payload,file={payload},format=raw,readonly=on']
        self.fds = []
        for i, (_, ep) in enumerate(nics):
            # QEMU gets the guest-side socket already bound (see peer.guest_socket)
            fd = ep.vm_sock.fileno()
            self.fds.append(fd)
            args += ['-netdev', f'dgram,id=n{i},local.type=fd,local.str={fd}']
            ep.guest_mac = nic_mac(mac_base, i)
        if incoming:
            args += ['-incoming', f'exec:cat {shlex.quote(incoming)}']
        self.eps = [ep for _, ep in nics]
        self.incoming = incoming
        self.args = args
        self.proc = None
        self.qmp = None

    def start(self):
        if os.path.exists(self.qmp_path):
            os.unlink(self.qmp_path)
        open(self.console, 'w').close()
        with open(os.path.join(self.outdir, f'{self.name}-qemu.cmd'), 'w') as f:
            f.write(' '.join(shlex.quote(a) for a in self.args) + '\n')
        self.stderr = open(os.path.join(self.outdir, f'{self.name}-qemu.err'), 'w')
        self.proc = subprocess.Popen(self.args, stdin=subprocess.DEVNULL, stdout=self.stderr,
                                     stderr=subprocess.STDOUT, pass_fds=self.fds)
        for ep in self.eps:
            ep.release_vm_sock()
        if self.incoming:
            self._resume()
        self.started = time.monotonic()

    def _resume(self):
        """A state saved from a stopped VM is restored stopped: wait for it, then run it."""
        qmp = self.connect_qmp()
        end = time.monotonic() + QMP_TIMEOUT
        while (status := qmp.cmd('query-status')['status']) == 'inmigrate':
            if time.monotonic() > end:
                raise RuntimeError(f'restoring {self.incoming}: still loading after '
                                   f'{QMP_TIMEOUT}s')
            time.sleep(0.05)
        if status != 'paused':
            raise RuntimeError(f'restoring {self.incoming}: VM is {status}, not paused')
        qmp.cmd('cont')

    def connect_qmp(self):
        if not self.qmp:
            self.qmp = Qmp(self.qmp_path)
        return self.qmp

    def text(self):
        with open(self.console, errors='replace') as f:
            return f.read()

    def wait_for(self, needle, timeout, idle=None):
        """Wait for a console line containing needle; False on timeout or exit, or when
        idle is given and the console has not grown for idle seconds."""
        now = time.monotonic()
        end, last_size, last_change = now + timeout, -1, now
        while (now := time.monotonic()) < end:
            text = self.text()
            if needle in text:
                return True
            if self.proc.poll() is not None:
                return needle in self.text()
            if len(text) != last_size:
                last_size, last_change = len(text), now
            elif idle is not None and now - last_change > idle:
                return False
            time.sleep(0.2)
        return False

    def wait(self, total, idle):
        """Wait for QEMU to exit. Returns (exit code or None, why)."""
        last_size, last_change = 0, time.monotonic()
        while True:
            rc = self.proc.poll()
            if rc is not None:
                return rc, 'exited'
            now = time.monotonic()
            size = os.path.getsize(self.console)
            if size != last_size:
                last_size, last_change = size, now
            if now - self.started > total:
                self.kill()
                return None, f'total timeout ({total}s)'
            if now - last_change > idle:
                self.kill()
                return None, f'idle timeout (no console output for {idle}s)'
            time.sleep(0.25)

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.qmp:
            self.qmp.close()
            self.qmp = None
