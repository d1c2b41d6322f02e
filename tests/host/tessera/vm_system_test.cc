// The system `tessera vm` writes (vm_system.h): a description the ordinary parser and checker
// accept, with the disk's components only when a disk is asked for.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "checker.h"
#include "parser.h"
#include "vm_system.h"

#include <unistd.h>

namespace tessera::sdf {
namespace {

constexpr uint64_t MiB = 1ull << 20;

// Written as the tool writes it, beside a stand-in bundle (the prefill file must exist), and
// loaded with the description's own checks.
System checked(const VmSystemSpec& spec)
{
    const auto directory = std::filesystem::temp_directory_path() /
                           ("tessera-vm-system-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(directory);
    std::ofstream(directory / spec.bundle_file) << "a guest bundle";
    const auto path = (directory / "linux_vm.system").string();
    std::ofstream(path) << linux_vm_system(spec);
    Diagnostics diagnostics(path);
    System system = load_and_check(path, diagnostics, {directory.string()});
    EXPECT_TRUE(diagnostics.empty()) << diagnostics.format_all();
    std::filesystem::remove_all(directory);
    return system;
}

const ProtectionDomain* find(const System& system, const std::string& name)
{
    for (const auto& pd : system.protection_domains)
        if (pd.name == name)
            return &pd;
    return nullptr;
}

TEST(VmSystem, WithoutADiskTheVmmSharesTheConsoleOnly)
{
    const System system = checked({128 * MiB, "guest.bundle", false, false});
    ASSERT_EQ(system.protection_domains.size(), 3u);
    const ProtectionDomain* vmm = find(system, "vmm");
    ASSERT_NE(vmm, nullptr);
    ASSERT_TRUE(vmm->virtual_machine.has_value());
    EXPECT_EQ(vmm->virtual_machine->vcpus.size(), 1u);
    EXPECT_EQ(find(system, "blk_virt"), nullptr);
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
        const System system = checked({64 * MiB, "guest.bundle", true, read_only});
        EXPECT_EQ(system.protection_domains.size(), 5u);
        EXPECT_EQ(system.channels.size(), 5u);
        const ProtectionDomain* virt = find(system, "blk_virt");
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

TEST(VmSystem, GuestRamIsWholeLargePages)
{
    EXPECT_EQ(vm_guest_ram_bytes(1), 2 * MiB);
    EXPECT_EQ(vm_guest_ram_bytes(2 * MiB), 2 * MiB);
    EXPECT_EQ(vm_guest_ram_bytes(129 * MiB), 130 * MiB);
}

} // namespace
} // namespace tessera::sdf
