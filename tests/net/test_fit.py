# SPDX-License-Identifier: GPL-2.0
"""FIT between bare-metal LegoOS nodes: a processor node (node 0) and a
memory node (node 1), both -smp 1, virtio-net, one segment
(net/fit/fit_test.c has the ktest suites; Documentation/fit.md the
protocol).

- pair: the memory node serves; the processor runs ktest `fit`: join,
  the shared self test (ping, echo 0 B .. 1 MiB verified, zero-copy page
  replies, unknown opcode, short reply buffer), 4 threads x 10,000
  concurrent calls each checked and counted once on the peer (no loss, no
  duplicate), flow control (8 one-way 1 MiB messages that must wait for
  credits), argument and timeout errors with a late reply recognised,
  and malformed messages and hellos that the memory node survives.
- reverse order: either node boots 8 s after the other.
- failover: the memory node is killed mid-run; calls fail within the
  bound and the processor node stays up; a fresh memory node (new epoch,
  same address) rejoins and the self test passes again.
- wrong token: a third node with another cluster token is refused with a
  logged reason on both sides, while the right pair connects.
"""

import re

from lib import checks, linuxvm

P_IP, M_IP, X_IP = "10.0.0.1", "10.0.0.2", "10.0.0.3"
FIT_CASES = ("join", "selftest", "concurrency", "flow_control", "errors",
             "garbage")
UP_RE = r"fit: node {id} \((\w+)\) {ip} up"
CONC_RE = re.compile(r"# concurrency: node (\d+): 4 threads x (\d+) calls in "
                     r"(\d+) ms \((\d+) calls/s\), peer counted (\d+)")


def memory(extra="", **kw):
    return linuxvm.LegoNode(
        "memory", "memory", f"lego.node=1 net.ip={M_IP}/24 "
        f"fit.peers=0@{P_IP} {extra}", service=True, **kw)


def processor(suite, extra="", **kw):
    return linuxvm.LegoNode(
        "processor", "processor", f"lego.node=0 net.ip={P_IP}/24 "
        f"fit.peers=1@{M_IP} ktest={suite} {extra}", **kw)


def expect_up(log, node_id, ip, what):
    assert re.search(UP_RE.format(id=node_id, ip=re.escape(ip)), log), \
        f"{what}: no 'node {node_id} up' line\n{log[-3000:]}"


def test_fit_pair(cluster):
    result = cluster([memory(), processor("fit")], timeout=240)
    assert result.passed, result.describe()
    log = result["processor"].log
    checks.expect_cases_passed(log, FIT_CASES, "fit", result.describe())
    m = CONC_RE.search(log)
    assert m and int(m.group(2)) == 10000 and int(m.group(5)) == 40000, log
    expect_up(log, 1, M_IP, "processor")
    expect_up(result["memory"].log, 0, P_IP, "memory")
    assert re.search(r"fit: ping node 0 \(processor\): ok", result["memory"].log)
    # The memory node saw the garbage and said so; it did not crash.
    mlog = result["memory"].log
    assert "dropped a bad message" in mlog and "dropped a bad datagram" in mlog


def test_fit_reverse_order(cluster):
    """The processor first, the memory node 8 s later; then the other way
    round. Nodes connect as peers appear."""
    for late in ("memory", "processor"):
        nodes = [memory(start_delay=8.0 if late == "memory" else 0.0),
                 processor("fit", "fit.test_calls=300",
                           start_delay=8.0 if late == "processor" else 0.0)]
        result = cluster(nodes, timeout=180)
        assert result.passed, f"{late} late:\n{result.describe()}"
        checks.expect_cases_passed(result["processor"].log, FIT_CASES, "fit",
                                   result.describe())
        expect_up(result["memory"].log, 0, P_IP, "memory")


def test_fit_failover(cluster):
    """Kill the memory node while the processor calls it; restart it."""
    mem = memory()
    mem2 = memory(start_delay=None, nic_index=0)
    mem2 = linuxvm.dataclasses.replace(mem2, name="memory-restarted")
    proc = processor("fit_failover", "fit.test_failover=1 fit.timeout_ms=2000")
    triggers = [
        linuxvm.Trigger("processor", r"FIT-TEST: kill node 1", "kill",
                        "memory"),
        linuxvm.Trigger("processor", r"FIT-TEST: restart node 1", "start",
                        "memory-restarted"),
    ]
    result = cluster([mem, proc, mem2], timeout=240, triggers=triggers)
    assert result.passed, result.describe()
    log = result["processor"].log
    checks.expect_cases_passed(log, ("failover",), "fit_failover",
                               result.describe())
    assert result["memory"].stopped == linuxvm.KILLED, result.describe()
    assert re.search(rf"fit: node 1 \(memory\) {re.escape(M_IP)} down", log)
    # Up twice: the first memory node, then the restarted one.
    assert len(re.findall(UP_RE.format(id=1, ip=re.escape(M_IP)), log)) == 2
    expect_up(result["memory-restarted"].log, 0, P_IP, "restarted memory")


def test_fit_wrong_token(cluster):
    """Node 2 has another token: both sides log why; 0 and 1 connect."""
    mem = linuxvm.LegoNode(
        "memory", "memory", f"lego.node=1 net.ip={M_IP}/24 "
        f"fit.peers=0@{P_IP},2@{X_IP}", service=True)
    proc = linuxvm.LegoNode(
        "processor", "processor", f"lego.node=0 net.ip={P_IP}/24 "
        f"fit.peers=1@{M_IP},2@{X_IP}", service=True)
    stranger = linuxvm.LegoNode(
        "stranger", "memory", f"lego.node=2 net.ip={X_IP}/24 "
        f"fit.peers=0@{P_IP} fit.token=not-the-cluster ktest=fit_refused "
        "fit.test_refused_by=0")
    result = cluster([mem, proc, stranger], timeout=120)
    assert result.passed, result.describe()
    checks.expect_cases_passed(result["stranger"].log, ("refused",),
                               "fit_refused", result.describe())
    # Whichever side hears the other first refuses it; either way both
    # consoles name the reason.
    plog, xlog = result["processor"].log, result["stranger"].log
    assert re.search(rf"fit: (refused node 2 at {re.escape(X_IP)}|node 2 at "
                     rf"{re.escape(X_IP)} refused us): cluster token", plog), plog
    assert re.search(rf"fit: (refused node 0 at {re.escape(P_IP)}|node 0 at "
                     rf"{re.escape(P_IP)} refused us): cluster token", xlog), xlog
    expect_up(plog, 1, M_IP, "processor")
    expect_up(result["memory"].log, 0, P_IP, "memory")


def test_fit_pair_jumbo(cluster):
    """The same suite over MTU 9000 (virtio-net host_mtu): RoCE path MTU
    4096 on both sides, so FIT's 8 KiB messages take 2 packets."""
    jumbo = {"nic_opts": "host_mtu=9000"}
    result = cluster([memory("net.mtu=9000", **jumbo),
                      processor("fit", "net.mtu=9000 fit.test_calls=1000",
                                **jumbo)], timeout=240)
    assert result.passed, result.describe()
    checks.expect_cases_passed(result["processor"].log, FIT_CASES, "fit",
                               result.describe())
    for node in ("processor", "memory"):
        assert re.search(r"sroce0 on eth0 [\d.]+, active MTU 4096",
                         result[node].log), result[node].log[-3000:]
