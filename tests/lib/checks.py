# SPDX-License-Identifier: GPL-2.0
"""Assertions on a BootResult, shared by the QEMU tests.

Each raises AssertionError whose message says what was expected, then
BootResult.describe(): the exit status, its meaning and the serial log tail.
Their own frames are hidden from pytest's tracebacks.
"""

import re

from . import qemu

KTAP_HEADER_RE = re.compile(r"^\s*KTAP version 1\s*$", re.M)
KTAP_NOT_OK_RE = re.compile(r"^\s*not ok \d+", re.M)
SUMMARY_RE = re.compile(r"ktest: summary: (\d+) passed, (\d+) failed")


def fail(result, what):
    """Raise AssertionError: WHAT, then the exit status and the log tail."""
    __tracebackhide__ = True
    raise AssertionError(f"{what}\n{result.describe()}")


def expect_exit(result, code=qemu.EXIT_PASS):
    __tracebackhide__ = True
    if result.exit_code != code:
        fail(result, f"expected QEMU exit {code} "
                     f"({qemu.exit_meaning(code)})")


def expect_banner(result, role):
    __tracebackhide__ = True
    other = "memory" if role == "processor" else "processor"
    banner = [line for line in result.log.splitlines()
              if "LegoOS" in line and f"({role} manager)" in line]
    if not banner:
        fail(result, f"no banner line with 'LegoOS' and '({role} manager)'")
    if f"({other} manager)" in result.log:
        fail(result, f"the {role} image says '({other} manager)'")


def expect_ready(result, role, cpus):
    __tracebackhide__ = True
    ready = result.ready
    if ready is None:
        fail(result, "no ready line ('LegoOS <role> manager ready: "
                     "<N> CPUs online, ...')")
    if ready != (role, cpus):
        fail(result, f"ready line reports {ready[0]} with {ready[1]} CPUs, "
                     f"expected {role} with {cpus}")


def expect_ktap_pass(result):
    """KTAP output present, no 'not ok' at any level, summary says 0 failed."""
    __tracebackhide__ = True
    if not KTAP_HEADER_RE.search(result.log):
        fail(result, "no 'KTAP version 1' header: ktest did not run")
    bad = [line.strip() for line in result.log.splitlines()
           if KTAP_NOT_OK_RE.match(line)]
    if bad:
        fail(result, "KTAP reports failures: " + "; ".join(bad))
    m = SUMMARY_RE.search(result.log)
    if not m:
        fail(result, "no 'ktest: summary: X passed, Y failed' line")
    if int(m.group(2)) != 0 or int(m.group(1)) == 0:
        fail(result, f"ktest summary is '{m.group(0)}'")


def expect_line(result, pattern, what=None):
    """The log matches regex PATTERN; returns the match."""
    __tracebackhide__ = True
    m = re.search(pattern, result.log, re.M)
    if not m:
        fail(result, f"no line matching {what or pattern!r}")
    return m


def expect_cases_passed(log, cases, suite, context=""):
    """Each of CASES has a KTAP `ok` line in LOG that is not a SKIP, and the
    suite SUITE itself ended `ok`: a test must not pass because the kernel
    skipped what it was meant to run.  CONTEXT (e.g. a cluster's describe())
    is appended to the message."""
    __tracebackhide__ = True
    for case in cases:
        line = re.search(rf"^\s*(not )?ok \d+ {case}\b(.*)$", log, re.M)
        assert line, f"no KTAP line for {case}\n{context}"
        assert not line.group(1) and "SKIP" not in line.group(2), \
            f"{case}: {line.group(0).strip()}\n{context}"
    assert re.search(rf"^ok \d+ {suite}$", log, re.M), \
        f"suite {suite} did not end ok\n{context}"
