// The shell's protection domain: a serial-virtualiser client for its lines (channel 0), a
// file-system client for its commands (channel 1, protected procedure calls), and a channel to
// the power switch (channel 2), and, in a system with a dynamic manager, protected procedure calls
// to it (channel 3) through a buffer both map. The logic is shell/; this file only moves bytes
// between it and the rings, and turns the end-of-input byte into `halt`.
#include <microkit.h>

#include <new>

#include <tessera/fs_client.h>
#include <tessera/libc.h>
#include <tessera/serial_client.h>

#include "control.h"
#include "shell.h"

namespace shell = tessera::services::shell;

namespace {

constexpr microkit_channel SerialChannel = 0;
constexpr microkit_channel FileSystemChannel = 1;
constexpr microkit_channel PowerChannel = 2;
constexpr microkit_channel ManagerChannel = 3;

// The byte that ends the console's input (docs/booting.md, the console contract): Ctrl-D on a
// terminal, what the launcher sends when a piped script ends.
constexpr char EndOfInput = 0x04;

// ls collects a directory's names here before sorting them: room for tens of thousands.
constexpr size_t HeapBytes = 2u << 20;
alignas(64) uint8_t heap[HeapBytes];

tessera_serial_client serial;
tessera_fs fs;

class SerialTerminal final : public shell::Terminal {
public:
    void write(const char* bytes, size_t length) override
    {
        tessera_serial_client_write(&serial, bytes, length);
    }
    void flush() override { tessera_serial_client_flush(&serial); }
    // The shell has synced and flushed: the power channel's owner lets the output drain and
    // ends the system.
    void power_off() override { microkit_notify(PowerChannel); }
};

SerialTerminal terminal;

// The manager's control calls (user/services/manager/component/control.h).
class ManagerCalls final : public shell::ManagerLink {
public:
    ManagerCalls(char* buffer, size_t capacity) : buffer_(buffer), capacity_(capacity) {}
    char* buffer() override { return buffer_; }
    size_t capacity() const override { return capacity_; }
    Answer load(size_t text_length, size_t path_length) override
    {
        microkit_mr_set(0, text_length);
        microkit_mr_set(1, path_length);
        return answer(microkit_ppcall(ManagerChannel, microkit_msginfo_new(ControlLoad, 2)));
    }
    Answer status(size_t path_length) override
    {
        microkit_mr_set(0, path_length);
        return answer(microkit_ppcall(ManagerChannel, microkit_msginfo_new(ControlStatus, 1)));
    }

private:
    static Answer answer(microkit_msginfo reply)
    {
        switch (microkit_msginfo_get_label(reply)) {
        case ControlApplied: return {Reply::Applied, microkit_mr_get(0)};
        case ControlRejected: return {Reply::Rejected, microkit_mr_get(0)};
        default: return {Reply::Unreachable, 0};
        }
    }

    char* buffer_;
    size_t capacity_;
};
alignas(ManagerCalls) uint8_t manager_place[sizeof(ManagerCalls)];
alignas(shell::Shell) uint8_t shell_place[sizeof(shell::Shell)];
shell::Shell* the_shell = nullptr;

// A write that waits for room hands the notifications it saw to notified() when it is done, which
// can be in the middle of a command: such input is left for the loop already reading.
bool reading = false;
bool more_input = false;

void feed_until_end(const char* bytes, size_t length)
{
    for (size_t i = 0; i < length; ++i) {
        if (bytes[i] == EndOfInput) {
            the_shell->feed(bytes, i);
            the_shell->end_of_input();
            return;
        }
    }
    the_shell->feed(bytes, length);
}

void read_input()
{
    if (reading) {
        more_input = true;
        return;
    }
    reading = true;
    do {
        more_input = false;
        char buffer[256];
        long count;
        while (!the_shell->has_halted() &&
               (count = tessera_serial_client_read(&serial, buffer, sizeof buffer)) > 0)
            feed_until_end(buffer, static_cast<size_t>(count));
    } while (more_input && !the_shell->has_halted());
    reading = false;
}

} // namespace

// Patched by the system description (setvar_vaddr, setvar_size); in .data so that the program
// file holds their bytes.
extern "C" {
__attribute__((section(".data"))) uintptr_t serial_tx = 0;
__attribute__((section(".data"))) size_t serial_tx_size = 0;
__attribute__((section(".data"))) uintptr_t serial_rx = 0;
__attribute__((section(".data"))) size_t serial_rx_size = 0;
__attribute__((section(".data"))) uintptr_t fs_window = 0;
__attribute__((section(".data"))) size_t fs_window_size = 0;
// The manager's control buffer; 0 in a system without a manager.
__attribute__((section(".data"))) uintptr_t manager_window = 0;
__attribute__((section(".data"))) size_t manager_window_size = 0;
}

extern "C" void init(void)
{
    tessera_heap_init(heap, sizeof heap);
    if (tessera_serial_client_init_microkit(&serial, reinterpret_cast<void*>(serial_tx),
                                            serial_tx_size, reinterpret_cast<void*>(serial_rx),
                                            serial_rx_size, SerialChannel) != TESSERA_SERIAL_OK) {
        microkit_dbg_puts("shell: the serial rings are missing or too small\n");
        return;
    }
    if (tessera_fs_init_microkit(&fs, FileSystemChannel, reinterpret_cast<void*>(fs_window),
                                 fs_window_size) != 0) {
        const char message[] = "shell: no file-system window: cannot start\n";
        tessera_serial_client_write(&serial, message, sizeof message - 1);
        return;
    }
    shell::ManagerLink* manager = nullptr;
    if (manager_window != 0) {
        const size_t capacity = manager_window_size < ControlBufferBytes ? manager_window_size
                                                                         : ControlBufferBytes;
        manager = new (manager_place) ManagerCalls(reinterpret_cast<char*>(manager_window), capacity);
    }
    the_shell = new (shell_place) shell::Shell(fs, terminal, manager);
    the_shell->start();
    read_input(); // input that came before this PD ran brings no notification
}

extern "C" void notified(microkit_channel channel)
{
    if (channel == SerialChannel && the_shell != nullptr)
        read_input();
}
