// The system `tessera vm` writes (vm_system.h): a description the ordinary parser and checker
// accept, with the disk's components only when a disk is asked for.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "checker.h"
#include "parser.h"
#include "test_support.h"
#include "vm_system.h"

#include <unistd.h>

namespace tessera::sdf {
namespace {

constexpr uint64_t MiB = 1ull << 20;

// Written as the tool writes it, beside a stand-in bundle (the prefill file must exist), and
// loaded with the description's own checks.
System checked(const VmSystemSpec& spec)
{
    return test::checked_text("linux_vm.system", linux_vm_system(spec),
                              {{spec.bundle_file, "a guest bundle"}});
}

const ProtectionDomain* find(const System& system, const std::string& name)
{
    return test::find_pd(system, name);
}

TEST(VmSystem, WithoutADiskTheVmmSharesTheConsoleOnly)
{
    const System system = checked({128 * MiB, "guest.bundle", {}});
    ASSERT_EQ(system.protection_domains.size(), 3u);
    const ProtectionDomain* vmm = find(system, "vmm");
    ASSERT_NE(vmm, nullptr);
    ASSERT_TRUE(vmm->virtual_machine.has_value());
    EXPECT_EQ(vmm->virtual_machine->vcpus.size(), 1u);
    EXPECT_EQ(find(system, "blk_virt0"), nullptr);
    EXPECT_EQ(system.channels.size(), 3u);
    for (const auto& mr : system.memory_regions)
        if (mr.name == "guest_ram") {
            EXPECT_EQ(mr.size, 128 * MiB);
            EXPECT_EQ(mr.page_size, 2 * MiB);
        }
}

TEST(VmSystem, ADiskAddsTheDriverAndTheVirtualiserWithTheVmmAsItsClient)
{
    for (const bool read_only : {false, true}) {
        const System system = checked({64 * MiB, "guest.bundle", {read_only}});
        EXPECT_EQ(system.protection_domains.size(), 5u);
        EXPECT_EQ(system.channels.size(), 5u);
        const ProtectionDomain* virt = find(system, "blk_virt0");
        ASSERT_NE(virt, nullptr);
        bool partition = false;
        for (const auto& setvar : virt->setvars)
            if (setvar.symbol == "client0_partition") {
                partition = true;
                EXPECT_EQ(setvar.text, read_only ? "disk,ro" : "disk");
            }
        EXPECT_TRUE(partition);
    }
}

// Several disks: a driver and a virtualiser each, disk N on QEMU's N-th virtio-blk device (its own
// MSI-X vector) and on the VMM's channel 3 + N and variables blkN_*, each with its own flag.
TEST(VmSystem, EachDiskHasItsOwnDriverVirtualiserAndVmmChannel)
{
    const System system = checked({64 * MiB, "guest.bundle", {false, true, false}});
    EXPECT_EQ(system.protection_domains.size(), 3u + 2 * 3);
    EXPECT_EQ(system.channels.size(), 3u + 2 * 3);
    for (unsigned i = 0; i < 3; i++) {
        const std::string n = std::to_string(i);
        const ProtectionDomain* driver = find(system, "virtio_blk" + n);
        const ProtectionDomain* virt = find(system, "blk_virt" + n);
        ASSERT_NE(driver, nullptr);
        ASSERT_NE(virt, nullptr);
        for (const auto& setvar : virt->setvars) {
            if (setvar.symbol == "client0_partition") {
                EXPECT_EQ(setvar.text, i == 1 ? "disk,ro" : "disk");
            }
        }
        bool vmm_end = false;
        for (const auto& channel : system.channels)
            vmm_end = vmm_end || (channel.a.pd == "blk_virt" + n && channel.b.pd == "vmm" &&
                                  channel.b.id == 3 + i);
        EXPECT_TRUE(vmm_end) << "disk " << i;
    }
    const ProtectionDomain* vmm = find(system, "vmm");
    ASSERT_NE(vmm, nullptr);
    unsigned disk_variables = 0;
    for (const auto& setvar : vmm->setvars)
        disk_variables += setvar.kind == SetVarKind::Vaddr && setvar.symbol.rfind("blk", 0) == 0;
    EXPECT_EQ(disk_variables, 2u * 3);
    const std::string text = linux_vm_system({64 * MiB, "guest.bundle", {false, false}});
    EXPECT_NE(text.find("pcidev=\"1af4:1042#1\""), std::string::npos);
    EXPECT_NE(text.find("vector=\"21\""), std::string::npos);
}

// --exit-limit: a string setvar of the VMM's (pd_symbols.h exit_storm_limit); none by default.
TEST(VmSystem, AnExitLimitIsTheVmmsStringVariable)
{
    VmSystemSpec spec{64 * MiB, "guest.bundle", {}};
    const ProtectionDomain* vmm = nullptr;
    const System plain = checked(spec);
    vmm = find(plain, "vmm");
    ASSERT_NE(vmm, nullptr);
    for (const auto& setvar : vmm->setvars)
        EXPECT_NE(setvar.symbol, "exit_storm_limit");
    spec.exit_limit = 1000;
    const System limited = checked(spec);
    vmm = find(limited, "vmm");
    ASSERT_NE(vmm, nullptr);
    bool found = false;
    for (const auto& setvar : vmm->setvars) {
        if (setvar.symbol == "exit_storm_limit") {
            found = true;
            EXPECT_EQ(setvar.kind, SetVarKind::String);
            EXPECT_EQ(setvar.text, "1000");
        }
    }
    EXPECT_TRUE(found);
}

TEST(VmSystem, GuestRamIsWholeLargePages)
{
    EXPECT_EQ(vm_guest_ram_bytes(1), 2 * MiB);
    EXPECT_EQ(vm_guest_ram_bytes(2 * MiB), 2 * MiB);
    EXPECT_EQ(vm_guest_ram_bytes(129 * MiB), 130 * MiB);
}

} // namespace
} // namespace tessera::sdf
