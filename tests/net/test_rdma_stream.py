# SPDX-License-Identifier: GPL-2.0
"""Bulk soft-RoCEv2 RDMA between two LegoOS nodes on a lossy link.

Both nodes run the ktest suite `sroce_stream`
(drivers/infiniband/sw/sroce/sroce_stream_test.c): the client WRITEs a
64 MiB region into the server's in 64 KiB messages, 8 in flight, and
announces it with a SEND; the server checks every 64-bit word of its region
and answers; then the client READs 64 MiB of a new pattern back the same
way and checks every word. Both nodes' netdevs lose, duplicate and reorder
the frames they send (FAULTS): RC retransmission must make that invisible.
Both nodes must exit 33 with every case passed, no bad word, and the
retransmission counters must show that recovery happened.

See Documentation/roce.md ("Bulk streams under loss") for the measured
times; STREAM_FAULTS can be overridden from the environment, e.g.
SROCE_STREAM_FAULTS="net.test_loss=20" for a harder run.
"""

import os
import re

from lib import checks, linuxvm

CLIENT_IP, SERVER_IP = "10.0.0.1", "10.0.0.2"
CASES = ("handshake", "write_stream", "read_stream", "teardown_counters")
FAULTS = os.environ.get(
    "SROCE_STREAM_FAULTS",
    "net.test_loss=10 net.test_dup=5 net.test_reorder=5")
STREAM = os.environ.get("SROCE_STREAM_PARAMS", "")
TIMEOUT = 240
RATE_RE = re.compile(r"# (write|read)_stream: RDMA_(WRITE|READ) stream: "
                     r"(\d+) bytes in (\d+) ms")
BAD_RE = re.compile(r"# (write|read)_stream: RDMA_(WRITE|READ) stream: "
                    r"(?:\d+ bytes checked in \d+ ms, )?(\d+) bad words")
COUNTER_RE = re.compile(r"sroce0 (?:qps|dev|rx):(.*)$", re.M)


def counters(log):
    """Every name=value the provider printed at teardown, summed by name."""
    out = {}
    for m in COUNTER_RE.finditer(log):
        for k, v in re.findall(r"(\w+)=(\d+)", m.group(1)):
            out[k] = out.get(k, 0) + int(v)
    return out


def stream_pair(cluster, faults):
    params = f"ktest=sroce_stream {faults} {STREAM}"
    server = linuxvm.LegoNode(
        "server", "memory", f"net.ip={SERVER_IP}/24 {params} "
        f"rdma.test_peer={CLIENT_IP} rdma.test_role=server")
    client = linuxvm.LegoNode(
        "client", "processor", f"net.ip={CLIENT_IP}/24 {params} "
        f"rdma.test_peer={SERVER_IP} rdma.test_role=client")
    result = cluster([server, client], timeout=TIMEOUT)
    assert result.passed, result.describe()
    for node in ("server", "client"):
        log = result[node].log
        checks.expect_cases_passed(log, CASES, "sroce_stream",
                                   f"{node}:\n{result.describe()}")
    # The server checked the WRITE stream, the client the READ stream.
    checked = {m.group(1): int(m.group(3))
               for r in result for m in BAD_RE.finditer(r.log)}
    assert checked == {"write": 0, "read": 0}, result.describe()
    rates = {m.group(2): (int(m.group(3)), int(m.group(4)))
             for m in RATE_RE.finditer(result["client"].log)}
    assert set(rates) == {"WRITE", "READ"}, result["client"].log
    assert len({n for n, _ in rates.values()}) == 1, rates
    return result, rates


def test_rdma_stream_lossy(cluster, record_property):
    result, rates = stream_pair(cluster, FAULTS)
    stats = [counters(r.log) for r in result]
    retrans = sum(s.get("req_retrans_pkts", 0) for s in stats)
    if "net.test_loss=" in FAULTS and "net.test_loss=0 " not in FAULTS + " ":
        assert retrans > 0, result.describe()
    for name, s in zip(("server", "client"), stats):
        for k in sorted(s):
            record_property(f"{name}_{k}", s[k])
    record_property("retransmitted_pkts", retrans)
    record_property("write_ms", rates["WRITE"][1])
    record_property("read_ms", rates["READ"][1])
    record_property("wall_s", round(result.wall_time, 1))
