#!/bin/sh
# make_seeds.sh DIR: small ext2 images for the fuzzer's seed corpus, one per layout the reader
# knows (revision 0 and 1; 1, 2 and 4 KiB blocks; 128- and 256-byte inodes; with and without
# resize_inode and filetype), each holding files, a directory tree, fast and slow symlinks and a
# hard link.
set -eu
out=$1
rm -rf "$out" "$out.tree"
mkdir -p "$out" "$out.tree/d/e"
tree=$out.tree
echo hello > "$tree/d/f"
ln "$tree/d/f" "$tree/hard"
ln -s d/f "$tree/fast"
ln -s xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx "$tree/slow"
i=0
while [ $i -lt 20000 ]; do printf '%s\n' "line $i of a file long enough for an indirect block"; i=$((i + 1)); done | head -c 20000 > "$tree/d/e/big"
n=0
for layout in "-b 1024:64" "-b 1024 -r 0:64" "-b 2048:128" "-b 4096:256" \
              "-b 1024 -I 128 -O ^resize_inode:64" "-b 1024 -O ^filetype:64"; do
    options=${layout%%:*}
    size=${layout##*:}
    mke2fs -q -F -t ext2 -N 32 -m 0 $options -d "$tree" "$out/seed$n.img" "${size}k" >/dev/null 2>&1
    # mke2fs leaves a new file short when its last blocks are unused; the device is the volume.
    truncate -s "${size}k" "$out/seed$n.img"
    n=$((n + 1))
done
rm -rf "$tree"
