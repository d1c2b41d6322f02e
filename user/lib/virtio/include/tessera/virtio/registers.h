// A window of device registers (part of a mapped BAR). Drivers use the mapped implementation;
// host tests put a fake device behind the same interface. Every access is bounds-checked
// against the window, so a capability that lies about a structure's length cannot make the
// driver touch memory outside it.
#pragma once

#include <stdint.h>

namespace tessera::virtio {

class Registers {
public:
    virtual uint32_t length() const = 0;
    virtual uint8_t read8(uint32_t offset) = 0;
    virtual uint16_t read16(uint32_t offset) = 0;
    virtual uint32_t read32(uint32_t offset) = 0;
    virtual void write8(uint32_t offset, uint8_t value) = 0;
    virtual void write16(uint32_t offset, uint16_t value) = 0;
    virtual void write32(uint32_t offset, uint32_t value) = 0;

    // 64-bit registers are two 32-bit halves, low first (Virtio 1.1, 4.1.3.1).
    uint64_t read64(uint32_t offset)
    {
        const uint64_t low = read32(offset);
        return low | uint64_t(read32(offset + 4)) << 32;
    }
    void write64(uint32_t offset, uint64_t value)
    {
        write32(offset, static_cast<uint32_t>(value));
        write32(offset + 4, static_cast<uint32_t>(value >> 32));
    }

protected:
    ~Registers() = default;
};

// Registers in mapped (uncached) device memory. Out-of-window reads return all ones and
// out-of-window writes are dropped.
class MappedRegisters final : public Registers {
public:
    MappedRegisters() = default;
    MappedRegisters(volatile uint8_t* base, uint32_t length) : base_(base), length_(length) {}
    uint32_t length() const override { return length_; }
    uint8_t read8(uint32_t offset) override
    {
        return fits(offset, 1) ? base_[offset] : 0xff;
    }
    uint16_t read16(uint32_t offset) override
    {
        return fits(offset, 2) ? *reinterpret_cast<volatile uint16_t*>(base_ + offset) : 0xffff;
    }
    uint32_t read32(uint32_t offset) override
    {
        return fits(offset, 4) ? *reinterpret_cast<volatile uint32_t*>(base_ + offset) : 0xffffffffu;
    }
    void write8(uint32_t offset, uint8_t value) override
    {
        if (fits(offset, 1))
            base_[offset] = value;
    }
    void write16(uint32_t offset, uint16_t value) override
    {
        if (fits(offset, 2))
            *reinterpret_cast<volatile uint16_t*>(base_ + offset) = value;
    }
    void write32(uint32_t offset, uint32_t value) override
    {
        if (fits(offset, 4))
            *reinterpret_cast<volatile uint32_t*>(base_ + offset) = value;
    }

private:
    bool fits(uint32_t offset, uint32_t bytes) const
    {
        return base_ != nullptr && offset % bytes == 0 && offset <= length_ && bytes <= length_ - offset;
    }
    volatile uint8_t* base_ = nullptr;
    uint32_t length_ = 0;
};

} // namespace tessera::virtio
