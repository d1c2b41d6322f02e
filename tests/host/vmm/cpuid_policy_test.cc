// The guest's CPUID and MSRs: what is hidden, what is set, the ranges, and the MSR answers,
// against a host table shaped like QEMU's `-cpu max` on AMD.
#include "cpuid_policy.h"

#include "acpi_tables.h"

#include <gtest/gtest.h>

#include <map>
#include <string.h>
#include <string>
#include <utility>

namespace tessera::services::vmm {
namespace {

struct TableHost final : HostCpuid {
    std::map<std::pair<uint32_t, uint32_t>, CpuidRegisters> leaves;
    mutable unsigned queries = 0;
    CpuidRegisters query(uint32_t leaf, uint32_t subleaf) const override
    {
        ++queries;
        auto found = leaves.find({leaf, subleaf});
        return found == leaves.end() ? CpuidRegisters{0, 0, 0, 0} : found->second;
    }
};

struct CpuidFixture : ::testing::Test {
    TableHost host;
    CpuidPolicy policy{2, false};
    CpuidFixture()
    {
        host.leaves[{0, 0}] = {0x1f, 0x68747541, 0x444d4163, 0x69746e65}; // AuthenticAMD
        host.leaves[{1, 0}] = {0x00a20f10, 0x00040800, 0xfffa3223 | (1u << 21) | (1u << 24),
                               0x178bfbff | (1u << 28)};
        host.leaves[{5, 0}] = {0x40, 0x40, 3, 0};
        host.leaves[{7, 0}] = {0, 0x219c07ab, 0x0040069c | (1u << 5), 0};
        host.leaves[{0xb, 0}] = {1, 1, 0x100, 0};
        host.leaves[{0x1f, 0}] = {1, 1, 0x100, 0};
        host.leaves[{0x80000000, 0}] = {0x8000001f, 0, 0, 0};
        host.leaves[{0x80000001, 0}] = {0, 0, 0x00c003f7, 0x2fd3fbff};
        host.leaves[{0x80000008, 0}] = {0x3030, 0, 0x0000f007, 0};
        host.leaves[{0x8000000a, 0}] = {1, 0x10, 0, 0x1000};
    }
    CpuidRegisters cpuid(uint32_t leaf, uint32_t subleaf = 0)
    {
        return guest_cpuid(policy, host, leaf, subleaf);
    }
};

TEST_F(CpuidFixture, KeepsTheVendorAndCapsTheBasicRange)
{
    CpuidRegisters zero = cpuid(0);
    EXPECT_EQ(zero.eax, 0x0du);
    EXPECT_EQ(zero.ebx, 0x68747541u);
    EXPECT_EQ(cpuid(0x1f), (CpuidRegisters{0, 0, 0, 0}));
    EXPECT_EQ(cpuid(0xb), (CpuidRegisters{0, 0, 0, 0}));
}

TEST_F(CpuidFixture, HidesWhatIsNotVirtualisedAndSaysItIsAGuest)
{
    CpuidRegisters one = cpuid(1);
    EXPECT_EQ(one.eax, 0x00a20f10u);
    EXPECT_EQ(one.ebx >> 24, 2u);          // APIC ID
    EXPECT_EQ((one.ebx >> 16) & 0xff, 1u); // one logical processor
    EXPECT_EQ(one.ebx & 0xffff, 0x0800u);  // CLFLUSH line size kept
    EXPECT_EQ(one.ecx & (1u << 21), 0u);   // x2APIC
    EXPECT_EQ(one.ecx & (1u << 24), 0u);   // TSC deadline
    EXPECT_EQ(one.ecx & (1u << 3), 0u);    // MONITOR
    EXPECT_NE(one.ecx & (1u << 31), 0u);   // hypervisor
    EXPECT_NE(one.ecx & (1u << 0), 0u);    // SSE3 kept
    EXPECT_EQ(one.edx & (1u << 28), 0u);   // HTT
    EXPECT_EQ(one.edx & (1u << 12), 0u);   // MTRR
    EXPECT_EQ(one.edx & (1u << 7), 0u);    // MCE
    EXPECT_EQ(one.edx & (1u << 14), 0u);   // MCA
    EXPECT_NE(one.edx & (1u << 4), 0u);    // TSC kept
    EXPECT_EQ(cpuid(5), (CpuidRegisters{0, 0, 0, 0}));
    EXPECT_EQ(cpuid(7).ecx & (1u << 5), 0u);           // WAITPKG
    EXPECT_EQ(cpuid(7).ecx & (1u << 16), 0u);          // LA57: 4-level paging only
    EXPECT_EQ(cpuid(7).ecx & (1u << 22), 0u);          // RDPID: TSC_AUX is not switched
    EXPECT_EQ(cpuid(7).ebx, 0x219c07abu & ~(1u << 5)); // all but AVX2 kept
}

// XCR0 is not switched (the kernel saves FXSAVE state only), so nothing XSAVE-managed is offered.
TEST_F(CpuidFixture, HidesXsaveAndEveryAvxFeature)
{
    host.leaves[{1, 0}].ecx |= (1u << 12) | (1u << 26) | (1u << 28) | (1u << 29);
    host.leaves[{7, 0}] = {0, 0xffffffff, 0xffffffff, 0xffffffff};
    host.leaves[{7, 1}] = {0x30, 0, 0, 0};
    host.leaves[{0xd, 0}] = {7, 0x340, 0x340, 0};
    host.leaves[{0x80000001, 0}].ecx |= (1u << 11) | (1u << 16);
    const CpuidRegisters one = cpuid(1);
    EXPECT_EQ(one.ecx & ((1u << 12) | (1u << 26) | (1u << 27) | (1u << 28) | (1u << 29)), 0u);
    EXPECT_NE(one.ecx & (1u << 19), 0u); // SSE4.1 kept
    const CpuidRegisters seven = cpuid(7);
    EXPECT_EQ(seven.ebx & ((1u << 5) | (1u << 16) | (1u << 31)), 0u); // AVX2, AVX-512F, AVX-512VL
    EXPECT_NE(seven.ebx & (1u << 3), 0u);                             // BMI1 kept
    EXPECT_EQ(seven.ecx & ((1u << 3) | (1u << 4)), 0u);               // PKU, OSPKE
    EXPECT_EQ(seven.edx & (1u << 24), 0u);                            // AMX tiles
    EXPECT_EQ(cpuid(7, 1).eax & 0x30, 0u);                            // AVX-VNNI, AVX512_BF16
    EXPECT_EQ(cpuid(0xd), (CpuidRegisters{0, 0, 0, 0}));
    EXPECT_EQ(cpuid(0x80000001).ecx & ((1u << 11) | (1u << 16)), 0u); // XOP, FMA4
}

TEST_F(CpuidFixture, MirrorsTheGuestsOsxsave)
{
    host.leaves[{1, 0}].ecx |= 1u << 27; // the host's own CR4.OSXSAVE must not leak
    EXPECT_EQ(cpuid(1).ecx & (1u << 27), 0u);
    policy.guest_osxsave = true;
    EXPECT_NE(cpuid(1).ecx & (1u << 27), 0u);
}

TEST_F(CpuidFixture, HidesSvmAndCapsTheExtendedRange)
{
    EXPECT_EQ(cpuid(0x80000000).eax, 0x80000008u);
    CpuidRegisters ext = cpuid(0x80000001);
    EXPECT_EQ(ext.ecx & (1u << 2), 0u);  // SVM: no nested virtualisation
    EXPECT_EQ(ext.ecx & (1u << 1), 0u);  // CmpLegacy
    EXPECT_NE(ext.edx & (1u << 29), 0u); // long mode kept
    EXPECT_EQ(ext.edx & (1u << 27), 0u); // RDTSCP: TSC_AUX is not switched
    EXPECT_EQ(cpuid(0x8000000a), (CpuidRegisters{0, 0, 0, 0}));
    EXPECT_EQ(cpuid(0x80000008).ecx & 0xff, 0u);
    EXPECT_EQ(cpuid(0x80000008).eax, 0x3030u); // address sizes kept
}

TEST_F(CpuidFixture, AnswersTheHypervisorLeafWithoutAskingTheHost)
{
    unsigned before = host.queries;
    CpuidRegisters leaf = cpuid(HypervisorLeaf);
    EXPECT_EQ(host.queries, before);
    char vendor[13] = {};
    memcpy(vendor, &leaf.ebx, 4);
    memcpy(vendor + 4, &leaf.ecx, 4);
    memcpy(vendor + 8, &leaf.edx, 4);
    EXPECT_EQ(std::string(vendor), "TesseraVMM");
    EXPECT_EQ(cpuid(HypervisorLeaf + 1), (CpuidRegisters{0, 0, 0, 0}));
}

TEST(GuestMsr, ReadsTheApicBaseOfTheBootCpuAndOthers)
{
    EXPECT_EQ(guest_read_msr(0x1b, 0).value, LocalApicAddress | (1u << 11) | (1u << 8));
    EXPECT_EQ(guest_read_msr(0x1b, 1).value, LocalApicAddress | (1u << 11));
    EXPECT_EQ(guest_read_msr(0xfe, 0).value, 0u); // no MTRRs
    // AMD's interrupt pending register, read unguarded by Linux's erratum 400 check: no C1E.
    EXPECT_EQ(guest_read_msr(0xc0010055, 0).outcome, MsrOutcome::Done);
    EXPECT_EQ(guest_read_msr(0xc0010055, 0).value, 0u);
}

TEST(GuestMsr, InjectsGpForUnknownMsrsAndForbiddenWrites)
{
    EXPECT_EQ(guest_read_msr(0xc0011029, 0).outcome, MsrOutcome::InjectGp);
    EXPECT_EQ(guest_read_msr(0x6e0, 0).outcome, MsrOutcome::InjectGp); // TSC deadline
    EXPECT_EQ(guest_write_msr(0x1b, 0), MsrOutcome::InjectGp);         // disabling the APIC
    EXPECT_EQ(guest_write_msr(0x1b, 0xfed00000 | (1u << 11)), MsrOutcome::InjectGp);
    EXPECT_EQ(guest_write_msr(0x1b, LocalApicAddress | (1u << 11) | (1u << 8)), MsrOutcome::Done);
    EXPECT_EQ(guest_write_msr(0xfe, 1), MsrOutcome::InjectGp); // read-only
    EXPECT_EQ(guest_write_msr(0x200, 6), MsrOutcome::Done);    // MTRR writes dropped
    EXPECT_EQ(guest_write_msr(0xc0010020, 0), MsrOutcome::Done);
}

} // namespace
} // namespace tessera::services::vmm
