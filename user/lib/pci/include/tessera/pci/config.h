// Configuration space access. A ConfigAccess reaches every function of a machine through one
// mechanism (I/O ports 0xCF8/0xCFC, or ECAM memory); a ConfigSpace is the view of one function,
// which is all a driver should ever hold. Offsets are bytes; an access never straddles its
// natural alignment (the mechanisms cannot express it).
#pragma once

#include <tessera/pci/address.h>

namespace tessera::pci {

enum class Width : uint8_t { Byte = 1, Word = 2, Dword = 4 };

constexpr bool is_aligned(uint16_t offset, Width width)
{
    return offset % static_cast<unsigned>(width) == 0;
}

class ConfigAccess {
public:
    // Bytes of configuration space each function has: 256 (ports) or 4096 (ECAM).
    virtual uint16_t function_size() const = 0;
    // `offset` + width within function_size() and naturally aligned (callers check; the
    // mechanisms mask). A function that is absent reads as all ones.
    virtual uint32_t read(Address address, uint16_t offset, Width width) = 0;
    virtual void write(Address address, uint16_t offset, Width width, uint32_t value) = 0;

protected:
    ~ConfigAccess() = default;
};

class ConfigSpace {
public:
    virtual uint16_t size() const = 0;
    // Out-of-range or misaligned accesses read as all ones and write nothing.
    virtual uint32_t read(uint16_t offset, Width width) const = 0;
    virtual void write(uint16_t offset, Width width, uint32_t value) = 0;

    uint8_t read8(uint16_t offset) const { return static_cast<uint8_t>(read(offset, Width::Byte)); }
    uint16_t read16(uint16_t offset) const { return static_cast<uint16_t>(read(offset, Width::Word)); }
    uint32_t read32(uint16_t offset) const { return read(offset, Width::Dword); }
    void write8(uint16_t offset, uint8_t value) { write(offset, Width::Byte, value); }
    void write16(uint16_t offset, uint16_t value) { write(offset, Width::Word, value); }
    void write32(uint16_t offset, uint32_t value) { write(offset, Width::Dword, value); }

protected:
    ~ConfigSpace() = default;
};

// One function reached through a machine-wide mechanism.
class FunctionConfig final : public ConfigSpace {
public:
    FunctionConfig(ConfigAccess& access, Address address) : access_(access), address_(address) {}
    uint16_t size() const override { return access_.function_size(); }
    uint32_t read(uint16_t offset, Width width) const override;
    void write(uint16_t offset, Width width, uint32_t value) override;
    Address address() const { return address_; }

private:
    ConfigAccess& access_;
    Address address_;
};

// A copy of a function's configuration space taken at boot: what a driver reads. Read-only:
// writes are dropped (a driver changes nothing in configuration space; the loader did).
class SnapshotConfig final : public ConfigSpace {
public:
    SnapshotConfig(const uint8_t* bytes, uint16_t size) : bytes_(bytes), size_(size) {}
    uint16_t size() const override { return size_; }
    uint32_t read(uint16_t offset, Width width) const override;
    void write(uint16_t, Width, uint32_t) override {}

private:
    const uint8_t* bytes_;
    uint16_t size_;
};

// Copies `bytes` bytes (a multiple of 4, at most the space's size) of a function's space.
void copy_config(const ConfigSpace& space, uint8_t* out, uint16_t bytes);

// Ports 0xCF8 (address) and 0xCFC-0xCFF (data), the PC's configuration mechanism #1: 256 bytes
// per function. The port interface is the caller's (seL4 IOPort capabilities, or a fake).
class PortIo {
public:
    virtual uint32_t in(uint16_t port, Width width) = 0;
    virtual void out(uint16_t port, Width width, uint32_t value) = 0;

protected:
    ~PortIo() = default;
};

constexpr uint16_t ConfigAddressPort = 0xcf8, ConfigDataPort = 0xcfc;
constexpr uint16_t ConfigPortFirst = 0xcf8, ConfigPortLast = 0xcff;

class PortConfigAccess final : public ConfigAccess {
public:
    explicit PortConfigAccess(PortIo& ports) : ports_(ports) {}
    uint16_t function_size() const override { return 256; }
    uint32_t read(Address address, uint16_t offset, Width width) override;
    void write(Address address, uint16_t offset, Width width, uint32_t value) override;

    // The value written to 0xCF8 to select a dword: enable bit, bus, device, function, register.
    static constexpr uint32_t config_address(Address address, uint16_t offset)
    {
        return 0x80000000u | uint32_t(address.bus) << 16 | uint32_t(address.device & 31) << 11 |
               uint32_t(address.function & 7) << 8 | (offset & 0xfcu);
    }

private:
    PortIo& ports_;
};

// PCI Express enhanced configuration (ECAM): bus b, device d, function f at
// base + (b - first_bus) << 20 | d << 15 | f << 12, 4096 bytes each (PCI Firmware Spec, MCFG).
class EcamConfigAccess final : public ConfigAccess {
public:
    // `window` maps buses first_bus..last_bus of the segment, uncached.
    EcamConfigAccess(volatile uint8_t* window, uint8_t first_bus, uint8_t last_bus)
        : window_(window), first_bus_(first_bus), last_bus_(last_bus)
    {
    }
    uint16_t function_size() const override { return 4096; }
    uint32_t read(Address address, uint16_t offset, Width width) override;
    void write(Address address, uint16_t offset, Width width, uint32_t value) override;

    static constexpr uint64_t function_offset(Address address, uint8_t first_bus)
    {
        return uint64_t(address.bus - first_bus) << 20 | uint64_t(address.device & 31) << 15 |
               uint64_t(address.function & 7) << 12;
    }

private:
    volatile uint8_t* window_;
    uint8_t first_bus_, last_bus_;
};

} // namespace tessera::pci
