# SPDX-License-Identifier: GPL-2.0
"""One QEMU guest: kernel + initramfs, -smp N, every NIC a dgram link to a host socket on
127.0.0.1, a QMP socket, isa-debug-exit for the verdict, the serial log kept."""
import json
import os
import socket
import subprocess
import time

PASS_CODE = (16 << 1) | 1
FAIL_CODE = (17 << 1) | 1

CMDLINE = ('console=ttyS0,115200 loglevel=7 panic=-1 printk.devkmsg=on sysrq_always_enabled '
           'watchdog_thresh=55 workqueue.watchdog_thresh=140 rcupdate.rcu_cpu_stall_timeout=100 '
           'hung_task_timeout_secs=120 net.ifnames=0 tsc=reliable')


class Qmp:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        for _ in range(100):
            try:
                self.sock.connect(path)
                break
            except OSError:
                time.sleep(0.1)
        self.f = self.sock.makefile('rw')
        json.loads(self.f.readline())
        self.cmd('qmp_capabilities')

    def cmd(self, command, **args):
        self.f.write(json.dumps({'execute': command, 'arguments': args}) + '\n')
        self.f.flush()
        while True:
            msg = json.loads(self.f.readline())
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


class Vm:
    def __init__(self, name, kernel, initrd, outdir, nics, smp=2, mac_base=0x10, memory=None):
        """nics: list of (model, Endpoint) with model virtio | e1000."""
        self.name, self.kernel, self.outdir = name, kernel, outdir
        self.console = os.path.join(outdir, f'{name}-console.log')
        self.qmp_path = os.path.join(outdir, f'{name}-qmp.sock')
        self.nic_ids = []
        args = ['qemu-system-x86_64', '-machine', 'pc', '-accel', 'tcg,thread=multi',
                '-smp', str(smp), '-m', str(memory or kernel.memory), '-nodefaults',
                '-no-reboot', '-display', 'none', '-kernel', kernel.image, '-initrd', initrd,
                '-append', f'{CMDLINE} {kernel.cmdline}'.strip(), '-serial', f'file:{self.console}',
                '-qmp', f'unix:{self.qmp_path},server=on,wait=off',
                '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04']
        for i, (model, ep) in enumerate(nics):
            nid = f'nic{i}'
            mac = f'52:54:00:{mac_base:02x}:{i // 256:02x}:{i % 256:02x}'
            args += ['-netdev', f'dgram,id=n{i},local.type=inet,local.host=127.0.0.1,'
                     f'local.port={ep.vm_port},remote.type=inet,remote.host=127.0.0.1,'
                     f'remote.port={ep.host_port}']
            if model == 'virtio':
                args += ['-device', f'virtio-net-pci,netdev=n{i},mac={mac},id={nid},'
                         'speed=1000,duplex=full']
            elif model == 'e1000':
                args += ['-device', f'e1000,netdev=n{i},mac={mac},id={nid}']
            else:
                raise ValueError(model)
            ep.guest_mac = mac
            self.nic_ids.append(nid)
        self.args = args
        self.proc = None
        self.qmp = None

    def start(self):
        if os.path.exists(self.qmp_path):
            os.unlink(self.qmp_path)
        open(self.console, 'w').close()
        with open(os.path.join(self.outdir, f'{self.name}-qemu.cmd'), 'w') as f:
            f.write(' '.join(self.args) + '\n')
        self.stderr = open(os.path.join(self.outdir, f'{self.name}-qemu.err'), 'w')
        self.proc = subprocess.Popen(self.args, stdin=subprocess.DEVNULL,
                                     stdout=self.stderr, stderr=subprocess.STDOUT)
        self.started = time.monotonic()

    def connect_qmp(self):
        if not self.qmp:
            self.qmp = Qmp(self.qmp_path)
        return self.qmp

    def text(self):
        with open(self.console, errors='replace') as f:
            return f.read()

    def wait_for(self, needle, timeout):
        """Wait for a console line containing needle; False on timeout or exit."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if needle in self.text():
                return True
            if self.proc.poll() is not None:
                return needle in self.text()
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
