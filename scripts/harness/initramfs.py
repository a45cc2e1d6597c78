# SPDX-License-Identifier: GPL-2.0
"""Builds a scenario's initramfs: busybox, Debian's ip with its libraries (busybox `ip`
ignores bond options), in-tree modules in dependency order, project modules, guest script."""
import os
import shutil
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
HOST_TOOLS = ['/usr/sbin/ip']
TOOLS_OUT = os.path.join(HERE, '..', '..', 'build', 'tools')


def static_tool(name):
    """scripts/harness/tools/<name>.c built static (glibc's libc.a) into build/tools/."""
    src = os.path.join(HERE, 'tools', name + '.c')
    out = os.path.join(TOOLS_OUT, name)
    if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(src):
        os.makedirs(TOOLS_OUT, exist_ok=True)
        subprocess.run(['gcc-12', '-static', '-O2', '-Wall', '-Werror', '-o', out + '.tmp', src],
                       check=True)
        os.replace(out + '.tmp', out)
    return out


def _libs(binary):
    out = subprocess.run(['ldd', binary], check=True, capture_output=True, text=True).stdout
    libs = []
    for line in out.splitlines():
        parts = line.split()
        if '=>' in parts and len(parts) >= 3 and parts[2].startswith('/'):
            libs.append(parts[2])
        elif parts and parts[0].startswith('/'):
            libs.append(parts[0])
    return libs


def _copy(src, root, dest=None):
    dest = os.path.join(root, (dest or src).lstrip('/'))
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    shutil.copy2(os.path.realpath(src), dest)
    return dest


def build(out_path, kernel, intree, manual, project, guest_script, env, tools=()):
    """intree: in-tree modules loaded at boot (with their dependencies); manual: in-tree
    modules shipped as /lib/intree/<name>.ko for the script to load with parameters (their
    dependencies load at boot); project: {name: path}, shipped in /lib/cxx;
    env: variables exported to the guest script; tools: static helpers from
    scripts/harness/tools, shipped in /usr/bin."""
    with tempfile.TemporaryDirectory(prefix='vmtest-initrd-') as root:
        for d in ('bin', 'sbin', 'proc', 'sys', 'dev', 'tmp', 'etc', 'lib/cxx', 'lib/intree',
                  'mnt', 'root', 'usr/bin', 'usr/sbin'):
            os.makedirs(os.path.join(root, d), exist_ok=True)
        _copy("/bin/busybox", root)
        applets = subprocess.run(['/bin/busybox', '--list'], check=True, capture_output=True,
                                 text=True).stdout.split()
        for a in applets:
            if a in ('ip',):
                continue
            link = os.path.join(root, 'bin', a)
            if not os.path.exists(link):
                os.symlink('busybox', link)
        for name in tools:
            _copy(static_tool(name), root, f'/usr/bin/{name}')
        for tool in HOST_TOOLS:
            _copy(tool, root)
            for lib in _libs(tool):
                _copy(lib, root)
        manual_paths = {kernel.module_chain([m])[-1] for m in manual}
        chain = kernel.module_chain(list(intree) + list(manual))
        with open(os.path.join(root, 'etc', 'modules.load'), 'w') as f:
            for i, m in enumerate(chain):
                if m in manual_paths:
                    name = os.path.basename(m)
                    shutil.copy2(m, os.path.join(root, 'lib', 'intree', name))
                    continue
                name = f'{i:02d}-{os.path.basename(m)}'
                shutil.copy2(m, os.path.join(root, 'lib', 'intree', name))
                f.write(f'/lib/intree/{name}\n')
        for name, path in project.items():
            shutil.copy2(path, os.path.join(root, 'lib', 'cxx', name + '.ko'))
        shutil.copy2(os.path.join(HERE, 'guest', 'init'), os.path.join(root, 'init'))
        shutil.copy2(os.path.join(HERE, 'guest', 'lib.sh'), os.path.join(root, 'etc', 'lib.sh'))
        with open(os.path.join(root, 'etc', 'scenario.sh'), 'w') as f:
            for k, v in env.items():
                f.write(f"export {k}='{v}'\n")
            f.write(guest_script)
        os.chmod(os.path.join(root, 'init'), 0o755)
        with open(out_path, 'wb') as out:
            find = subprocess.Popen(['find', '.'], cwd=root, stdout=subprocess.PIPE)
            cpio = subprocess.Popen(['cpio', '-o', '-H', 'newc', '--quiet'], cwd=root,
                                    stdin=find.stdout, stdout=subprocess.PIPE)
            gz = subprocess.Popen(['gzip', '-1'], stdin=cpio.stdout, stdout=out)
            find.stdout.close()
            cpio.stdout.close()
            if gz.wait() or cpio.wait() or find.wait():
                raise RuntimeError('initramfs: cpio/gzip failed')
