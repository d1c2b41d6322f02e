// The guest's 8254 programmable interval timer and port 0x61, as Linux uses them on AMD: channel 2
// gated by port 0x61 counting down in mode 0 is how it calibrates the TSC (CPUID gives no TSC
// frequency on AMD), and channel 0 in mode 2 or 0 is its first clock event (IRQ 0, GSI 2).
// Counters are derived from the guest's monotonic time, never ticked: reading one is exact at
// 1.193182 MHz whatever the exit rate. Facts from the Intel 82C54 data sheet (1994).
#pragma once

#include <stdint.h>

namespace tessera::services::vmm {

constexpr uint64_t PitHz = 1193182;
constexpr uint64_t NoDeadline = ~0ull;

class Pit8254 {
public:
    // Ports 0x40-0x43 and 0x61 (NMI status and control: speaker gate, refresh, channel 2 OUT).
    static bool handles(uint16_t port);

    uint8_t read(uint16_t port, uint64_t now_ns);
    void write(uint16_t port, uint8_t value, uint64_t now_ns);

    // Whether channel 0's OUT rose since the last call (several periods missed count as one, as a
    // PIC edge would), and when it next rises (absolute ns, NoDeadline when it will not).
    bool take_interrupt(uint64_t now_ns);
    uint64_t next_interrupt_ns(uint64_t now_ns) const;

private:
    struct Channel {
        uint8_t mode = 0;
        uint8_t access = 3;  // 1 low byte, 2 high byte, 3 low then high
        uint16_t reload = 0; // 0 means 65536
        uint8_t low_written = 0;
        bool expect_high = false; // the next write is the high byte of a low/high pair
        bool read_high = false;   // the next read is the high byte
        bool latched = false;
        uint16_t latch = 0;
        bool status_latched = false;
        uint8_t status = 0;
        bool loaded = false;
        bool gate = true;
        uint64_t start_tick = 0;   // when counting (re)started
        uint64_t paused_ticks = 0; // counted before the gate last went low
        uint64_t edges_taken = 0;
    };

    uint64_t elapsed(const Channel& channel, uint64_t now_ns) const;
    uint16_t count(const Channel& channel, uint64_t now_ns) const;
    bool out(const Channel& channel, uint64_t now_ns) const;
    uint64_t edges(const Channel& channel, uint64_t ticks) const;
    void command(uint8_t value, uint64_t now_ns);
    void load(Channel& channel, uint16_t value, uint64_t now_ns);
    void set_gate(Channel& channel, bool gate, uint64_t now_ns);
    uint8_t read_counter(Channel& channel, uint64_t now_ns);

    Channel channels_[3];
    uint8_t port_b_ = 0; // bit 0: channel 2 gate, bit 1: speaker data
};

} // namespace tessera::services::vmm
