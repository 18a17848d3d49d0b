# SPDX-License-Identifier: GPL-2.0
"""Without ACPI tables the kernel cannot find its CPUs: it must stop with a
panic that names what is missing, and report it to QEMU (exit 37) because
ktest= was given."""

import pytest

from lib import checks, qemu

ROLES = ("processor", "memory")
PANIC_RE = r"Kernel panic - not syncing: .*ACPI.*(RSDP|MADT)"


@pytest.mark.parametrize("role", ROLES)
def test_no_acpi_panics(boot, role):
    result = boot(role, "ktest=all", machine="pc,acpi=off")
    checks.expect_line(result, PANIC_RE)
    checks.expect_exit(result, qemu.EXIT_PANIC)
