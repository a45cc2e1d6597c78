# SPDX-License-Identifier: GPL-2.0
"""guestmem against known inputs: symbol lookup (nearest below, section markers, repeated
names), a symbol's bytes read from an object gcc just compiled, and the task walk over a fake
guest memory (tasks on init_task's ring, one stack holding a text address; a read that
fails keeps the lines before it)."""
import os
import shutil
import struct
import subprocess
import tempfile
import unittest

from harness import guestmem


class SymbolsTest(unittest.TestCase):
    def test_nearest_below_and_not_a_marker(self):
        syms = guestmem.Symbols([(0x1000, 'a_func'), (0x2000, '__cpuidle_text_start'),
                                 (0x2000, 'halt'), (0x3000, 'halt'), (0x4000, 'last')])
        self.assertEqual(syms.name(0x200b), 'halt+0xb')
        self.assertEqual(syms.name(0x2000), 'halt+0x0')
        self.assertEqual(syms.name(0x3004), 'halt+0x4')
        self.assertEqual(syms.name(0x1fff), 'a_func+0xfff')
        self.assertEqual(syms.name(0xfff), '?')
        self.assertEqual(syms.address('last'), 0x4000)
        self.assertIsNone(syms.address('nothing'))


class ElfTest(unittest.TestCase):
    @unittest.skipUnless(shutil.which('gcc'), 'no gcc')
    def test_symbol_bytes(self):
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d)
        src, obj = os.path.join(d, 'l.c'), os.path.join(d, 'l.o')
        values = list(range(0x10, 0x10 + len(guestmem.TASK_LAYOUT)))
        with open(src, 'w') as f:
            f.write('const int before[3] = { 7, 8, 9 };\n'
                    'const unsigned long vmtest_task_layout[] = { %s };\n'
                    % ', '.join(map(str, values)))
        subprocess.run(['gcc', '-c', '-o', obj, src], check=True)
        self.assertEqual(guestmem.task_layout(obj), dict(zip(guestmem.TASK_LAYOUT, values)))
        self.assertEqual(guestmem.elf_symbol_bytes(obj, 'before'), struct.pack('<3i', 7, 8, 9))
        self.assertIsNone(guestmem.elf_symbol_bytes(obj, 'absent'))
        self.assertIsNone(guestmem.task_layout(src))        # not an ELF object
        self.assertIsNone(guestmem.task_layout(None))


class FakeMemory:
    def __init__(self):
        self.bytes, self.bad = {}, set()

    def put(self, addr, data):
        for i, b in enumerate(data):
            self.bytes[addr + i] = b

    def read(self, addr, size):
        if addr in self.bad:
            raise RuntimeError('QMP memsave: Invalid addr')
        return bytes(self.bytes.get(addr + i, 0) for i in range(size))

    def u64(self, addr):
        return int.from_bytes(self.read(addr, 8), 'little')

    def u32(self, addr):
        return int.from_bytes(self.read(addr, 4), 'little')


class TasksTest(unittest.TestCase):
    def test_walk(self):
        layout = dict(tasks=0x10, pid=0x20, comm=0x30, state=0x40, on_cpu=0x44, on_rq=0x48,
                      stack=0x50, sp=0x58, thread_size=0x100)
        syms = guestmem.Symbols([(0x9000, 'init_task'), (0x1000, '_stext'),
                                 (0x1800, 'schedule'), (0x2000, '_etext')])
        mem = FakeMemory()

        def task(addr, pid, comm, state, on_cpu, nxt, stack, sp):
            mem.put(addr + 0x10, struct.pack('<Q', nxt + 0x10))
            mem.put(addr + 0x20, struct.pack('<I', pid))
            mem.put(addr + 0x30, comm.encode() + b'\0')
            mem.put(addr + 0x40, struct.pack('<III', state, on_cpu, 0))
            mem.put(addr + 0x50, struct.pack('<QQ', stack, sp))
        task(0x9000, 0, 'swapper/0', 0, 1, 0xa000, 0, 0)
        task(0xa000, 1, 'init', 2, 0, 0xb000, 0x50000, 0x500f0)
        task(0xb000, 2, 'kthreadd', 0x2001, 0, 0xc000, 0, 0)      # freezable sleep
        task(0xc000, 3, 'rcu_tasks_kthre', 0x402, 0, 0x9000, 0, 0)
        mem.put(0x500f0, struct.pack('<QQ', 0x1842, 0x7777))   # a return address, a word
        self.assertEqual(list(guestmem.tasks(mem, syms, layout)), [
            'task 0 swapper/0 state R 0x0 on_cpu 1 on_rq 0',
            'task 1 init state D 0x2 on_cpu 0 on_rq 0',
            '    schedule+0x42',
            'task 2 kthreadd state S 0x2001 on_cpu 0 on_rq 0',
            'task 3 rcu_tasks_kthre state I 0x402 on_cpu 0 on_rq 0',
        ])
        # a task pointer that leads nowhere: the lines before it stay
        mem.bad.add(0xc000 + 0x20)
        lines = []
        with self.assertRaises(RuntimeError):
            for line in guestmem.tasks(mem, syms, layout):
                lines.append(line)
        self.assertEqual(lines[-1], 'task 2 kthreadd state S 0x2001 on_cpu 0 on_rq 0')


if __name__ == '__main__':
    unittest.main()
