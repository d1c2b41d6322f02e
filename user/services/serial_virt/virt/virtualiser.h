// The serial virtualiser's logic, free of system calls so the host tests drive it: it shares one
// UART driver connection among several clients (tessera/queue/serial.h on both sides).
//
// Output goes out in units, one client at a time, round robin: a line up to its newline; or
// LineMax bytes without one (a forced break: the virtualiser ends the line); or, when a client's
// ring holds no newline at all, what is there (a flushed partial line, such as a prompt). Each
// unit is written into the driver's ring whole, so bytes of two clients never share a line: a
// client that left a partial line is cut off with a newline before another client's unit, and
// its next unit starts a fresh line with its prefix.
//
// Input goes to one client, chosen by the escape sequence (input_switch.h) or select_input().
// When that client's ring is full, input for it is dropped and counted; the switch sequence is
// still recognised. Broken ring indices are counted, reported and resynchronised, for that
// client alone.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <tessera/queue/serial.h>

#include "input_switch.h"
#include "own_messages.h"

namespace tessera::serial {

constexpr uint32_t MaxClients = 16;
constexpr uint32_t LineMax = 256;  // a client's output bytes before a forced line break
constexpr uint32_t PrefixMax = 32; // longer prefixes are cut
// The largest unit written into the driver's ring: newline, prefix, line, newline.
constexpr uint32_t UnitMax = 1 + PrefixMax + LineMax + 1;
// The prefix of the virtualiser's own lines.
constexpr const char* OwnPrefix = "serial_virt: ";

struct RingRegion {
    void* memory;
    size_t bytes;
};

struct ClientSetup {
    const char* name;   // for messages
    const char* prefix; // nullptr or "" for none
    RingRegion tx;      // client to virtualiser
    RingRegion rx;      // virtualiser to client; memory nullptr: the client takes no input
};

struct DriverSetup {
    RingRegion tx; // virtualiser to driver
    RingRegion rx; // driver to virtualiser
};

enum class SetupError {
    None,
    NoClients,
    TooManyClients,
    BadDriverRing,
    DriverRingSmallerThanALine, // the driver's transmit ring cannot hold UnitMax bytes
    BadClientRing,
};
const char* describe(SetupError error);

// Who must be signalled once process() or select_input() returns; the caller notifies them.
struct Wakeups {
    bool driver = false;
    uint32_t clients = 0; // bit i: client i
};

struct ClientCounters {
    uint64_t lines = 0;          // units that ended with the client's own newline
    uint64_t forced_breaks = 0;  // units cut at LineMax
    uint64_t partial_units = 0;  // flushed partial lines
    uint64_t output_bytes = 0;   // the client's bytes written to the driver (no prefixes)
    uint64_t input_bytes = 0;    // input delivered to the client
    uint64_t input_dropped = 0;  // input lost because the client's ring was full
    uint64_t corrupt = 0;        // times its ring indices were found broken
};

class Virtualiser {
public:
    // Attaches to every ring (each side continues from the indices it finds) and queues a
    // greeting line. On an error nothing may be processed.
    SetupError setup(const DriverSetup& driver, const ClientSetup* clients, uint32_t count);

    // Moves what can move: input from the driver to the client that has it, then output units
    // from the clients to the driver until none is left or the driver's ring is full. Call on
    // every notification, from whichever channel.
    Wakeups process();

    // Gives the input to client `index`; false if there is no such client. Call process() after.
    bool select_input(uint32_t index);
    uint32_t input_client() const { return input_client_; }

    uint32_t client_count() const { return count_; }
    const ClientCounters& counters(uint32_t index) const { return clients_[index].counters; }
    uint64_t own_messages_dropped() const { return messages_.dropped(); }

private:
    enum class UnitKind { Line, Forced, Partial };
    struct Unit {
        uint32_t length; // bytes of the source (client ring or own message)
        UnitKind kind;
    };
    struct Client {
        const char* name;
        char prefix[PrefixMax];
        uint32_t prefix_length;
        tessera_serial_ring tx;
        tessera_serial_ring rx;
        bool has_input;
        bool at_line_start;
        bool dropping_input; // inside a run of dropped input, reported once
        ClientCounters counters;
    };
    static constexpr uint32_t OwnSource = MaxClients; // own messages, as a source index
    enum class Direction { Transmit, Receive };

    void route_input(Wakeups& wakeups);
    void deliver_input(const uint8_t* bytes, uint32_t length, Wakeups& wakeups);
    void emit_output(Wakeups& wakeups);
    bool next_unit(uint32_t& source, Unit& unit);
    bool find_client_unit(uint32_t index, Unit& unit);
    uint32_t compose(uint32_t source, const Unit& unit);
    void commit(uint32_t source, const Unit& unit, Wakeups& wakeups);
    bool arm_client_rings();
    void client_ring_broken(uint32_t index, Direction direction);
    void driver_ring_broken(Direction direction);

    tessera_serial_ring driver_tx_{};
    tessera_serial_ring driver_rx_{};
    Client clients_[MaxClients] = {};
    uint32_t count_ = 0;
    uint32_t input_client_ = 0;
    uint32_t round_robin_ = 0;
    // The client whose partial line the terminal's cursor sits after, or NoOwner.
    static constexpr uint32_t NoOwner = 0xffffffffu;
    uint32_t mid_line_owner_ = NoOwner;
    InputSwitchDecoder decoder_;
    OwnMessages messages_;
    uint8_t line_[LineMax] = {};  // the unit being looked at, peeked from its client's ring
    uint8_t out_[UnitMax] = {};   // the unit as it goes to the driver
};

} // namespace tessera::serial
