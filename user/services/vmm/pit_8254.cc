// The 8254 model (pit_8254.h).
#include "pit_8254.h"
#include "time_scale.h"

namespace tessera::services::vmm {
namespace {

constexpr uint16_t CounterPort = 0x40; // channels 0-2 at 0x40-0x42
constexpr uint16_t CommandPort = 0x43;
constexpr uint16_t PortB = 0x61;
constexpr uint8_t PortBGate2 = 0x01, PortBSpeaker = 0x02, PortBRefresh = 0x10, PortBOut2 = 0x20;
constexpr uint64_t RefreshPeriodNs = 15085; // the DRAM refresh toggle BIOSes and Linux poll

uint64_t tick_at(uint64_t ns)
{
    return scale_down(ns, PitHz, NsPerSecond);
}

// The first nanosecond at which `tick` has been reached.
uint64_t ns_of_tick(uint64_t tick)
{
    return scale_up(tick, NsPerSecond, PitHz);
}

uint64_t period(uint16_t reload)
{
    return reload == 0 ? 65536 : reload;
}

} // namespace

bool Pit8254::handles(uint16_t port)
{
    return (port >= CounterPort && port <= CommandPort) || port == PortB;
}

uint64_t Pit8254::elapsed(const Channel& channel, uint64_t now_ns) const
{
    if (!channel.loaded)
        return 0;
    if (!channel.gate)
        return channel.paused_ticks;
    uint64_t now = tick_at(now_ns);
    return channel.paused_ticks + (now > channel.start_tick ? now - channel.start_tick : 0);
}

uint16_t Pit8254::count(const Channel& channel, uint64_t now_ns) const
{
    if (!channel.loaded)
        return channel.reload;
    uint64_t n = period(channel.reload), t = elapsed(channel, now_ns);
    switch (channel.mode) {
    case 2:
        return static_cast<uint16_t>(n - t % n);
    case 3: {
        // Square wave: counts down by two, reloading every half period.
        uint64_t half = n / 2 == 0 ? 1 : n / 2;
        return static_cast<uint16_t>(n - 2 * (t % half));
    }
    default: // 0, 1, 4, 5: one pass down, then wrapping through 0xffff
        return static_cast<uint16_t>(n - t % 65536);
    }
}

bool Pit8254::out(const Channel& channel, uint64_t now_ns) const
{
    if (!channel.loaded)
        return channel.mode != 0; // mode 0 drives OUT low from the command on
    uint64_t n = period(channel.reload), t = elapsed(channel, now_ns);
    switch (channel.mode) {
    case 2:
        return t % n != n - 1;
    case 3:
        return t % n < (n + 1) / 2;
    case 4:
    case 5:
        return t != n;
    default:
        return t >= n;
    }
}

// Rising edges of OUT after `ticks` counted: what an edge-triggered IRQ 0 sees.
uint64_t Pit8254::edges(const Channel& channel, uint64_t ticks) const
{
    uint64_t n = period(channel.reload);
    switch (channel.mode) {
    case 2:
    case 3:
        return ticks / n;
    default:
        return ticks >= n ? 1 : 0;
    }
}

void Pit8254::load(Channel& channel, uint16_t value, uint64_t now_ns)
{
    channel.reload = value;
    channel.loaded = true;
    channel.paused_ticks = 0;
    channel.start_tick = tick_at(now_ns);
    channel.edges_taken = 0;
}

void Pit8254::set_gate(Channel& channel, bool gate, uint64_t now_ns)
{
    if (gate == channel.gate)
        return;
    if (!gate)
        channel.paused_ticks = elapsed(channel, now_ns);
    else
        channel.start_tick = tick_at(now_ns);
    channel.gate = gate;
}

void Pit8254::command(uint8_t value, uint64_t now_ns)
{
    unsigned select = value >> 6;
    if (select == 3) {
        // Read-back: bit 5 clear latches counts, bit 4 clear latches status, bits 1-3 pick
        // channels.
        for (unsigned i = 0; i < 3; ++i) {
            if ((value & (2u << i)) == 0)
                continue;
            Channel& channel = channels_[i];
            if ((value & 0x20) == 0 && !channel.latched) {
                channel.latch = count(channel, now_ns);
                channel.latched = true;
                channel.read_high = false;
            }
            if ((value & 0x10) == 0 && !channel.status_latched) {
                channel.status = static_cast<uint8_t>((out(channel, now_ns) ? 0x80 : 0) |
                                                      (channel.loaded ? 0 : 0x40) |
                                                      (channel.access << 4) | (channel.mode << 1));
                channel.status_latched = true;
            }
        }
        return;
    }
    Channel& channel = channels_[select];
    unsigned access = (value >> 4) & 3;
    if (access == 0) { // counter latch command
        if (!channel.latched) {
            channel.latch = count(channel, now_ns);
            channel.latched = true;
            channel.read_high = false;
        }
        return;
    }
    unsigned mode = (value >> 1) & 7;
    channel.mode = static_cast<uint8_t>(mode >= 6 ? mode - 4 : mode); // 6, 7 alias 2, 3
    channel.access = static_cast<uint8_t>(access);
    channel.loaded = false; // a new mode waits for its count
    channel.expect_high = false;
    channel.read_high = false;
    channel.latched = false;
    // BCD counting (bit 0) is not modelled: counts are binary. Linux never asks for BCD.
}

uint8_t Pit8254::read_counter(Channel& channel, uint64_t now_ns)
{
    if (channel.status_latched) {
        channel.status_latched = false;
        return channel.status;
    }
    uint16_t value = channel.latched ? channel.latch : count(channel, now_ns);
    uint8_t byte;
    switch (channel.access) {
    case 1:
        byte = static_cast<uint8_t>(value);
        channel.latched = false;
        break;
    case 2:
        byte = static_cast<uint8_t>(value >> 8);
        channel.latched = false;
        break;
    default:
        byte = channel.read_high ? static_cast<uint8_t>(value >> 8) : static_cast<uint8_t>(value);
        if (channel.read_high)
            channel.latched = false;
        channel.read_high = !channel.read_high;
        break;
    }
    return byte;
}

uint8_t Pit8254::read(uint16_t port, uint64_t now_ns)
{
    if (port == PortB) {
        uint8_t value = port_b_ & (PortBGate2 | PortBSpeaker);
        if ((now_ns / RefreshPeriodNs) & 1)
            value |= PortBRefresh;
        if (out(channels_[2], now_ns))
            value |= PortBOut2;
        return value;
    }
    if (port >= CounterPort && port < CommandPort)
        return read_counter(channels_[port - CounterPort], now_ns);
    return 0xff; // the command register is write-only
}

void Pit8254::write(uint16_t port, uint8_t value, uint64_t now_ns)
{
    if (port == PortB) {
        port_b_ = value & (PortBGate2 | PortBSpeaker);
        set_gate(channels_[2], (value & PortBGate2) != 0, now_ns);
        return;
    }
    if (port == CommandPort) {
        command(value, now_ns);
        return;
    }
    if (port < CounterPort || port >= CommandPort)
        return;
    Channel& channel = channels_[port - CounterPort];
    switch (channel.access) {
    case 1:
        load(channel, value, now_ns);
        break;
    case 2:
        load(channel, static_cast<uint16_t>(value << 8), now_ns);
        break;
    default:
        if (!channel.expect_high) {
            channel.low_written = value;
            channel.expect_high = true;
        } else {
            channel.expect_high = false;
            load(channel, static_cast<uint16_t>(channel.low_written | (value << 8)), now_ns);
        }
        break;
    }
}

bool Pit8254::take_interrupt(uint64_t now_ns)
{
    Channel& channel = channels_[0];
    if (!channel.loaded)
        return false;
    uint64_t seen = edges(channel, elapsed(channel, now_ns));
    if (seen <= channel.edges_taken)
        return false;
    channel.edges_taken = seen;
    return true;
}

uint64_t Pit8254::next_interrupt_ns(uint64_t now_ns) const
{
    const Channel& channel = channels_[0];
    if (!channel.loaded || !channel.gate)
        return NoDeadline;
    uint64_t n = period(channel.reload);
    uint64_t done = elapsed(channel, now_ns);
    if (edges(channel, done) > channel.edges_taken)
        return now_ns; // due and not yet taken
    uint64_t target;
    if (channel.mode == 2 || channel.mode == 3)
        target = (done / n + 1) * n;
    else if (done < n)
        target = n;
    else
        return NoDeadline; // one-shot modes fire once per load
    return ns_of_tick(channel.start_tick + (target - channel.paused_ticks));
}

} // namespace tessera::services::vmm
