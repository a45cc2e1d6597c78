# SPDX-License-Identifier: GPL-2.0
"""Vm.wait_for against a console file and a process that are not QEMU: a needle that comes,
a console that stops growing (a hung boot fails after `idle` seconds, not at the timeout),
one that keeps growing without the needle, and a process that exits."""
import os
import subprocess
import tempfile
import time
import unittest

from harness.vm import Vm


def fake_vm(console, argv):
    vm = Vm.__new__(Vm)
    vm.console = console
    vm.proc = subprocess.Popen(argv)
    return vm


class WaitForTest(unittest.TestCase):
    def setUp(self):
        fd, self.console = tempfile.mkstemp()
        os.close(fd)
        self.vms = []

    def tearDown(self):
        for vm in self.vms:
            vm.proc.kill()
            vm.proc.wait()
        os.unlink(self.console)

    def vm(self, script):
        vm = fake_vm(self.console, ['sh', '-c', script, 'sh', self.console])
        self.vms.append(vm)
        return vm

    def test_needle(self):
        vm = self.vm('sleep 0.5; echo booting >>"$1"; sleep 0.5; echo POINT >>"$1"; sleep 30')
        self.assertTrue(vm.wait_for('POINT', 10, idle=5))

    def test_silent_console_is_a_hang(self):
        vm = self.vm('echo booting >>"$1"; sleep 30')
        start = time.monotonic()
        self.assertFalse(vm.wait_for('POINT', 20, idle=1))
        self.assertLess(time.monotonic() - start, 5)

    def test_growing_console_waits_for_the_timeout(self):
        vm = self.vm('while :; do echo line >>"$1"; sleep 0.3; done')
        start = time.monotonic()
        self.assertFalse(vm.wait_for('POINT', 3, idle=1))
        self.assertGreaterEqual(time.monotonic() - start, 3)

    def test_exit(self):
        vm = self.vm('echo booting >>"$1"; exit 0')
        start = time.monotonic()
        self.assertFalse(vm.wait_for('POINT', 20))
        self.assertLess(time.monotonic() - start, 5)


if __name__ == '__main__':
    unittest.main()
