// The validated model of a Microkit system description: what the parser produces and the
// checker, compiler and graph writer consume. Defaults follow the Microkit tool.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "diagnostics.h"
#include "interfaces_model.h"
#include "model_pci.h"
#include "tessera/spec.h"

namespace tessera::sdf {

inline constexpr uint64_t PageSize4K = 0x1000;
inline constexpr uint64_t PageSize2M = 0x200000;
inline constexpr uint64_t MaxPriority = 254;
inline constexpr uint64_t MaxChannelId = 61;     // badge bits 62 and 63 are fault and PPC
inline constexpr uint64_t MaxIoPortId = 61;      // Microkit: ids below 62 (one bit each)
inline constexpr uint64_t MaxIoPort = 0xffff;    // x86 has 65536 I/O ports
inline constexpr uint64_t MaxCapSlot = 127;      // <cspace> slots 1..127, as Microkit
inline constexpr uint64_t SetVarBytes = 8;       // setvar symbols are one word, as Microkit's
inline constexpr uint64_t MaxIrqVector = 107;    // seL4 x86: irq_user_max - irq_user_min
inline constexpr uint64_t DefaultBudget = 1000;  // microseconds
inline constexpr uint64_t DefaultStackSize = 0x2000;
inline constexpr uint64_t MinStackSize = 0x1000;
inline constexpr uint64_t MaxStackSize = 0x1000000;
inline constexpr uint64_t StackTop = 0x00007ffffffff000; // seL4_UserTop on x86_64

// Tessera's kernel runs on one CPU (DESIGN.md decision 10: SMP comes later), so cpu="0" is the
// only valid placement; docs/decisions.md says what changes with SMP.
inline constexpr uint64_t CpuCount = 1;

// What a system may ask of the machine (docs/system-description.md, "Limits"). The RAM is the
// launcher's default guest memory (scripts/launch.py --memory 512M).
inline constexpr uint64_t MachineMemory = uint64_t(512) << 20;
inline constexpr uint64_t PhysicalAddressLimit = uint64_t(1) << 52; // x86_64's widest
inline constexpr uint64_t MaxRegionPages = uint64_t(1) << 18;       // frames over all regions
// The least RAM a protection domain needs besides its stack and program: TCB (2 KiB), CNode of
// 2^9 32-byte slots, VSpace, IPC buffer and the three paging structures of its stack.
inline constexpr uint64_t PdMinimumBytes = 0x800 + 0x4000 + 0x1000 + 0x1000 + 3 * 0x1000;

// Access rights of a mapping, as the perms attribute spells them.
enum Perm : uint8_t { PermRead = 1, PermWrite = 2, PermExecute = 4 };

struct Map {
    std::string mr;
    uint64_t vaddr = 0;
    uint8_t perms = PermRead | PermWrite;
    bool cached = true;
    Location where;
};

enum class IrqKind : uint8_t {
    Legacy, // Tessera extension on x86: irq="N" is I/O APIC 0, pin N, vector N
    Ioapic, // Microkit x86: ioapic, pin, trigger, polarity, vector
    Msi,    // Microkit x86: pcidev, handle, vector
};
enum class Trigger : uint8_t { Level, Edge };
enum class Polarity : uint8_t { High, Low };

struct Irq {
    uint64_t id = 0;
    IrqKind kind = IrqKind::Legacy;
    uint64_t ioapic = 0;
    uint64_t pin = 0;
    Trigger trigger = Trigger::Level;
    Polarity polarity = Polarity::High;
    uint64_t vector = 0;
    uint8_t pci_bus = 0, pci_device = 0, pci_function = 0;
    uint64_t handle = 0;
    Location where;
};

enum class SetVarKind : uint8_t {
    Vaddr,       // map setvar_vaddr: the map's virtual address
    Size,        // map setvar_size: the region's size
    RegionPaddr, // setvar region_paddr: the region's physical address
    Id,          // setvar_id on irq, channel end, ioport or child: the id
    PrefillSize, // map setvar_prefill_size: the length of the region's prefill file
    IoPortAddr,  // ioport setvar_addr: the first port
    String,      // setvar string (Tessera): the text, NUL-terminated, into a char array
};

struct SetVar {
    std::string symbol;
    SetVarKind kind = SetVarKind::Vaddr;
    std::string region; // Size, RegionPaddr
    uint64_t value = 0; // Vaddr, Id
    Location where;
    std::string text;   // String
};

// An <ioport>: ports [addr, addr + size) for microkit_x86_ioport_* with this id.
struct IoPort {
    uint64_t id = 0;
    uint64_t addr = 0;
    uint64_t size = 0;
    Location where;
};

// A capability of another object put into this PD's CSpace (<cspace> children).
enum class CapKind : uint8_t { Tcb, SchedulingContext, VSpace };

struct CapMap {
    CapKind kind = CapKind::Tcb;
    uint64_t slot = 0;
    std::string pd; // whose object
    Location where;
};

struct VirtualCpu {
    uint64_t id = 0;
    Location where;
};

// Accepted and checked; `tessera build` reports it as not yet supported.
struct VirtualMachine {
    std::string name;
    uint64_t priority = 0, budget = DefaultBudget, period = DefaultBudget;
    std::vector<VirtualCpu> vcpus;
    std::vector<Map> maps;
    Location where;
};

struct ProtectionDomain {
    std::string name;
    uint64_t priority = 0;
    uint64_t budget = DefaultBudget, period = DefaultBudget;
    bool passive = false;
    uint64_t stack_size = DefaultStackSize;
    Location stack_size_where; // of the attribute, when written
    uint64_t cpu = 0;
    std::optional<uint64_t> id;     // set for child protection domains
    std::optional<size_t> parent;   // index in System::protection_domains
    std::string program_image;      // empty when missing (already reported)
    std::string symbols_image;      // path_for_symbols: where setvar symbols are looked up
    Location program_image_where;
    bool fpu = true;
    std::vector<IoPort> ioports;
    std::vector<CapMap> caps;
    std::vector<Map> maps;
    std::vector<Irq> irqs;
    std::vector<SetVar> setvars;
    std::vector<PciDevice> pci_devices;
    std::optional<VirtualMachine> virtual_machine;
    Location where;

    // The stack sits at the top of the address space, the IPC buffer one guard page below it,
    // and maps must end one guard page below that.
    uint64_t stack_bottom() const { return StackTop - stack_size; }
    uint64_t ipc_buffer_vaddr() const { return stack_bottom() - 2 * PageSize4K; }
    uint64_t map_limit() const { return ipc_buffer_vaddr() - PageSize4K; }
    // log2 of its CNode's slots: <cspace> capabilities live above Microkit's fixed slots.
    uint32_t cnode_bits() const
    {
        if (manager_cnode_bits != 0)
            return manager_cnode_bits;
        return caps.empty() ? TESSERA_PD_CNODE_BITS : TESSERA_PD_CNODE_BITS_USER_CAPS;
    }
    // A PD that runs a dynamic manager: its CNode's size, with room for the manager's slots
    // (TESSERA_MANAGER_SLOT_*); 0 otherwise. Set by check_manager_elements.
    uint32_t manager_cnode_bits = 0;
    // A template of its parent's manager (`<program pd=...>`, spec.h TESSERA_TEMPLATE_*): built
    // without a thread, CNode or address space; its capabilities go to the manager. Set by
    // check_manager_elements.
    bool manager_template = false;
    // Its scheduling domain (the `domain` attribute): named in <domains>, resolved to an id.
    std::string domain;
    Location domain_where;
    uint64_t domain_id = 0;
};

// The least RAM a protection domain needs besides its stack and program (PdMinimumBytes with
// its CNode's real size).
inline uint64_t pd_minimum_bytes(const ProtectionDomain& pd)
{
    return PdMinimumBytes - 0x4000 + (uint64_t(32) << pd.cnode_bits());
}

struct MemoryRegion {
    std::string name;
    uint64_t size = 0;
    uint64_t page_size = PageSize4K;
    std::optional<uint64_t> phys_addr;
    Location where;
    std::string prefill_path;            // prefill_path as written
    std::vector<uint8_t> prefill;        // its contents (load_prefills)
    uint32_t bootinfo = 0;               // prefill_bootinfo: a SEL4_BOOTINFO_HEADER_* id, 0 = none

    uint64_t page_count() const { return size / page_size; }
};

struct ChannelEnd {
    std::string pd;
    uint64_t id = 0;
    bool pp = false;     // this end may call the other end's protected procedure
    bool notify = true;  // this end may notify the other end
    Location where;
    std::string setvar_id; // symbol receiving the id, empty when none (also in the PD's setvars)
    Location setvar_where;
};

struct Channel {
    ChannelEnd a, b;
    Location where;
};

// A <manager> element (docs/dynamic.md): read and checked from the text by manager_element.cc.
struct ManagerElement {
    size_t offset = 0;   // of its '<' in the description's text
    Location where;
    // What `tessera build` gives the manager's PD (docs/dynamic.md, "Resources"); set once the
    // element reads and checks cleanly.
    std::string pd;
    uint64_t ram = 0;
    struct ProgramFile {
        std::string name, path;
        Location where;
    };
    std::vector<ProgramFile> programs;
    // <child pd=...>: static child PDs of the manager's PD that it supervises.
    struct StaticChild {
        std::string pd, program_image;
        uint64_t id = 0;
        Location where;
    };
    std::vector<StaticChild> static_children;
    // <program name=... pd=...>: templates, in the order of their TESSERA_MANAGER_SLOT_TEMPLATE_BASE
    // slots.
    struct Template {
        std::string program, pd;
        Location where;
        uint64_t stack_size = DefaultStackSize; // the PD's: a child started from it has this stack
        // <device name pd=this pd>: its resources are the device's (spec.h, template_devices).
        std::string device;
        uint8_t device_reset = TESSERA_DEVICE_RESET_NONE;
        uint64_t device_info_vaddr = 0; // its PCI info page, for a virtio reset
    };
    std::vector<Template> templates;
    // Bit i: the manager PD's channel i lets it call (pp) / notify the other end.
    uint64_t call_channels = 0, notify_channels = 0;
    std::string text; // the whole description, which the manager reads the element from
};

// <domains> (Microkit 2.3.0): named scheduling domains and the kernel's domain schedule, which
// the loader configures and starts (seL4_DomainSet_ScheduleConfigure, _ScheduleSetStart).
inline constexpr uint64_t KernelTickMicroseconds = 2000; // the kernel's timer tick (non-MCS)
struct DomainName {
    std::string name;
    std::optional<uint64_t> id; // given, or chosen by resolve_domains
    Location where;
};
struct DomainScheduleEntry {
    std::string domain;  // empty for an end marker
    uint64_t domain_id = 0;
    uint64_t ticks = 0;  // 0: an end marker
    Location where;
};
struct Domains {
    std::vector<DomainName> names;
    std::vector<DomainScheduleEntry> schedule;
    uint64_t start_index = 0;
    uint64_t index_shift = 0;
    Location where;
};

struct System {
    std::vector<ProtectionDomain> protection_domains; // parents before their children
    std::vector<MemoryRegion> memory_regions;
    std::vector<Channel> channels;
    // Tessera's typed interfaces (docs/interfaces.md). Their connections are lowered into the
    // channels, memory regions and maps above, so everything after the parser sees Microkit.
    InterfaceSet interfaces;
    std::vector<ManagerElement> managers;
    std::optional<Domains> domains;

    const ProtectionDomain* find_pd(const std::string& name) const;
    const MemoryRegion* find_mr(const std::string& name) const;
    std::optional<size_t> pd_index(const std::string& name) const;
};

} // namespace tessera::sdf
