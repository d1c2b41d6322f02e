// The 8259A pair's register state (pic_8259.h).
#include "pic_8259.h"

namespace tessera::services::vmm {
namespace {

constexpr uint16_t MasterCommand = 0x20, MasterData = 0x21, SlaveCommand = 0xa0, SlaveData = 0xa1,
                   ElcrMaster = 0x4d0, ElcrSlave = 0x4d1;
constexpr uint8_t Icw1 = 0x10, Icw1NeedsIcw4 = 0x01, Icw1Single = 0x02;
constexpr uint8_t Ocw3 = 0x08, Ocw3ReadRegister = 0x02, Ocw3SelectIsr = 0x01;
// IRQs 0, 1, 2 and 8, 13 are always edge-triggered on a PC: their ELCR bits read 0.
constexpr uint8_t ElcrWritable[2] = {0xf8, 0xde};

} // namespace

bool Pic8259Pair::handles(uint16_t port)
{
    return port == MasterCommand || port == MasterData || port == SlaveCommand ||
           port == SlaveData || port == ElcrMaster || port == ElcrSlave;
}

uint8_t Pic8259Pair::read(uint16_t port) const
{
    switch (port) {
    case MasterData:
        return chips_[0].mask;
    case SlaveData:
        return chips_[1].mask;
    case MasterCommand:
    case SlaveCommand:
        return 0; // IRR and ISR: nothing is ever requested or in service here
    case ElcrMaster:
        return chips_[0].elcr;
    case ElcrSlave:
        return chips_[1].elcr;
    default:
        return 0xff;
    }
}

void Pic8259Pair::write(uint16_t port, uint8_t value)
{
    if (port == ElcrMaster || port == ElcrSlave) {
        unsigned index = port == ElcrSlave ? 1 : 0;
        chips_[index].elcr = value & ElcrWritable[index];
        return;
    }
    Chip& chip = chips_[(port == SlaveCommand || port == SlaveData) ? 1 : 0];
    bool command = port == MasterCommand || port == SlaveCommand;
    if (command) {
        if (value & Icw1) {
            // ICW1 restarts initialisation: mask cleared, ICW2 next (data sheet, "ICW1").
            chip.mask = 0;
            chip.init_step = 2;
            chip.expects_icw4 = (value & Icw1NeedsIcw4) != 0;
            chip.single = (value & Icw1Single) != 0;
            chip.read_isr = false;
        } else if ((value & 0x18) == Ocw3) {
            if (value & Ocw3ReadRegister)
                chip.read_isr = (value & Ocw3SelectIsr) != 0;
        }
        // OCW2 (EOI and rotation) changes nothing: nothing is ever in service.
        return;
    }
    switch (chip.init_step) {
    case 2:
        chip.vector_base = value & 0xf8;
        chip.init_step = chip.single ? (chip.expects_icw4 ? 4 : 0) : 3;
        return;
    case 3:
        chip.init_step = chip.expects_icw4 ? 4 : 0; // ICW3: cascade wiring, fixed on a PC
        return;
    case 4:
        chip.init_step = 0; // ICW4: 8086 mode, auto-EOI; nothing to keep
        return;
    default:
        chip.mask = value; // OCW1
        return;
    }
}

} // namespace tessera::services::vmm
