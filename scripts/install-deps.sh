#!/usr/bin/env bash
# Installs the Debian 12 packages Tessera needs to build, boot and test, and nothing else.
# As root: apt-get installs what is missing. Otherwise: prints the exact command to run.
set -euo pipefail

packages=(
    build-essential g++ cmake ninja-build python3 git
    libgtest-dev libgmock-dev libbenchmark-dev
    qemu-system-x86 qemu-utils
    libpugixml-dev libcli11-dev
    grub-pc-bin grub-efi-amd64-bin grub-common xorriso mtools
    e2fsprogs gdb graphviz
    fdisk  # sfdisk: the block tests make MBR and GPT disk images
    clang-14 libclang-rt-14-dev  # libFuzzer for the description fuzzer (make fuzz)
    musl-tools                   # static programs for the Linux guest and the POSIX corpus
    busybox-static               # the POSIX personality's default root and its tests (issue 23)
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done

[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    echo "Tessera needs these Debian packages: ${missing[*]}" >&2
    echo "Run as root:  apt-get update && $cmd" >&2
    exit 1
fi

echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
