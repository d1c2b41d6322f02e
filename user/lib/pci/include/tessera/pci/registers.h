// Offsets and bits of the configuration header (PCI Local Bus Specification 3.0, chapter 6;
// PCI-to-PCI Bridge Architecture Specification 1.2 for type 1) that Tessera uses.
#pragma once

#include <stdint.h>

namespace tessera::pci::reg {

constexpr uint16_t VendorId = 0x00, DeviceId = 0x02, Command = 0x04, Status = 0x06;
constexpr uint16_t Revision = 0x08, ProgInterface = 0x09, Subclass = 0x0a, ClassCode = 0x0b;
constexpr uint16_t HeaderType = 0x0e, Bar0 = 0x10, CapabilitiesPointer = 0x34;
constexpr uint16_t InterruptLine = 0x3c, InterruptPin = 0x3d;
// Type 1 (bridge) header.
constexpr uint16_t PrimaryBus = 0x18, SecondaryBus = 0x19, SubordinateBus = 0x1a;

constexpr uint16_t CommandIoSpace = 1u << 0, CommandMemorySpace = 1u << 1;
constexpr uint16_t CommandBusMaster = 1u << 2, CommandInterruptDisable = 1u << 10;
constexpr uint16_t StatusCapabilitiesList = 1u << 4;

constexpr uint8_t HeaderTypeMask = 0x7f, HeaderMultiFunction = 0x80;
constexpr uint8_t HeaderTypeDevice = 0, HeaderTypeBridge = 1, HeaderTypeCardBus = 2;

constexpr uint16_t NoVendor = 0xffff; // an absent function reads as all ones

// Capability IDs (PCI Code and ID Assignment Specification).
constexpr uint8_t CapabilityMsi = 0x05, CapabilityVendor = 0x09, CapabilityExpress = 0x10,
                  CapabilityMsix = 0x11;

constexpr unsigned BarCount = 6;       // type 0 header
constexpr unsigned BridgeBarCount = 2; // type 1 header

} // namespace tessera::pci::reg
