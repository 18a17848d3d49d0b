# SPDX-License-Identifier: GPL-2.0
"""Cluster manifests (configs/*.cluster) and what a FIT cluster's consoles say.

scripts/cluster boots the nodes a manifest lists; this module is its pure
part, also used by tests/cluster: the manifest parser, the boot parameters
derived from a manifest (every node's fit.peers comes from the other nodes'
ids and addresses, never from a hand-written list), and FitWatch, which
reads the consoles and knows when every pair of nodes is connected and has
pinged. The regular expressions that recognise the kernel's FIT lines are
all here, and deliberately loose (Documentation/cluster.md).

    m = cluster.load("configs/1p1m1s.cluster", ["m.smp=2"])
    m.console, m.node("s").ip, m.fit_peers(m.node("p"))   # "1@10.0.0.2,..."
    m.lego_cmdline(m.node("m"))     # "lego.node=1 net.ip=10.0.0.2/24 ..."

The format (one line each; blank lines and lines starting with # or ; are
ignored; a value runs to the end of its line):

    [cluster]
    token  = lego-1p1m1s        # fit.token of every node (required)
    subnet = 10.0.0.0/24        # every ip is in it; its prefix goes to net.ip
    console = p                 # the node on the terminal (default: the
                                # first processor node)
    [node p]                    # NAME: [a-z][a-z0-9_-]*
    kind = lego                 # lego | linux
    role = processor            # lego: processor | memory; linux: storage
    id   = 0                    # FIT node id, 0..63, unique
    ip   = 10.0.0.1             # unique, inside subnet
    nic  = virtio-net-pci       # or e1000 (default virtio-net-pci)
    smp  = 2                    # vCPUs (default 1; a linux node has 1)
    mem  = 512M                 # QEMU -m (default 512M)
    params = fit.qps=4 ktest=x  # more boot parameters, appended last; one
                                # named like a derived one replaces it
"""

import ipaddress
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import linuxvm, qemu

KIND_ROLES = {"lego": ("processor", "memory"), "linux": ("storage",)}
NICS = tuple(linuxvm.NIC_MODULES)           # virtio-net-pci, e1000
MAX_NODES = 64                              # FIT_MAX_NODES (uapi/lego/fit.h)

# key: (required, default)
CLUSTER_KEYS = {"token": (True, None), "subnet": (True, None),
                "console": (False, None)}
NODE_KEYS = {"kind": (True, None), "role": (True, None), "id": (True, None),
             "ip": (True, None), "nic": (False, "virtio-net-pci"),
             "smp": (False, "1"), "mem": (False, "512M"),
             "params": (False, "")}

_NAME_RE = re.compile(r"[a-z][a-z0-9_-]*")
_SECTION_RE = re.compile(r"\[\s*(cluster|node\s+(\S+))\s*\]")
_KEY_RE = re.compile(r"([A-Za-z_][\w.-]*)\s*(\+?=)\s*(.*)")
_TOKEN_RE = re.compile(r"[A-Za-z0-9._:@+-]{1,64}")
_MEM_RE = re.compile(r"[1-9][0-9]*[KMGT]?")
# A boot parameter word: what scripts/mkiso passes through unchanged.
_WORD_RE = re.compile(r"[^\s\"'\\]+")


class ManifestError(ValueError):
    """A manifest or a --set override is wrong; str() says where and why."""


@dataclass(frozen=True)
class Node:
    name: str
    kind: str               # lego | linux
    role: str               # processor | memory | storage
    id: int                 # FIT node id
    ip: str                 # dotted quad, no prefix
    nic: str
    smp: int
    mem: str
    params: tuple           # extra boot parameter words


@dataclass
class Manifest:
    path: str
    token: str
    subnet: ipaddress.IPv4Network
    nodes: list = field(default_factory=list)     # in file order
    console: str = ""       # name of the node shown on the terminal

    def node(self, name):
        for n in self.nodes:
            if n.name == name:
                return n
        raise KeyError(name)

    def by_id(self, node_id):
        for n in self.nodes:
            if n.id == node_id:
                return n
        return None

    def by_ip(self, ip):
        for n in self.nodes:
            if n.ip == ip:
                return n
        return None

    def peers(self, node):
        """Every other node, by id: the peers NODE's FIT connects to."""
        return sorted((n for n in self.nodes if n is not node),
                      key=lambda n: n.id)

    def fit_peers(self, node):
        """NODE's fit.peers value: ID@IP of every other node, by id."""
        return ",".join(f"{p.id}@{p.ip}" for p in self.peers(node))

    def ip_cidr(self, node):
        return f"{node.ip}/{self.subnet.prefixlen}"

    def lego_params(self, node):
        """NODE's boot parameters as an ordered {name: value} dict: the
        derived ones, then its params (same name: replaced in place)."""
        words = {"lego.node": str(node.id), "net.ip": self.ip_cidr(node),
                 "fit.peers": self.fit_peers(node), "fit.token": self.token}
        for word in node.params:
            name, sep, value = word.partition("=")
            words[name] = value if sep else None
        return words

    def lego_cmdline(self, node):
        return " ".join(k if v is None else f"{k}={v}"
                        for k, v in self.lego_params(node).items())


def _fail(where, msg):
    raise ManifestError(f"{where}: {msg}")


def _read_sections(text, path):
    """{section: {key: (value, where)}} and the order of the node names.
    Section "cluster", or "node NAME"."""
    sections, order = {}, []
    current = None
    for lineno, line in enumerate(text.splitlines(), 1):
        where = f"{path}:{lineno}"
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        m = _SECTION_RE.fullmatch(line)
        if m:
            name = m[2]
            if name is not None and (not _NAME_RE.fullmatch(name)
                                     or name == "cluster"):
                _fail(where, f"bad node name '{name}' (want [a-z][a-z0-9_-]*, "
                             "not 'cluster')")
            current = "cluster" if name is None else f"node {name}"
            if current in sections:
                _fail(where, f"[{current}] appears twice")
            sections[current] = {}
            if name is not None:
                order.append(name)
            continue
        if line.startswith("["):
            _fail(where, f"bad section '{line}' (want [cluster] or "
                         "[node NAME])")
        m = _KEY_RE.fullmatch(line)
        if not m or m[2] != "=":
            _fail(where, f"cannot parse '{line}' (want key = value)")
        if current is None:
            _fail(where, f"'{m[1]}' before any [cluster] or [node NAME]")
        if m[1] in sections[current]:
            _fail(where, f"'{m[1]}' given twice in [{current}]")
        sections[current][m[1]] = (m[3].strip(), where)
    return sections, order


def _apply_override(sections, spec):
    """--set NODE.KEY=VALUE (or cluster.KEY=VALUE; += appends to a value
    with a space between)."""
    where = f"--set {spec}"
    m = re.fullmatch(r"([a-z][a-z0-9_-]*)\.([a-z_]+)\s*(\+?=)(.*)", spec)
    if not m:
        _fail(where, "want NODE.KEY=VALUE or cluster.KEY=VALUE")
    section = "cluster" if m[1] == "cluster" else f"node {m[1]}"
    if section not in sections:
        _fail(where, f"no node '{m[1]}' in the manifest (nodes: "
              + ", ".join(s[5:] for s in sections if s != "cluster") + ")")
    value = m[4].strip()
    if m[3] == "+=":
        old = sections[section].get(m[2], ("", ""))[0]
        value = f"{old} {value}".strip()
    sections[section][m[2]] = (value, where)


def _check_keys(section, entries, known, where):
    for key, (_, at) in entries.items():
        if key not in known:
            _fail(at, f"unknown key '{key}' in [{section}] (known: "
                      + ", ".join(known) + ")")
    out = {}
    for key, (required, default) in known.items():
        if key in entries:
            out[key] = entries[key]
        elif required:
            _fail(where, f"[{section}] has no '{key}'")
        else:
            out[key] = (default, where)
    return out


def _int(value, where, key, lo, hi):
    if not re.fullmatch(r"[0-9]+", value) or not lo <= int(value) <= hi:
        _fail(where, f"{key} = '{value}': want a number {lo}..{hi}")
    return int(value)


def _parse_cluster(entries, path):
    c = _check_keys("cluster", entries, CLUSTER_KEYS, path)
    token, where = c["token"]
    if not _TOKEN_RE.fullmatch(token):
        _fail(where, f"token = '{token}': want 1-64 of A-Z a-z 0-9 . _ : @ "
                     "+ -")
    subnet, where = c["subnet"]
    try:
        net = ipaddress.IPv4Network(subnet)
    except ValueError as e:
        _fail(where, f"subnet = '{subnet}': {e}")
    return token, net, c["console"]


def _parse_node(name, entries, net, where):
    c = _check_keys(f"node {name}", entries, NODE_KEYS, where)
    kind, at = c["kind"]
    if kind not in KIND_ROLES:
        _fail(at, f"kind = '{kind}': want " + " or ".join(KIND_ROLES))
    role, at = c["role"]
    if role not in KIND_ROLES[kind]:
        _fail(at, f"role = '{role}': a {kind} node is "
                  + " or ".join(KIND_ROLES[kind]))
    node_id = _int(*c["id"], "id", 0, MAX_NODES - 1)
    ip, at = c["ip"]
    try:
        addr = ipaddress.IPv4Address(ip)
    except ValueError:
        _fail(at, f"ip = '{ip}': not an IPv4 address")
    if addr not in net or addr in (net.network_address,
                                   net.broadcast_address):
        _fail(at, f"ip = {ip} is not a host address of subnet {net}")
    nic, at = c["nic"]
    if nic not in NICS:
        _fail(at, f"nic = '{nic}': want " + " or ".join(NICS))
    smp = _int(*c["smp"], "smp", 1, 64)
    if kind == "linux" and smp != 1:
        _fail(c["smp"][1], "smp: a linux node runs with 1 vCPU "
                           "(tests/lib/linuxvm.py)")
    mem, at = c["mem"]
    if not _MEM_RE.fullmatch(mem):
        _fail(at, f"mem = '{mem}': want a QEMU size like 512M or 2G")
    params, at = c["params"]
    words = tuple(params.split())
    for word in words:
        if not _WORD_RE.fullmatch(word):
            _fail(at, f"params: '{word}' has a quote or a backslash, which "
                      "GRUB would rewrite")
    return Node(name, kind, role, node_id, str(addr), nic, smp, mem, words)


def _check_cluster(nodes, console, path):
    if not nodes:
        _fail(path, "no [node NAME] section")
    for attr in ("id", "ip"):
        seen = {}
        for n in nodes:
            key = getattr(n, attr)
            if key in seen:
                _fail(path, f"nodes {seen[key]} and {n.name} have the same "
                            f"{attr} {key}")
            seen[key] = n.name
    procs = [n.name for n in nodes if n.role == "processor"]
    if not procs:
        _fail(path, "no processor node (role = processor): the cluster "
                    "needs one, and it is the console node")
    value, where = console
    if value is None:
        return procs[0]
    if value not in [n.name for n in nodes]:
        _fail(where, f"console = '{value}': no such node")
    return value


def parse(text, path="<manifest>", overrides=()):
    """Parse manifest TEXT (read from PATH, for messages), after applying
    the --set OVERRIDES ("NODE.KEY=VALUE"); returns a Manifest or raises
    ManifestError."""
    sections, order = _read_sections(text, path)
    if "cluster" not in sections:
        _fail(path, "no [cluster] section")
    for spec in overrides:
        _apply_override(sections, spec)
    token, net, console = _parse_cluster(sections["cluster"], path)
    nodes = [_parse_node(name, sections[f"node {name}"], net,
                         f"{path}: [node {name}]") for name in order]
    console = _check_cluster(nodes, console, path)
    return Manifest(str(path), token, net, nodes, console)


def load(path, overrides=()):
    try:
        text = Path(path).read_text()
    except OSError as e:
        raise ManifestError(f"{path}: {e.strerror}") from e
    return parse(text, str(path), overrides)


# ---- what the consoles say --------------------------------------------------
#
# The kernel's FIT lines (net/fit/member.c, worker.c), matched anywhere in a
# line so that a Linux printk timestamp or a guest script's prefix does not
# matter, and loosely, so that rewording them breaks nothing here:
#
#   fit: node 1 (memory) 10.0.0.2 up: epoch 5c0f..., 2 QPs, attempt 1/1
#   fit: ping node 1 (memory): ok, 812 us
#   fit: ping node 1 (memory): failed: -110
#   fit: node 1 at 10.0.0.2 refused us: cluster token differs
#   fit: refused node 3 at 10.0.0.4: cluster token differs
#   fit: node 1 (memory) 10.0.0.2 down: silent for 3000 ms; 0 outstanding
#        calls failed

FIT_UP_RE = re.compile(
    r"\bfit: (?:node|peer) (?P<id>\d+)\b(?!.*\b(?:down|lost|refus|reject))"
    r".*\b(?:up|connected|joined)\b")
FIT_PING_RE = re.compile(
    r"\bfit: ping (?:node |peer )?(?P<id>\d+)\b(?:\s*\([^)]*\))?:?\s*"
    r"(?P<rest>.*)")
FIT_PING_OK_RE = re.compile(r"^ok\b\D*(?P<us>\d+(?:\.\d+)?)\s*us\b")
# A peer refused us or we refused it: fatal for --check.
FIT_REFUSED_RE = re.compile(r"\bfit: .*\b(?:refus\w*|reject\w*|wrong token|"
                            r"token differs)", re.I)
# Worth reporting, but possibly transient while peers boot. Not the
# counters fit_print_stats() prints ("down 0", "bad hellos 0"), nor Linux's
# "fit: module verification failed" when it loads an unsigned fit.ko.
FIT_ERROR_RE = re.compile(r"\bfit: (?!module verification).*(?:\bdown:|"
                          r"\bfailed\b|\bcannot\b|\bnot started\b|"
                          r"\bno RDMA device\b)")
READY_RES = (qemu.READY_RE, linuxvm.LINUX_READY_RE)
PANIC_RE = linuxvm.PANIC_RE
# Lines of a node other than the console node that the terminal shows.
NOTABLE_RE = re.compile(
    r"\bfit(?:-selftest|-node)?: |FIT-(?:NODE|SELFTEST)|Kernel panic|"
    r"LegoOS \w+ manager ready|^LVM-(?:READY|RESULT)|"
    r"params: (?:unknown|invalid)")


FATAL = ("panic", "ping-failed", "refused")


@dataclass
class Event:
    """What one console line meant to FitWatch."""
    kind: str   # ready | up | ping, or (self.errors) panic | ping-failed |
                # refused (all three FATAL) | fit-error (maybe transient)
    node: str               # the node whose console it was
    peer: str | None = None
    us: float | None = None
    text: str = ""


class FitWatch:
    """Follows every console of a cluster: which node has printed its ready
    line, seen which peer up and pinged it. complete() when every node has
    seen every other up and pinged it successfully."""

    def __init__(self, manifest):
        self.m = manifest
        self.ready = {}         # node -> time of its ready line
        self.up = {}            # (node, peer) -> time
        self.ping = {}          # (node, peer) -> us
        self.errors = []        # Events: fit-error and failed pings, panics

    def _peer(self, node_id):
        n = self.m.by_id(node_id)
        return n.name if n else None

    def feed(self, node, line, t):
        """One cleaned console line of NODE at time T; returns an Event or
        None."""
        if PANIC_RE.search(line):
            ev = Event("panic", node, text=line.strip())
            self.errors.append(ev)
            return ev
        if node not in self.ready and any(r.search(line) for r in READY_RES):
            self.ready[node] = t
            return Event("ready", node, text=line.strip())
        m = FIT_PING_RE.search(line)
        if m:
            peer = self._peer(int(m["id"]))
            ok = FIT_PING_OK_RE.match(m["rest"])
            if ok and peer and peer != node:
                self.ping.setdefault((node, peer), float(ok["us"]))
                return Event("ping", node, peer, float(ok["us"]), line.strip())
            ev = Event("ping-failed", node, peer, text=line.strip())
            self.errors.append(ev)
            return ev
        m = FIT_UP_RE.search(line)
        if m:
            peer = self._peer(int(m["id"]))
            if peer and peer != node:
                self.up.setdefault((node, peer), t)
                return Event("up", node, peer, text=line.strip())
        for kind, regex in (("refused", FIT_REFUSED_RE),
                            ("fit-error", FIT_ERROR_RE)):
            if regex.search(line):
                ev = Event(kind, node, text=line.strip())
                self.errors.append(ev)
                return ev
        return None

    def ordered_pairs(self):
        return [(a.name, b.name) for a in self.m.nodes
                for b in self.m.peers(a)]

    def complete(self):
        return all(p in self.up and p in self.ping
                   for p in self.ordered_pairs())

    def missing(self):
        """What is still missing, one phrase per ordered pair."""
        out = []
        for a, b in self.ordered_pairs():
            if (a, b) not in self.up:
                out.append(f"{a} never showed {b} up")
            elif (a, b) not in self.ping:
                out.append(f"{a} never pinged {b} successfully")
        return out

    def lagging_nodes(self):
        """Nodes whose own console lacks an up or ping line, in order."""
        return [n.name for n in self.m.nodes
                if any(a == n.name and ((a, b) not in self.up or
                                        (a, b) not in self.ping)
                       for a, b in self.ordered_pairs())]

    def table(self):
        """One row per pair of nodes (a before b in the manifest): pair,
        connected at (the later of the two up lines), ping a->b, b->a."""
        rows = []
        nodes = self.m.nodes
        for i, a in enumerate(nodes):
            for b in nodes[i + 1:]:
                ts = [self.up.get((a.name, b.name)),
                      self.up.get((b.name, a.name))]
                rows.append({
                    "pair": f"{a.name}({a.id}) <-> {b.name}({b.id})",
                    "connected": None if None in ts else max(ts),
                    "ping_ab": self.ping.get((a.name, b.name)),
                    "ping_ba": self.ping.get((b.name, a.name)),
                    "a": a.name, "b": b.name})
        return rows

    def format_table(self):
        def fmt(v, unit):
            return "-" if v is None else f"{v:.0f} {unit}" if unit == "us" \
                else f"{v:.2f} {unit}"
        rows = self.table()
        width = max([len(r["pair"]) for r in rows] + [4])
        lines = [f"{'pair':<{width}}  {'connected at':>12}  "
                 f"{'ping a->b':>10}  {'ping b->a':>10}"]
        for r in rows:
            lines.append(f"{r['pair']:<{width}}  "
                         f"{fmt(r['connected'], 's'):>12}  "
                         f"{fmt(r['ping_ab'], 'us'):>10}  "
                         f"{fmt(r['ping_ba'], 'us'):>10}")
        return "\n".join(lines)
