"""Which kernel a boot uses: names for the kernels a developer has at hand, and what each needs.

Tessera's systems run on two kernels with one binary ABI: Tessera's own and the real seL4 in
../shared/sel4 (DESIGN.md decision 12). The launcher boots either; this module resolves a kernel
name or path to a file and tells the two apart, because seL4 needs other settings: the CPU model
its binaries were built for, and a run that ends on the system's exit or the time limit only
(seL4 has no idle exit). Standard library only.
"""

import os
import struct

# The CPU model seL4's own `simulate` script gives QEMU for x86_64 pc99 (../shared/sel4/README.md):
# the features the reference kernels were configured for, `enforce` so QEMU refuses rather than
# silently drops one.
SEL4_CPU = "Nehalem,-vme,+pdpe1gb,-xsave,-xsaveopt,-xsavec,-fsgsbase,-invpcid,+syscall,+lm,enforce"

# Kernel names accepted wherever a kernel file is (launch.py --kernel, tessera run --kernel,
# make run KERNEL=...). seL4's are found in the folder sel4_directory() returns.
TESSERA = "tessera"
TESSERA_RELEASE = "tessera-release"  # Tessera's release kernel: no debug calls (docs/building.md)
SEL4_NAMES = {
    "sel4-debug": "kernel-debug.elf",
    "sel4-release": "kernel-release.elf",
    "sel4-bench": "kernel-bench.elf",
}
NAMES = (TESSERA, TESSERA_RELEASE, *SEL4_NAMES)

# Flavours of a kernel file.
FLAVOUR_TESSERA = "tessera"
TESSERA_RELEASE = "tessera-release"  # Tessera's release kernel: no debug calls (docs/building.md)
FLAVOUR_SEL4_DEBUG = "sel4-debug"      # seL4 with kernel printing: seL4_DebugPutChar works
FLAVOUR_SEL4_RELEASE = "sel4-release"  # seL4 without printing or debug system calls


class KernelError(Exception):
    """A kernel name that cannot be resolved; the message says where it was looked for."""


def repository_root():
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _main_checkout(repo):
    """The main checkout of a git worktree (its .git is a file naming .git/worktrees/NAME), else
    repo itself: a worktree's ../shared is the main checkout's."""
    dot_git = os.path.join(repo, ".git")
    try:
        with open(dot_git, encoding="utf-8") as file:
            line = file.readline().strip()
    except (IsADirectoryError, FileNotFoundError, NotADirectoryError, PermissionError):
        return repo
    if not line.startswith("gitdir:"):
        return repo
    gitdir = os.path.normpath(os.path.join(repo, line[len("gitdir:"):].strip()))
    parts = gitdir.split(os.sep)
    if len(parts) >= 3 and parts[-2] == "worktrees" and parts[-3] == ".git":
        return os.sep.join(parts[:-3]) or os.sep
    return repo


def sel4_directory(environ=None, repo=None):
    """The folder holding seL4's reference binaries, or None when there is none.

    In order: $TESSERA_SEL4_DIR; ../shared/sel4 beside the repository; the same beside the main
    checkout when this is a git worktree.
    """
    environ = os.environ if environ is None else environ
    repo = repository_root() if repo is None else repo
    candidates = []
    if environ.get("TESSERA_SEL4_DIR"):
        candidates.append(environ["TESSERA_SEL4_DIR"])
    candidates.append(os.path.join(repo, "..", "shared", "sel4"))
    candidates.append(os.path.join(_main_checkout(repo), "..", "shared", "sel4"))
    for candidate in candidates:
        if os.path.isdir(candidate):
            return os.path.normpath(candidate)
    return None


def resolve(kernel, build, environ=None, repo=None):
    """The kernel file for a --kernel value: a name from NAMES or a path (returned unchanged)."""
    if kernel is None or kernel == TESSERA:
        return os.path.join(build, "kernel", "tessera.elf")
    if kernel == TESSERA_RELEASE:
        return os.path.join(build, "kernel", "tessera-release.elf")
    if kernel not in SEL4_NAMES:
        return kernel
    folder = sel4_directory(environ, repo)
    if folder is None:
        raise KernelError(f"kernel {kernel!r}: no seL4 folder (set TESSERA_SEL4_DIR, or put seL4's "
                          "reference binaries in ../shared/sel4 beside the repository)")
    return os.path.join(folder, SEL4_NAMES[kernel])


def _elf32_symbols(data):
    """Names in the symbol tables of a 32-bit little-endian ELF file (empty if there are none)."""
    if len(data) < 52 or data[:4] != b"\x7fELF" or data[4] != 1 or data[5] != 1:
        return set()
    shoff, = struct.unpack_from("<I", data, 32)
    shentsize, shnum = struct.unpack_from("<HH", data, 46)
    if shoff == 0 or shentsize < 40 or shoff + shnum * shentsize > len(data):
        return set()
    sections = [struct.unpack_from("<IIIIIIIIII", data, shoff + i * shentsize) for i in range(shnum)]
    names = set()
    for _, sh_type, _, _, offset, size, link, _, _, entsize in sections:
        if sh_type != 2 or entsize < 16 or link >= len(sections):   # SHT_SYMTAB
            continue
        strings = sections[link][4]
        for at in range(offset, min(offset + size, len(data) - 16 + 1), entsize):
            name, = struct.unpack_from("<I", data, at)
            start = strings + name
            end = data.find(b"\0", start)
            if name and end > start:
                names.add(data[start:end].decode("ascii", errors="replace"))
    return names


def flavour(path):
    """FLAVOUR_* of a kernel file, from its symbols. seL4's x86_64 kernels keep their symbol table
    (boot_sys and ksCurThread are in every configuration; kernel_putDebugChar only where it
    prints). Anything else, including an unreadable file, counts as Tessera's."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError:
        return FLAVOUR_TESSERA
    symbols = _elf32_symbols(data)
    if "boot_sys" not in symbols or "ksCurThread" not in symbols:
        return FLAVOUR_TESSERA
    return FLAVOUR_SEL4_DEBUG if "kernel_putDebugChar" in symbols else FLAVOUR_SEL4_RELEASE


def is_sel4(kernel_flavour):
    return kernel_flavour in (FLAVOUR_SEL4_DEBUG, FLAVOUR_SEL4_RELEASE)
