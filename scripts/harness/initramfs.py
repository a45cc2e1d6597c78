# SPDX-License-Identifier: GPL-2.0
"""What a guest is given. The base initramfs (busybox, Debian's ip with its libraries since
busybox `ip` ignores bond options, /init, the disk driver) is the same for every scenario on a
kernel, so a saved VM state can be shared. The payload disk holds the scenario: its script,
guest helpers, in-tree modules in dependency order, project modules and static tools; /init
waits for it, so a VM restored from a saved state runs whatever payload it is given."""
import hashlib
import os
import shutil
import subprocess
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
GUEST = os.path.join(HERE, 'guest')
HOST_TOOLS = ['/usr/sbin/ip']
TOOLS_OUT = os.path.join(HERE, '..', '..', 'build', 'tools')
# In-tree modules of the base: the payload disk's driver (built in on the test kernel).
BASE_MODULES = ['virtio_pci', 'virtio_blk']
PAYLOAD_MAGIC = b'VMTEST-PAYLOAD'
PAYLOAD_OFFSET = 4096           # the cpio archive starts here; sector 0 holds magic + length
PAYLOAD_SIZE = 256 << 20        # fixed: the disk's size is part of a saved VM state


def static_tool(name):
    """scripts/harness/tools/<name>.c built static (glibc's libc.a) into build/tools/."""
    src = os.path.join(HERE, 'tools', name + '.c')
    out = os.path.join(TOOLS_OUT, name)
    if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(src):
        os.makedirs(TOOLS_OUT, exist_ok=True)
        tmp = f'{out}.{os.getpid()}.{threading.get_ident()}.tmp'    # parallel runs
        subprocess.run(['gcc-12', '-static', '-O2', '-Wall', '-Werror', '-o', tmp, src],
                       check=True)
        os.replace(tmp, out)
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


def _cpio(root, out, compress):
    with open(out, 'wb') as f:
        find = subprocess.Popen(['find', '.'], cwd=root, stdout=subprocess.PIPE)
        cpio = subprocess.Popen(['cpio', '-o', '-H', 'newc', '--quiet'], cwd=root,
                                stdin=find.stdout, stdout=subprocess.PIPE if compress else f)
        find.stdout.close()
        gz = None
        if compress:
            gz = subprocess.Popen(['gzip', '-1'], stdin=cpio.stdout, stdout=f)
            cpio.stdout.close()
        if (gz and gz.wait()) or cpio.wait() or find.wait():
            raise RuntimeError('initramfs: cpio/gzip failed')


def base_files(kernel):
    """dest path in the guest -> source file, for the base initramfs."""
    files = {'/bin/busybox': '/bin/busybox', '/init': os.path.join(GUEST, 'init')}
    for tool in HOST_TOOLS:
        for f in [tool] + _libs(tool):
            files[f] = os.path.realpath(f)
    for i, m in enumerate(kernel.module_chain(BASE_MODULES)):
        files[f'/lib/base/{i:02d}-{os.path.basename(m)}'] = m
    return files


def base_key(kernel):
    """A digest of everything in the base initramfs."""
    h = hashlib.sha256()
    for dest, src in sorted(base_files(kernel).items()):
        with open(src, 'rb') as f:
            h.update(dest.encode() + b'\0' + hashlib.sha256(f.read()).digest())
    return h.hexdigest()[:16]


def build_base(out_path, kernel):
    with tempfile.TemporaryDirectory(prefix='vmtest-base-') as root:
        for d in ('bin', 'sbin', 'proc', 'sys', 'dev', 'tmp', 'etc', 'lib/base', 'lib/cxx',
                  'lib/intree', 'mnt', 'root', 'usr/bin', 'usr/sbin'):
            os.makedirs(os.path.join(root, d), exist_ok=True)
        for dest, src in base_files(kernel).items():
            path = os.path.join(root, dest.lstrip('/'))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            shutil.copy2(src, path)
        os.chmod(os.path.join(root, 'init'), 0o755)
        applets = subprocess.run(['/bin/busybox', '--list'], check=True, capture_output=True,
                                 text=True).stdout.split()
        for a in applets:
            link = os.path.join(root, 'bin', a)
            if a != 'ip' and not os.path.exists(link):
                os.symlink('busybox', link)
        _cpio(root, out_path, compress=True)


def empty_payload(out_path):
    with open(out_path, 'wb') as f:
        f.truncate(PAYLOAD_SIZE)


def build_payload(out_path, kernel, intree, manual, project, guest_script, env, tools=(),
                  host_tools=()):
    """intree: in-tree modules loaded before the script (with their dependencies); manual:
    in-tree modules shipped as /lib/intree/<name>.ko for the script to load with parameters
    (their dependencies load first); project: {name: path}, shipped in /lib/cxx;
    env: variables exported to the guest script; tools: static helpers from
    scripts/harness/tools, shipped in /usr/bin; host_tools: the host's own programs (paths,
    e.g. /usr/sbin/ethtool), shipped at the same path with the libraries the base lacks."""
    base = set(kernel.module_chain(BASE_MODULES))
    with tempfile.TemporaryDirectory(prefix='vmtest-payload-') as root:
        for d in ('etc', 'lib/cxx', 'lib/intree', 'usr/bin'):
            os.makedirs(os.path.join(root, d), exist_ok=True)
        for name in tools:
            shutil.copy2(static_tool(name), os.path.join(root, 'usr', 'bin', name))
        in_base = set(base_files(kernel))
        for tool in host_tools:
            for f in [tool] + _libs(tool):
                if f in in_base:
                    continue
                dest = os.path.join(root, f.lstrip('/'))
                os.makedirs(os.path.dirname(dest), exist_ok=True)
                shutil.copy2(os.path.realpath(f), dest)
        manual_paths = {kernel.module_chain([m])[-1] for m in manual}
        chain = [m for m in kernel.module_chain(list(intree) + list(manual)) if m not in base]
        with open(os.path.join(root, 'etc', 'modules.load'), 'w') as f:
            for i, m in enumerate(chain):
                if m in manual_paths:
                    shutil.copy2(m, os.path.join(root, 'lib', 'intree', os.path.basename(m)))
                    continue
                name = f'{i:02d}-{os.path.basename(m)}'
                shutil.copy2(m, os.path.join(root, 'lib', 'intree', name))
                f.write(f'/lib/intree/{name}\n')
        for name, path in project.items():
            shutil.copy2(path, os.path.join(root, 'lib', 'cxx', name + '.ko'))
        shutil.copy2(os.path.join(GUEST, 'lib.sh'), os.path.join(root, 'etc', 'lib.sh'))
        with open(os.path.join(root, 'etc', 'scenario.sh'), 'w') as f:
            for k, v in env.items():
                f.write(f"export {k}='{v}'\n")
            f.write(guest_script)
        archive = out_path + '.cpio'
        _cpio(root, archive, compress=False)
    size = os.path.getsize(archive)
    if PAYLOAD_OFFSET + size > PAYLOAD_SIZE:
        raise RuntimeError(f'payload of {size} bytes does not fit the {PAYLOAD_SIZE}-byte disk')
    with open(out_path, 'wb') as out, open(archive, 'rb') as a:
        out.write(PAYLOAD_MAGIC + b' %d\n' % size)
        out.seek(PAYLOAD_OFFSET)
        shutil.copyfileobj(a, out)
        out.truncate(PAYLOAD_SIZE)
    os.unlink(archive)
