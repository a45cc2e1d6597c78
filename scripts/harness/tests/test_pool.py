# SPDX-License-Identifier: GPL-2.0
"""scripts/vmtest's pool: what may run beside what (a scenario marked alone by itself, at
most MAX_TEST debug guests, at most `jobs` in all), checked with fake scenarios and workers
that record who ran beside whom."""
import importlib.machinery
import importlib.util
import os
import threading
import time
import unittest

from harness.registry import SCENARIOS

_path = os.path.join(os.path.dirname(__file__), '..', '..', 'vmtest')
_loader = importlib.machinery.SourceFileLoader('vmtest', _path)
_spec = importlib.util.spec_from_loader('vmtest', _loader)
vmtest = importlib.util.module_from_spec(_spec)
_loader.exec_module(vmtest)


class PoolTest(unittest.TestCase):
    # name: (alone, guests)
    FAKE = {'fa': (False, 1), 'fb': (False, 1), 'fc': (False, 1), 'fd': (False, 1),
            'fe': (True, 1), 'ff': (True, 2), 'fg': (False, 2)}

    def setUp(self):
        for name, (alone, guests) in self.FAKE.items():
            SCENARIOS[f'zz-{name}'] = dict(fn=None, kernels=('stock', 'test'), doc='',
                                           tier='full', alone=alone, guests=guests)

    def tearDown(self):
        for name in self.FAKE:
            SCENARIOS.pop(f'zz-{name}')

    def run_pool(self, items, jobs):
        pool = vmtest.Pool(items, jobs)
        beside, lock, started = [], threading.Lock(), []

        def worker():
            while (item := pool.take()):
                with lock:
                    started.append(item)
                    beside.append((item, list(pool.running)))
                time.sleep(0.02)
                pool.done(item)
        threads = [threading.Thread(target=worker) for _ in range(jobs)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return started, beside

    def test_limits(self):
        items = [(f'zz-{n}', k, 0) for n in ('fe', 'ff') for k in ('test', 'stock')] + \
            [(f'zz-{n}', k, 0) for k in ('test', 'stock') for n in ('fa', 'fb', 'fc', 'fd')]
        started, beside = self.run_pool(items, 3)
        self.assertEqual(sorted(started), sorted(items))
        for item, running in beside:
            self.assertLessEqual(sum(SCENARIOS[n]['guests'] for n, _, _ in running), 3)
            self.assertLessEqual(sum(k == 'test' for _, k, _ in running), vmtest.MAX_TEST)
            if SCENARIOS[item[0]]['alone']:
                self.assertEqual(running, [item])
        # the alone ones first, in order
        self.assertEqual(started[:4], items[:4])
        # three at once happened, and two debug guests at once
        self.assertTrue(any(len(r) == 3 for _, r in beside))
        self.assertTrue(any(sum(k == 'test' for _, k, _ in r) == vmtest.MAX_TEST
                            for _, r in beside))

    def test_two_guests_take_two_jobs(self):
        items = [('zz-fg', 'test', 0), ('zz-fg', 'stock', 0), ('zz-fa', 'test', 0),
                 ('zz-fb', 'stock', 0), ('zz-fc', 'stock', 0)]
        started, beside = self.run_pool(items, 3)
        self.assertEqual(sorted(started), sorted(items))
        for item, running in beside:
            self.assertLessEqual(sum(SCENARIOS[n]['guests'] for n, _, _ in running), 3)
            if item[0] == 'zz-fg':
                self.assertFalse([r for r in running if r[0] == 'zz-fg' and r != item])
        # with one job a scenario of two guests still runs (alone)
        started, _ = self.run_pool(items[:2], 1)
        self.assertEqual(started, items[:2])

    def test_one_job_keeps_order(self):
        items = [('zz-fa', 'stock', 0), ('zz-fe', 'test', 0), ('zz-fb', 'test', 0)]
        started, beside = self.run_pool(items, 1)
        self.assertEqual(started, items)
        self.assertTrue(all(len(r) == 1 for _, r in beside))

    def test_order(self):
        plan = [(f'zz-{n}', k, 0) for n in ('fa', 'fb', 'fe', 'ff', 'fg')
                for k in ('test', 'stock')]
        took = {'zz-fa/test': 100, 'zz-fa/stock': 30, 'zz-fb/test': 10, 'zz-fb/stock': 5,
                'zz-fe/test': 1, 'zz-fe/stock': 2, 'zz-ff/test': 3, 'zz-ff/stock': 4,
                'zz-fg/stock': 7}       # zz-fg/test never ran: a guess (GUESS_SECONDS)
        order = [f'{n[3:]}/{k}' for n, k, _ in vmtest.pool_order(plan, took)]
        # alone first (longest first: zz-ff is alone and of two guests), then the two-guest
        # ones, then the rest, each longest first
        self.assertEqual(order, ['ff/stock', 'ff/test', 'fe/stock', 'fe/test',
                                 'fg/test', 'fg/stock',
                                 'fa/test', 'fa/stock', 'fb/test', 'fb/stock'])


if __name__ == '__main__':
    unittest.main()
