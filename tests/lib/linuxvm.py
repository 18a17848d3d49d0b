# SPDX-License-Identifier: GPL-2.0
"""Boot Debian Linux VMs, alone or several on one emulated Ethernet segment.

The Linux test VMs run Debian's own kernel (build/linuxvm/vmlinux, an
uncompressed ELF that QEMU boots through its PVH note) with a busybox
initramfs whose /init is configured by lvm.* kernel parameters, runs one
guest test from /tests and reports through isa-debug-exit. How the pieces
are built: Documentation/linux-vms.md.

    kernel = linuxvm.fetch_kernel()             # scripts/linuxvm/fetch-kernel
    initrd = linuxvm.mkinitramfs(tmp / "net.cpio.gz")
    nodes = [linuxvm.LinuxNode("server", ip="10.0.0.1/24",
                               test="udpecho-server"),
             linuxvm.LinuxNode("client", ip="10.0.0.2/24",
                               test="udpecho-client",
                               params={"peer": "10.0.0.1"})]
    result = linuxvm.run_linux_nodes(nodes, tmp, initrd=initrd, timeout=60)
    result.passed, result["client"].log, result["client"].verdict

Every node gets its own QEMU (TCG, -smp 1), its own MAC, and a NIC on a
Segment: a QEMU socket-multicast hub on loopback (-netdev
socket,mcast=230.0.0.1:PORT,localaddr=127.0.0.1) whose port is reserved for
this run, so runs at the same time never share a segment.

run_nodes() is the generic part: it starts any list of QEMU command lines
(NodeSpec). run_cluster() puts bare-metal LegoOS nodes (LegoNode: the real
GRUB ISO, booted with -cdrom) and Linux VMs (LinuxNode) on one segment:

    nodes = [linuxvm.LegoNode("peer", "memory", "net.ip=10.0.0.2/24 "
                              "net.echo_port=7", nic="e1000", service=True),
             linuxvm.LegoNode("tester", "processor", "net.ip=10.0.0.1/24 "
                              "ktest=nettest net.test_peer=10.0.0.2")]
    result = linuxvm.run_cluster(nodes, tmp, timeout=60)

A service node (service=True) is expected to run until the others are done
(an echo peer that never exits): it is stopped then, and passes if it had
printed its ready line. Its early death, with any status but 33, fails the
run like any other node's. A node whose console shows a kernel panic fails
even if it does not exit (a LegoOS kernel without ktest= halts forever).

Each QEMU runs in its own process group and dies with the harness
(PR_SET_PDEATHSIG); on timeout, on an exception and on the way out all
groups are killed and reaped: no QEMU is ever left behind.
"""

import ctypes
import dataclasses
import fcntl
import os
import random
import re
import selectors
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import qemu

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "scripts" / "linuxvm"
BUILD = REPO / "build" / "linuxvm"
VMLINUX = BUILD / "vmlinux"

EXIT_PASS = qemu.EXIT_PASS          # the guest wrote 0x10 to port 0xf4
EXIT_FAIL = qemu.EXIT_FAIL          # the guest wrote 0x11
EXIT_TIMEOUT = qemu.EXIT_TIMEOUT    # the harness killed it

# The modules each NIC model needs, in load order. There is no udev in the
# initramfs: virtio_pci must be loaded by name.
NIC_MODULES = {
    "virtio-net-pci": ("virtio_pci", "virtio_net"),
    "e1000": ("e1000",),
}
DEFAULT_MODULES = tuple(m for mods in NIC_MODULES.values() for m in mods)

LINUX_READY_RE = re.compile(r"^LVM-READY uptime=([\d.]+)", re.M)
LEGO_READY_RE = qemu.READY_RE
# Both Linux and LegoOS print this first when they panic.
PANIC_RE = re.compile(r"Kernel panic - not syncing")
# Seconds a node that printed PANIC_RE gets to finish its report (register
# dump, backtrace) and exit on its own before the harness stops it.
PANIC_GRACE = 3.0
RESULT_RE = re.compile(r"^LVM-RESULT: (PASS|FAIL) ?(.*)$", re.M)

# Segment ports: below Linux's ephemeral range (32768-60999), so that no
# outgoing connection is ever handed one.
PORT_RANGE = (20000, 32767)
LOCK_DIR = Path(tempfile.gettempdir()) / "lego-netseg"


class LinuxVMError(RuntimeError):
    """A build step of the Linux VM (kernel, initramfs) failed."""


def _run_script(cmd, what):
    try:
        proc = subprocess.run([str(c) for c in cmd],
                              stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, check=False)
    except OSError as e:
        raise LinuxVMError(f"{what} failed: {e}") from e
    if proc.returncode != 0:
        raise LinuxVMError(f"{what} failed (status {proc.returncode}):\n"
                           f"{proc.stdout}{proc.stderr}")
    return proc.stdout


def fetch_kernel(headers=False):
    """Run scripts/linuxvm/fetch-kernel; returns its KEY=VALUE lines as a
    dict (release, vmlinux, modules, headers). Raises LinuxVMError."""
    cmd = [SCRIPTS / "fetch-kernel"] + ([] if headers else ["--no-headers"])
    out = _run_script(cmd, "scripts/linuxvm/fetch-kernel")
    info = dict(line.split("=", 1) for line in out.splitlines()
                if "=" in line)
    if not Path(info.get("vmlinux", "")).is_file():
        raise LinuxVMError("scripts/linuxvm/fetch-kernel succeeded but "
                           f"printed no usable vmlinux:\n{out}")
    return info


def mkinitramfs(out, modules=DEFAULT_MODULES, files=(), binaries=()):
    """Build an initramfs (scripts/linuxvm/mkinitramfs) with MODULES,
    FILES, a list of (src, dst) pairs, and BINARIES, host programs or
    libraries copied to the same path with their ldd closure. Returns OUT
    as a Path."""
    cmd = [SCRIPTS / "mkinitramfs", out]
    if modules:
        cmd += ["-m", ",".join(modules)]
    for src, dst in files:
        cmd += ["-f", f"{src}:{dst}"]
    for path in binaries:
        cmd += ["-b", path]
    _run_script(cmd, "scripts/linuxvm/mkinitramfs")
    return Path(out)


class Segment:
    """One Ethernet segment: a QEMU multicast hub on loopback.

    The port is reserved for the lifetime of the object: an flock on
    LOCK_DIR/PORT keeps other harness runs off it, and a port that any UDP
    socket on this host is bound to already is never chosen. Use it as a
    context manager, or call close().
    """

    def __init__(self, group="230.0.0.1", port=None):
        self.group = group
        self._lock = None
        self.port = port if port is not None else self._reserve()

    @staticmethod
    def _udp_ports_in_use():
        used = set()
        for table in ("/proc/net/udp", "/proc/net/udp6"):
            try:
                lines = Path(table).read_text().splitlines()[1:]
            except OSError:
                continue
            for line in lines:
                local = line.split()[1]             # ADDR:PORT in hex
                used.add(int(local.rsplit(":", 1)[1], 16))
        return used

    def _reserve(self):
        try:
            LOCK_DIR.mkdir()
            LOCK_DIR.chmod(0o1777)          # shared by every user's runs
        except FileExistsError:
            pass
        rng = random.SystemRandom()
        for _ in range(200):
            port = rng.randint(*PORT_RANGE)
            if port not in self._udp_ports_in_use() and self._lock_port(port):
                return port
        raise RuntimeError("no free multicast port for a network segment")

    def _lock_port(self, port):
        """flock LOCK_DIR/PORT.lock; False if another run holds it. The
        holder unlinks the file when done, so a lock taken on a file that
        was unlinked meanwhile does not count."""
        path = LOCK_DIR / f"{port}.lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if os.fstat(fd).st_ino != os.stat(path).st_ino:
                raise BlockingIOError
        except (BlockingIOError, FileNotFoundError):
            os.close(fd)
            return False
        self._lock = fd
        self._lock_path = path
        return True

    def close(self):
        if self._lock is not None:
            try:
                self._lock_path.unlink()
            except FileNotFoundError:
                pass
            os.close(self._lock)
            self._lock = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def mac(self, index):
        """A MAC unique on this segment (and across segments, by port)."""
        return (f"52:54:00:{self.port >> 8:02x}:{self.port & 0xff:02x}:"
                f"{index + 1:02x}")

    def qemu_args(self, index, nic="e1000", netdev_id="n0", nic_opts=""):
        """The -netdev and -device arguments of node INDEX's NIC; NIC_OPTS
        are more device properties, e.g. "host_mtu=9000" (virtio-net)."""
        opts = f",{nic_opts}" if nic_opts else ""
        return ["-netdev", f"socket,id={netdev_id},mcast={self.group}:"
                           f"{self.port},localaddr=127.0.0.1",
                "-device", f"{nic},netdev={netdev_id},mac={self.mac(index)},"
                           f"romfile={opts}"]


@dataclass
class LinuxNode:
    """One Linux VM: what its /init should do (see scripts/linuxvm/init).

    params become lvm.KEY=VALUE kernel parameters (values must not contain
    spaces); a list or tuple value is joined with commas. modules defaults to
    what the NIC needs. timeout is the guest-side watchdog (lvm.timeout);
    run_linux_nodes() sets it a little below its own timeout when None.
    """
    name: str
    ip: str | None = None               # "10.0.0.1/24"
    test: str | None = None             # /tests/NAME
    params: dict = field(default_factory=dict)
    nic: str | None = "virtio-net-pci"  # or "e1000", or None for no NIC
    nic_opts: str = ""                  # more -device properties of the NIC
    modules: tuple | None = None
    timeout: int | None = None
    mem: str = "512M"
    cpu: str = "max"
    append: str = ""                    # more kernel parameters
    extra_args: tuple = ()              # more QEMU arguments
    service: bool = False               # runs until the others are done
    start_delay: float | None = 0.0     # see NodeSpec
    nic_index: int | None = None        # MAC/position on the segment

    def cmdline(self):
        mods = self.modules if self.modules is not None else \
            NIC_MODULES.get(self.nic, ())
        lvm = {"mods": ",".join(mods), "ip": self.ip, "test": self.test,
               "timeout": self.timeout}
        lvm.update(self.params)
        words = ["console=ttyS0", "panic=-1", "quiet", "loglevel=3"]
        for key, value in lvm.items():
            if value is None or value == "":
                continue
            if isinstance(value, (list, tuple)):
                value = ",".join(str(v) for v in value)
            value = str(value)
            if not re.fullmatch(r"[A-Za-z0-9_.-]+", key) or \
                    re.search(r"\s", value):
                raise ValueError(f"node {self.name}: bad parameter "
                                 f"lvm.{key}={value!r}")
            words.append(f"lvm.{key}={value}")
        if self.append:
            words.append(self.append)
        return " ".join(words)

    def qemu_command(self, kernel, initrd, segment=None, index=0):
        cmd = ["qemu-system-x86_64", "-accel", "tcg", "-cpu", self.cpu,
               "-smp", "1", "-m", self.mem, "-nodefaults", "-no-reboot",
               "-display", "none", "-monitor", "none", "-serial", "stdio",
               "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
               "-kernel", str(kernel), "-initrd", str(initrd),
               "-append", self.cmdline()]
        if self.nic:
            if segment is None:
                raise ValueError(f"node {self.name} has a NIC but no segment")
            cmd += segment.qemu_args(index, self.nic,
                                     nic_opts=self.nic_opts)
        return cmd + list(self.extra_args)


@dataclass
class LegoNode:
    """One bare-metal LegoOS node: the image of ROLE booted through a GRUB
    ISO made with scripts/mkiso for CMDLINE (or ISO, made by the caller),
    with its NIC on the run's segment. LegoOS sets no address by itself:
    put net.ip=... in cmdline. elf defaults to what `make` built
    ($LEGO_<ROLE>_ELF overrides it)."""
    name: str
    role: str = "processor"
    cmdline: str = ""
    nic: str | None = "virtio-net-pci"  # or "e1000", or None for no NIC
    nic_opts: str = ""                  # more -device properties of the NIC
                                        # ("host_mtu=9000": jumbo virtio)
    smp: int = 1
    mem: str = "512M"
    machine: str = "q35"
    cpu: str = "max"
    service: bool = False               # runs until the others are done
    elf: Path | None = None
    iso: Path | None = None
    extra_args: tuple = ()              # more QEMU arguments
    start_delay: float | None = 0.0     # see NodeSpec
    nic_index: int | None = None        # MAC/position on the segment (a
                                        # restarted node reuses its MAC)

    def make_iso(self, workdir):
        """The ISO to boot: self.iso, or WORKDIR/NAME.iso made now."""
        if self.iso is not None:
            return Path(self.iso)
        return qemu.mkiso(self.role, self.cmdline,
                          Path(workdir) / f"{self.name}.iso", self.elf)

    def qemu_command(self, iso, segment=None, index=0):
        nic = []
        if self.nic:
            if segment is None:
                raise ValueError(f"node {self.name} has a NIC but no segment")
            nic = segment.qemu_args(index, self.nic, nic_opts=self.nic_opts)
        return qemu.qemu_command(iso, self.smp, self.mem, self.machine,
                                 self.cpu, nic + list(self.extra_args))


@dataclass
class NodeSpec:
    """Any QEMU node for run_nodes(): its command line (serial console on
    stdout), where to keep its console, and the line that means 'booted'.
    A service node is stopped once every other node has exited; fail_re,
    when it shows up on the console, fails the node whatever its status."""
    name: str
    cmd: list
    log_path: Path
    ready_re: re.Pattern = LINUX_READY_RE
    service: bool = False
    fail_re: re.Pattern | None = PANIC_RE
    # Seconds after the run starts at which QEMU is started; None: only
    # when a Trigger starts it.
    start_delay: float | None = 0.0


@dataclass
class Trigger:
    """When node WATCH's console matches PATTERN (once), ACTION the node
    TARGET: "kill" (its QEMU is killed, as a crash would; it does not fail
    the run) or "start" (a NodeSpec with start_delay=None is started)."""
    watch: str
    pattern: str
    action: str
    target: str
    fired: bool = False


SERVICE_STOPPED = ("service node: still running when the other nodes were "
                   "done; stopped by the harness")
KILLED = "killed by the harness on a trigger, as the test asked"


@dataclass
class NodeResult:
    """What one node of a run produced."""
    name: str
    exit_code: int          # QEMU status, EXIT_TIMEOUT, or -signal if stopped
    log: str                # console, cleaned by qemu.strip_serial()
    ready_time: float | None    # seconds from QEMU start to the ready line
    wall_time: float        # seconds from QEMU start to its exit
    cmd: list
    stderr: str = ""
    log_path: Path | None = None
    pid: int = 0
    stopped: str = ""       # why the harness stopped it, if it did
    service: bool = False
    failure: str = ""       # the fail_re line its console showed, if any

    @property
    def passed(self):
        """Exit 33; or, for a service node, still up (after its ready line)
        when the others were done. Never after a kernel panic."""
        if self.failure:
            return False
        if self.exit_code == EXIT_PASS:
            return True
        if self.stopped == KILLED:
            return self.ready_time is not None
        return (self.service and self.stopped == SERVICE_STOPPED and
                self.ready_time is not None)

    @property
    def verdict(self):
        """(PASS|FAIL, reason) from the guest's LVM-RESULT line, or None."""
        m = RESULT_RE.search(self.log)
        return (m.group(1), m.group(2).strip()) if m else None

    def meaning(self):
        if self.failure:
            return f"its console shows a failure: {self.failure}"
        if self.stopped == SERVICE_STOPPED and self.ready_time is None:
            return SERVICE_STOPPED + ", but it never printed its ready line"
        if self.stopped:
            return self.stopped
        return qemu.exit_meaning(self.exit_code)

    def describe(self, n=40):
        """Exit status, its meaning, the verdict line and the log tail."""
        ready = (f"at {self.ready_time:.2f} s" if self.ready_time is not None
                 else "never seen")
        parts = [f"node {self.name}{' (service)' if self.service else ''}: "
                 f"QEMU exit status {self.exit_code}: {self.meaning()}",
                 f"wall time {self.wall_time:.2f} s; ready line {ready}; "
                 f"verdict {self.verdict}"]
        if self.stderr.strip():
            parts.append("QEMU stderr:\n" + self.stderr.strip())
        parts.append("command: " + " ".join(self.cmd))
        if self.log_path:
            parts.append(f"full serial log: {self.log_path}")
        tail = "\n".join(self.log.splitlines()[-n:])
        parts.append(f"--- last {n} lines of {self.name}'s console ---\n"
                     + tail)
        return "\n".join(parts)


class ClusterResult(list):
    """The NodeResults of one run, in start order; also indexable by name."""

    def __getitem__(self, key):
        if isinstance(key, str):
            for r in self:
                if r.name == key:
                    return r
            raise KeyError(key)
        return super().__getitem__(key)

    @property
    def passed(self):
        return bool(self) and all(r.passed for r in self)

    @property
    def wall_time(self):
        return max((r.wall_time for r in self), default=0.0)

    def describe(self, n=40):
        return "\n\n".join(r.describe(n) for r in self)


def _child_setup():
    """In the child before exec: SIGKILL QEMU if the harness dies. (The
    process group comes from start_new_session.)"""
    pr_set_pdeathsig = 1
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)


def _kill_group(proc):
    """SIGTERM the process group, SIGKILL it after 3 s, reap the leader."""
    for sig, grace in ((signal.SIGTERM, 3), (signal.SIGKILL, None)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=grace)
            break
        except subprocess.TimeoutExpired:
            continue
    proc.wait()
    try:                            # anything else left in the group
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


class _Node:
    """Book-keeping of one running node inside run_nodes()."""

    def __init__(self, spec, t0):
        self.spec = spec
        self.t0 = t0
        self.raw = bytearray()
        self.err = bytearray()
        self.pending = b""
        self.ready_time = None
        self.end_time = None
        self.open_fds = 2
        self.stopped = ""
        self.failure = ""
        self.fail_deadline = None   # PANIC_GRACE after the fail_re line
        self.logf = open(spec.log_path, "wb")
        self.proc = subprocess.Popen(
            spec.cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, start_new_session=True,
            preexec_fn=_child_setup)

    @property
    def running(self):
        return self.end_time is None

    @property
    def failed(self):
        """It has exited (or been given up on) without passing."""
        return bool(self.failure) or (
            not self.running and self.proc.returncode != EXIT_PASS)

    def feed_console(self, chunk, now):
        self.raw += chunk
        self.logf.write(chunk)
        self.logf.flush()
        if self.ready_time is not None and self.failure:
            return
        self.pending += chunk
        lines = self.pending.split(b"\n")
        self.pending = lines.pop()
        for line in lines:
            text = qemu.strip_serial(line.decode("utf-8", "replace"))
            if self.ready_time is None and self.spec.ready_re.search(text):
                self.ready_time = now - self.t0
            fail_re = self.spec.fail_re
            if not self.failure and fail_re and fail_re.search(text):
                self.failure = text.strip()
                self.fail_deadline = now + PANIC_GRACE

    def finish(self, now):
        """Both pipes are closed: QEMU has exited (or is about to)."""
        self.proc.wait()
        self.end_time = now

    def result(self, timed_out):
        end = self.end_time if self.end_time is not None else \
            time.monotonic()
        code = self.proc.returncode
        if self.end_time is None and timed_out and not self.stopped:
            code = EXIT_TIMEOUT
        self.logf.close()
        return NodeResult(
            name=self.spec.name, exit_code=code,
            log=qemu.strip_serial(self.raw.decode("utf-8", "replace")),
            ready_time=self.ready_time, wall_time=end - self.t0,
            cmd=self.spec.cmd, stderr=self.err.decode("utf-8", "replace"),
            log_path=self.spec.log_path, pid=self.proc.pid,
            stopped=self.stopped, service=self.spec.service,
            failure=self.failure)


def _read_ready(sel, timeout):
    """Read whatever the consoles have; returns the nodes whose QEMU just
    closed both pipes (exited)."""
    done = []
    for key, _ in sel.select(timeout=timeout):
        node, is_err = key.data
        chunk = os.read(key.fileobj.fileno(), 65536)
        now = time.monotonic()
        if chunk:
            if is_err:
                node.err += chunk
            else:
                node.feed_console(chunk, now)
            continue
        sel.unregister(key.fileobj)
        node.open_fds -= 1
        if not node.open_fds:
            node.finish(now)
            done.append(node)
    return done


def _give_up_panicked(nodes, now):
    """A node that printed its fail_re line PANIC_GRACE seconds ago and is
    still running (a halted kernel): kill it, so that its pipes close."""
    for node in nodes:
        if node.running and node.fail_deadline and now >= node.fail_deadline:
            node.stopped = ("stopped by the harness: no exit "
                            f"{PANIC_GRACE:.0f} s after its console showed "
                            "a failure")
            node.fail_deadline = None
            try:
                os.killpg(node.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def _start(node, sel):
    sel.register(node.proc.stdout, selectors.EVENT_READ, (node, 0))
    sel.register(node.proc.stderr, selectors.EVENT_READ, (node, 1))


def _fire(trigger, nodes, pending, sel, t0):
    by_name = {n.spec.name: n for n in nodes}
    if trigger.action == "kill":
        node = by_name.get(trigger.target)
        if node is None or not node.running:
            return
        node.stopped = KILLED
        try:
            os.killpg(node.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    elif trigger.action == "start":
        for spec in pending:
            if spec.name == trigger.target:
                pending.remove(spec)
                node = _Node(spec, time.monotonic())
                nodes.append(node)
                _start(node, sel)
                return
        raise ValueError(f"trigger: no pending node {trigger.target}")
    else:
        raise ValueError(f"trigger: unknown action {trigger.action}")


def _check_triggers(triggers, nodes, pending, sel, t0):
    for trig in triggers:
        if trig.fired:
            continue
        for node in nodes:
            if node.spec.name == trig.watch and re.search(
                    trig.pattern, node.raw.decode("utf-8", "replace")):
                trig.fired = True
                _fire(trig, nodes, pending, sel, t0)
                break


def _pump(nodes, deadline, stop_on_failure, pending=(), triggers=(),
          t0=None):
    """Read every node's console until every non-service node has exited
    (the service nodes still running are then marked SERVICE_STOPPED) or
    DEADLINE passes. Starts PENDING specs when their start_delay comes and
    carries out TRIGGERS. Returns True on timeout."""
    sel = selectors.DefaultSelector()
    pending = list(pending)
    t0 = time.monotonic() if t0 is None else t0
    try:
        for node in nodes:
            _start(node, sel)
        while any(n.running for n in nodes if not n.spec.service) or \
                any(s.start_delay is not None and not s.service
                    for s in pending):
            now = time.monotonic()
            if now >= deadline:
                return True
            for spec in [s for s in pending if s.start_delay is not None
                         and now >= t0 + s.start_delay]:
                pending.remove(spec)
                node = _Node(spec, now)
                nodes.append(node)
                _start(node, sel)
            _give_up_panicked(nodes, now)
            wake = min([deadline, now + 0.5] +
                       [n.fail_deadline for n in nodes if n.fail_deadline])
            for node in _read_ready(sel, max(wake - now, 0.01)):
                if stop_on_failure and node.failed and \
                        node.stopped != KILLED:
                    _stop_others(nodes, node)
                    return False
            _check_triggers(triggers, nodes, pending, sel, t0)
        for node in nodes:
            if node.running:
                node.stopped = SERVICE_STOPPED
        return False
    finally:
        sel.close()


def _stop_others(nodes, failed):
    why = (f"stopped by the harness: node {failed.spec.name} ended with "
           f"status {failed.proc.returncode}")
    if failed.failure:
        why += f" after '{failed.failure}'"
    for node in nodes:
        if node.running:
            node.stopped = why


def run_nodes(specs, timeout=90, stop_on_failure=True, triggers=()):
    """Start every NodeSpec at once; wait until all non-service nodes have
    exited (then stop the service nodes) or TIMEOUT seconds have passed.
    With stop_on_failure, the first node that exits with anything but 33
    (a service node too), or shows its fail_re line, ends the run (the
    others are stopped and say so). Returns a ClusterResult. Every QEMU is
    gone when this returns."""
    if specs and all(spec.service for spec in specs):
        raise ValueError("every node is a service node: nothing would end "
                         "the run")
    nodes = []
    timed_out = False
    t0 = time.monotonic()
    pending = [s for s in specs if s.start_delay != 0.0]
    try:
        for spec in specs:
            if spec.start_delay == 0.0:
                nodes.append(_Node(spec, time.monotonic()))
        timed_out = _pump(nodes, t0 + timeout, stop_on_failure, pending,
                          triggers, t0)
    finally:
        for node in nodes:
            _kill_group(node.proc)
    results = ClusterResult()
    for node in nodes:
        # QEMU is gone: keep what it wrote after the loop stopped reading.
        rest = node.proc.stdout.read()
        if rest:
            node.feed_console(rest, time.monotonic())
        node.err += node.proc.stderr.read()
        node.proc.stdout.close()
        node.proc.stderr.close()
        results.append(node.result(timed_out))
    return results


def _linux_watchdog(node, timeout):
    """A node without its own timeout gets a guest watchdog (lvm.timeout)
    that fires well before the harness's timeout (which counts from QEMU
    start, the watchdog from /init), so that a hung test says so in its
    log; a service node one that never fires before the harness stops it."""
    if node.timeout is not None:
        return node
    watchdog = timeout + 60 if node.service else \
        max(int(timeout * 0.75) - 5, 1)
    return dataclasses.replace(node, timeout=watchdog)


def run_cluster(nodes, workdir, initrd=None, kernel=VMLINUX, timeout=90,
                segment=None, stop_on_failure=True, triggers=()):
    """Boot NODES, LegoNodes and LinuxNodes in any mix, on one segment (a
    fresh one unless SEGMENT is given), node i with MAC segment.mac(i) and
    its console in WORKDIR/NAME.log; LegoNodes' ISOs are made in WORKDIR.
    INITRD (and KERNEL) boot the Linux nodes. See run_nodes() for the rest.
    """
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    names = [n.name for n in nodes]
    if len(set(names)) != len(names):
        raise ValueError(f"node names must differ: {names}")
    if initrd is None and any(isinstance(n, LinuxNode) for n in nodes):
        raise ValueError("Linux nodes need an initrd")
    own_segment = segment is None and any(n.nic for n in nodes)
    if own_segment:
        segment = Segment()
    try:
        specs = []
        for i, node in enumerate(nodes):
            index = i if node.nic_index is None else node.nic_index
            if isinstance(node, LegoNode):
                cmd = node.qemu_command(node.make_iso(workdir), segment,
                                        index)
                ready_re = LEGO_READY_RE
            else:
                node = _linux_watchdog(node, timeout)
                cmd = node.qemu_command(kernel, initrd, segment, index)
                ready_re = LINUX_READY_RE
            specs.append(NodeSpec(node.name, cmd, workdir / f"{node.name}.log",
                                  ready_re=ready_re, service=node.service,
                                  start_delay=node.start_delay))
        return run_nodes(specs, timeout, stop_on_failure, triggers)
    finally:
        if own_segment:
            segment.close()


def run_linux_nodes(nodes, workdir, initrd, kernel=VMLINUX, timeout=90,
                    segment=None, stop_on_failure=True):
    """Boot the LinuxNodes NODES on one segment (a fresh one unless SEGMENT
    is given), each with its console in WORKDIR/NAME.log: run_cluster()
    with Linux VMs only."""
    return run_cluster(nodes, workdir, initrd, kernel, timeout, segment,
                       stop_on_failure)


_KV_RE = re.compile(r"(\w+)=(\S+)")


def _result_lines(log, tag):
    rows = []
    for line in log.splitlines():
        if line.startswith(tag + " "):
            row = {}
            for key, value in _KV_RE.findall(line):
                try:
                    row[key] = int(value) if value.isdigit() else float(value)
                except ValueError:
                    row[key] = value
            rows.append(row)
    return rows


def parse_udpecho(log):
    """The UDPECHO-RESULT lines of a udpecho client's console, as dicts:
    size, count, min_us, avg_us, median_us, p99_us, max_us, resent."""
    return _result_lines(log, "UDPECHO-RESULT")


def parse_ping(log):
    """The PING-RESULT line of /tests/ping as a dict (peer, count, size,
    min_ms, avg_ms, max_ms), or None."""
    rows = _result_lines(log, "PING-RESULT")
    return rows[-1] if rows else None
