// The translation tests of the tiny-guest suite (translation_tests.cc): guests' translations
// never mix, and a nested page table's changes are seen at the next entry.
#pragma once

#include <sel4/sel4.h>
#include <stdint.h>

namespace vmm_suite {

// `code` is the tiny guest, copied to GuestBase in each new guest; `probe_rip` is where its
// probe loop (tiny_guest_probe) lies there.
void translation_tests(const uint8_t* code, seL4_Word code_size, seL4_Word probe_rip);

} // namespace vmm_suite
