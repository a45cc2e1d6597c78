# SPDX-License-Identifier: GPL-2.0
"""The two kernels a scenario can boot: Debian's stock image and the debug test kernel."""
import glob
import os
import subprocess
from dataclasses import dataclass, field

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))


def sh(cmd, **kw):
    return subprocess.run(['bash', '-c', cmd], check=True, capture_output=True, text=True,
                          **kw).stdout.strip()


def common(fn):
    return sh(f'. {TOP}/scripts/lib/common.sh && {fn}')


@dataclass
class Kernel:
    name: str           # stock | test
    kver: str           # uname -r inside the guest
    image: str          # bzImage / vmlinuz
    modroot: str        # directory holding lib/modules/<kver>
    kdir: str           # build tree the project modules are built against
    memory: int         # MiB
    cmdline: str = ''   # appended to the common kernel command line
    builtin: set = field(default_factory=set)

    @property
    def moddir(self):
        return os.path.join(self.modroot, 'lib', 'modules', self.kver)

    def project_dir(self):
        return os.path.join(TOP, 'build', self.kver, 'src')

    def load_builtin(self):
        path = os.path.join(self.moddir, 'modules.builtin')
        with open(path) as f:
            self.builtin = {os.path.basename(l.strip())[:-3].replace('-', '_')
                            for l in f if l.strip()}

    def module_chain(self, names):
        """In-tree module files for `names`, dependencies first, builtins skipped."""
        deps = {}
        with open(os.path.join(self.moddir, 'modules.dep')) as f:
            for line in f:
                mod, _, rest = line.partition(':')
                deps[mod] = rest.split()
        by_name = {os.path.basename(m).split('.ko')[0].replace('-', '_'): m for m in deps}
        order = []

        def visit(mod):
            for d in reversed(deps[mod]):
                visit(d)
            if mod not in order:
                order.append(mod)

        for n in names:
            key = n.replace('-', '_')
            if key in self.builtin:
                continue
            if key not in by_name:
                raise RuntimeError(f'{self.name} kernel has no module {n}')
            visit(by_name[key])
        return [os.path.join(self.moddir, m) for m in order]


def stock():
    kver = common('stock_kver')
    k = Kernel('stock', kver, f'/boot/vmlinuz-{kver}', '/', f'/usr/src/linux-headers-{kver}',
               1024)
    if not os.path.exists(k.image):
        raise RuntimeError(f'{k.image} missing: run scripts/install-deps')
    k.load_builtin()
    return k


def test():
    d = subprocess.run([f'{TOP}/scripts/build-test-kernel'], check=True, text=True,
                       stdout=subprocess.PIPE).stdout.strip().splitlines()[-1]
    with open(os.path.join(d, 'kernelrelease')) as f:
        kver = f.read().strip()
    # acpi=noirq: under KASAN + TCG the ACPI interpreter runs into its 30 s AML loop timeout
    # on _PRT, leaving PCI INTx unrouted (e1000 then never sees its link interrupt). The MP
    # PIRQ table routes PCI interrupts instead (ACPI still brings up the CPUs).
    # 256 MiB: a kmemleak scan's time grows with memory (struct pages, the KASAN shadow):
    # 10-11 s at 256 MiB, 16 s at 512, 23 s at 1 GiB, and every scenario ends with two of
    # them (2 GiB also made boots 10-14 s slower). No scenario needs more.
    k = Kernel('test', kver, os.path.join(d, 'bzImage'), os.path.join(d, 'mods'),
               os.path.join(d, 'obj'), 256, cmdline='acpi=noirq')
    k.load_builtin()
    return k


def get(name):
    return {'stock': stock, 'test': test}[name]()


def build_project(kernel, log):
    """Build the project's modules (and the harness fixtures) for `kernel`."""
    r = subprocess.run(['make', '-C', TOP, f'KDIR={kernel.kdir}', 'modules', 'fixtures'],
                       stdout=log, stderr=subprocess.STDOUT)
    if r.returncode:
        raise RuntimeError(f'module build for the {kernel.name} kernel failed (see {log.name})')


def project_modules(kernel):
    """name -> path of every project module built for the kernel (fixtures excluded)."""
    mods = {}
    for p in sorted(glob.glob(os.path.join(kernel.project_dir(), '**', '*.ko'), recursive=True)):
        mods[os.path.basename(p)[:-3]] = p
    return mods


def fixture_modules(kernel):
    d = os.path.join(TOP, 'build', kernel.kver, 'fixtures')
    return {os.path.basename(p)[:-3]: p for p in glob.glob(os.path.join(d, '*.ko'))}
