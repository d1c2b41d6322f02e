// The loader's way into PCI configuration space, chosen once at the first PCI_FIND: ECAM when
// the firmware's ACPI MCFG describes it (PCI Express machines such as QEMU's q35), else the
// ports 0xCF8-0xCFF (the PC's mechanism #1, QEMU's pc). Either reaches every function of the
// machine, so only the loader holds it, and only while it runs: its capabilities (the port range,
// the ECAM and firmware frames) go with everything else at self-removal.
#pragma once

#include <sel4/sel4.h>
#include <tessera/alloc/object_allocator.h>
#include <tessera/pci/config.h>
#include <tessera/pci/mcfg.h>
#include <tessera/vspace/vspace.h>

namespace tessera::loader {

// The extra BootInfo chunk `id` (seL4_BootInfoHeader included) and its length, or null when the
// kernel gave none (or a malformed chunk came first: nothing after it can be trusted).
const uint8_t* boot_info_chunk(const seL4_BootInfo& boot_info, seL4_Word id, seL4_Word& length);

class PciConfig {
public:
    // Virtual ranges the loader maps firmware pages and ECAM into: 513 GiB, between its copy
    // window (512 GiB) and an unpacked image (514 GiB), where no system image reaches.
    static constexpr seL4_Word FirmwareBase = 0x8040000000;
    static constexpr uint32_t FirmwarePages = 16;
    static constexpr seL4_Word EcamBase = 0x8060000000;
    static constexpr uint32_t EcamLargePages = 128; // 256 buses of 1 MiB

    explicit PciConfig(alloc::ObjectAllocator& objects);

    // The mechanism, chosen and opened at the first call (it prints one line saying which, and
    // why not ECAM when the machine has an MCFG the loader cannot use). Errors only when neither
    // works: the kernel's, for the port capability.
    libos::Result<pci::ConfigAccess*> open();

private:
    // Firmware tables by physical address, each page a device frame mapped once and kept.
    class Firmware final : public pci::PhysicalMemory {
    public:
        explicit Firmware(PciConfig& owner) : owner_(owner) {}
        bool read(uint64_t paddr, void* out, size_t bytes) override;

    private:
        const uint8_t* page(uint64_t paddr);
        PciConfig& owner_;
        uint64_t paddr_[FirmwarePages] = {};
        uint32_t count_ = 0;
    };

    // ECAM with its 2 MiB pages (two buses each) mapped when a bus is first touched; a bus whose
    // page cannot be mapped reads as absent.
    class Ecam final : public pci::ConfigAccess {
    public:
        explicit Ecam(PciConfig& owner) : owner_(owner) {}
        void set_region(const pci::EcamRegion& region) { region_ = region; }
        uint16_t function_size() const override { return 4096; }
        uint32_t read(pci::Address address, uint16_t offset, pci::Width width) override;
        void write(pci::Address address, uint16_t offset, pci::Width width, uint32_t value) override;
        libos::Result<void> map_bus(uint8_t bus);

    private:
        pci::EcamConfigAccess window() const;
        PciConfig& owner_;
        pci::EcamRegion region_ = {};
        uint64_t mapped_[EcamLargePages / 64] = {};
        uint64_t failed_[EcamLargePages / 64] = {};
    };

    // The ports through an seL4 I/O port capability.
    class Ports final : public pci::PortIo {
    public:
        seL4_CPtr cap = 0;
        uint32_t in(uint16_t port, pci::Width width) override;
        void out(uint16_t port, pci::Width width, uint32_t value) override;
    };

    // True with ECAM open; false when the machine has none (`no_ecam` says why: no RSDP, no
    // MCFG); an error when it has an MCFG the loader cannot use (open prints it, uses ports).
    libos::Result<bool> open_ecam(const char*& no_ecam);
    libos::Result<void> open_ports();
    libos::Result<void> map_device_frame(seL4_Word type, uint64_t paddr, seL4_Word vaddr);

    alloc::ObjectAllocator& objects_;
    vspace::Mapping mappings_[FirmwarePages + EcamLargePages];
    vspace::VSpace space_;
    Firmware firmware_{*this};
    Ecam ecam_{*this};
    Ports ports_;
    pci::PortConfigAccess port_access_{ports_};
    pci::ConfigAccess* chosen_ = nullptr;
};

} // namespace tessera::loader
