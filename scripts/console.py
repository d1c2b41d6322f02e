"""The guest's console off a terminal: what the launcher relays between the user and COM1.

The contract (docs/booting.md, "Console and exit"): the launcher's input goes to COM1 byte for
byte, and when it ends the guest receives one byte 0x04 (EOT, what a terminal's Ctrl-D stands
for) as its end of file; COM1's output reaches the launcher's standard output byte for byte, as
it arrives; and a run on Tessera's kernel ends once input has ended and the system is idle (the
kernel says so with its idle line and nothing follows it). Standard library only.
"""

import os
import threading
import time

EOT = b"\x04"
# What Tessera's kernel prints each time no thread can run (kernel/arch/x86_64/thread/thread.cc).
IDLE_LINE = b"tessera: no runnable thread: idle"
# How long the guest must stay quiet after its idle line, and after end of input reached it,
# before the run counts as idle: the EOT byte may wake a reader, which then prints or idles again.
# The default; launch.py --idle-quiet sets it per run (a system whose components wake on a timer,
# such as `tessera vm`'s VMM, needs more on a machine so busy that QEMU is off the CPU that long).
QUIET_SECONDS = 0.3
# Input waits for the guest's first output: a kernel sets COM1 up (FIFOs enabled and cleared)
# before it prints, and a byte that reached the UART earlier is lost. Past this, input goes anyway.
FIRST_OUTPUT_WAIT_SECONDS = 60


class InputRelay:
    """Copies `source` (a file descriptor) into QEMU's standard input, then sends EOT (unless
    told not to: then the input never ends, as if more could come). With `guest_started` (an
    Event) it first waits for the guest's first output, so that no byte is lost to the UART's
    set-up."""

    def __init__(self, source_fd, qemu_stdin, deliver_end=True, guest_started=None):
        self.ended_at = None   # time.monotonic() when EOT was sent
        self._source = source_fd
        self._sink = qemu_stdin
        self._deliver_end = deliver_end
        self._guest_started = guest_started
        self._thread = threading.Thread(target=self._copy, daemon=True)
        self._thread.start()

    def _copy(self):
        if self._guest_started is not None:
            self._guest_started.wait(FIRST_OUTPUT_WAIT_SECONDS)
        try:
            while True:
                data = os.read(self._source, 4096)
                if not data:
                    break
                self._sink.write(data)
                self._sink.flush()
            if self._deliver_end:
                self._sink.write(EOT)
                self._sink.flush()
                self.ended_at = time.monotonic()
        except (OSError, ValueError):
            # QEMU has gone (broken pipe) or the launcher is closing: nothing left to deliver.
            pass

    def has_ended(self):
        return self.ended_at is not None


class OutputRelay:
    """Copies QEMU's standard output (COM1) to `sink_fd` unchanged and tracks the idle line."""

    def __init__(self, qemu_stdout, sink_fd):
        self.idle_since = None  # when the idle line was the last thing printed, else None
        self.last_output_at = time.monotonic()
        self.started = threading.Event()  # set on the guest's first output
        self._source = qemu_stdout
        self._sink = sink_fd
        self._line = bytearray()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._copy, daemon=True)
        self._thread.start()

    def _copy(self):
        while True:
            try:
                data = os.read(self._source.fileno(), 65536)
            except OSError:
                break
            if not data:
                break
            write_all(self._sink, data)
            self._scan(data)
            self.started.set()

    def _scan(self, data):
        now = time.monotonic()
        with self._lock:
            self.last_output_at = now
            for byte in data:
                if byte == 0x0a:   # a line ends; the kernel ends its lines with \r\n
                    line = bytes(self._line).rstrip(b"\r")
                    self.idle_since = now if line == IDLE_LINE else None
                    self._line.clear()
                elif len(self._line) < 256:
                    self._line.append(byte)
                if self._line:
                    self.idle_since = None

    def quiet_idle_for(self, now):
        """Seconds the system has been idle with nothing printed since, or 0."""
        with self._lock:
            if self.idle_since is None:
                return 0.0
            return now - max(self.idle_since, self.last_output_at)

    def join(self, timeout):
        self._thread.join(timeout)


def write_all(fd, data):
    view = memoryview(data)
    while view:
        try:
            written = os.write(fd, view)
        except BrokenPipeError:
            return
        view = view[written:]


def idle_after_input(input_relay, output_relay, now, quiet=QUIET_SECONDS):
    """True once input has ended and the guest has stayed idle and quiet for `quiet` seconds
    since (and since the end of input)."""
    if input_relay is None or not input_relay.has_ended():
        return False
    if now - input_relay.ended_at < quiet:
        return False
    return output_relay.quiet_idle_for(now) >= quiet
