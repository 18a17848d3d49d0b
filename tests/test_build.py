# SPDX-License-Identifier: GPL-2.0
"""The build system: Kconfig through kconfig-frontends, per-role defconfigs,
out-of-tree builds with O=, and the multiboot2 image they produce."""

import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def make(*args, check=True):
    return subprocess.run(["make", "--no-print-directory", *args], cwd=REPO,
                          capture_output=True, text=True, check=check,
                          timeout=900)


def config(path):
    return (path / ".config").read_text()


def test_role_defconfigs(tmp_path):
    for role, other in (("processor", "memory"), ("memory", "processor")):
        out = tmp_path / role
        make(f"O={out}", f"{role}_defconfig")
        text = config(out)
        assert f"CONFIG_COMP_{role.upper()}=y" in text
        assert f"# CONFIG_COMP_{other.upper()} is not set" in text
        # savedefconfig writes the minimal form; it must round-trip.
        make(f"O={out}", "savedefconfig")
        again = tmp_path / (role + "-again")
        again.mkdir()
        (REPO / "configs" / "_roundtrip_defconfig").write_text(
            (out / "defconfig").read_text())
        try:
            make(f"O={again}", "_roundtrip_defconfig")
        finally:
            (REPO / "configs" / "_roundtrip_defconfig").unlink()
        assert config(again) == text


def test_unknown_defconfig_is_refused(tmp_path):
    r = make(f"O={tmp_path}", "nosuch_defconfig", check=False)
    assert r.returncode != 0
    assert "no such config: configs/nosuch_defconfig" in r.stderr


def test_missing_config_says_what_to_do(tmp_path):
    r = make(f"O={tmp_path}", "image", check=False)
    assert r.returncode != 0
    assert "processor_defconfig" in r.stderr


def test_out_of_tree_build(tmp_path):
    out = tmp_path / "mem"
    make(f"O={out}", "memory_defconfig")
    make(f"O={out}", "image", "-j2")
    elf = out / "lego-memory.elf"
    assert elf.exists() and (out / "lego-memory.iso").exists()
    subprocess.run(["grub-file", "--is-x86-multiboot2", str(elf)], check=True)
    # The role is compiled in and named in the banner string.
    assert b"(memory manager)" in elf.read_bytes()
    # Text symbols embedded for backtraces.
    nm = subprocess.run(["nm", str(elf)], capture_output=True, text=True,
                        check=True).stdout
    assert " kallsyms_names" in nm and " start_kernel" in nm
