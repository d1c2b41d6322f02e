// The Microkit front end: the tessera tool answering seL4 Microkit 2.3.0's command line, as
// bin/microkit of the SDK (`make sdk`, docs/microkit.md).
#pragma once

namespace tessera::sdf {

// `microkit SYSTEM --board BOARD --config CONFIG [--search-path DIR ...] [-o IMAGE]
// [-r REPORT] ...`: builds IMAGE (the loader with the system inside, Microkit's initial task)
// and writes the kernel beside it as sel4.elf and sel4_32.elf. `microkit gen SYSTEM -o DIR`
// writes the headers of SYSTEM's interfaces (gen.h). Returns the exit status.
int microkit_main(int argc, char** argv);

} // namespace tessera::sdf
