#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Generate the kernel's embedded symbol table (used by %pS and backtraces).

  nm -n --defined-only vmlinux | kallsyms.py > kallsyms.S
  kallsyms.py --empty > kallsyms.S       (pass-1 placeholder)
  kallsyms.py --check pass1.elf final.elf

The table holds text symbols only, sorted by address: kallsyms_num,
kallsyms_addrs[] (u64), kallsyms_name_offs[] (u32 into kallsyms_names) and
the NUL-terminated names.  The .kallsyms section is the last one in the
image, so adding it does not move any code; --check verifies exactly that.
"""
import subprocess
import sys

TEXT_TYPES = set("tTwW")


def text_symbols(lines):
    syms = []
    for line in lines:
        parts = line.split()
        if len(parts) != 3 or parts[1] not in TEXT_TYPES:
            continue
        addr, name = int(parts[0], 16), parts[2]
        if name.startswith((".L", "__kallsyms", "kallsyms_")):
            continue
        syms.append((addr, name))
    syms.sort()
    return syms


def emit(syms):
    out = ['\t.section .kallsyms, "a"', "\t.balign 8"]
    out.append("\t.globl kallsyms_num\nkallsyms_num:\n\t.quad %d" % len(syms))
    out.append("\t.globl kallsyms_addrs\nkallsyms_addrs:")
    out += ["\t.quad 0x%x" % a for a, _ in syms]
    out.append("\t.globl kallsyms_name_offs\nkallsyms_name_offs:")
    off = 0
    for _, name in syms:
        out.append("\t.long %d" % off)
        off += len(name) + 1
    out.append("\t.globl kallsyms_names\nkallsyms_names:")
    out += ['\t.asciz "%s"' % name for _, name in syms]
    out.append("\t.byte 0")
    out.append('\t.section .note.GNU-stack, "", @progbits')
    return "\n".join(out) + "\n"


def check(first, final):
    def syms(path):
        nm = subprocess.run(["nm", "-n", "--defined-only", path],
                            check=True, capture_output=True, text=True)
        return text_symbols(nm.stdout.splitlines())
    a, b = syms(first), syms(final)
    if a != b:
        sys.exit("kallsyms: text moved between link passes (%s vs %s)"
                 % (first, final))


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--empty":
        sys.stdout.write(emit([]))
    elif len(sys.argv) == 4 and sys.argv[1] == "--check":
        check(sys.argv[2], sys.argv[3])
    else:
        sys.stdout.write(emit(text_symbols(sys.stdin)))


if __name__ == "__main__":
    main()
