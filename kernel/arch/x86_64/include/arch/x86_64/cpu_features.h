// What the boot CPU offers, read once from CPUID. Every optional feature is used where present
// and never required (DESIGN.md decision 5).
#pragma once

#include <cstdint>

namespace tessera::x86_64 {

struct CpuFeatures {
    char vendor[13];
    char brand[49];
    bool pcid;
    bool invpcid;
    bool fsgsbase;
    bool smep;
    bool smap;
    bool x2apic;
    bool tsc_deadline;
    bool no_execute;
    bool huge_pages; // 1 GiB pages
    bool global_pages;
    bool invariant_tsc;
    bool svm;
    bool vmx;
    uint8_t physical_address_bits;
};

CpuFeatures detect_cpu_features();
void print_cpu_features(const CpuFeatures& features);

// The features detected at boot; valid after detect_cpu_features() ran in kernel_main.
const CpuFeatures& cpu_features();

} // namespace tessera::x86_64
