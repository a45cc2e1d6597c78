# SPDX-License-Identifier: GPL-2.0
"""The scenario registry: each scenario module (harness/scenarios/) registers its scenarios
here with @scenario; scripts/vmtest runs them. A scenario returns a list of problems (empty:
pass); its guest side is guest/scenarios/<name>.sh."""

import os

SCENARIOS = {}
TIERS = ('quick', 'full')
GUEST = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'guest', 'scenarios')


def scenario(name, kernels, doc, tier='full', alone=False, guests=1):
    """Register a scenario. tier: 'quick' ones run in `make check-quick` (the edit loop) and in
    `make check`; 'full' ones only in `make check`. alone: never run beside another scenario
    (`vmtest run --jobs N` runs up to N guests at once otherwise): timing the guest must not
    lose to a neighbour. guests: how many guests it runs at once (each takes a job)."""
    assert tier in TIERS, tier

    def reg(fn):
        SCENARIOS[name] = dict(fn=fn, kernels=kernels, doc=doc, tier=tier, alone=alone,
                               guests=guests)
        return fn
    return reg


def guest_script(name):
    """The guest side of a scenario: guest/scenarios/<name>.sh (it defines scenario(); /init
    sources /etc/lib.sh first)."""
    with open(os.path.join(GUEST, name + '.sh')) as f:
        return f.read()
