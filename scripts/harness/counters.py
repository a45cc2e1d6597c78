# SPDX-License-Identifier: GPL-2.0
"""The counters' names, read from include/cxx_netpoll.h, where each is named once (the C
fields, the core's enum, debugfs and every module's output derive from the same lists)."""
import os
import re

HEADER = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'include',
                      'cxx_netpoll.h')


def _macros():
    """{macro name: body} of the function-like macros taking X."""
    with open(HEADER) as f:
        text = re.sub(r'/\*.*?\*/', '', f.read(), flags=re.S)
    text = text.replace('\\\n', ' ')
    return dict(re.findall(r'^#define (\w+)\(X\)(.*)$', text, re.M))


def _expand(name, macros):
    out = []
    for m in re.finditer(r'\bX\(([^)]*)\)|\b(\w+)\(X\)', macros[name]):
        if m.group(1):
            out.append(tuple(a.strip() for a in m.group(1).split(',')))
        else:
            out += _expand(m.group(2), macros)
    return out


_M = _macros()
TX = [a[0] for a in _expand('CXX_NETPOLL_TX_COUNTERS', _M)]
DROPS = [a[0] for a in _expand('CXX_NETPOLL_TX_DROPS', _M)]
RX_REASONS = [a[1] for a in _expand('CXX_NETPOLL_RX_REASON_LIST', _M)]


def reports(text, tag):
    """Every `VMTEST-<tag> ...` line of a guest log, in order, as a dict: the line is
    `key value key value ...`, or `label key value ...` (the label then under '_label').
    Values that are numbers as int. The one parser of the guests' counter lines."""
    out = []
    for m in re.finditer(rf'VMTEST-{tag} ([^\r\n]*)', text):
        words = m.group(1).split()
        r = {}
        if len(words) % 2:
            r['_label'] = words.pop(0)
        for k, v in zip(words[::2], words[1::2]):
            r[k] = int(v) if re.fullmatch(r'-?\d+', v) else v
        out.append(r)
    return out


def by(text, tag, key='_label'):
    """{value of key: counters} of the VMTEST-<tag> lines; a later line adds to (and
    overrides) what an earlier one with the same key said."""
    out = {}
    for r in reports(text, tag):
        if key in r:
            out.setdefault(r[key], {}).update((k, v) for k, v in r.items() if k != key)
    return out
