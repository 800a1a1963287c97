#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn a guest run into a verdict.

    ktap.py [--name NAME] [--counts FILE] OUTPUT_LOG [CONSOLE_LOG]

OUTPUT_LOG holds the TAP/KTAP stream of kselftest's run_kselftest.sh (or
of any TAP producer), nested either with kselftest's "# " prefix or with
KTAP's four-space indent. Every leaf test result is counted; a parent
that failed although all its subtests passed (a test binary that crashed
or timed out after its last result) counts as one more failure, and so do
results a plan announced but that never came (a crash with no summary).

CONSOLE_LOG is the guest kernel's log: a WARNING, BUG, KASAN or kmemleak
report, lockdep splat, oops, panic or "Bad rss-counter" line there fails
the run even when every test passed.

Prints failures and skips by name, then "N passed, N failed, N skipped".
--counts FILE also writes "passed failed skipped kernel_problems" there.
Exit status: 0 when nothing failed and the kernel log is clean, else 1.
"""

import argparse
import re
import sys

RESULT = re.compile(r'^(not ok|ok)\b\s*(\d+)?\s*(?:-\s*)?(.*?)\s*$')
PLAN = re.compile(r'^1\.\.(\d+)')
VERSION = re.compile(r'^K?TAP version')
DIRECTIVE = re.compile(r'\s#\s*(SKIP|TODO|XFAIL|TIMEOUT|ERROR)\b\s*(.*)$', re.I)

# Kernel log lines that fail a run. Each pattern is named in the report.
KERNEL_PROBLEMS = [
    ('kernel warning', re.compile(r'WARNING: (CPU|at) |------------\[ cut here \]')),
    ('kernel BUG', re.compile(r'\bBUG: |kernel BUG at ')),
    ('KASAN report', re.compile(r'KASAN: ')),
    ('kmemleak report', re.compile(r'unreferenced object 0x|kmemleak: \d+ new suspected memory leaks')),
    ('lockdep report', re.compile(r'possible (circular|recursive) locking|inconsistent lock state|'
                                  r'suspicious RCU usage|lock held when returning|'
                                  r'INFO: lockdep is turned off')),
    ('oops', re.compile(r'\bOops\b|general protection fault|Unable to handle kernel')),
    ('kernel panic', re.compile(r'Kernel panic - not syncing')),
    ('bad rss-counter', re.compile(r'Bad rss-counter')),
    ('UBSAN report', re.compile(r'UBSAN: ')),
    ('list or refcount corruption', re.compile(r'list_(add|del) corruption|refcount_t: ')),
    ('hung task', re.compile(r'blocked for more than \d+ seconds')),
]


class Node:
    def __init__(self, ok, num, name, directive, depth):
        self.ok = ok
        self.num = num
        self.name = name
        self.directive = directive
        self.depth = depth
        self.children = []
        self.plan = None


def split_depth(line):
    depth = 0
    while True:
        if line.startswith('# ') or line == '#':
            line = line[2:]
        elif line.startswith('    '):
            line = line[4:]
        else:
            return depth, line
        depth += 1


def parse(lines):
    """Return (top-level nodes, top-level plan) of a nested TAP stream."""
    # pending[d]: results seen at depth d not yet claimed by a parent.
    pending = {}
    plans = {}
    running = {}
    for raw in lines:
        raw = raw.rstrip('\r\n')
        depth, line = split_depth(raw)
        if raw.startswith('# selftests: ') or raw.startswith('# Subtest: '):
            running[depth] = raw.split(': ', 1)[1]
        if VERSION.match(line):
            # Several top-level streams (one run after another) add up.
            if depth > 0:
                pending[depth] = []
                plans[depth] = None
            continue
        m = PLAN.match(line)
        if m:
            if depth == 0:
                plans[0] = (plans.get(0) or 0) + int(m.group(1))
            else:
                plans[depth] = int(m.group(1))
            continue
        m = RESULT.match(line)
        if not m:
            continue
        rest = m.group(3)
        directive = None
        d = DIRECTIVE.search(' ' + rest)
        if d:
            directive = d.group(1).upper()
            rest = (' ' + rest)[:d.start()].strip()
        node = Node(m.group(1) == 'ok', m.group(2), rest, directive, depth)
        node.children = pending.pop(depth + 1, [])
        node.plan = plans.pop(depth + 1, None)
        pending.setdefault(depth, []).append(node)
    # Orphans: results whose parent never came (the guest died mid-test).
    # They stand under a made-up failed parent, named after the test that
    # was running, so the top-level plan sees one entry for it.
    for depth in sorted((d for d in pending if d > 0), reverse=True):
        parent = Node(False, None, '%s (unfinished)' % running.get(depth, 'test'),
                      None, depth - 1)
        parent.children = pending.pop(depth)
        parent.plan = plans.pop(depth, None)
        parent.orphan = True
        pending.setdefault(depth - 1, []).append(parent)
    return pending.get(0, []), plans.get(0)


def tally(nodes, plan, prefix, out, skipped_parent=False):
    """Count leaves into out = {passed, failed, skipped, fails, skips}.

    Results a plan announced but that never came are failures, unless the
    test then exited with "skip" (kselftest's KSFT_SKIP): those are skips.
    """
    failed_before = out['failed']
    for n in nodes:
        name = (prefix + ' / ' if prefix else '') + (n.name or 'test %s' % n.num)
        if n.children or n.plan:
            tally(n.children, n.plan, name, out, n.ok and n.directive == 'SKIP')
            if not n.ok and n.directive != 'SKIP' and out['failed'] == failed_before:
                out['failed'] += 1
                out['fails'].append(name + ' (failed after its subtests)')
            elif n.directive == 'SKIP' and not n.children:
                out['skipped'] += 1
                out['skips'].append(name)
            failed_before = out['failed']
            continue
        if n.directive == 'SKIP':
            out['skipped'] += 1
            out['skips'].append(name)
        elif n.ok or n.directive in ('TODO', 'XFAIL'):
            out['passed'] += 1
        else:
            out['failed'] += 1
            out['fails'].append(name)
        failed_before = out['failed']
    if plan is not None and len(nodes) < plan:
        missing = plan - len(nodes)
        if skipped_parent:
            out['skipped'] += missing
            out['skips'].append('%s: %d of %d planned results skipped with the rest of the test'
                                % (prefix, missing, plan))
            return
        out['failed'] += missing
        out['fails'].append('%s: %d of %d planned results missing (crash or hang?)'
                            % (prefix or 'top level', missing, plan))


def check_kernel_log(lines):
    problems = []
    for i, raw in enumerate(lines):
        line = raw.rstrip('\r\n')
        for what, pat in KERNEL_PROBLEMS:
            if pat.search(line):
                problems.append((what, i + 1, line.strip()))
                break
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--name', default='')
    ap.add_argument('--counts')
    ap.add_argument('output')
    ap.add_argument('console', nargs='?')
    args = ap.parse_args()

    try:
        with open(args.output, errors='replace') as f:
            nodes, plan = parse(f)
    except OSError as e:
        print('cannot read the test output: %s' % e, file=sys.stderr)
        nodes, plan = [], None
    out = {'passed': 0, 'failed': 0, 'skipped': 0, 'fails': [], 'skips': []}
    tally(nodes, plan, '', out)
    if not nodes and plan != 0:
        out['failed'] += 1
        out['fails'].append('no test result at all in %s' % args.output)

    problems = []
    if args.console:
        try:
            with open(args.console, errors='replace') as f:
                problems = check_kernel_log(f.readlines())
        except OSError as e:
            problems = [('no kernel log', 0, str(e))]

    tag = '%s: ' % args.name if args.name else ''
    for name in out['fails']:
        print('%sFAIL: %s' % (tag, name))
    for name in out['skips']:
        print('%sSKIP: %s' % (tag, name))
    for what, lineno, line in problems[:20]:
        print('%sKERNEL: %s at %s:%d: %s' % (tag, what, args.console, lineno, line))
    if len(problems) > 20:
        print('%sKERNEL: ... and %d more problem lines' % (tag, len(problems) - 20))
    print('%s%d passed, %d failed, %d skipped' % (tag, out['passed'], out['failed'], out['skipped']))
    if args.counts:
        with open(args.counts, 'w') as f:
            f.write('%d %d %d %d\n' % (out['passed'], out['failed'], out['skipped'], len(problems)))
    return 1 if out['failed'] or problems else 0


if __name__ == '__main__':
    sys.exit(main())
