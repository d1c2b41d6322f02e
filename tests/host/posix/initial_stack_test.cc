// The stack a Linux program starts on (core/exec/initial_stack): read back as glibc's and musl's
// start code read it — argc at rsp, argv and envp NULL-terminated, the auxiliary vector with
// AT_RANDOM, AT_PHDR, AT_EXECFN and AT_PLATFORM pointing at what they name — and rsp 16-aligned.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "core/exec/initial_stack.h"
#include "linux/constants.h"
#include "test_memory.h"

namespace tessera::posix {
namespace {

constexpr uint64_t StackTop = 0x7ffffffde000;
constexpr uint64_t StackSize = 64 * PageSize;

struct InitialStackTest : ::testing::Test {
    test::TestPool pool{128};
    test::RecordingBackend backend;
    AddressSpace space{pool, backend, backend.create_space().value()};
    uint8_t random[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    ImageFacts image{0x401000, 0x400040, 56, 10, 0};

    void SetUp() override
    {
        auto r = space.map(StackTop - StackSize, StackSize, linux::mman::ProtRead | linux::mman::ProtWrite,
                           false, nullptr, 0, AddressSpace::Placement::Fixed, TagStack);
        ASSERT_TRUE(r.is_ok());
    }
    uint64_t word(uint64_t at)
    {
        uint64_t value = 0;
        EXPECT_TRUE(space.read(at, &value, sizeof value).is_ok());
        return value;
    }
    std::string string_at(uint64_t at)
    {
        char text[512];
        auto r = space.read_string(at, text, sizeof text);
        EXPECT_TRUE(r.is_ok());
        return r ? std::string(text) : std::string();
    }
};

TEST_F(InitialStackTest, ArgcArgvEnvpAndAuxvAreWhereStartCodeLooks)
{
    const char* argv[] = {"busybox", "echo", "hello"};
    const char* envp[] = {"PATH=/bin", "HOME=/"};
    auto built = build_initial_stack(space, StackTop, {argv, 3}, {envp, 2}, "/bin/busybox", image,
                                     Credentials{1, 2, 3, 4}, random);
    ASSERT_TRUE(built.is_ok());
    const uint64_t sp = built.value().stack_pointer;
    EXPECT_EQ(sp % 16, 0u);
    EXPECT_LT(sp, StackTop);
    EXPECT_EQ(word(sp), 3u);
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(string_at(word(sp + 8 + 8 * i)), argv[i]);
    EXPECT_EQ(word(sp + 8 + 8 * 3), 0u);
    const uint64_t envp_at = sp + 8 + 8 * 4;
    EXPECT_EQ(string_at(word(envp_at)), envp[0]);
    EXPECT_EQ(string_at(word(envp_at + 8)), envp[1]);
    EXPECT_EQ(word(envp_at + 16), 0u);

    std::map<uint64_t, uint64_t> aux;
    uint64_t at = envp_at + 24;
    for (int n = 0; n < 64; ++n, at += 16) {
        const uint64_t type = word(at);
        aux[type] = word(at + 8);
        if (type == linux::auxv::Null)
            break;
    }
    ASSERT_EQ(aux.count(linux::auxv::Null), 1u);
    EXPECT_EQ(aux[linux::auxv::PageSize], PageSize);
    EXPECT_EQ(aux[linux::auxv::Entry], 0x401000u);
    EXPECT_EQ(aux[linux::auxv::Phdr], 0x400040u);
    EXPECT_EQ(aux[linux::auxv::Phent], 56u);
    EXPECT_EQ(aux[linux::auxv::Phnum], 10u);
    EXPECT_EQ(aux[linux::auxv::Uid], 1u);
    EXPECT_EQ(aux[linux::auxv::Egid], 4u);
    EXPECT_EQ(aux[linux::auxv::Secure], 0u);
    EXPECT_EQ(string_at(aux[linux::auxv::ExecFn]), "/bin/busybox");
    EXPECT_EQ(string_at(aux[linux::auxv::Platform]), "x86_64");
    uint8_t seen[16];
    ASSERT_TRUE(space.read(aux[linux::auxv::Random], seen, 16).is_ok());
    EXPECT_EQ(memcmp(seen, random, 16), 0);
    // Everything lies between rsp and the top of the stack.
    for (uint64_t type : {linux::auxv::Random, linux::auxv::ExecFn, linux::auxv::Platform}) {
        EXPECT_GT(aux[type], sp) << type;
        EXPECT_LT(aux[type], StackTop) << type;
    }
}

TEST_F(InitialStackTest, StackStaysAlignedForEveryArgumentCount)
{
    const char* argv[] = {"a", "bb", "ccc", "dddd", "eeeee"};
    for (size_t count = 0; count <= 5; ++count) {
        for (size_t env = 0; env <= 2; ++env) {
            const char* envp[] = {"X=1", "YY=22"};
            auto built = build_initial_stack(space, StackTop, {argv, count}, {envp, env}, "f", image, {},
                                             random);
            ASSERT_TRUE(built.is_ok());
            EXPECT_EQ(built.value().stack_pointer % 16, 0u) << count << " " << env;
            EXPECT_EQ(word(built.value().stack_pointer), count);
        }
    }
}

TEST_F(InitialStackTest, ArgumentsBeyondLinuxLimitsAreE2big)
{
    std::string huge(MaxArgumentString + 1, 'x');
    const char* one[] = {huge.c_str()};
    EXPECT_EQ(build_initial_stack(space, StackTop, {one, 1}, {}, "f", image, {}, random).error(),
              Errno::TooBig);
    std::string big(MaxArgumentString - 1, 'y');
    std::vector<const char*> many(8, big.c_str());
    EXPECT_EQ(build_initial_stack(space, StackTop, {many.data(), many.size()}, {}, "f", image, {}, random)
                  .error(),
              Errno::TooBig);
}

TEST_F(InitialStackTest, AStackTooSmallIsEfaultNotACrash)
{
    test::TestPool small_pool{4};
    test::RecordingBackend b;
    AddressSpace small{small_pool, b, b.create_space().value()};
    ASSERT_TRUE(small.map(StackTop - PageSize, PageSize, linux::mman::ProtRead | linux::mman::ProtWrite, false,
                          nullptr, 0, AddressSpace::Placement::Fixed).is_ok());
    std::string long_arg(3 * PageSize, 'z');
    const char* argv[] = {long_arg.c_str()};
    EXPECT_EQ(build_initial_stack(small, StackTop, {argv, 1}, {}, "f", image, {}, random).error(),
              Errno::Fault);
    small.clear();
}

} // namespace
} // namespace tessera::posix
