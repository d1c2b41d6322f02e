#include "device_state.h"

namespace tessera::x86_64 {
namespace {

core::IrqTable table;
core::IssuedPorts ports;

} // namespace

core::IrqTable& irq_table()
{
    return table;
}
core::IssuedPorts& issued_ports()
{
    return ports;
}

} // namespace tessera::x86_64
