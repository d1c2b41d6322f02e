// A machine's configuration space for tests: functions loaded from a capture (data/*.txt) or
// built by hand, reachable through both mechanisms. BARs size as real ones do (all ones read
// back as the size mask), IDs and the header type are read-only, everything else is memory.
#pragma once

#include <tessera/pci/config.h>

#include <map>
#include <string>
#include <vector>

namespace tessera::pci::test {

struct FakeFunction {
    std::vector<uint8_t> bytes;   // 256 or 4096
    uint64_t bar_size[6] = {};    // bytes; 0 = not implemented (for a 64-bit BAR: in the low slot)
};

class FakeMachine final : public ConfigAccess, public PortIo {
public:
    // Loads "DEVICE/CFG/RES" lines; returns false (with the line) when the file is malformed.
    bool load(const std::string& path, std::string& why);
    FakeFunction& add(Address address, std::vector<uint8_t> bytes);
    FakeFunction* find(Address address);
    size_t count() const { return functions_.size(); }
    const std::map<uint16_t, FakeFunction>& functions() const { return functions_; }

    uint16_t function_size() const override { return 4096; }
    uint32_t read(Address address, uint16_t offset, Width width) override;
    void write(Address address, uint16_t offset, Width width, uint32_t value) override;

    // The ports 0xCF8-0xCFF as a PC chipset decodes them.
    uint32_t in(uint16_t port, Width width) override;
    void out(uint16_t port, Width width, uint32_t value) override;

    unsigned config_writes = 0;

private:
    void write_byte(FakeFunction& function, uint16_t offset, uint8_t value);
    std::map<uint16_t, FakeFunction> functions_; // by routing id
    uint32_t config_address_ = 0;
};

} // namespace tessera::pci::test
