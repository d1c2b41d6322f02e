#!/usr/bin/env python3
"""`tessera linux --disk IMAGE` and `--root DIR` (issue 23): the root is an ext2 volume served by
the ext2 service's protection domain on QEMU's virtio-blk disk, the POSIX server (a protection
domain too) its client. A tree holding Debian's busybox-static and a few
applet links is made into an image with mke2fs -d; commands write through busybox, and the
image is then checked on the host: e2fsck -fn finds it clean, debugfs shows the changes, and a
second run sees them. --root boots the same tree in a temporary image and leaves the tree alone.
A 128 MiB disk boots (the disk is no longer carried in the server's image). umask and touch's utimensat are checked on the image too. Prints one line per
check and the `N passed, M failed` line that ctest's pass regex looks for."""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

APPLETS = ["sh", "echo", "cat", "ls", "mkdir", "rm", "touch", "wc", "seq", "md5sum", "sync", "stat",
           "chown", "chmod", "sed", "ln", "readlink", "sleep", "kill"]


def make_tree(root, busybox):
    os.makedirs(os.path.join(root, "bin"))
    os.makedirs(os.path.join(root, "etc"))
    shutil.copy(busybox, os.path.join(root, "bin", "busybox"))
    for applet in APPLETS:
        os.symlink("busybox", os.path.join(root, "bin", applet))
    with open(os.path.join(root, "etc", "motd"), "w") as motd:
        motd.write("hello from ext2\n")
    with open(os.path.join(root, "etc", "issue"), "w") as again:
        again.write("again\n")


def run(command, **kwargs):
    return subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL, timeout=300, **kwargs)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tool", required=True)
    parser.add_argument("--busybox", required=True)
    options = parser.parse_args()
    results = []

    def check(name, ok, detail=""):
        results.append(ok)
        print(("PASS " if ok else "FAIL ") + name + ("" if ok else ": " + detail), flush=True)

    scratch = tempfile.mkdtemp(prefix="tessera-linux-disk-")
    try:
        tree = os.path.join(scratch, "tree")
        make_tree(tree, options.busybox)
        image = os.path.join(scratch, "root.img")
        subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", "-d", tree, image, "8M"], check=True)
        tool = [options.tool, "linux", "--timeout", "240"]

        first = run(tool + ["--disk", image, "--", "sh", "-c",
                            "cat /etc/motd; echo written > /new; mkdir -p /d/e; "
                            "seq 1 3000 > /d/e/numbers; rm /etc/motd; ls /; exit 7"])
        check("disk_command_output_and_status",
              first.returncode == 7 and first.stdout == b"hello from ext2\nbin\nd\netc\nlost+found\nnew\ntmp\n",
              f"status {first.returncode}, stdout {first.stdout!r}, stderr {first.stderr[-400:]!r}")
        fsck = run(["e2fsck", "-fn", image])
        check("disk_clean_after_changes", fsck.returncode == 0,
              (fsck.stdout + fsck.stderr).decode(errors="replace")[-600:])
        new = run(["debugfs", "-R", "cat /new", image])
        check("disk_new_file_on_the_host", new.stdout == b"written\n", repr(new.stdout))
        numbers = run(["debugfs", "-R", "cat /d/e/numbers", image])
        expected = "".join(f"{n}\n" for n in range(1, 3001)).encode()
        check("disk_larger_file_on_the_host", numbers.stdout == expected,
              f"{len(numbers.stdout)} bytes")
        etc = run(["debugfs", "-R", "ls /etc", image])
        check("disk_removed_file_gone", b"motd" not in etc.stdout, repr(etc.stdout))

        second = run(tool + ["--disk", image, "--", "sh", "-c",
                             "umask; umask 027; umask; mkdir /masked; echo > /masked_file; "
                             "touch -d '2001-02-03 04:05:06' /new; stat -c %Y /new; touch /touched; "
                             "cat /new; wc -l < /d/e/numbers; cat /etc/motd"])
        check("disk_second_run_sees_the_changes",
              second.returncode == 1 and second.stdout == b"0022\n0027\n981173106\nwritten\n3000\n"
              and b"motd" in second.stderr,
              f"status {second.returncode}, stdout {second.stdout!r}, stderr {second.stderr[-300:]!r}")
        dated = run(["debugfs", "-R", "stat /new", image]).stdout
        touched = run(["debugfs", "-R", "stat /touched", image]).stdout
        check("touch_sets_the_time_on_the_disk",
              b"mtime: 0x3a7b8372" in dated and b"Type: regular" in touched,
              repr((dated[:400], touched[:200])))
        modes = {name: run(["debugfs", "-R", "stat /" + name, image]).stdout for name in ("masked", "masked_file")}
        check("umask_clears_bits_of_new_files_and_directories",
              b"Mode:  0750" in modes["masked"] and b"Mode:  0640" in modes["masked_file"],
              repr({name: text[:120] for name, text in modes.items()}))

        # Changes reach the image as the calls happen (the ext2 service writes each one to the
        # disk before it answers), not at the end: a run stopped by the timeout after the writes
        # keeps them, and the volume is clean.
        killed = run(tool[:2] + ["--timeout", "90", "--disk", image, "--", "sh", "-c",
                                 "echo kept > /kept; mkdir /kept_dir; seq 1 2000 > /kept_dir/n; "
                                 "echo ready; sleep 1000"])
        check("killed_system_status_is_124_after_the_writes",
              killed.returncode == 124 and killed.stdout == b"ready\n",
              f"status {killed.returncode}, stdout {killed.stdout!r}, stderr {killed.stderr[-300:]!r}")
        fsck = run(["e2fsck", "-fn", image])
        check("killed_system_leaves_a_clean_volume", fsck.returncode == 0,
              (fsck.stdout + fsck.stderr).decode(errors="replace")[-600:])
        kept = run(["debugfs", "-R", "cat /kept", image]).stdout
        kept_numbers = run(["debugfs", "-R", "cat /kept_dir/n", image]).stdout
        check("killed_system_keeps_the_files_written_before",
              kept == b"kept\n" and kept_numbers == "".join(f"{n}\n" for n in range(1, 2001)).encode(),
              f"{kept!r}, {len(kept_numbers)} bytes of numbers")

        # Owners, groups and modes on the inode (chown, lchown, chmod; sed -i's fchmod and fchown
        # on its new file), a crashing program's file kept, /tmp on the disk, /proc/self, the
        # mounts (the disk's own /tmp, /dev/shm in memory).
        attrs = run(tool + ["--disk", image, "--", "sh", "-c",
                            "echo x > /owned; chown 1000:2000 /owned; chmod 640 /owned; "
                            "sed -i s/x/y/ /owned; stat -c '%a %u %g' /owned; cat /owned; "
                            "echo s > /suid; chmod 4755 /suid; chown 5 /suid; stat -c '%a %u' /suid; "
                            "ln -s /owned /link; chown -h 0:0 /link; echo lchown $?; "
                            "echo t > /tmp/t; cat /tmp/t; stat -c '%a' /tmp; "
                            "busybox readlink /proc/self/exe; ls /proc/self/fd; "
                            "exec 5</etc/issue; readlink /proc/self/fd/5; cat /proc/self/fd/5; "
                            "stat -c %F /proc/self/fd; readlink /proc/self/exe/x; echo $?; "
                            "mount; echo shm > /dev/shm/s; cat /dev/shm/s; "
                            "sh -c 'echo crash > /crashed; kill -SEGV $$'; echo crashed $?"],
                    )
        check("attributes_tmp_proc_and_a_crash",
              attrs.returncode == 0 and attrs.stdout == b"640 1000 2000\ny\n755 5\nlchown 0\nt\n1777\n"
              b"/bin/busybox\n0\n1\n2\n3\n/etc/issue\nagain\ndirectory\n1\n"
              b"/dev/root on / type ext2 (rw,relatime)\n"
              b"proc on /proc type proc (rw,nosuid,nodev,noexec,relatime)\n"
              b"tmpfs on /dev/shm type tmpfs (rw,nosuid,nodev)\nshm\ncrashed 139\n",
              f"status {attrs.returncode}, stdout {attrs.stdout!r}, stderr {attrs.stderr[-400:]!r}")
        owned = run(["debugfs", "-R", "stat /owned", image]).stdout
        check("owner_group_and_mode_on_the_inode",
              b"User:  1000" in owned and b"Group:  2000" in owned and b"Mode:  0640" in owned,
              repr(owned[:300]))
        tmp = run(["debugfs", "-R", "stat /tmp", image]).stdout
        crashed = run(["debugfs", "-R", "cat /crashed", image]).stdout
        check("tmp_made_sticky_and_the_crashed_programs_file_kept",
              b"Mode:  01777" in tmp and crashed == b"crash\n", repr((tmp[:200], crashed)))
        fsck = run(["e2fsck", "-fn", image])
        check("clean_after_attribute_changes", fsck.returncode == 0,
              (fsck.stdout + fsck.stderr).decode(errors="replace")[-600:])

        before = sorted(os.listdir(tree))
        rooted = run(tool + ["--root", tree, "--", "sh", "-c", "cat /etc/motd; echo > /x; ls /"])
        check("root_dir_boots_the_tree",
              rooted.returncode == 0 and rooted.stdout.startswith(b"hello from ext2\n")
              and b"x\n" in rooted.stdout,
              f"status {rooted.returncode}, stdout {rooted.stdout!r}, stderr {rooted.stderr[-300:]!r}")
        check("root_dir_left_unchanged", sorted(os.listdir(tree)) == before, str(os.listdir(tree)))

        both = run(tool + ["--root", tree, "--disk", image, "--", "true"])
        check("root_and_disk_together_refused", both.returncode == 125 and b"tessera:" in both.stderr,
              f"status {both.returncode}")
        missing = run(tool + ["--disk", os.path.join(scratch, "none.img"), "--", "true"])
        check("missing_disk_is_125", missing.returncode == 125 and b"none.img" in missing.stderr,
              f"status {missing.returncode}")
        # The disk is QEMU's virtio-blk device, served by the ext2 service's protection domain
        # (the server is its client), not carried in the server's image: a disk larger than the
        # ~52 MiB the old root-task image could hold boots, and the system has the server, the
        # ext2 service, the block virtualiser and the virtio-blk driver.
        large = os.path.join(scratch, "large.img")
        subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", "-d", tree, large, "128M"], check=True)
        log = os.path.join(scratch, "large.log")
        big = run(tool + ["--log", log, "--disk", large, "--", "sh", "-c",
                          "echo big > /big; seq 1 100000 > /numbers; cat /etc/motd; wc -l < /numbers"])
        check("disk_of_128_mib_boots",
              big.returncode == 0 and big.stdout == b"hello from ext2\n100000\n",
              f"status {big.returncode}, stdout {big.stdout!r}, stderr {big.stderr[-300:]!r}")
        with open(log, errors="replace") as f:
            logged = f.read()
        check("disk_served_by_the_ext2_service_pd", "loader: started 4 protection domains" in logged,
              logged[-600:])
        big_file = run(["debugfs", "-R", "cat /big", large])
        big_numbers = run(["debugfs", "-R", "cat /numbers", large]).stdout
        big_fsck = run(["e2fsck", "-fn", large])
        check("disk_of_128_mib_keeps_the_changes_clean",
              big_file.stdout == b"big\n" and big_fsck.returncode == 0 and
              big_numbers == "".join(f"{n}\n" for n in range(1, 100001)).encode(),
              f"{big_file.stdout!r}, {len(big_numbers)} bytes, e2fsck {big_fsck.returncode}")

        garbage = os.path.join(scratch, "zero.img")
        with open(garbage, "wb") as f:
            f.write(bytes(1 << 20))
        notext2 = run(tool + ["--disk", garbage, "--", "true"])
        check("disk_without_ext2_is_125", notext2.returncode == 125,
              f"status {notext2.returncode}, stderr {notext2.stderr[-300:]!r}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    passed = sum(1 for r in results if r)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
