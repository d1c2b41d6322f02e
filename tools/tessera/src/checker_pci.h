// Checks of <pci_device> elements against each other and the rest of the system.
#pragma once

#include "diagnostics.h"
#include "model.h"

namespace tessera::sdf {

void check_pci_devices(const System& system, Diagnostics& diagnostics);

} // namespace tessera::sdf
