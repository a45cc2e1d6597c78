# SPDX-License-Identifier: GPL-2.0
"""A live guest's kernel memory read from the host, for a guest that no longer answers on its
console (snapshot.hang_report): QMP's memsave of CPU 0's virtual addresses, symbols from the
test kernel's System.map (built without KASLR), and every task with a raw scan of its kernel
stack, as sysrq's show-state would print it from inside. The layout of struct task_struct
comes from the fixture vmtest_task_layout, built for the same kernel and never loaded."""
import bisect
import os
import struct

# vmtest_task_layout[]'s order (scripts/harness/fixtures/vmtest_task_layout.c)
TASK_LAYOUT = ('tasks', 'pid', 'comm', 'state', 'on_cpu', 'on_rq', 'stack', 'sp',
               'thread_size')
# __state's bits as sysrq's letters (TASK_IDLE is uninterruptible without load); the others,
# TASK_FREEZABLE among them, only in the hexadecimal value
STATES = ((0x402, 'I'), (0x2, 'D'), (0x1, 'S'), (0x4, 'T'), (0x8, 't'), (0x80, 'X'))
MAX_TASKS = 2000


class Symbols:
    """System.map: the nearest symbol at or below an address; of several at one address, not
    a section marker (a name starting with __)."""

    def __init__(self, pairs):
        self._by_addr = sorted((a, not n.startswith('__'), n) for a, n in pairs)
        self._addrs = [a for a, _, _ in self._by_addr]
        self._names = {n: a for a, n in pairs}
        self._text = (self.address('_stext'), self.address('_etext'))

    @classmethod
    def of(cls, kernel):
        path = os.path.join(kernel.kdir, 'System.map') if kernel.name == 'test' else None
        pairs = []      # a name may be there twice (static functions)
        if path and os.path.exists(path):
            with open(path) as f:
                for line in f:
                    addr, _, name = line.split()[:3]
                    pairs.append((int(addr, 16), name))
        return cls(pairs)

    def address(self, name):
        return self._names.get(name)

    def name(self, addr):
        i = bisect.bisect_right(self._addrs, addr)
        if not i:
            return '?'
        # the last entry at the nearest address sorts a non-marker name after the markers
        a, _, n = self._by_addr[i - 1]
        return f'{n}+0x{addr - a:x}'

    def is_text(self, addr):
        start, end = self._text
        return bool(start and end) and start <= addr < end


class Memory:
    def __init__(self, qmp, scratch):
        self.qmp, self.scratch = qmp, scratch

    def read(self, addr, size):
        # QMP takes the address as a signed 64-bit integer
        self.qmp.cmd('memsave', val=addr - (1 << 64) if addr >= 1 << 63 else addr, size=size,
                     filename=self.scratch)
        try:
            with open(self.scratch, 'rb') as f:
                return f.read()
        finally:
            os.unlink(self.scratch)

    def u64(self, addr):
        return int.from_bytes(self.read(addr, 8), 'little')

    def u32(self, addr):
        return int.from_bytes(self.read(addr, 4), 'little')


def elf_symbol_bytes(path, name):
    """The bytes of a defined symbol in an ELF64 little-endian object (its section's data at
    the symbol's value, the symbol's size long), or None."""
    with open(path, 'rb') as f:
        elf = f.read()
    if elf[:4] != b'\x7fELF' or elf[4] != 2 or elf[5] != 1:
        return None
    shoff, = struct.unpack_from('<Q', elf, 0x28)
    shentsize, shnum = struct.unpack_from('<HH', elf, 0x3a)
    # (type, offset, size, link) of each section
    sections = [struct.unpack_from('<4xI16xQQI', elf, shoff + i * shentsize)
                for i in range(shnum)]
    for kind, offset, size, link in sections:
        if kind != 2:           # SHT_SYMTAB
            continue
        strtab = sections[link][1]
        for pos in range(offset, offset + size, 24):
            st_name, shndx, value, sym_size = struct.unpack_from('<I2xHQQ', elf, pos)
            end = elf.index(b'\0', strtab + st_name)
            if elf[strtab + st_name:end].decode() == name and 0 < shndx < len(sections):
                data = sections[shndx][1] + value
                return elf[data:data + sym_size]
    return None


def task_layout(fixture):
    """TASK_LAYOUT's fields -> offsets (and THREAD_SIZE) from the built fixture, or None."""
    data = elf_symbol_bytes(fixture, 'vmtest_task_layout') if fixture else None
    if not data or len(data) != 8 * len(TASK_LAYOUT):
        return None
    return dict(zip(TASK_LAYOUT, struct.unpack(f'<{len(TASK_LAYOUT)}Q', data)))


def tasks(mem, syms, layout):
    """Every task on init_task's list, line by line (a read that fails keeps the lines before
    it): pid, name, state, whether on a CPU or a runqueue, and the kernel text addresses found
    on its stack from its saved stack pointer up (a raw scan: return addresses and stale words
    alike, as the kernel's own unreliable traces)."""
    init = syms.address('init_task')
    task, seen = init, 0
    while task and seen < MAX_TASKS:
        pid = mem.u32(task + layout['pid'])
        comm = mem.read(task + layout['comm'], 16).split(b'\0')[0].decode(errors='replace')
        state = mem.u32(task + layout['state'])
        on_cpu, on_rq = mem.u32(task + layout['on_cpu']), mem.u32(task + layout['on_rq'])
        letter = next((c for bits, c in STATES if state & bits == bits), 'R' if not state else '?')
        yield f'task {pid} {comm} state {letter} {state:#x} on_cpu {on_cpu} on_rq {on_rq}'
        stack, sp = mem.u64(task + layout['stack']), mem.u64(task + layout['sp'])
        top = stack + layout['thread_size']
        if pid and not on_cpu and stack <= sp < top:
            words = mem.read(sp, top - sp)
            for i in range(0, len(words) - 7, 8):
                word = int.from_bytes(words[i:i + 8], 'little')
                if syms.is_text(word):
                    yield f'    {syms.name(word)}'
        task = mem.u64(task + layout['tasks']) - layout['tasks']
        seen += 1
        if task == init:
            break
