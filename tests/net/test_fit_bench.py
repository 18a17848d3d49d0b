# SPDX-License-Identifier: GPL-2.0
"""bench/fit's LegoOS side works (net/fit/fit_bench.c): the processor
(node 0, fit.bench_peer=1) against the memory node (node 1, serving),
both -smp 1, virtio-net, with short runs. Every FIT-BENCH line must be
there, complete and self-consistent, and FIT's own counters must show the
calls the lines claim; no timing is asserted.
"""

import re

from lib import linuxvm

P_IP, M_IP = "10.0.0.1", "10.0.0.2"
COUNT, WARMUP, SECS = 50, 20, 1
LINE_RE = re.compile(r"FIT-BENCH (\w+)((?: \w+=[\d.]+)*)\s*$", re.M)
OK_RE = re.compile(r"fit:\s+node 1 \(memory\) \S+ up: calls (\d+) \(ok (\d+),"
                   r" timeouts (\d+)")


def bench_lines(log):
    """[(kind, {key: float})] of every FIT-BENCH line, in order."""
    return [(m.group(1), {k: float(v) for k, v in
                          re.findall(r"(\w+)=([\d.]+)", m.group(2))})
            for m in LINE_RE.finditer(log)]


def check_rtt(row, reply, log):
    assert row["req"] == 32 and row["reply"] == reply, log
    assert row["count"] == COUNT, log
    # One reply in FIT_BENCH_CHECK_EVERY (16) had its bytes checked.
    assert row["checked"] == sum(1 for i in range(WARMUP, WARMUP + COUNT)
                                 if i % 16 == 0), log
    assert 0 < row["min_us"] <= row["median_us"] <= row["p99_us"] \
        <= row["max_us"], log
    assert row["min_us"] <= row["avg_us"] <= row["max_us"], log


def check_rate(row, threads, log):
    assert row["threads"] == threads and row["req"] == 32, log
    assert row["reply"] == 4, log
    assert row["calls"] > 0 and row["secs"] >= SECS, log
    per_s = row["calls"] / row["secs"]
    assert abs(row["per_s"] - per_s) <= per_s * 0.01 + 1, log


def test_fit_bench_lego(cluster):
    mem = linuxvm.LegoNode(
        "memory", "memory", f"lego.node=1 net.ip={M_IP}/24 "
        f"fit.peers=0@{P_IP}", service=True)
    proc = linuxvm.LegoNode(
        "processor", "processor", f"lego.node=0 net.ip={P_IP}/24 "
        f"fit.peers=1@{M_IP} fit.bench_peer=1 fit.bench_count={COUNT} "
        f"fit.bench_warmup={WARMUP} fit.bench_secs={SECS}")
    result = cluster([mem, proc], timeout=180)
    assert result.passed, result.describe()
    log = result["processor"].log
    rows = bench_lines(log)
    assert [(kind, r.get("reply"), r.get("threads")) for kind, r in rows] \
        == [("rtt", 4, None), ("rtt", 4096, None), ("rate", 4, 1),
            ("rate", 4, 4), ("done", None, None)], log
    check_rtt(rows[0][1], 4, log)
    check_rtt(rows[1][1], 4096, log)
    check_rate(rows[2][1], 1, log)
    check_rate(rows[3][1], 4, log)
    assert rows[4][1] == {"status": 0}, log
    # FIT's counters saw every call the lines report, and none timed out.
    m = OK_RE.search(log)
    assert m, log
    calls = 2 * (WARMUP + COUNT) + rows[2][1]["calls"] + rows[3][1]["calls"]
    assert int(m.group(2)) >= calls and int(m.group(3)) == 0, log
