// The system `tessera linux --disk` writes (linux_system.h): a description the ordinary parser and
// checker accept, in which the POSIX server is a PD with a manager's resources, its clock's
// devices, and the ext2 service's client 1, and every call goes to a higher priority.
#include <gtest/gtest.h>

#include "linux_system.h"
#include "model.h"
#include "test_support.h"

namespace tessera::sdf {
namespace {

System checked(const LinuxSystemSpec& spec)
{
    return test::checked_text("linux.system", linux_disk_system(spec));
}

const ProtectionDomain* find(const System& system, const std::string& name)
{
    return test::find_pd(system, name);
}

const SetVar* setvar(const ProtectionDomain& pd, const std::string& symbol)
{
    for (const auto& variable : pd.setvars)
        if (variable.symbol == symbol)
            return &variable;
    return nullptr;
}

TEST(LinuxSystem, TheServerIsAManagerPdAndTheExt2ServicesClient)
{
    const System system = checked({});
    ASSERT_EQ(system.protection_domains.size(), 4u);
    const ProtectionDomain* server = find(system, "posix");
    const ProtectionDomain* ext2 = find(system, "ext2");
    ASSERT_NE(server, nullptr);
    ASSERT_NE(ext2, nullptr);
    ASSERT_NE(find(system, "blk_virt"), nullptr);
    ASSERT_NE(find(system, "virtio_blk"), nullptr);
    EXPECT_EQ(server->program_image, "posix_server_pd.elf");
    // The manager's slots (2^16: every page a process maps costs one) and the clock's devices.
    EXPECT_EQ(server->manager_cnode_bits, 16u);
    EXPECT_EQ(server->irqs.size(), 1u);
    EXPECT_EQ(server->ioports.size(), 2u);
    ASSERT_NE(setvar(*server, "posix_fs_channel"), nullptr);
    EXPECT_EQ(setvar(*server, "posix_fs_channel")->text, "1");
    // Calls go up: server -> ext2 -> block virtualiser -> driver; the processes (100) below all.
    EXPECT_GT(server->priority, 100u);
    EXPECT_GT(ext2->priority, server->priority);
    EXPECT_GT(find(system, "blk_virt")->priority, ext2->priority);
    EXPECT_EQ(system.channels.size(), 3u);
}

TEST(LinuxSystem, NamesTheServerProgramItIsGiven)
{
    LinuxSystemSpec spec;
    spec.server_program = "posix_corpus_pd.elf";
    spec.server_ram_bytes = 64ull << 20;
    const std::string text = linux_disk_system(spec);
    EXPECT_NE(text.find("path=\"posix_corpus_pd.elf\""), std::string::npos);
    EXPECT_NE(text.find("ram=\"64M\""), std::string::npos);
}

} // namespace
} // namespace tessera::sdf
