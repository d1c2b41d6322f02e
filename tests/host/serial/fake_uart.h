// A model of a 16550 UART with FIFOs, for the driver's host tests: registers with the divisor
// latch, a 16-byte receive FIFO with its trigger level and character timeout, a transmit FIFO that
// empties at once or only when the test says, the interrupt causes in the chip's priority order,
// and the interrupt line they drive.
#pragma once

#include <uart_16550.h>

#include <deque>
#include <string>

namespace tessera::test {

class FakeUart final : public serial::UartPorts {
public:
    using Reg = serial::UartRegister;
    static constexpr size_t FifoBytes = 16;

    // Incoming bytes; those that find the FIFO full stay outside (QEMU stops reading its backend).
    void receive(const std::string& bytes)
    {
        for (char c : bytes)
            outside_.push_back(static_cast<uint8_t>(c));
        fill_receive_fifo();
    }
    // Four character times of silence: the timeout cause, while bytes wait below the trigger.
    void character_timeout() { timeout_pending_ = !receive_fifo_.empty(); }
    // A transmitter that only moves bytes when the test says (slow_transmitter = true).
    void finish_transmitting()
    {
        if (transmit_fifo_ != 0) {
            transmit_fifo_ = 0;
            if ((ier_ & 0x02) != 0)
                transmit_empty_pending_ = true;
        }
    }
    void inject_line_status(uint8_t bits) { line_errors_ |= bits; }

    bool interrupt_line() const { return cause() != 0x01; }
    const std::string& transmitted() const { return transmitted_; }
    size_t waiting_outside() const { return outside_.size(); }
    uint8_t interrupt_enable() const { return ier_; }
    uint8_t line_control() const { return lcr_; }
    uint8_t modem_control() const { return mcr_; }
    uint16_t divisor() const { return divisor_; }
    int register_accesses() const { return accesses_; }

    bool present = true;
    bool slow_transmitter = false;

    uint8_t read(Reg reg) override
    {
        ++accesses_;
        if (!present)
            return 0xff;
        const bool latch = (lcr_ & 0x80) != 0;
        switch (static_cast<uint8_t>(reg)) {
        case 0: {
            if (latch)
                return static_cast<uint8_t>(divisor_);
            if (receive_fifo_.empty())
                return 0;
            const uint8_t byte = receive_fifo_.front();
            receive_fifo_.pop_front();
            timeout_pending_ = false;
            fill_receive_fifo();
            return byte;
        }
        case 1:
            return latch ? static_cast<uint8_t>(divisor_ >> 8) : ier_;
        case 2: {
            const uint8_t identification = cause();
            if (identification == 0x02)
                transmit_empty_pending_ = false; // reading the cause clears it
            return static_cast<uint8_t>(identification | 0xc0);
        }
        case 3:
            return lcr_;
        case 4:
            return mcr_;
        case 5: {
            const uint8_t status = line_status();
            line_errors_ = 0; // reading clears the error bits
            return status;
        }
        case 6:
            return 0;
        default:
            return scratch_;
        }
    }

    void write(Reg reg, uint8_t value) override
    {
        ++accesses_;
        if (!present)
            return;
        const bool latch = (lcr_ & 0x80) != 0;
        switch (static_cast<uint8_t>(reg)) {
        case 0:
            if (latch) {
                divisor_ = static_cast<uint16_t>((divisor_ & 0xff00) | value);
            } else {
                ++transmit_fifo_;
                overfilled_ = overfilled_ || transmit_fifo_ > FifoBytes;
                transmitted_.push_back(static_cast<char>(value));
                transmit_empty_pending_ = false;
                if (!slow_transmitter)
                    finish_transmitting();
            }
            break;
        case 1:
            if (latch) {
                divisor_ = static_cast<uint16_t>((divisor_ & 0x00ff) | value << 8);
            } else {
                // Turning the transmit-empty interrupt on with an empty FIFO raises it at once.
                if ((value & 0x02) != 0 && (ier_ & 0x02) == 0 && transmit_fifo_ == 0)
                    transmit_empty_pending_ = true;
                if ((value & 0x02) == 0)
                    transmit_empty_pending_ = false;
                ier_ = value & 0x0f;
            }
            break;
        case 2:
            fcr_ = value;
            if ((value & 0x02) != 0)
                receive_fifo_.clear();
            if ((value & 0x04) != 0)
                transmit_fifo_ = 0;
            break;
        case 3:
            lcr_ = value;
            break;
        case 4:
            mcr_ = value;
            break;
        case 7:
            scratch_ = value;
            break;
        default:
            break;
        }
    }

    bool transmit_fifo_ever_overfilled() const { return overfilled_; }
    const std::deque<uint8_t>& receive_fifo() const { return receive_fifo_; }

private:
    uint8_t line_status() const
    {
        uint8_t status = line_errors_;
        if (!receive_fifo_.empty())
            status |= 0x01;
        if (transmit_fifo_ == 0)
            status |= 0x60;
        return status;
    }
    unsigned trigger() const
    {
        static constexpr unsigned levels[] = {1, 4, 8, 14};
        return levels[fcr_ >> 6];
    }
    // The highest-priority pending cause, as the identification register encodes it.
    uint8_t cause() const
    {
        if ((ier_ & 0x04) != 0 && (line_errors_ & 0x1e) != 0)
            return 0x06;
        if ((ier_ & 0x01) != 0 && receive_fifo_.size() >= trigger())
            return 0x04;
        if ((ier_ & 0x01) != 0 && timeout_pending_ && !receive_fifo_.empty())
            return 0x0c;
        if ((ier_ & 0x02) != 0 && transmit_empty_pending_)
            return 0x02;
        return 0x01;
    }
    void fill_receive_fifo()
    {
        while (!outside_.empty() && receive_fifo_.size() < FifoBytes) {
            receive_fifo_.push_back(outside_.front());
            outside_.pop_front();
        }
    }

    uint8_t ier_ = 0, lcr_ = 0, mcr_ = 0, fcr_ = 0, scratch_ = 0, line_errors_ = 0;
    uint16_t divisor_ = 0;
    std::deque<uint8_t> receive_fifo_, outside_;
    size_t transmit_fifo_ = 0;
    bool transmit_empty_pending_ = false, timeout_pending_ = false, overfilled_ = false;
    std::string transmitted_;
    int accesses_ = 0;
};

} // namespace tessera::test
