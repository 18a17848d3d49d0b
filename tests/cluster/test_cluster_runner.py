# SPDX-License-Identifier: GPL-2.0
"""scripts/cluster without FIT: the manifest parser, the derived boot
parameters, --check's verdicts and the teardown guarantee.

The runs use tests/cluster/fake-qemu instead of QEMU: one process per node
that prints the FIT lines a node would print (or a panic, or nothing, as
FAKE_QEMU_<NAME> says) and then idles like a LegoOS kernel. The runner is
exercised for real otherwise: setup-deps check, an ISO per node, the
segment, process groups, signals. Each run takes a few seconds.
"""

import re
import signal
import time
from pathlib import Path

import pytest

from lib import cluster

REPO = Path(__file__).resolve().parents[2]
FAKE_QEMU = Path(__file__).resolve().parent / "fake-qemu"

GOOD = """\
# a comment
[cluster]
token = t0
subnet = 10.1.0.0/24

[node p]
kind = lego
role = processor
id = 0
ip = 10.1.0.1

[node m]
kind = lego
role = memory
id = 1
ip = 10.1.0.2
smp = 2
mem = 1G
nic = e1000
params = fit.qps=4  fit.workers=3

[node s]
kind = linux
role = storage
id = 5
ip = 10.1.0.9
"""

FAKE3 = """\
[cluster]
token = fake
subnet = 10.0.0.0/24
[node p]
kind = lego
role = processor
id = 0
ip = 10.0.0.1
[node m]
kind = lego
role = memory
id = 1
ip = 10.0.0.2
[node m2]
kind = lego
role = memory
id = 2
ip = 10.0.0.3
"""


def parse(text, overrides=()):
    return cluster.parse(text, "t.cluster", overrides)


def bad(text, message, overrides=()):
    with pytest.raises(cluster.ManifestError) as e:
        parse(text, overrides)
    assert message in str(e.value), str(e.value)
    return str(e.value)


# ---- the manifest -----------------------------------------------------------

@pytest.mark.parametrize("name", ("1p1m", "1p1m1s"))
def test_shipped_manifests_parse(name):
    m = cluster.load(REPO / "configs" / f"{name}.cluster")
    assert m.console == "p"
    assert [(n.name, n.role, n.id) for n in m.nodes][:2] == \
        [("p", "processor", 0), ("m", "memory", 1)]
    if name == "1p1m1s":
        s = m.node("s")
        assert (s.kind, s.role, s.smp) == ("linux", "storage", 1)


def test_good_manifest():
    m = parse(GOOD)
    assert m.token == "t0" and str(m.subnet) == "10.1.0.0/24"
    assert [n.name for n in m.nodes] == ["p", "m", "s"]
    p, mem, s = m.nodes
    assert (p.kind, p.role, p.id, p.ip, p.nic, p.smp, p.mem, p.params) == \
        ("lego", "processor", 0, "10.1.0.1", "virtio-net-pci", 1, "512M", ())
    assert (mem.nic, mem.smp, mem.mem) == ("e1000", 2, "1G")
    assert mem.params == ("fit.qps=4", "fit.workers=3")
    assert (s.kind, s.role, s.id) == ("linux", "storage", 5)
    assert m.console == "p"


def test_console_key():
    assert parse(GOOD.replace("subnet", "console = m\nsubnet")).console == "m"
    bad(GOOD.replace("subnet", "console = x\nsubnet"),
        "console = 'x': no such node")


@pytest.mark.parametrize("text, message", [
    (GOOD.replace("mem = 1G", "memory = 1G"),
     "t.cluster:18: unknown key 'memory' in [node m] (known: kind, role, "
     "id, ip, nic, smp, mem, params)"),
    (GOOD.replace("subnet", "colour = red\nsubnet"),
     "t.cluster:4: unknown key 'colour' in [cluster]"),
    (GOOD.replace("id = 5", "id = 1"),
     "nodes m and s have the same id 1"),
    (GOOD.replace("ip = 10.1.0.9", "ip = 10.1.0.1"),
     "nodes p and s have the same ip 10.1.0.1"),
    (GOOD.replace("role = processor", "role = memory"),
     "no processor node (role = processor)"),
    (GOOD.replace("role = storage", "role = processor"),
     "t.cluster:24: role = 'processor': a linux node is storage"),
    (GOOD.replace("role = memory", "role = storage"),
     "role = 'storage': a lego node is processor or memory"),
    (GOOD.replace("kind = linux", "kind = bsd"),
     "kind = 'bsd': want lego or linux"),
    (GOOD.replace("id = 5", "id = 64"), "id = '64': want a number 0..63"),
    (GOOD.replace("id = 5", "id = -1"), "id = '-1': want a number 0..63"),
    (GOOD.replace("ip = 10.1.0.9", "ip = 10.2.0.9"),
     "ip = 10.2.0.9 is not a host address of subnet 10.1.0.0/24"),
    (GOOD.replace("ip = 10.1.0.9", "ip = 10.1.0.255"),
     "is not a host address"),
    (GOOD.replace("ip = 10.1.0.9", "ip = ten"), "ip = 'ten': not an IPv4"),
    (GOOD.replace("nic = e1000", "nic = rtl8139"),
     "nic = 'rtl8139': want virtio-net-pci or e1000"),
    (GOOD.replace("mem = 1G", "mem = lots"), "mem = 'lots': want a QEMU size"),
    (GOOD + "smp = 2\n", "smp: a linux node runs with 1 vCPU"),
    (GOOD.replace("smp = 2", "smp = 0"), "smp = '0': want a number 1..64"),
    (GOOD.replace("fit.workers=3", "fit.x='a'"), "has a quote"),
    (GOOD.replace("token = t0", "token = has space"), "token = 'has space'"),
    (GOOD.replace("subnet = 10.1.0.0/24", "subnet = 10.1.0.1/24"),
     "subnet = '10.1.0.1/24': 10.1.0.1/24 has host bits set"),
    (GOOD.replace("id = 0\n", ""), "[node p] has no 'id'"),
    (GOOD.replace("token = t0\n", ""), "[cluster] has no 'token'"),
    (GOOD.replace("[cluster]", "[clusters]"),
     "t.cluster:2: bad section '[clusters]'"),
    (GOOD.replace("[node s]", "[node m]"), "t.cluster:22: [node m] appears "
     "twice"),
    (GOOD.replace("[node s]", "[node Big]"), "bad node name 'Big'"),
    (GOOD.replace("[node s]", "[node cluster]"), "bad node name 'cluster'"),
    (GOOD.replace("id = 5", "id = 5\nid = 6"), "'id' given twice in [node s]"),
    (GOOD.replace("id = 5", "just words"), "t.cluster:25: cannot parse "
     "'just words' (want key = value)"),
    ("token = x\n" + GOOD, "t.cluster:1: 'token' before any [cluster]"),
    (GOOD.split("[node p]")[0], "no [node NAME] section"),
    ("[node p]\nkind = lego\n", "no [cluster] section"),
])
def test_manifest_errors(text, message):
    bad(text, message)


def test_load_missing_file(tmp_path):
    with pytest.raises(cluster.ManifestError, match="No such file"):
        cluster.load(tmp_path / "none.cluster")


# ---- --set ------------------------------------------------------------------

def test_overrides():
    m = parse(GOOD, ["m.smp=4", "m.params+=ktest=x", "cluster.token=t1",
                     "p.nic=e1000", "s.params=lvm.debug"])
    assert m.node("m").smp == 4
    assert m.node("m").params == ("fit.qps=4", "fit.workers=3", "ktest=x")
    assert m.token == "t1" and m.node("p").nic == "e1000"
    assert m.node("s").params == ("lvm.debug",)


@pytest.mark.parametrize("spec, message", [
    ("x.smp=1", "--set x.smp=1: no node 'x' in the manifest (nodes: p, m, s)"),
    ("m.colour=red", "--set m.colour=red: unknown key 'colour' in [node m]"),
    ("p.role=memory", "no processor node"),
    ("msmp=1", "--set msmp=1: want NODE.KEY=VALUE"),
    ("m.id=0", "nodes p and m have the same id 0"),
    ("s.role=memory", "--set s.role=memory: role = 'memory': a linux node "
     "is storage"),
])
def test_override_errors(spec, message):
    bad(GOOD, message, [spec])


# ---- derived boot parameters ------------------------------------------------

def test_peers_every_other_node_by_id():
    m = parse(GOOD)
    assert m.fit_peers(m.node("p")) == "1@10.1.0.2,5@10.1.0.9"
    assert m.fit_peers(m.node("m")) == "0@10.1.0.1,5@10.1.0.9"
    assert m.fit_peers(m.node("s")) == "0@10.1.0.1,1@10.1.0.2"


@pytest.mark.parametrize("name", ("1p1m", "1p1m1s"))
def test_peers_symmetric(name):
    m = cluster.load(REPO / "configs" / f"{name}.cluster")
    for node in m.nodes:
        peers = dict(p.split("@") for p in m.fit_peers(node).split(","))
        assert str(node.id) not in peers
        assert peers == {str(n.id): n.ip for n in m.nodes if n is not node}


def test_lego_cmdline():
    m = parse(GOOD)
    assert m.lego_cmdline(m.node("p")) == \
        "lego.node=0 net.ip=10.1.0.1/24 fit.peers=1@10.1.0.2,5@10.1.0.9 " \
        "fit.token=t0"
    assert m.lego_cmdline(m.node("m")) == \
        "lego.node=1 net.ip=10.1.0.2/24 fit.peers=0@10.1.0.1,5@10.1.0.9 " \
        "fit.token=t0 fit.qps=4 fit.workers=3"


def test_params_replace_derived_words():
    m = parse(GOOD, ["p.params=fit.token=wrong fit.ping=0 debug"])
    assert m.lego_cmdline(m.node("p")) == \
        "lego.node=0 net.ip=10.1.0.1/24 fit.peers=1@10.1.0.2,5@10.1.0.9 " \
        "fit.token=wrong fit.ping=0 debug"


# ---- reading consoles -------------------------------------------------------

def test_fit_watch():
    m = parse(FAKE3)
    w = cluster.FitWatch(m)
    assert w.feed("p", "LegoOS processor manager ready: 2 CPUs online",
                  0.5).kind == "ready"
    assert w.feed("p", "fit: node 0 (processor) on sroce0 10.0.0.1: 2 peers, "
                  "2 QPs per peer", 0.6) is None
    assert w.feed("p", "fit: node 1 (memory) 10.0.0.2 up", 1.0).peer == "m"
    ev = w.feed("p", "[    1.2] fit: ping node 1: ok, 812 us", 1.2)
    assert (ev.kind, ev.peer, ev.us) == ("ping", "m", 812)
    assert w.feed("m", "fit: node 2 (memory) 10.0.0.3 down: silent for "
                  "3000 ms; 0 outstanding calls failed", 1.3).kind == \
        "fit-error"
    assert w.feed("m", "fit:  node 2 (memory) 10.0.0.3 up: calls 9 (ok 9, "
                  "timeouts 0, down 0)", 1.3) is None
    assert w.feed("m", "fit: node 1: 1 of 2 peers up; 0 bad hellos", 1.3) \
        is None
    assert w.feed("s", "[    3.1] fit: module verification failed: signature "
                  "and/or required key missing - tainting kernel", 1.3) is None
    assert w.feed("s", "fit: not started: no RDMA device", 1.3).kind == \
        "fit-error"
    assert w.feed("m", "[    2.01] fit: node 0 (processor) 10.0.0.1 up: "
                  "epoch 5c0f0000a1, 2 QPs, attempt 1/1", 2.0).peer == "p"
    ev = w.feed("m", "fit: ping node 0 (processor): ok, 640 us", 2.1)
    assert (ev.kind, ev.peer, ev.us) == ("ping", "p", 640)
    ev = w.feed("m2", "fit: ping node 0 (processor): failed: -110", 2.2)
    assert ev.kind == "ping-failed" and ev.kind in cluster.FATAL
    ev = w.feed("m2", "fit: node 1 at 10.0.0.2 refused us: cluster token "
                "differs", 2.3)
    assert ev.kind == "refused"
    ev = w.feed("m2", "fit: refused node 3 at 10.0.0.4: cluster token "
                "differs", 2.3)
    assert ev.kind == "refused" and ev.kind in cluster.FATAL
    assert w.feed("m2", "Kernel panic - not syncing: x", 3).kind == "panic"
    assert not w.complete()
    assert "m2 never showed p up" in w.missing()
    assert w.lagging_nodes() == ["p", "m", "m2"]
    rows = {r["pair"]: r for r in w.table()}
    assert rows["p(0) <-> m(1)"]["connected"] == 2.0
    assert (rows["p(0) <-> m(1)"]["ping_ab"],
            rows["p(0) <-> m(1)"]["ping_ba"]) == (812, 640)
    assert rows["p(0) <-> m2(2)"]["connected"] is None


# ---- runs with the fake QEMU ------------------------------------------------

def fake_run(runner, manifest, tmp_path, *args, env=None, timeout=60):
    proc = runner("--manifest", manifest, "--logs", tmp_path / "logs",
                  "--no-build", "--qemu", FAKE_QEMU, *args, env=env)
    output, _ = proc.communicate(timeout=timeout)
    return proc.returncode, output


def fakes_of(tmp_path):
    """PIDs of the fake QEMUs of this test's run (their -cdrom is in
    tmp_path)."""
    pids = []
    marker = str(tmp_path).encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        argv = cmdline.split(b"\0")
        if len(argv) > 1 and argv[1].endswith(b"/fake-qemu") and \
                marker in cmdline and state != "Z":
            pids.append(int(entry.name))
    return pids


def wait_for(pred, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


def test_check_passes(lego_images, runner, fake_cluster, tmp_path):
    rc, output = fake_run(runner, fake_cluster(FAKE3), tmp_path, "--check")
    assert rc == 0, output
    assert "every pair connected and pinged" in output
    table = re.findall(r"^(\w+)\(\d+\) <-> (\w+)\(\d+\)\s+([\d.]+) s\s+"
                       r"(\d+) us\s+(\d+) us$", output, re.M)
    assert [(a, b, ab, ba) for a, b, _, ab, ba in table] == [
        ("p", "m", "801", "810"), ("p", "m2", "802", "820"),
        ("m", "m2", "812", "821")], output
    # Every node's notable lines are shown, prefixed with its name.
    assert "[m2] fit: ping node 1 (peer): ok, 821 us" in output
    for name in ("p", "m", "m2"):
        log = (tmp_path / "logs" / f"{name}.log").read_text()
        assert "manager ready" in log
    assert not fakes_of(tmp_path)


def test_check_order_reverse(lego_images, runner, fake_cluster, tmp_path):
    rc, output = fake_run(runner, fake_cluster(FAKE3), tmp_path, "--check",
                          "--order", "reverse", "--stagger", "0.5")
    assert rc == 0, output
    assert "start order: m2, m, p" in output
    start = {}
    for name in ("p", "m", "m2"):
        log = (tmp_path / "logs" / f"{name}.log").read_text()
        start[name] = float(re.search(r"fake-qemu: start ([\d.]+)", log)[1])
    assert start["m2"] + 0.4 < start["m"] < start["p"] - 0.4, start


@pytest.mark.parametrize("mode, reason", [
    ("panic", "FAILED: node m: Kernel panic - not syncing: fake panic"),
    ("exit", "FAILED: node m: QEMU exited with status 0 (triple fault"),
    ("refused", "FAILED: node m: fit: node 0 at 10.0.0.1 refused us: "
     "cluster token differs"),
])
def test_check_fails_at_once(lego_images, runner, fake_cluster, tmp_path,
                             mode, reason):
    t0 = time.monotonic()
    rc, output = fake_run(runner, fake_cluster(FAKE3), tmp_path, "--check",
                          "--timeout", "60", env={"FAKE_QEMU_M": mode})
    assert rc == 1, output
    assert reason in output
    assert "console lines of m (" in output and "manager ready" in output
    assert time.monotonic() - t0 < 20, output
    assert not fakes_of(tmp_path)


def test_check_times_out(lego_images, runner, fake_cluster, tmp_path):
    rc, output = fake_run(runner, fake_cluster(FAKE3), tmp_path, "--check",
                          "--timeout", "4", env={"FAKE_QEMU_M2": "silent"})
    assert rc == 1, output
    assert "FAILED: not every pair was connected and pinged after 4 s: " \
        "m2 never showed p up; m2 never showed m up\n" in output
    assert re.search(r"^m\(1\) <-> m2\(2\) +- +812 us +-$", output, re.M)
    assert "console lines of m2 (" in output
    assert "] LegoOS memory manager ready" in output
    assert not fakes_of(tmp_path)


def test_interactive_shows_console_node(lego_images, runner, fake_cluster,
                                        tmp_path):
    rc, output = fake_run(runner, fake_cluster(FAKE3), tmp_path,
                          "--timeout", "4")
    assert rc == 0, output
    lines = output.splitlines()
    # The console node's lines as they are (no prefix, no escapes), the
    # others' notable lines with their name.
    assert "  Booting `LegoOS fake'" in lines
    assert any(line.startswith("[    0.000000] Command line: lego.node=0 ")
               for line in lines), output
    assert "[m] fit: node 0 (peer) 10.0.0.1 up: epoch 00000000000000a1, " \
        "2 QPs, attempt 1/1" in lines
    assert "cluster: stopped: 4 s elapsed" in lines
    assert output.count("every pair connected and pinged") == 1
    assert "\x1b" not in output and "\r" not in output
    assert not fakes_of(tmp_path)


def test_manifest_error_exit_2(runner, fake_cluster, tmp_path):
    rc, output = fake_run(runner, fake_cluster(FAKE3), tmp_path,
                          "--set", "m.role=boss")
    assert rc == 2
    assert "cluster: --set m.role=boss: role = 'boss': a lego node is " \
        "processor or memory" in output


def test_dry_run_starts_nothing(runner, tmp_path):
    rc, output = fake_run(runner, REPO / "configs" / "1p1m.cluster",
                          tmp_path, "--dry-run")
    assert rc == 0, output
    assert "cluster: m: lego memory, node 1, 10.0.0.2, virtio-net-pci, " \
        "smp 2, 512M: lego.node=1 net.ip=10.0.0.2/24 fit.peers=0@10.0.0.1 " \
        "fit.token=lego-1p1m" in output
    assert re.search(r"^p: \S*fake-qemu .*-cdrom \S+/p\.iso ", output, re.M)
    assert not (tmp_path / "logs").exists()


# ---- teardown ---------------------------------------------------------------

def start_and_wait_ready(runner, manifest, tmp_path, env=None):
    proc = runner("--manifest", manifest, "--logs", tmp_path / "logs",
                  "--no-build", "--qemu", FAKE_QEMU, env=env)

    def all_ready():
        if proc.poll() is not None:
            pytest.fail("the runner exited early:\n" + proc.stdout.read())
        logs = [tmp_path / "logs" / f"{n}.log" for n in ("p", "m", "m2")]
        return all(log.exists() and "ping node" in log.read_text()
                   for log in logs)

    wait_for(all_ready, 30, "every fake node to print its pings")
    pids = fakes_of(tmp_path)
    assert len(pids) == 3, pids
    return proc, pids


@pytest.mark.parametrize("sig", (signal.SIGINT, signal.SIGTERM,
                                 signal.SIGHUP))
def test_signal_stops_every_qemu(lego_images, runner, fake_cluster,
                                 tmp_path, sig):
    proc, pids = start_and_wait_ready(runner, fake_cluster(FAKE3), tmp_path)
    proc.send_signal(sig)
    output, _ = proc.communicate(timeout=20)
    assert proc.returncode == 128 + sig, output
    assert f"stopped by {sig.name}; every QEMU is gone" in output
    assert not fakes_of(tmp_path), output
    for pid in pids:
        assert not Path(f"/proc/{pid}").exists()


def test_stubborn_qemu_is_killed(lego_images, runner, fake_cluster,
                                 tmp_path):
    # A QEMU that ignores SIGTERM gets SIGKILL after the grace period.
    proc, _ = start_and_wait_ready(runner, fake_cluster(FAKE3), tmp_path,
                                   env={"FAKE_QEMU_M": "stubborn"})
    t0 = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    output, _ = proc.communicate(timeout=20)
    assert proc.returncode == 128 + signal.SIGTERM, output
    assert 2.5 < time.monotonic() - t0 < 10, output
    assert not fakes_of(tmp_path), output


def test_runner_killed_takes_qemu_along(lego_images, runner, fake_cluster,
                                        tmp_path):
    # SIGKILL leaves the runner no chance to clean up: PR_SET_PDEATHSIG does.
    proc, _ = start_and_wait_ready(runner, fake_cluster(FAKE3), tmp_path)
    proc.kill()
    proc.communicate(timeout=20)
    wait_for(lambda: not fakes_of(tmp_path), 5,
             "the fake QEMUs to die with the runner")


def test_console_node_exit_ends_the_run(lego_images, runner, fake_cluster,
                                        tmp_path):
    rc, output = fake_run(runner, fake_cluster(FAKE3), tmp_path,
                          env={"FAKE_QEMU_P": "exit"})
    assert rc == 1, output
    assert "cluster: node p: QEMU exited with status 0" in output
    assert "cluster: stopped: the console node's QEMU exited" in output
    assert not fakes_of(tmp_path)


def test_no_qemu_left_by_any_test():
    # Belt and braces: nothing with fake-qemu in its command line survives
    # this file (the runs above each check their own).
    leftovers = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
                if len(argv) > 1 and argv[1] == bytes(FAKE_QEMU):
                    leftovers.append(entry.name)
            except OSError:
                pass
    assert not leftovers, leftovers
