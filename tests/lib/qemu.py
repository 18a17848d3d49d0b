# SPDX-License-Identifier: GPL-2.0
"""Boot a LegoOS image under QEMU/TCG and collect what it said.

One call, boot(), builds a GRUB ISO with scripts/mkiso (so every test goes
through the real BIOS -> GRUB -> multiboot2 path), starts one QEMU with the
serial console on a pipe, timestamps what arrives, and returns a BootResult:
the exit status, the serial log (ANSI escapes, control characters and printk
timestamps removed) and the wall time from QEMU start to the ready line.

The verdict is QEMU's exit status, which the kernel sets through
isa-debug-exit (writing v to port 0xf4 exits with (v << 1) | 1):

    33   pass: the kernel wrote 0x10
    35   a self-test failed: the kernel wrote 0x11
    37   kernel panic in test mode: the kernel wrote 0x12
    0    triple fault or reset (with -no-reboot): no verdict
    124  timeout: the harness killed a guest that never reported

Only 33 is a pass. QEMU never outlives the call: it is killed on timeout, on
any exception (including KeyboardInterrupt) and, through PR_SET_PDEATHSIG, if
the Python process itself dies.
"""

import ctypes
import os
import re
import selectors
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MKISO = REPO / "scripts" / "mkiso"
ROLES = ("processor", "memory")

EXIT_PASS = 33
EXIT_FAIL = 35
EXIT_PANIC = 37
EXIT_TIMEOUT = 124

EXIT_MEANING = {
    33: "pass: the kernel wrote 0x10 to port 0xf4",
    35: "test failure reported by the kernel (0x11 to port 0xf4)",
    37: "kernel panic in test mode (0x12 to port 0xf4)",
    0: "triple fault or reset (QEMU runs with -no-reboot): the kernel "
       "never reported a verdict",
    1: "QEMU failed to start (bad arguments; see QEMU's stderr), or the "
       "kernel wrote 0 to port 0xf4",
    124: "timeout: the guest hung and was killed by the harness",
}

READY_RE = re.compile(
    r"LegoOS (processor|memory) manager ready: (\d+) CPUs online")

# CSI (ESC [ ... final), OSC (ESC ] ... BEL/ST) and two-byte ESC sequences.
_ANSI_RE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
# Every other control character except tab and newline (this removes \r).
_CTRL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# printk's "[seconds.micros] " line prefix (kernel/printk.c).
_PRINTK_TIME_RE = re.compile(r"^\[ *\d+\.\d+\] ", re.M)

BASE_ARGS = ("-accel", "tcg", "-nodefaults", "-no-reboot",
             "-display", "none", "-monitor", "none",
             "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04")


def exit_meaning(code):
    """Human-readable meaning of a QEMU exit status."""
    if code in EXIT_MEANING:
        return EXIT_MEANING[code]
    if code < 0:
        return f"QEMU was killed by signal {-code}"
    if code % 2:
        return (f"the kernel wrote {(code - 1) // 2:#x} to port 0xf4, "
                "which is not a defined verdict")
    return "unexpected QEMU exit status"


def strip_serial(text):
    """Remove ANSI escape sequences, \\r and other control characters, and
    printk's timestamp prefix (so KTAP indentation starts the line)."""
    text = _CTRL_RE.sub("", _ANSI_RE.sub("", text))
    return _PRINTK_TIME_RE.sub("", text)


def default_elf(role):
    """The image `make` builds for ROLE; $LEGO_<ROLE>_ELF overrides it."""
    env = os.environ.get(f"LEGO_{role.upper()}_ELF")
    if env:
        return Path(env)
    return REPO / "build" / role / f"lego-{role}.elf"


def mkiso(role, cmdline, out, elf=None):
    """Build a GRUB ISO for ROLE that boots ELF with CMDLINE (scripts/mkiso)."""
    elf = Path(elf) if elf else default_elf(role)
    proc = subprocess.run([str(MKISO), role, cmdline, str(out), str(elf)],
                          stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"scripts/mkiso {role} '{cmdline}' failed "
                           f"(status {proc.returncode}):\n"
                           f"{proc.stdout}{proc.stderr}")
    return Path(out)


@dataclass
class BootResult:
    """What one QEMU run produced."""
    exit_code: int              # QEMU status, or EXIT_TIMEOUT
    log: str                    # serial output, cleaned by strip_serial()
    ready_time: float | None    # seconds from QEMU start to the ready line
    wall_time: float            # seconds from QEMU start to QEMU exit
    cmd: list = field(default_factory=list)
    stderr: str = ""            # QEMU's own messages
    log_path: Path | None = None
    stopped_at_ready: bool = False

    @property
    def ready(self):
        """(role, cpus) from the ready line, or None if it never came."""
        m = READY_RE.search(self.log)
        return (m.group(1), int(m.group(2))) if m else None

    def tail(self, n=60):
        return "\n".join(self.log.splitlines()[-n:])

    def describe(self, n=60):
        """Exit status, its meaning and the last N lines of the serial log."""
        parts = [f"QEMU exit status {self.exit_code}: "
                 f"{exit_meaning(self.exit_code)}",
                 f"wall time {self.wall_time:.2f} s; ready line "
                 + (f"at {self.ready_time:.2f} s" if self.ready_time
                    is not None else "never seen")]
        if self.stderr.strip():
            parts.append("QEMU stderr:\n" + self.stderr.strip())
        parts.append("command: " + " ".join(self.cmd))
        if self.log_path:
            parts.append(f"full serial log: {self.log_path}")
        parts.append(f"--- last {n} lines of the serial log ---\n"
                     + self.tail(n))
        return "\n".join(parts)


def _die_with_parent():
    """Runs in the child before exec: SIGKILL QEMU if the harness dies."""
    pr_set_pdeathsig = 1
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)


def _stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            proc.kill()
    proc.wait()


def qemu_command(iso, smp=1, mem="512M", machine="q35", cpu="max",
                 extra_args=()):
    """The QEMU command line boot_iso() runs (serial console on stdout)."""
    return ["qemu-system-x86_64", *BASE_ARGS,
            "-machine", machine, "-cpu", cpu, "-smp", str(smp), "-m", mem,
            "-serial", "stdio", "-cdrom", str(iso), "-boot", "d",
            *extra_args]


def boot_iso(iso, smp=1, mem="512M", machine="q35", cpu="max", extra_args=(),
             timeout=120, log_path=None, stop_at_ready=False):
    """Boot ISO once and wait until QEMU exits or TIMEOUT seconds pass.

    With stop_at_ready, QEMU is stopped as soon as the ready line appears
    (used to measure boot time of a kernel that then idles).
    """
    cmd = qemu_command(iso, smp, mem, machine, cpu, extra_args)
    raw = bytearray()
    pending = b""
    ready_time = None
    timed_out = stopped = False

    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=_die_with_parent)
    sel = selectors.DefaultSelector()
    open_fds = 2
    err = bytearray()
    try:
        sel.register(proc.stdout, selectors.EVENT_READ, "out")
        sel.register(proc.stderr, selectors.EVENT_READ, "err")
        deadline = t0 + timeout
        while open_fds:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            for key, _ in sel.select(timeout=min(left, 1.0)):
                chunk = os.read(key.fileobj.fileno(), 65536)
                now = time.monotonic()
                if not chunk:
                    sel.unregister(key.fileobj)
                    open_fds -= 1
                    continue
                if key.data == "err":
                    err += chunk
                    continue
                raw += chunk
                if ready_time is None:
                    pending += chunk
                    lines = pending.split(b"\n")
                    pending = lines.pop()
                    for line in lines:
                        text = strip_serial(line.decode("utf-8", "replace"))
                        if READY_RE.search(text):
                            ready_time = now - t0
                            break
                if ready_time is not None and stop_at_ready:
                    stopped = True
                    open_fds = 0
                    break
    finally:
        sel.close()
        _stop(proc)
    wall = time.monotonic() - t0
    # QEMU is gone: collect what it wrote after the loop stopped reading.
    raw += proc.stdout.read()
    err += proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()

    log = strip_serial(raw.decode("utf-8", "replace"))
    if log_path:
        Path(log_path).write_bytes(bytes(raw))
    code = EXIT_TIMEOUT if timed_out else proc.returncode
    return BootResult(exit_code=code, log=log, ready_time=ready_time,
                      wall_time=wall, cmd=cmd,
                      stderr=err.decode("utf-8", "replace"),
                      log_path=Path(log_path) if log_path else None,
                      stopped_at_ready=stopped)


def boot(role, cmdline, workdir, elf=None, **kwargs):
    """mkiso + boot_iso in WORKDIR; keyword arguments go to boot_iso()."""
    workdir = Path(workdir)
    iso = mkiso(role, cmdline, workdir / f"lego-{role}.iso", elf)
    kwargs.setdefault("log_path", workdir / f"serial-{role}.log")
    return boot_iso(iso, **kwargs)
