// CPUID decoding (Intel SDM vol. 2A, CPUID; AMD APM vol. 3, appendix E).
#include "arch/x86_64/cpu_features.h"

#include "kernel/console.h"

namespace tessera::x86_64 {
namespace {

struct CpuidRegs {
    uint32_t eax, ebx, ecx, edx;
};

CpuidRegs cpuid(uint32_t leaf, uint32_t subleaf = 0)
{
    CpuidRegs r;
    asm volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx) : "a"(leaf), "c"(subleaf));
    return r;
}

bool bit(uint32_t word, unsigned index) { return (word >> index) & 1; }

void copy_words(char* out, const uint32_t* words, unsigned count)
{
    for (unsigned i = 0; i < count; i++)
        for (unsigned b = 0; b < 4; b++)
            out[i * 4 + b] = char(words[i] >> (8 * b));
}

CpuFeatures detected;

} // namespace

CpuFeatures detect_cpu_features()
{
    CpuFeatures f{};
    const CpuidRegs leaf0 = cpuid(0);
    const uint32_t vendor_words[3] = {leaf0.ebx, leaf0.edx, leaf0.ecx};
    copy_words(f.vendor, vendor_words, 3);
    f.vendor[12] = '\0';

    const CpuidRegs leaf1 = cpuid(1);
    f.pcid = bit(leaf1.ecx, 17);
    f.x2apic = bit(leaf1.ecx, 21);
    f.tsc_deadline = bit(leaf1.ecx, 24);
    f.vmx = bit(leaf1.ecx, 5);
    f.global_pages = bit(leaf1.edx, 13);

    if (leaf0.eax >= 7) {
        const CpuidRegs leaf7 = cpuid(7, 0);
        f.fsgsbase = bit(leaf7.ebx, 0);
        f.smep = bit(leaf7.ebx, 7);
        f.invpcid = bit(leaf7.ebx, 10);
        f.smap = bit(leaf7.ebx, 20);
    }

    const uint32_t max_extended = cpuid(0x80000000).eax;
    if (max_extended >= 0x80000001) {
        const CpuidRegs ext1 = cpuid(0x80000001);
        f.no_execute = bit(ext1.edx, 20);
        f.huge_pages = bit(ext1.edx, 26);
        f.svm = bit(ext1.ecx, 2);
    }
    if (max_extended >= 0x80000004) {
        for (uint32_t i = 0; i < 3; i++) {
            const CpuidRegs r = cpuid(0x80000002 + i);
            const uint32_t words[4] = {r.eax, r.ebx, r.ecx, r.edx};
            copy_words(f.brand + i * 16, words, 4);
        }
    }
    f.brand[48] = '\0';
    if (max_extended >= 0x80000007)
        f.invariant_tsc = bit(cpuid(0x80000007).edx, 8);
    f.physical_address_bits = max_extended >= 0x80000008 ? uint8_t(cpuid(0x80000008).eax & 0xff) : 36;

    detected = f;
    return f;
}

const CpuFeatures& cpu_features() { return detected; }

void print_cpu_features(const CpuFeatures& f)
{
    const char* brand = f.brand;
    while (*brand == ' ')
        brand++;
    kprintf("cpu: %s \"%s\", %u physical address bits\n", f.vendor, brand, unsigned(f.physical_address_bits));
    struct Named {
        const char* name;
        bool present;
    };
    const Named list[] = {
        {"pcid", f.pcid},         {"invpcid", f.invpcid}, {"fsgsbase", f.fsgsbase},
        {"smep", f.smep},         {"smap", f.smap},       {"x2apic", f.x2apic},
        {"tsc-deadline", f.tsc_deadline}, {"nx", f.no_execute}, {"1g-pages", f.huge_pages},
        {"invariant-tsc", f.invariant_tsc}, {"svm", f.svm}, {"vmx", f.vmx},
    };
    kprintf("cpu features:");
    for (const Named& n : list)
        kprintf(" %s%s", n.present ? "+" : "-", n.name);
    kprintf("\n");
}

} // namespace tessera::x86_64
