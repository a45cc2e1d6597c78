# SPDX-License-Identifier: GPL-2.0
"""What cxx_netpoll's rx validator must make of a frame, modelled on the host from the rules
the README states (RFC 791/768/8200 plus the project's choices), not from netpoll/rx.cpp:
pong-malformed sends deterministic frames and requires every rx counter to equal this
model's count, so a frame the module misclassifies shows up as a difference.

The frame is what the host puts on the link, as the guest's device receives it (virtio-net
over a socket backend: no offloads, so every checksum is the software one)."""
import struct

PORT_MIN_ETHERTYPE = 0x600
VLAN_TYPES = (0x8100, 0x88a8)
EXT_HEADERS = {0, 43, 44, 50, 51, 59, 60, 135, 139, 140, 253, 254}
MAX_EXT_HEADERS = 8


def inet_sum(data):
    """The one's-complement sum of RFC 1071, folded (0xffff: a correct checksum)."""
    if len(data) & 1:
        data += b'\0'
    s = sum(struct.unpack(f'!{len(data) // 2}H', data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


def reason(frame, v6, dev_mac, local_ip, port):
    """The reason frame must be counted under: 'delivered', 'not_ip', 'other_host', ...
    dev_mac and local_ip as bytes."""
    if len(frame) < 14 or frame[0:6] != dev_mac:
        return 'other_host'     # PACKET_OTHERHOST (promiscuous), multicast, broadcast
    ethertype = struct.unpack('!H', frame[12:14])[0]
    if ethertype in VLAN_TYPES:
        return 'other_host'     # a tagged frame is a VLAN device's
    if ethertype != (0x86dd if v6 else 0x0800):
        return 'not_ip'
    ip = frame[14:]
    return (_ipv6 if v6 else _ipv4)(ip, local_ip, port)


def _ipv4(ip, local_ip, port):
    if len(ip) < 20:
        return 'truncated'
    ihl = (ip[0] & 0xf) * 4
    if ip[0] >> 4 != 4 or ihl < 20:
        return 'bad_header'
    if ihl > len(ip):
        return 'truncated'
    if inet_sum(ip[:ihl]) != 0xffff:
        return 'bad_ip_csum'
    tot_len = struct.unpack('!H', ip[2:4])[0]
    if tot_len > len(ip) or tot_len < ihl:
        return 'truncated'
    src, dst = ip[12:16], ip[16:20]
    if dst != local_ip:
        return 'other_host'
    if src in (b'\0\0\0\0', b'\xff\xff\xff\xff') or src[0] >> 4 == 0xe:
        return 'bad_header'     # no reply can go to a martian source
    if ip[9] != 17:
        return 'not_udp'
    frag = struct.unpack('!H', ip[6:8])[0]
    if frag & 0x1fff:
        return 'fragment'       # not the first: no UDP header to say whose it is
    more = bool(frag & 0x2000)
    pseudo = src + dst + struct.pack('!BBH', 0, 17, tot_len - ihl)
    return _udp(ip[ihl:tot_len], port, more, ihl > 20, pseudo, False)


def _ipv6(ip, local_ip, port):
    if len(ip) < 40:
        return 'truncated'
    if ip[0] >> 4 != 6:
        return 'bad_header'
    end = 40 + struct.unpack('!H', ip[4:6])[0]
    if end > len(ip):
        return 'truncated'
    src, dst = ip[8:24], ip[24:40]
    if dst != local_ip:
        return 'other_host'
    if src[0] == 0xff:
        return 'bad_header'     # a multicast source
    nxt, off, first_fragment = ip[6], 40, False
    for i in range(MAX_EXT_HEADERS + 1):
        if nxt == 17:
            break
        if nxt not in EXT_HEADERS:
            return 'not_udp'
        if i == MAX_EXT_HEADERS:
            return 'ext_header'
        if off + 8 > end:
            return 'truncated'
        eh = ip[off:off + 8]
        if nxt == 44:           # fragment header
            frag = struct.unpack('!H', eh[2:4])[0]
            if frag & 0xfff8 or first_fragment:
                return 'fragment'
            first_fragment = bool(frag & 1)     # an atomic fragment (M=0, offset 0) is none
            nxt, off = eh[0], off + 8
            continue
        # hop-by-hop right after the IPv6 header, destination options, a routing header
        # with no segments left: followed; anything else is not
        if not ((nxt == 0 and i == 0) or nxt == 60 or (nxt == 43 and eh[3] == 0)):
            return 'ext_header'
        nxt, off = eh[0], off + (eh[1] + 1) * 8
        if off > end:
            return 'truncated'
    pseudo = src + dst + struct.pack('!IxxxB', end - off, 17)
    return _udp(ip[off:end], port, first_fragment, False, pseudo, True)


def _udp(l4, port, first_fragment, options, pseudo, v6):
    if len(l4) < 8:
        # a first fragment too short to name its port could be ours: refused as a fragment
        return 'fragment' if first_fragment else 'truncated'
    _, dport, ulen, csum = struct.unpack('!HHHH', l4[:8])
    if dport != port:
        return 'wrong_port'
    if first_fragment:
        return 'fragment'
    if options:
        return 'ip_options'
    if ulen != len(l4):
        return 'bad_len'
    if csum == 0:
        return 'bad_udp_csum' if v6 else 'delivered'    # optional in IPv4 only
    if inet_sum(pseudo + l4) != 0xffff:
        return 'bad_udp_csum'
    return 'delivered'
