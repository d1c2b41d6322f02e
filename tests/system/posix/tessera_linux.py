#!/usr/bin/env python3
"""`tessera linux` against Linux (issue 23): each command runs once on the host, chrooted into a
tree like the tool's default root (Debian's busybox-static as /bin/busybox and a /bin link per
applet; PATH and environment as the tool gives them, / as working directory), and once through
the tool; standard output, standard error and the exit status must match byte for byte. The tool's own statuses (127 not found) are checked against env(1)'s. Prints one line per
check and the `N passed, M failed` line that ctest's pass regex looks for."""
import argparse
import os
import shutil
import stat
import subprocess
import sys
import tempfile

SKIPPED = 77  # ctest's SKIP_RETURN_CODE for this test
ENVIRONMENT = {"PATH": "/bin:/usr/bin:/sbin:/usr/sbin", "HOME": "/"}

CASES = [
    ("echo_arguments", ["echo", "hello", "linux"]),
    ("true_status_0", ["true"]),
    ("false_status_1", ["false"]),
    ("shell_pipeline", ["sh", "-c", "echo one two three | wc -w"]),
    ("shell_status_200", ["sh", "-c", "echo out; echo err >&2; exit 200"]),
    ("stderr_stays_separate", ["cat", "/no/such/file"]),
    ("seq_into_tail", ["sh", "-c", "seq 1 50 | tail -n 2"]),
    ("exec_of_an_applet", ["sh", "-c", "exec printf '%s-%s\\n' a b"]),
    ("ls_of_the_root", ["ls", "/"]),
    ("cd_ls_and_pwd", ["sh", "-c", "cd /bin; ls | wc -l; pwd; cd ..; pwd"]),
    ("find_by_name", ["find", "/", "-name", "l?"]),
    # The mount points are directories of the default root (docs/posix.md, "Mounts").
    ("mount_points_in_the_root", ["sh", "-c", "ls -a / /dev; ls -d /dev/shm/.. /tmp/.. /proc"]),
    ("stat_of_busybox", ["stat", "-c", "%F %s %a", "/bin/busybox"]),
    ("relative_paths", ["sh", "-c", "cd /bin/../bin/.; cat ./nothing; ls -d ../bin"]),
    ("kill_self_term_is_143", ["sh", "-c", "echo a; kill $$; echo b"]),
    ("kill_self_kill_is_137", ["sh", "-c", "kill -9 $$"]),
    ("sigpipe_ends_the_writer", ["sh", "-c", "seq 1 100000 | head -n 1"]),
    ("cat_of_busybox_through_md5sum", ["sh", "-c", "cat /bin/busybox | md5sum; wc -c < /bin/busybox"]),
    ("ignored_signal_is_survived", ["sh", "-c", "trap '' TERM; kill $$; echo survived"]),
    ("date_year_in_utc", ["date", "+%Y %Z"]),
    ("sleep_one_second", ["sh", "-c", "sleep 1; echo slept; usleep 100000; echo again"]),
    ("timeout_kills_a_sleep", ["sh", "-c", "timeout 1 sleep 5; echo status $?"]),
    ("trap_runs_on_a_signal", ["sh", "-c", "trap 'echo got USR1' USR1; kill -USR1 $$; echo after"]),
]

# Commands that need /dev/null on the host too (a shell's background job reads from it): run in
# the root that has the devices.
DEVICE_CASES = [
    ("trap_on_sigchld", ["sh", "-c", "trap 'echo child done' CHLD; sleep 0.2 & wait; echo waited"]),
    ("trap_term_from_a_child", ["sh", "-c",
                                "trap 'echo term; exit 3' TERM; (sleep 0.3; kill $$) & sleep 3; echo no"]),
    # Loopback TCP between two busybox nc (docs/posix.md, "Sockets"): the client tries again until
    # the listener is up; the listener's input stays open (sleep) so that it does not shut its
    # side before the client has sent (nc exits at the first end of stream it reads). The file
    # goes again: the corpus that runs after it lists /tmp.
    ("busybox_nc_over_loopback", ["sh", "-c",
                                  "sleep 5 | nc -l -p 47311 > /tmp/nc.out & until echo hello over nc | "
                                  "nc 127.0.0.1 47311 2>/dev/null; do usleep 100000; done; wait; "
                                  "cat /tmp/nc.out; rm /tmp/nc.out"]),
    # Symbolic links in /tmp (a memory volume) that lead out of it and back, and relative execve
    # (docs/posix.md, "Mounts"). The files go again before the corpus lists /tmp.
    ("symlinks_out_of_tmp", ["sh", "-c",
                             "cd /tmp && mkdir l && echo hi > f && ln -s /bin/busybox busybox && "
                             "ln -s .. up && ln -s l/../../tmp/f back && ln -s /dev/shm shm; "
                             "./busybox echo through a link; ls up/; cat back; ls -d up/tmp/l; "
                             "readlink -f up/bin; echo x > shm/s; ls /dev/shm; "
                             "up/bin/busybox echo relative through ..; cd l && ../busybox true; "
                             "echo $?; cd /; rm -r /tmp/l /tmp/f /tmp/busybox /tmp/up /tmp/back "
                             "/tmp/shm /dev/shm/s"]),
    # chmod, utimensat (touch), chown and truncate through a final link out of /tmp, and a
    # script run by a relative name: its $0 is the name as given.
    ("final_links_out_of_tmp_and_a_relative_script", ["sh", "-c",
        "cd /tmp && echo xyz > /dev/shm/t && ln -s /dev/shm/t lnk && chmod 604 lnk && "
        "stat -c %a /dev/shm/t && touch -d '2001-02-03 04:05:06' lnk && "
        "stat -c %y /dev/shm/t | cut -c1-19 && chown 12:34 lnk && stat -c '%u %g' /dev/shm/t && "
        "truncate -s 2 lnk && wc -c < /dev/shm/t && "
        "printf '#!/bin/sh\\necho \"$0 $1\"\\n' > s.sh && chmod 755 s.sh && ./s.sh one; "
        "cd /; rm /tmp/lnk /tmp/s.sh /dev/shm/t"]),
]

# Commands given a standard input (a pipe, on both sides).
INPUT_CASES = [
    ("stdin_through_cat", ["cat"], b"line one\nline two\n"),
    ("stdin_sorted", ["sh", "-c", "sort -r | head -n 2"], b"b\na\nc\n"),
    ("stdin_read_builtin", ["sh", "-c", "read a b; echo $b $a; cat"], b"x y\nrest\n"),
    ("stdin_is_a_script", ["sh"], b"echo from stdin; exit 3\n"),
    ("stdin_is_no_terminal", ["sh", "-c", "[ -t 0 ] || echo 0 no tty; [ -t 1 ] || echo 1 no tty"],
     b""),
    ("stdin_large_through_md5sum", ["md5sum"], bytes(range(256)) * 2000),
]
CORPUS_INPUT = b"first line of input\n" + bytes(range(256)) * 40 + b"end\n"


def make_root(busybox, root, corpus=None, devices=False):
    """The tool's default root: /bin/busybox and a link per applet, and the mount points /dev/shm,
    /proc and /tmp (on the host plain directories, the memory ones writable); with `corpus`, the
    corpus programs in /bin too; with `devices`, the devices the server serves (without listing
    /dev)."""
    os.makedirs(os.path.join(root, "bin"))
    shutil.copy(busybox, os.path.join(root, "bin", "busybox"))
    for name in os.listdir(corpus) if corpus else []:
        shutil.copy(os.path.join(corpus, name), os.path.join(root, "bin", name))
    os.makedirs(os.path.join(root, "proc"))
    for name in ("tmp", os.path.join("dev", "shm")):
        os.makedirs(os.path.join(root, name))
        os.chmod(os.path.join(root, name), 0o1777)
    if devices:
        for name, minor in (("null", 3), ("zero", 5), ("urandom", 9)):
            os.mknod(os.path.join(root, "dev", name), stat.S_IFCHR | 0o666,
                     os.makedev(1, minor))
    names = subprocess.run([busybox, "--list"], capture_output=True, text=True, check=True).stdout
    for name in names.split():
        if name != "busybox":
            os.symlink("busybox", os.path.join(root, "bin", name))


def standard_input(given):
    return {"stdin": subprocess.DEVNULL} if given is None else {"input": given}


def host_run(root, argv, given=None):
    command = argv if argv[0].startswith("/bin/corpus_") else ["/bin/busybox"] + argv
    done = subprocess.run(["chroot", root] + command, cwd="/", env=ENVIRONMENT,
                          capture_output=True, timeout=60, **standard_input(given))
    # A command killed by signal N is 128 + N, as the tool (and a shell) reports it.
    status = done.returncode if done.returncode >= 0 else 128 - done.returncode
    return done.stdout, done.stderr, status


def tessera_run(tool, argv, server=None, given=None):
    chosen = ["--server", server] if server else []
    done = subprocess.run([tool, "linux", "--timeout", "120"] + chosen + ["--"] + argv,
                          capture_output=True, timeout=300, **standard_input(given))
    return done.stdout, done.stderr, done.returncode


# What the mounts and the memory look like from inside (no host to compare with: the host's
# memory and mounts are its own): one boot, sections separated by "@" lines.
MEMORY_SCRIPT = ("mount; echo @; cat /proc/meminfo; echo @; free; echo @; df; echo @; "
                 "dd if=/dev/zero of=/tmp/f bs=1024 count=1024 2>/dev/null; df /tmp; echo @; "
                 "cat /proc/meminfo; echo @; free; echo @; "
                 "cp /bin/busybox /tmp/echo && /tmp/echo ran from /tmp; echo @; "
                 "echo x > /proc/meminfo; echo status $?")
EXPECTED_MOUNTS = ["rootfs on / type rootfs (ro)",
                   "proc on /proc type proc (rw,nosuid,nodev,noexec,relatime)",
                   "tmpfs on /tmp type tmpfs (rw,nosuid,nodev)",
                   "tmpfs on /dev/shm type tmpfs (rw,nosuid,nodev)"]


def meminfo_of(lines):
    """/proc/meminfo's lines as {name: kB}."""
    return {line.split(":")[0]: int(line.split()[1]) for line in lines if line.endswith(" kB")}


def mem_row(lines):
    """free's Mem: row as its six numbers."""
    return [int(x) for x in next(line for line in lines if line.startswith("Mem:")).split()[1:]]


def df_rows(lines):
    """df's rows as {mount point: (1K-blocks, used, available)}."""
    return {row[5]: (int(row[1]), int(row[2]), int(row[3]))
            for row in (line.split() for line in lines[1:]) if len(row) == 6}


def memory_checks(tool, check):
    out, err, status = tessera_run(tool, ["sh", "-c", MEMORY_SCRIPT])
    parts = [part.strip("\n").split("\n") for part in out.decode(errors="replace").split("@\n")]
    if status != 0 or len(parts) != 9:
        check("memory_script_ran", False, f"status {status}, output {out!r}, {err!r}")
        return
    mounts, meminfo, free, df, df_after, meminfo_after, free_after, ran, proc_write = parts
    check("mount_lists_the_mounts", mounts == EXPECTED_MOUNTS, repr(mounts))
    info = meminfo_of(meminfo)
    wanted = ["MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapTotal", "SwapFree",
              "Shmem"]
    check("meminfo_has_the_fields", all(name in info for name in wanted) and
          0 < info["MemFree"] <= info["MemTotal"] and info["Shmem"] == 0, repr(meminfo))
    row = mem_row(free)
    # total, used, free, shared, buff/cache, available as busybox computes them from meminfo.
    check("free_shows_meminfo", row[0] == info["MemTotal"] and row[3] == 0 and row[5] > 0, repr(free))
    rows = df_rows(df)
    half = info.get("MemTotal", 0) // 2
    check("df_shows_tmp_and_shm", rows.get("/tmp") == (half, 0, half) and
          rows.get("/dev/shm") == (half, 0, half), repr(df))
    after = df_rows(df_after).get("/tmp", (0, 0, 0))
    check("df_counts_a_file_in_tmp", after == (half, 1024, half - 1024), repr(df_after))
    info_after = meminfo_of(meminfo_after)
    row_after = mem_row(free_after)
    check("meminfo_and_free_count_tmp_as_shared",
          info_after.get("Shmem") == 1024 and info_after.get("Cached") == 1024 and
          info_after.get("MemFree", 0) <= info["MemFree"] - 1024 and row_after[3] == 1024,
          f"{meminfo_after!r} {free_after!r}")
    check("a_program_runs_from_tmp", ran == ["ran from /tmp"], repr(ran))
    check("proc_meminfo_is_read_only", proc_write == ["status 1"] and
          b"can't create /proc/meminfo: Permission denied" in err, f"{proc_write!r} {err!r}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tool", required=True)
    parser.add_argument("--busybox", required=True)
    parser.add_argument("--corpus", help="folder of the musl-gcc -static corpus programs")
    parser.add_argument("--corpus-server", help="the POSIX server with the corpus in its root")
    options = parser.parse_args()
    passed = failed = 0

    def check(name, ok, detail=""):
        nonlocal passed, failed
        print(f"tessera_linux.{name}: {'pass' if ok else 'FAIL'}{'' if ok else ' ' + detail}")
        if ok:
            passed += 1
        else:
            failed += 1

    if os.geteuid() != 0:
        print("tessera_linux: the host side needs chroot (root): skipped")
        return SKIPPED
    with tempfile.TemporaryDirectory() as root:
        make_root(options.busybox, root)
        for name, argv in CASES:
            expected = host_run(root, argv)
            got = tessera_run(options.tool, argv)
            check(name, got == expected, f"linux {expected!r}, tessera {got!r}")
        for name, argv, given in INPUT_CASES:
            expected = host_run(root, argv, given)
            got = tessera_run(options.tool, argv, given=given)
            check(name, got == expected, f"linux {expected!r}, tessera {got!r}")
    # The corpus: each program prints what its calls return; the whole output must match.
    with tempfile.TemporaryDirectory() as root:
        make_root(options.busybox, root, options.corpus, devices=True)
        for name, argv in DEVICE_CASES:
            expected = host_run(root, argv)
            got = tessera_run(options.tool, argv)
            check(name, got == expected, f"linux {expected!r}, tessera {got!r}")
        for name in sorted(os.listdir(options.corpus)) if options.corpus else []:
            argv = ["/bin/" + name]
            expected = host_run(root, argv, CORPUS_INPUT)
            got = tessera_run(options.tool, argv, options.corpus_server, CORPUS_INPUT)
            check("corpus." + name, got == expected, f"linux {expected!r}, tessera {got!r}")
    memory_checks(options.tool, check)
    missing = tessera_run(options.tool, ["no-such-command"])
    check("missing_command_exits_127", missing[2] == 127 and missing[0] == b"",
          repr(missing))
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
