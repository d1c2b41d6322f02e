// How the 256 interrupt vectors are used (Intel SDM vol. 3A, 6.3.1 for the exceptions).
#pragma once

namespace tessera::x86_64::vector {

inline constexpr unsigned DivideError = 0, Debug = 1, NonMaskable = 2, Breakpoint = 3, Overflow = 4,
                          BoundRange = 5, InvalidOpcode = 6, DeviceNotAvailable = 7, DoubleFault = 8,
                          InvalidTss = 10, SegmentNotPresent = 11, StackFault = 12,
                          GeneralProtection = 13, PageFault = 14, FloatingPoint = 16,
                          AlignmentCheck = 17, MachineCheck = 18, SimdFloatingPoint = 19,
                          Virtualization = 20, ControlProtection = 21;
inline constexpr unsigned ExceptionCount = 32;

// The legacy PICs are remapped here and masked; only their spurious IRQ 7/15 can still arrive.
inline constexpr unsigned PicBase = 0x20;
inline constexpr unsigned PicSpuriousMaster = PicBase + 7, PicSpuriousSlave = PicBase + 15;
// Device interrupts (IOAPIC lines and MSIs) handed to user-level drivers.
inline constexpr unsigned DeviceFirst = 0x30, DeviceLast = 0xef;
inline constexpr unsigned LocalApicTimer = 0xf0;
inline constexpr unsigned LocalApicSpurious = 0xff;

const char* exception_name(unsigned vector);

} // namespace tessera::x86_64::vector
