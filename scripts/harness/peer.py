# SPDX-License-Identifier: GPL-2.0
"""Host peer: one UDP socket on 127.0.0.1 per guest NIC, carrying one raw Ethernet frame per
datagram (QEMU -netdev dgram). A receive thread only records frames (no parsing in the loop)
and the socket's own drop counter (SO_RXQ_OVFL), so host losses are never blamed on the
guest. Responders (e.g. relays to another VM) run on a second thread."""
import queue
import select
import socket
import struct
import subprocess
import threading
import time

SO_RXQ_OVFL = 40
SO_RCVBUFFORCE = 33     # as root: not capped by net.core.rmem_max
RCVBUF = 32 << 20


def raise_rmem_max():
    """Without root, SO_RCVBUFFORCE fails and SO_RCVBUF is capped by net.core.rmem_max (208 KiB
    on a fresh Debian): a printk flood would then overflow the host socket. A user with sudo
    raises the cap once."""
    with open('/proc/sys/net/core/rmem_max') as f:
        if int(f.read()) >= RCVBUF:
            return
    subprocess.run(['sudo', '-n', 'sysctl', '-q', '-w', f'net.core.rmem_max={RCVBUF}'],
                   stdin=subprocess.DEVNULL, capture_output=True)


def guest_socket(host_port):
    """The guest side of a link: bound and connected to the host's socket here and handed to
    QEMU as an fd (local.type=fd), so no other process can take its port between choosing and
    binding it."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(('127.0.0.1', 0))
    s.connect(('127.0.0.1', host_port))
    return s


class Endpoint:
    """The host side of one guest NIC."""

    def __init__(self, name, host_mac='52:54:00:ff:00:01'):
        self.name = name
        self.host_mac = host_mac
        self.guest_mac = None
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, RCVBUF)
        except PermissionError:
            raise_rmem_max()
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RCVBUF)
        self.rcvbuf = self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
        self.sock.setsockopt(socket.SOL_SOCKET, SO_RXQ_OVFL, 1)
        self.sock.bind(('127.0.0.1', 0))
        self.host_port = self.sock.getsockname()[1]
        self.vm_sock = guest_socket(self.host_port)    # QEMU's end; closed here once QEMU holds it
        self.vm_port = self.vm_sock.getsockname()[1]
        self.frames = []            # (monotonic time, bytes), in arrival order
        self.host_drops = 0         # datagrams the host socket dropped (SO_RXQ_OVFL)
        self.sent = 0
        self.handlers = []          # callables(frame bytes) run on the responder thread
        self._work = queue.Queue()
        self._stop = False
        self.lock = threading.Lock()
        self._rx = threading.Thread(target=self._rx_loop, daemon=True)
        self._resp = threading.Thread(target=self._resp_loop, daemon=True)
        self._rx.start()
        self._resp.start()

    def _rx_loop(self):
        self.sock.settimeout(0.2)
        while not self._stop:
            try:
                data, anc, _, _ = self.sock.recvmsg(65536, socket.CMSG_SPACE(4))
            except socket.timeout:
                continue
            except OSError:
                return
            for level, typ, val in anc:
                if level == socket.SOL_SOCKET and typ == SO_RXQ_OVFL:
                    self.host_drops = struct.unpack('I', val[:4])[0]
            with self.lock:
                self.frames.append((time.monotonic(), data))
            if self.handlers:
                self._work.put(data)

    def _resp_loop(self):
        while not self._stop:
            try:
                data = self._work.get(timeout=0.2)
            except queue.Empty:
                continue
            for h in self.handlers:
                try:
                    h(data)
                except Exception as e:  # a bad frame must not kill the peer
                    print(f'peer {self.name}: handler error: {e}')

    def send(self, frame):
        """Send one raw Ethernet frame to the guest (padded to the 60-byte minimum)."""
        if self._stop:
            return          # the guest is gone (a relay peer may still forward to it)
        if len(frame) < 60:
            frame = frame + b'\0' * (60 - len(frame))
        self.sock.sendto(frame, ('127.0.0.1', self.vm_port))
        self.sent += 1

    def snapshot(self):
        with self.lock:
            return list(self.frames)

    def write_pcap(self, path):
        with open(path, 'wb') as f:
            f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
            for t, data in self.snapshot():
                sec = int(t)
                f.write(struct.pack('<IIII', sec, int((t - sec) * 1e6), len(data), len(data)))
                f.write(data)

    def close(self):
        """Stop after every datagram already queued on the socket has been read (and the
        responders have seen it), so nothing the guest sent is missed or miscounted."""
        if self._stop:
            return
        quiet = 0
        while quiet < 3:
            readable, _, _ = select.select([self.sock], [], [], 0.1)
            quiet = 0 if readable else quiet + 1
        while not self._work.empty():
            threading.Event().wait(0.05)
        self._stop = True
        self._rx.join()
        self._resp.join()
        self.sock.close()
        self.release_vm_sock()

    def release_vm_sock(self):
        """QEMU has its own copy of the guest-side socket once started."""
        if self.vm_sock:
            self.vm_sock.close()
            self.vm_sock = None


def mac_bytes(mac):
    return bytes(int(x, 16) for x in mac.split(':'))


def relay(a, b):
    """Join two endpoints (two guests' NICs) into one wire; the host sees every frame."""
    a.handlers.append(b.send)
    b.handlers.append(a.send)


def udp_payloads(ep, dport):
    """(src ip, sport, payload) of every IPv4/IPv6 UDP datagram to dport seen from the guest,
    in arrival order."""
    from scapy.layers.inet import IP, UDP
    from scapy.layers.inet6 import IPv6
    from scapy.layers.l2 import Ether
    out = []
    for _, raw in ep.snapshot():
        pkt = Ether(raw)
        if UDP not in pkt or pkt[UDP].dport != dport:
            continue
        ip = pkt[IP] if IP in pkt else pkt[IPv6]
        out.append((ip.src, pkt[UDP].sport, bytes(pkt[UDP].payload)))
    return out


def udp_datagrams(ep, dport=None):
    """Every UDP datagram the guest sent on ep (optionally to dport), in arrival order, as
    dicts: src, dst, sport, dport, payload, v6, csum_ok (IP header and UDP checksums as the
    receiver would verify them)."""
    from scapy.layers.inet import IP, UDP
    from scapy.layers.inet6 import IPv6
    from scapy.layers.l2 import Dot1Q, Ether
    out = []
    for _, raw in ep.snapshot():
        pkt = Ether(raw)
        if UDP not in pkt or (dport is not None and pkt[UDP].dport != dport):
            continue
        v6 = IPv6 in pkt
        ip = pkt[IPv6] if v6 else pkt[IP]
        fresh = pkt.copy()
        del fresh[UDP].chksum
        if not v6:
            del fresh[IP].chksum
        fresh = Ether(bytes(fresh))
        ok = fresh[UDP].chksum == pkt[UDP].chksum and pkt[UDP].chksum != 0
        if not v6:
            ok = ok and fresh[IP].chksum == pkt[IP].chksum
        out.append(dict(src=ip.src, dst=ip.dst, sport=pkt[UDP].sport, dport=pkt[UDP].dport,
                        payload=bytes(pkt[UDP].payload), v6=v6, csum_ok=ok,
                        vlan=pkt[Dot1Q].vlan if Dot1Q in pkt else None))
    return out
