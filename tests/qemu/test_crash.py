# SPDX-License-Identifier: GPL-2.0
"""The crash path itself: a kernel exception must print the registers, the
faulting instruction as symbol+offset and a symbolized backtrace, then
panic and (under ktest=) leave QEMU with the panic code.  `debug.crash=`
makes the kernel fault on purpose right after the ready line."""

import pytest

from lib import checks, qemu

CASES = {
    "null": r"BUG: unable to handle page fault for address 0",
    "gp": r"general protection \(vector 13",
    "ud": r"invalid opcode \(vector 6",
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_exception_is_reported(boot, kind):
    result = boot("processor", f"ktest=traps debug.crash={kind}", smp=2)
    checks.expect_exit(result, qemu.EXIT_PANIC)
    checks.expect_line(result, CASES[kind])
    # RIP as symbol+offset/size, registers, and a backtrace through the caller.
    checks.expect_line(result, r"RIP: 0008:crash_now\+0x[0-9a-f]+/0x[0-9a-f]+")
    checks.expect_line(result, r"RAX: [0-9a-f]{16} RBX: [0-9a-f]{16}")
    checks.expect_line(result, r"CR2: [0-9a-f]{16} CR3: [0-9a-f]{16}")
    checks.expect_line(result, r"Call Trace:")
    checks.expect_line(result, r"\[<ffffffff[0-9a-f]{8}>\] start_kernel\+0x")
    checks.expect_line(result,
                       r"Kernel panic - not syncing: Fatal exception: .* at crash_now\+")


def test_explicit_panic_is_reported(boot):
    result = boot("memory", "ktest=traps debug.crash=panic", smp=4)
    checks.expect_exit(result, qemu.EXIT_PANIC)
    checks.expect_line(result, r"Kernel panic - not syncing: debug.crash=panic")
    checks.expect_line(result, r"end Kernel panic")
