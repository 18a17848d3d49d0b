# SPDX-License-Identifier: GPL-2.0
"""Whole FIT clusters, booted from the shipped manifests by
`scripts/cluster --check` with the real images: what `make run` shows.

Needs FIT in the kernels and fit.ko. Nothing is skipped: the runner builds
what is missing (`make`; for 1p1m1s Debian's kernel and headers, fit.ko and
the initramfs), and a piece it cannot build fails the test with the
runner's message, which says what to run.

Each run asserts on what the consoles printed, not only on the runner's
exit status: every node was booted with the fit.peers the manifest
derives, and every node showed every other node up and pinged it.
"""

import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from lib import cluster, qemu

pytestmark = [pytest.mark.cluster_boot, pytest.mark.qemu]

REPO = Path(__file__).resolve().parents[2]
RUNNER = REPO / "scripts" / "cluster"
CHECK_TIMEOUT = 240         # the runner's --timeout, from the first QEMU
BUILD_TIMEOUT = 1200        # make, fetch-kernel and fit.ko from nothing
ROW_RE = re.compile(r"^(\w+)\(\d+\) <-> (\w+)\(\d+\)\s+([\d.]+) s\s+"
                    r"(\d+) us\s+(\d+) us$", re.M)


def check(name, tmp_path, *args):
    manifest = REPO / "configs" / f"{name}.cluster"
    proc = subprocess.run(
        [str(RUNNER), "--check", "--manifest", str(manifest), "--logs",
         str(tmp_path), "--timeout", str(CHECK_TIMEOUT), *args],
        cwd=REPO, stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=CHECK_TIMEOUT + BUILD_TIMEOUT, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    return cluster.load(manifest), output


def expect_consoles(m, tmp_path):
    """Re-read every console: booted with its derived parameters, every
    peer up and pinged, nobody refused, no failed ping, no panic."""
    watch = cluster.FitWatch(m)
    for node in m.nodes:
        log = qemu.strip_serial((tmp_path / f"{node.name}.log").read_text(
            errors="replace"))
        if node.kind == "lego":
            assert f"Command line: {m.lego_cmdline(node)}\n" in log, log
        else:
            assert f" peers={m.fit_peers(node)} token={m.token}" in log, log
        for line in log.splitlines():
            watch.feed(node.name, line, 0.0)
    assert watch.complete(), "; ".join(watch.missing())
    fatal = [f"{e.node}: {e.text}" for e in watch.errors
             if e.kind in cluster.FATAL]
    assert not fatal, fatal


def expect_table(m, output):
    rows = {(a, b): (float(t), int(ab), int(ba))
            for a, b, t, ab, ba in ROW_RE.findall(output)}
    names = [n.name for n in m.nodes]
    want = {(a, b) for i, a in enumerate(names) for b in names[i + 1:]}
    assert set(rows) == want, output
    for t, ab, ba in rows.values():
        assert 0 < t < CHECK_TIMEOUT and ab > 0 and ba > 0, output


@pytest.mark.parametrize("name", ("1p1m", "1p1m1s"))
def test_every_pair_connects_and_pings(name, tmp_path):
    m, output = check(name, tmp_path)
    assert "every pair connected and pinged" in output
    expect_table(m, output)
    expect_consoles(m, tmp_path)


def test_reverse_boot_order(tmp_path):
    # The storage VM first, the processor 4 s later: nodes connect as
    # their peers appear, whatever the order.
    m, output = check("1p1m1s", tmp_path, "--order", "reverse",
                      "--stagger", "2")
    assert "start order: s, m, p" in output
    expect_table(m, output)
    expect_consoles(m, tmp_path)


def qemus_of(tmp_path):
    """PIDs of the QEMUs whose command line names TMP_PATH (their ISOs)."""
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if argv[0].endswith(b"qemu-system-x86_64") and \
                any(str(tmp_path).encode() in a for a in argv):
            pids.append(int(entry.name))
    return pids


def test_ctrl_c_leaves_no_qemu(tmp_path):
    # The interactive run of `make run`, stopped with Ctrl-C once both
    # nodes have pinged: the real QEMUs are gone when the runner exits.
    proc = subprocess.Popen(
        [str(RUNNER), "--manifest", str(REPO / "configs" / "1p1m.cluster"),
         "--logs", str(tmp_path)], cwd=REPO, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True)
    try:
        deadline = time.monotonic() + BUILD_TIMEOUT
        logs = [tmp_path / "p.log", tmp_path / "m.log"]
        while not all(log.exists() and "fit: ping node" in log.read_text(
                errors="replace") for log in logs):
            assert proc.poll() is None, proc.stdout.read()
            assert time.monotonic() < deadline, "no ping on both consoles"
            time.sleep(0.2)
        assert len(qemus_of(tmp_path)) == 2
        proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, output
    assert "every pair connected and pinged" in output
    assert "stopped by SIGINT; every QEMU is gone" in output
    assert not qemus_of(tmp_path)
