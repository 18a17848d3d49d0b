# SPDX-License-Identifier: GPL-2.0
"""FIT across the two implementations' hosts: a processor node (LegoOS,
node 0), a memory node (LegoOS, node 1) and a Debian VM running
linux-modules/fit/fit.ko on rdma_rxe (node 2, role storage), one segment.

The same FIT core runs on all three (net/fit/, built into the kernels
and into fit.ko). The processor runs ktest `fit` against both peers
(self test with echo 0 B .. 1 MiB verified and zero-copy pages, 4 threads
x 10,000 concurrent calls counted once on the peer, flow control, errors,
malformed messages); the Linux node runs the same self test
(fit.ko selftest=1) against the processor and the memory node and then
keeps serving; the memory node serves. Every pair must connect.

Again with the Linux node booted first and the LegoOS nodes 15 s later.
"""

import re

import pytest

from lib import checks, fitnode, linuxvm

P_IP, M_IP, S_IP = "10.0.0.1", "10.0.0.2", "10.0.0.3"
FIT_CASES = ("join", "selftest", "concurrency", "flow_control", "errors",
             "garbage")
CONC_RE = re.compile(r"# concurrency: node (\d+): 4 threads x (\d+) calls in "
                     r"(\d+) ms \((\d+) calls/s\), peer counted (\d+)")


@pytest.fixture(scope="module")
def fit_initrd(tmp_path_factory, linux_kernel):
    return fitnode.fit_initrd(tmp_path_factory.mktemp("fit-initrd"))


def three_nodes(calls, lego_delay=0.0):
    proc = linuxvm.LegoNode(
        "processor", "processor", f"lego.node=0 net.ip={P_IP}/24 "
        f"fit.peers=1@{M_IP},2@{S_IP} ktest=fit fit.test_calls={calls} "
        "fit.test_wait_ms=120000", start_delay=lego_delay)
    mem = linuxvm.LegoNode(
        "memory", "memory", f"lego.node=1 net.ip={M_IP}/24 "
        f"fit.peers=0@{P_IP},2@{S_IP}", service=True, start_delay=lego_delay)
    storage = fitnode.fit_linux_node(
        "storage", 2, S_IP, {0: P_IP, 1: M_IP}, selftest=True, service=True,
        linger=900)
    return [proc, mem, storage]


def check_three(result, calls):
    assert result.passed, result.describe()
    plog, mlog, slog = (result[n].log for n in ("processor", "memory",
                                                 "storage"))
    checks.expect_cases_passed(plog, FIT_CASES, "fit", result.describe())
    conc = {int(m[1]): m for m in CONC_RE.finditer(plog)}
    assert set(conc) == {1, 2}, plog
    for node, m in conc.items():
        assert int(m[2]) == calls and int(m[5]) == 4 * calls, m[0]
    verdict = fitnode.parse_selftest(slog)
    assert verdict["peers"] == {0: 0, 1: 0} and verdict["failed"] == 0, \
        f"Linux self test: {verdict}\n{slog[-4000:]}"
    # Every pair connected, seen from both ends.
    for log, who, others in ((plog, "processor", ((1, M_IP), (2, S_IP))),
                             (mlog, "memory", ((0, P_IP), (2, S_IP))),
                             (slog, "storage", ((0, P_IP), (1, M_IP)))):
        for node, ip in others:
            assert re.search(rf"fit: node {node} \(\w+\) {re.escape(ip)} up",
                             log), f"{who}: node {node} never up\n{log[-3000:]}"


def test_fit_three_nodes(cluster, fit_initrd):
    calls = 10000
    result = cluster(three_nodes(calls), timeout=420, initrd=fit_initrd)
    check_three(result, calls)


def test_fit_linux_first(cluster, fit_initrd):
    calls = 500
    result = cluster(three_nodes(calls, lego_delay=15.0), timeout=300,
                     initrd=fit_initrd)
    check_three(result, calls)


def test_fit_failover_with_linux(cluster, fit_initrd):
    """The memory node dies with the processor and the Linux node
    connected to it: both see it go down and come back (new epoch); the
    processor's calls fail within the bound and then work again; the
    processor <-> Linux pair stays up throughout."""
    proc = linuxvm.LegoNode(
        "processor", "processor", f"lego.node=0 net.ip={P_IP}/24 "
        f"fit.peers=1@{M_IP},2@{S_IP} ktest=fit_failover "
        "fit.test_failover=1 fit.timeout_ms=2000 fit.test_wait_ms=120000")
    mem_cmd = f"lego.node=1 net.ip={M_IP}/24 fit.peers=0@{P_IP},2@{S_IP}"
    mem = linuxvm.LegoNode("memory", "memory", mem_cmd, service=True)
    mem2 = linuxvm.LegoNode("memory-restarted", "memory", mem_cmd,
                            service=True, start_delay=None, nic_index=1)
    storage = fitnode.fit_linux_node("storage", 2, S_IP, {0: P_IP, 1: M_IP},
                                     service=True)
    triggers = [
        linuxvm.Trigger("processor", r"FIT-TEST: kill node 1", "kill",
                        "memory"),
        linuxvm.Trigger("processor", r"FIT-TEST: restart node 1", "start",
                        "memory-restarted"),
    ]
    result = cluster([proc, mem, storage, mem2], timeout=300,
                     initrd=fit_initrd, triggers=triggers)
    assert result.passed, result.describe()
    plog, slog = result["processor"].log, result["storage"].log
    checks.expect_cases_passed(plog, ("failover",), "fit_failover",
                               result.describe())
    up_m = rf"fit: node 1 \(memory\) {re.escape(M_IP)} up"
    down_m = rf"fit: node 1 \(memory\) {re.escape(M_IP)} down"
    for who, log in (("processor", plog), ("storage", slog)):
        assert re.search(down_m, log), f"{who} never saw node 1 down\n{log}"
        assert len(re.findall(up_m, log)) == 2, \
            f"{who}: node 1 not up twice\n{log[-3000:]}"
    # The processor and the Linux node never lost each other.
    assert not re.search(rf"fit: node 2 \(\w+\) {re.escape(S_IP)} down", plog)
    assert not re.search(rf"fit: node 0 \(\w+\) {re.escape(P_IP)} down", slog)
