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

--expected-skips FILE (with --base NAME [--boot NAME] [--variant NAME]):
every skip must match a line "base[:boot[:variant]]|heap|test
glob|reason" of FILE (base, boot and variant may be "*"; no ":boot" is
any boot, no ":variant" any variant, such as "arm64-16k"); any other skip
is a failure ("unexpected skip"), since the kernels the harness runs have
the feature and every skip hides a check that did not run.

Prints failures and skips by name, then "N passed, N failed, N skipped".
--counts FILE also writes "passed failed skipped kernel_problems" there.
Exit status: 0 when nothing failed and the kernel log is clean, else 1.
"""

import argparse
import fnmatch
import re
import sys

RESULT = re.compile(r'^(not ok|ok)\b\s*(\d+)?\s*(?:-\s*)?(.*?)\s*$')
PLAN = re.compile(r'^1\.\.(\d+)')
VERSION = re.compile(r'^K?TAP version')
DIRECTIVE = re.compile(r'\s#\s*(SKIP|TODO|XFAIL|TIMEOUT|ERROR)\b\s*(.*)$', re.I)

# Kernel log lines that fail a run. Each pattern is named in the report;
# the first that matches a line names it. Every detector the debug flavour
# enables (config/debug.config) has its report here.
_TS = r'^\s*(?:<\d+>)?(?:\[[^\]]*\]\s*)?'
KERNEL_PROBLEMS = [
    ('lockdep report', re.compile(r'possible (circular|recursive) locking|inconsistent lock state|'
                                  r'suspicious RCU usage|lock held when returning|'
                                  r'bad unlock balance detected|held lock freed|'
                                  r'possible irq lock inversion|-safe -> \S+-unsafe lock order|'
                                  r'Nested lock was not taken|DEBUG_LOCKS_WARN_ON|'
                                  r'lock\(s\) held when|INFO: lockdep is turned off')),
    ('RCU stall', re.compile(r'rcu: INFO: \S+ (self-)?detected stall|detected stalls? on CPUs|'
                             r'rcu_\w+ kthread (starved|timer wakeup didn)')),
    ('soft or hard lockup', re.compile(r'soft lockup - CPU#|Watchdog detected hard LOCKUP')),
    ('hung task', re.compile(r'INFO: task .* blocked for more than \d+ seconds|'
                             r'blocked for more than \d+ seconds')),
    ('page poison corruption', re.compile(r'pagealloc: (memory corruption|single bit error)')),
    ('slab corruption', re.compile(_TS + r'BUG [\w-]+ \((Not tainted|Tainted)[^)]*\): ')),
    ('bad page', re.compile(r'BUG: Bad page (state|map)|page dumped because: ')),
    ('KASAN report', re.compile(r'KASAN: ')),
    ('kmemleak report', re.compile(r'unreferenced object 0x|kmemleak: \d+ new suspected memory leaks')),
    ('UBSAN report', re.compile(r'UBSAN: ')),
    ('list or refcount corruption', re.compile(r'list_(add|del) corruption|refcount_t: ')),
    ('bad rss-counter', re.compile(r'Bad rss-counter')),
    ('kernel BUG', re.compile(r'\bBUG: |kernel BUG at ')),
    ('oops', re.compile(r'\bOops\b|general protection fault|Unable to handle kernel')),
    ('kernel panic', re.compile(r'Kernel panic - not syncing')),
    # Last: any other "WARNING:" header (WARN_ON, and whatever a checker
    # adds later), so that no report is lost for want of a name.
    ('kernel warning', re.compile(r'WARNING: |------------\[ cut here \]')),
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
        self.reason = ''


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
        reason = ''
        d = DIRECTIVE.search(' ' + rest)
        if d:
            directive = d.group(1).upper()
            reason = d.group(2).strip()
            rest = (' ' + rest)[:d.start()].strip()
        else:
            # Any other "# ..." is a comment (kselftest's "# exit=1"),
            # not part of the test's name.
            rest = re.sub(r'\s+#\s.*$', '', rest)
        node = Node(m.group(1) == 'ok', m.group(2), rest, directive, depth)
        node.reason = reason
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


def skip_name(name, node):
    """A skip is named with its reason: the same test skipping for
    another reason is another skip."""
    return '%s (%s)' % (name, node.reason) if node.reason else name


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
                out['skips'].append(skip_name(name, n))
            failed_before = out['failed']
            continue
        if n.directive == 'SKIP':
            out['skipped'] += 1
            out['skips'].append(skip_name(name, n))
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


def load_expected_skips(path, base, boot, variant=''):
    """[(glob, heap, reason)] of the lines of PATH that apply to BASE's BOOT.

    The first field is "base", "base:boot" or "base:boot:variant", each
    part a name or "*"; without ":boot" the line applies to every boot of
    the base, without ":variant" to every variant (the architecture and
    page size of the kernel, "arm64-16k"...; none on x86_64). A line
    naming a variant applies to that variant only.
    """
    rules = []
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith('#'):
                continue
            fields = [x.strip() for x in line.split('|', 3)]
            if len(fields) != 4 or not all(fields):
                raise ValueError('%s:%d: want "base|heap|test glob|reason"' % (path, n))
            rb, _, rest = fields[0].partition(':')
            rboot, _, rvar = rest.partition(':')
            if rb in ('*', base) and rboot in ('', '*', boot) and \
               rvar in ('', '*', variant):
                rules.append((fields[2], fields[1], fields[3]))
    return rules


def apply_expected_skips(out, rules):
    """Turn every skip no rule expects into a failure."""
    kept = []
    for name in out['skips']:
        rule = next((r for r in rules if fnmatch.fnmatchcase(name, r[0])), None)
        if rule:
            kept.append('%s (expected: %s heap: %s)' % (name, rule[1], rule[2]))
            continue
        # A parent's "N of M planned results skipped" line stands for N.
        m = re.search(r': (\d+) of \d+ planned results skipped', name)
        n = int(m.group(1)) if m else 1
        out['skipped'] -= n
        out['failed'] += n
        out['fails'].append('unexpected skip: %s' % name)
    out['skips'] = kept


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--name', default='')
    ap.add_argument('--counts')
    ap.add_argument('--expected-skips')
    ap.add_argument('--base', default='')
    ap.add_argument('--boot', default='')
    ap.add_argument('--variant', default='')
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
    if args.expected_skips:
        apply_expected_skips(out, load_expected_skips(args.expected_skips, args.base, args.boot,
                                                      args.variant))

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
