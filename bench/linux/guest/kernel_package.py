"""Debian's Linux kernel for the guest: which package `linux-image-amd64` stands for, fetched once
with apt-get download, cached under the build directory, and its modules unpacked on demand.

The metapackage's dependency moves with every Debian point release (linux-image-6.1.0-57-amd64
at 6.1.192-3 when this was written), so the package and version are resolved each time and
recorded with every figure. The package has no modules.dep (depmod runs in its postinst), so a
module's dependencies are read from its own .modinfo `depends=` field. Debian 12 ships plain
`.ko` files; later releases compress them (`.ko.xz`, `.ko.zst`, `.ko.gz`), and the guest kernel
may not decompress, so every module is stored decompressed.
"""

import fcntl
import gzip
import hashlib
import json
import lzma
import os
import re
import shutil
import subprocess
import tarfile
import tempfile

METAPACKAGE = "linux-image-amd64"
# Overrides: a .deb to use instead of resolving the metapackage (a pinned or offline kernel).
PACKAGE_FILE_VARIABLE = "TESSERA_LINUX_IMAGE_DEB"
INDEX_FORMAT = 1
KEEP_VERSIONS = 2   # the current kernel and the one before it, for a run without the archive
MODULE_SUFFIXES = (".ko", ".ko.xz", ".ko.zst", ".ko.gz")


class KernelPackageError(Exception):
    """The kernel could not be resolved, fetched or unpacked; the message says why and what to do."""


class KernelPackage:
    """One unpacked kernel package in the cache: its identity, vmlinuz and module index."""

    def __init__(self, directory, description):
        self.directory = directory
        self.package = description["package"]
        self.version = description["version"]
        self.release = description["release"]        # uname -r, e.g. 6.1.0-57-amd64
        self.sha256 = description["sha256"]
        self.source = description.get("source", "")   # how it was obtained
        self.vmlinuz = os.path.join(directory, description["vmlinuz"])
        self.config = os.path.join(directory, description["config"])
        self._modules = description["modules"]         # name -> {"member", "depends"}
        self._deb = description["deb"]

    def identity(self):
        """What every figure records about the kernel it was measured on."""
        return {"package": self.package, "version": self.version, "release": self.release,
                "sha256": self.sha256, "metapackage": METAPACKAGE}

    def has_module(self, name):
        return _module_key(name) in self._modules

    def module_order(self, names):
        """The modules to insmod for `names`, dependencies first, each once.

        The order of `names` is kept where dependencies allow it (Debian's own order for the
        virtio and ext4 stacks is the order this yields). Unknown names raise KernelPackageError.
        """
        order, visiting = [], set()

        def visit(name, wanted_by):
            key = _module_key(name)
            if key not in self._modules:
                suffix = f" (needed by {wanted_by})" if wanted_by else ""
                raise KernelPackageError(f"kernel {self.release} has no module {name!r}{suffix}; "
                                         "it may be built in: check its config")
            if key in order:
                return
            if key in visiting:
                raise KernelPackageError(f"module dependency cycle through {key}")
            visiting.add(key)
            for dependency in self._modules[key]["depends"]:
                visit(dependency, key)
            visiting.discard(key)
            order.append(key)

        for name in names:
            visit(name, None)
        return order

    def module_files(self, names):
        """Paths of the decompressed .ko files for `names` in insmod order, unpacking any that
        are not in the cache yet (one pass over the package)."""
        order = self.module_order(names)
        missing = [n for n in order if not os.path.isfile(self._module_path(n))]
        if missing:
            with _CacheLock(os.path.dirname(self.directory)):
                self._unpack_modules(missing)
        return [(name, self._module_path(name)) for name in order]

    def _unpack_modules(self, names):
        missing = [n for n in names if not os.path.isfile(self._module_path(n))]
        if missing:
            members = {self._modules[n]["member"]: n for n in missing}
            with _data_tar(os.path.join(self.directory, self._deb)) as archive:
                for member in archive:
                    if member.name in members:
                        data = _decompress(member.name, archive.extractfile(member).read())
                        _write_atomically(self._module_path(members.pop(member.name)), data)
                        if not members:
                            break
            if members:
                raise KernelPackageError(f"{', '.join(members.values())} not found in the package")

    def _module_path(self, name):
        return os.path.join(self.directory, "modules", name + ".ko")


def _module_key(name):
    """Module names are matched as the kernel does: '-' and '_' are the same."""
    return name.replace("-", "_")


def _decompress(member_name, data):
    if member_name.endswith(".xz"):
        return lzma.decompress(data)
    if member_name.endswith(".gz"):
        return gzip.decompress(data)
    if member_name.endswith(".zst"):
        if not shutil.which("zstd"):
            raise KernelPackageError("the package's modules are zstd-compressed: install zstd")
        return subprocess.run(["zstd", "-dc"], input=data, capture_output=True, check=True).stdout
    return data


def _modinfo_depends(module):
    """The `depends=` list of a module's .modinfo section (empty when it depends on nothing)."""
    match = re.search(rb"(?:^|\0)depends=([^\0]*)\0", module)
    if not match or not match.group(1):
        return []
    return [_module_key(d) for d in match.group(1).decode().split(",") if d]


def _write_atomically(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temporary = path + ".part"
    with open(temporary, "wb") as file:
        file.write(data)
    os.replace(temporary, path)


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class _CacheLock:
    """An exclusive lock on the cache, so that two runs (a test and `make bench`, say) never
    unpack into the same directory at once."""

    def __init__(self, cache):
        os.makedirs(cache, exist_ok=True)
        self.file = open(os.path.join(cache, ".lock"), "w", encoding="utf-8")

    def __enter__(self):
        fcntl.flock(self.file, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.file, fcntl.LOCK_UN)
        self.file.close()
        return False


class _data_tar:
    """The data.tar.* of a .deb as a streaming tarfile, through dpkg-deb (any compression)."""

    def __init__(self, deb):
        self.process = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", deb],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.archive = tarfile.open(fileobj=self.process.stdout, mode="r|")

    def __enter__(self):
        return self.archive

    def __exit__(self, *exc):
        self.archive.close()
        self.process.stdout.close()
        self.process.kill()   # a pass that stopped early leaves dpkg-deb writing
        self.process.wait()
        return False


def _run_apt(arguments, directory=None):
    return subprocess.run(arguments, cwd=directory, capture_output=True, text=True)


def resolve_version(metapackage=METAPACKAGE):
    """(package, version) that the metapackage's candidate depends on, from apt's lists.

    A fresh Debian image has empty lists: as root, `apt-get update` runs once and the lookup is
    tried again; otherwise the error says what to run.
    """
    for attempt in range(2):
        shown = _run_apt(["apt-cache", "show", "--no-all-versions", metapackage])
        if shown.returncode == 0 and shown.stdout.strip():
            break
        if attempt == 0 and os.geteuid() == 0:
            _run_apt(["apt-get", "update", "-qq"])
            continue
        raise KernelPackageError(
            f"apt knows no {metapackage} ({shown.stderr.strip() or 'empty lists'}): run "
            f"`apt-get update` as root, or set {PACKAGE_FILE_VARIABLE} to a linux-image .deb")
    match = re.search(r"^Depends:.*?\b(linux-image-[0-9][^\s,(]*)\s*\(=\s*([^)\s]+)\)",
                      shown.stdout, re.MULTILINE)
    if not match:
        raise KernelPackageError(f"{metapackage}'s Depends names no versioned linux-image package")
    return match.group(1), match.group(2)


def _download(package, version, directory):
    """apt-get download into `directory`; returns the .deb's path."""
    os.makedirs(directory, exist_ok=True)
    # apt drops privileges to _apt for downloads; a directory it cannot write makes it warn and
    # download as root, which is harmless. Its messages are kept for an error only.
    result = _run_apt(["apt-get", "download", "-q", f"{package}={version}"], directory)
    debs = [f for f in os.listdir(directory) if f.startswith(f"{package}_") and f.endswith(".deb")]
    if result.returncode != 0 or not debs:
        raise KernelPackageError(f"apt-get download {package}={version} failed: "
                                 f"{result.stderr.strip().splitlines()[-1:] or result.returncode}")
    return os.path.join(directory, debs[0])


def _control_field(deb, field):
    value = subprocess.run(["dpkg-deb", "-f", deb, field], capture_output=True, text=True)
    if value.returncode != 0 or not value.stdout.strip():
        raise KernelPackageError(f"{deb} is not a readable Debian package (no {field})")
    return value.stdout.strip()


def _unpack(deb, directory, source):
    """One pass over the package: vmlinuz and config extracted, every module indexed by name with
    its dependencies. Writes description.json last, so a cut-short unpack is redone."""
    description = {"format": INDEX_FORMAT, "package": _control_field(deb, "Package"),
                   "version": _control_field(deb, "Version"), "sha256": _sha256(deb),
                   "deb": os.path.basename(deb), "source": source, "modules": {}}
    with _data_tar(deb) as archive:
        for member in archive:
            name = member.name.lstrip("./")
            base = os.path.basename(name)
            if member.isfile() and name.startswith("boot/vmlinuz-"):
                description["vmlinuz"] = os.path.join("boot", base)
                description["release"] = base[len("vmlinuz-"):]
                _write_atomically(os.path.join(directory, "boot", base),
                                  archive.extractfile(member).read())
            elif member.isfile() and name.startswith("boot/config-"):
                description["config"] = os.path.join("boot", base)
                _write_atomically(os.path.join(directory, "boot", base),
                                  archive.extractfile(member).read())
            elif member.isfile() and "/kernel/" in name and base.endswith(MODULE_SUFFIXES):
                module = _decompress(name, archive.extractfile(member).read())
                key = _module_key(re.sub(r"\.ko(\.\w+)?$", "", base))
                description["modules"][key] = {"member": member.name,
                                               "depends": _modinfo_depends(module)}
    for needed in ("vmlinuz", "config"):
        if needed not in description:
            raise KernelPackageError(f"{deb} holds no /boot/{needed}: not a kernel image package")
    _write_atomically(os.path.join(directory, "description.json"),
                      json.dumps(description, indent=1).encode())
    return description


def _load_cached(directory):
    try:
        with open(os.path.join(directory, "description.json"), encoding="utf-8") as file:
            description = json.load(file)
    except (OSError, ValueError):
        return None
    if description.get("format") != INDEX_FORMAT:
        return None
    return KernelPackage(directory, description)


def _prepare(deb, cache, source, move=False):
    """The cached unpack of `deb`, unpacking it first if needed (`move`: take the file itself)."""
    package, version = _control_field(deb, "Package"), _control_field(deb, "Version")
    directory = os.path.join(cache, f"{package}_{version}")
    cached = _load_cached(directory)
    if cached:
        return cached
    os.makedirs(directory, exist_ok=True)
    kept = os.path.join(directory, os.path.basename(deb))
    if move:
        os.replace(deb, kept)
    elif os.path.abspath(deb) != os.path.abspath(kept):
        shutil.copyfile(deb, kept)
    return KernelPackage(directory, _unpack(kept, directory, source))


def _cached_by_version(cache):
    """The cached kernels, oldest version first (Debian version order, as sort -V has it)."""
    found = [k for k in (_load_cached(os.path.join(cache, d))
                         for d in sorted(os.listdir(cache)) if os.path.isdir(os.path.join(cache, d)))
             if k]
    ordered = subprocess.run(["sort", "-V"], input="\n".join(k.version for k in found),
                             capture_output=True, text=True).stdout.split()
    return sorted(found, key=lambda k: ordered.index(k.version) if k.version in ordered else -1)


def _newest_cached(cache):
    found = _cached_by_version(cache)
    return found[-1] if found else None


def _prune(cache, keep):
    """Removes cached kernels beyond the KEEP_VERSIONS newest, never `keep` itself."""
    for old in _cached_by_version(cache)[:-KEEP_VERSIONS]:
        if old.directory != keep.directory:
            shutil.rmtree(old.directory, ignore_errors=True)


def obtain(cache, metapackage=METAPACKAGE, environ=None, log=None):
    """The kernel package to boot, cached under `cache` (e.g. build/linux-guest/kernel).

    Order: the .deb named by TESSERA_LINUX_IMAGE_DEB; else the package the metapackage resolves
    to now (downloaded once per version); else, when apt cannot be asked or the archive cannot be
    reached, the newest kernel already in the cache, with a note through `log`. Nothing found
    raises KernelPackageError.
    """
    environ = os.environ if environ is None else environ
    log = log or (lambda message: None)
    with _CacheLock(cache):
        return _obtain_locked(cache, metapackage, environ, log)


def _obtain_locked(cache, metapackage, environ, log):
    pinned = environ.get(PACKAGE_FILE_VARIABLE, "").strip()
    if pinned:
        if not os.path.isfile(pinned):
            raise KernelPackageError(f"{PACKAGE_FILE_VARIABLE}={pinned!r} does not exist")
        return _prepare(pinned, cache, f"{PACKAGE_FILE_VARIABLE}={pinned}")
    try:
        package, version = resolve_version(metapackage)
        cached = _load_cached(os.path.join(cache, f"{package}_{version}"))
        if cached:
            return cached
        with tempfile.TemporaryDirectory(dir=cache) as download:
            log(f"downloading {package}={version} (behind {metapackage})")
            deb = _download(package, version, download)
            fresh = _prepare(deb, cache, f"apt-get download {package}={version}", move=True)
        _prune(cache, fresh)
        return fresh
    except KernelPackageError as error:
        fallback = _newest_cached(cache)
        if not fallback:
            raise
        log(f"{error}; using the cached {fallback.package} {fallback.version}")
        return fallback
