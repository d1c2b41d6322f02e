"""Unit tests of scripts/launch.py and scripts/accel.py: command lines, choices, status mapping."""

import os
import shlex
import subprocess
import sys
import tempfile
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(REPO, "scripts"))
import accel  # noqa: E402
import console  # noqa: E402
import launch  # noqa: E402

LAUNCH = os.path.join(REPO, "scripts", "launch.py")


def command_for(*argv, accel_name="tcg"):
    options = launch.parse_arguments(list(argv))
    command, _, _ = launch.build_command(options, accel_name)
    return command


def value_after(command, flag):
    """The argument after the first occurrence of flag."""
    return command[command.index(flag) + 1]


def values_after(command, flag):
    return [command[i + 1] for i, arg in enumerate(command) if arg == flag]


class AccelChoice(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def cpuinfo(self, flags):
        path = os.path.join(self.dir.name, "cpuinfo")
        with open(path, "w", encoding="utf-8") as file:
            file.write(f"processor\t: 0\nflags\t\t: fpu pae {flags} sse2\n\n")
        return path

    def device(self, usable):
        path = os.path.join(self.dir.name, "kvm")
        with open(path, "w", encoding="utf-8"):
            pass
        os.chmod(path, 0o600 if usable else 0o000)
        return path

    def test_no_vmx_or_svm_means_tcg_even_with_a_usable_device(self):
        accel_name, reason = accel.choose({}, self.cpuinfo("lm"), self.device(True))
        self.assertEqual(accel_name, "tcg")
        self.assertIn("vmx", reason)

    def test_vmx_and_usable_device_means_kvm(self):
        self.assertEqual(accel.choose({}, self.cpuinfo("vmx"), self.device(True))[0], "kvm")

    def test_svm_and_usable_device_means_kvm(self):
        self.assertEqual(accel.choose({}, self.cpuinfo("svm"), self.device(True))[0], "kvm")

    def test_vmx_without_a_device_means_tcg(self):
        missing = os.path.join(self.dir.name, "absent")
        self.assertEqual(accel.choose({}, self.cpuinfo("vmx"), missing)[0], "tcg")

    @unittest.skipIf(os.geteuid() == 0, "root opens any file read-write")
    def test_vmx_with_an_unopenable_device_means_tcg(self):
        self.assertEqual(accel.choose({}, self.cpuinfo("vmx"), self.device(False))[0], "tcg")

    def test_flag_must_be_a_whole_word(self):
        self.assertFalse(accel.cpu_has_hardware_virtualisation(self.cpuinfo("vmxfoo svmbar")))

    def test_environment_overrides_the_probe(self):
        env = {"TESSERA_ACCEL": "kvm"}
        self.assertEqual(accel.choose(env, self.cpuinfo("lm"), "/nonexistent")[0], "kvm")
        env = {"TESSERA_ACCEL": "tcg"}
        self.assertEqual(accel.choose(env, self.cpuinfo("vmx"), self.device(True))[0], "tcg")

    def test_bad_environment_value_is_an_error(self):
        with self.assertRaises(ValueError):
            accel.choose({"TESSERA_ACCEL": "hvf"}, self.cpuinfo("vmx"), self.device(True))


class CommandLine(unittest.TestCase):
    def test_fixed_devices_are_always_present(self):
        command = command_for("--kernel", "k.elf", "--root-task", "r.elf")
        self.assertEqual(command[0], "qemu-system-x86_64")
        for flag in ("-no-reboot", "-display", "-device"):
            self.assertIn(flag, command)
        self.assertEqual(value_after(command, "-display"), "none")
        self.assertEqual(value_after(command, "-device"), "isa-debug-exit,iobase=0xf4,iosize=0x04")

    def test_defaults_come_from_the_build_directory(self):
        command = command_for("--build", "out")
        self.assertEqual(value_after(command, "-kernel"), os.path.join("out", "kernel", "tessera.elf"))
        self.assertEqual(value_after(command, "-initrd"),
                         os.path.join("out", "user", "roottask", "roottask.elf"))
        self.assertEqual(value_after(command, "-m"), "512M")

    def test_root_task_is_the_first_module_then_extra_modules_in_order(self):
        command = command_for("--root-task", "r.elf", "--module", "a", "--module", "b,c")
        self.assertEqual(value_after(command, "-initrd"), "r.elf,a,b,,c")

    def test_module_paths_with_spaces_are_refused(self):
        with self.assertRaises(launch.LaunchError):
            command_for("--root-task", "my root.elf")

    def test_tcg_uses_cpu_max_and_kvm_uses_cpu_host(self):
        tcg = command_for(accel_name="tcg")
        kvm = command_for(accel_name="kvm")
        self.assertEqual((value_after(tcg, "-accel"), value_after(tcg, "-cpu")), ("tcg", "max"))
        self.assertEqual((value_after(kvm, "-accel"), value_after(kvm, "-cpu")), ("kvm", "host"))
        self.assertEqual(value_after(command_for("--cpu", "qemu64"), "-cpu"), "qemu64")
        self.assertEqual(value_after(command_for("--cpu", "sel4"), "-cpu"),
                         "Nehalem,-vme,+pdpe1gb,-xsave,-xsaveopt,-xsavec,-fsgsbase,-invpcid,"
                         "+syscall,+lm,enforce")
        self.assertTrue(value_after(command_for("--cpu", "sel4,+rdtscp"), "-cpu")
                        .endswith(",+lm,enforce,+rdtscp"))

    def test_icount_forces_tcg_and_refuses_kvm(self):
        options = launch.parse_arguments(["--icount"])
        self.assertEqual(launch.choose_accelerator(options)[0], "tcg")
        self.assertEqual(value_after(command_for("--icount"), "-icount"), "shift=0")
        with self.assertRaises(launch.LaunchError):
            launch.choose_accelerator(launch.parse_arguments(["--icount", "--accel", "kvm"]))

    def test_com1_then_com2_in_that_order(self):
        self.assertEqual(values_after(command_for(), "-serial"), ["stdio", "null"])
        self.assertEqual(values_after(command_for("--serial-file", "out.txt", "--com2", "c2.txt"),
                                      "-serial"), ["file:out.txt", "file:c2.txt"])
        com2 = values_after(command_for("--com2", "unix:/tmp/s"), "-serial")[1]
        self.assertTrue(com2.startswith("unix:/tmp/s,server=on"))

    def test_interactive_multiplexes_the_monitor_for_ctrl_a_x(self):
        command = command_for("--interactive")
        self.assertEqual(values_after(command, "-serial")[0], "mon:stdio")
        self.assertNotIn("-monitor", command)
        self.assertEqual(value_after(command_for(), "-monitor"), "none")

    def test_terminal_with_serial_file_gives_the_terminal_to_the_monitor(self):
        command = command_for("--gdb", "--serial-file", "s.txt")
        self.assertEqual(values_after(command, "-serial")[0], "file:s.txt")
        self.assertEqual(value_after(command, "-monitor"), "stdio")

    def test_gdb_starts_halted_with_a_stub(self):
        command = command_for("--gdb")
        self.assertIn("-s", command)
        self.assertIn("-S", command)
        other = command_for("--gdb", "--gdb-port", "4321")
        self.assertEqual(value_after(other, "-gdb"), "tcp::4321")

    def test_gdb_command_loads_the_64_bit_kernel_and_the_gdbinit(self):
        options = launch.parse_arguments(["--gdb"])
        words = shlex.split(launch.gdb_command(options, "build/kernel/tessera.elf"))
        self.assertIn("build/kernel/tessera.elf64", words)
        self.assertTrue(words[words.index("-x") + 1].endswith("scripts/gdbinit"))

    def test_extra_arguments_are_shell_split_and_appended(self):
        command = command_for("--extra", "-d int,cpu_reset", "--", "-S", "-D", "log")
        tail = command[command.index("-d"):]
        self.assertEqual(tail, ["-d", "int,cpu_reset", "-S", "-D", "log"])


class IdleQuiet(unittest.TestCase):
    """--idle-quiet: how long, after input ended, the idle system must stay quiet."""

    class Input:
        def __init__(self, ended_at):
            self.ended_at = ended_at

        def has_ended(self):
            return self.ended_at is not None

    class Output:
        def __init__(self, idle_since):
            self.idle_since = idle_since

        def quiet_idle_for(self, now):
            return 0.0 if self.idle_since is None else now - self.idle_since

    def test_default_is_the_console_modules(self):
        self.assertEqual(launch.parse_arguments([]).idle_quiet, console.QUIET_SECONDS)
        self.assertEqual(launch.parse_arguments(["--idle-quiet", "5"]).idle_quiet, 5.0)

    def test_negative_is_refused(self):
        with self.assertRaises(SystemExit):
            launch.parse_arguments(["--idle-quiet", "-1"])

    def test_idle_needs_the_whole_period_after_input_and_idle_line(self):
        ended, idle = self.Input(100.0), self.Output(101.0)
        self.assertFalse(console.idle_after_input(ended, idle, 103.9, quiet=3))
        self.assertTrue(console.idle_after_input(ended, idle, 104.0, quiet=3))
        self.assertFalse(console.idle_after_input(ended, idle, 101.2))  # the 0.3 s default
        self.assertTrue(console.idle_after_input(ended, idle, 101.4))
        # Input that ended later than the idle line counts from its end.
        self.assertFalse(console.idle_after_input(self.Input(102.0), idle, 104.0, quiet=3))
        self.assertFalse(console.idle_after_input(self.Input(None), idle, 999.0, quiet=3))
        self.assertFalse(console.idle_after_input(ended, self.Output(None), 999.0, quiet=3))


class StatusMapping(unittest.TestCase):
    def test_odd_status_is_the_guest_status(self):
        self.assertEqual(launch.interpret_status(1, False), 0)
        self.assertEqual(launch.interpret_status((7 << 1) | 1, False), 7)

    def test_qemu_error_with_status_one_is_not_success(self):
        self.assertEqual(launch.interpret_status(1, True), launch.ExitQemuError)

    def test_zero_is_a_guest_reset(self):
        self.assertEqual(launch.interpret_status(0, False), launch.ExitGuestReset)

    def test_even_status_and_signals_are_qemu_errors(self):
        self.assertEqual(launch.interpret_status(2, False), launch.ExitQemuError)
        self.assertEqual(launch.interpret_status(-9, False), launch.ExitQemuError)

    def test_large_guest_status_does_not_alias_launcher_codes(self):
        self.assertEqual(launch.interpret_status((124 << 1) | 1, False),
                         launch.ExitGuestStatusTooLarge)

    def test_logged_triple_fault_is_still_a_guest_reset(self):
        self.assertEqual(launch.interpret_status(0, False, True), launch.ExitGuestReset)
        self.assertEqual(launch.interpret_status(0, False, False), launch.ExitGuestReset)

    def test_reset_log_is_read_for_the_triple_fault_line(self):
        with tempfile.NamedTemporaryFile("w", suffix=".log") as log:
            log.write("CPU Reset (CPU 0)\nEAX=00000000\n")
            log.flush()
            self.assertFalse(launch.reset_log_says_triple_fault(log.name))
            log.write("Triple fault\n")
            log.flush()
            self.assertTrue(launch.reset_log_says_triple_fault(log.name))
        self.assertIsNone(launch.reset_log_says_triple_fault("/nonexistent/log"))

    def test_user_log_options_turn_off_the_private_reset_log(self):
        self.assertFalse(launch.wants_own_log(command_for()))
        self.assertTrue(launch.wants_own_log(command_for("--extra", "-d int")))
        self.assertTrue(launch.wants_own_log(command_for("--", "-D", "q.log")))

    def test_codes_are_distinct(self):
        codes = {launch.ExitGuestStatusTooLarge, launch.ExitLaunchError, launch.ExitQemuError,
                 launch.ExitTimeout, launch.ExitGuestReset}
        self.assertEqual(len(codes), 5)


class Process(unittest.TestCase):
    """launch.py run as a program: what a user sees before QEMU starts."""

    def run_launch(self, *argv, env=None):
        return subprocess.run([sys.executable, LAUNCH, *argv], capture_output=True, text=True,
                              env=env, check=False)

    def test_dry_run_prints_the_command_and_the_accelerator(self):
        env = dict(os.environ, TESSERA_ACCEL="tcg")
        result = self.run_launch("--dry-run", "--kernel", "k.elf", env=env)
        self.assertEqual(result.returncode, 0)
        self.assertTrue(result.stdout.startswith("qemu-system-x86_64 "))
        self.assertIn("-kernel k.elf", result.stdout)
        self.assertRegex(result.stderr, r"(?m)^launch: accelerator tcg \(set by TESSERA_ACCEL\)$")

    def test_missing_qemu_names_the_dependency_script(self):
        env = dict(os.environ, PATH="/nonexistent")
        result = self.run_launch("--kernel", "k.elf", env=env)
        self.assertEqual(result.returncode, launch.ExitLaunchError)
        self.assertIn("scripts/install-deps.sh", result.stderr)

    def test_missing_kernel_is_a_launch_error(self):
        result = self.run_launch("--kernel", "/nonexistent/k.elf", "--root-task", LAUNCH)
        self.assertEqual(result.returncode, launch.ExitLaunchError)
        self.assertIn("does not exist", result.stderr)

    def test_elf64_kernel_is_refused_with_a_hint(self):
        with tempfile.NamedTemporaryFile(suffix=".elf64") as kernel:
            kernel.write(b"\x7fELF\x02\x01\x01" + bytes(57))
            kernel.flush()
            result = self.run_launch("--kernel", kernel.name, "--root-task", kernel.name)
        self.assertEqual(result.returncode, launch.ExitLaunchError)
        self.assertIn("32-bit", result.stderr)

    def test_bad_option_is_a_launch_error(self):
        self.assertEqual(self.run_launch("--no-such-option").returncode, launch.ExitLaunchError)


if __name__ == "__main__":
    unittest.main()
