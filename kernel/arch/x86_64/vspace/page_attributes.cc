// The PAT MSR, programmed once at boot (seL4's init_pat_msr).
#include "page_attributes.h"

#include "arch/x86_64/io.h"

namespace tessera::x86_64 {

void init_page_attribute_table() { write_msr(msr::Pat, pat_with_write_combining(read_msr(msr::Pat))); }

} // namespace tessera::x86_64
