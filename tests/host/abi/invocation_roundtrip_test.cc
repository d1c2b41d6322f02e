// For every invocation in the description: what the libsel4 client stub sends is what the
// kernel decoder unpacks, and pack(unpack(words)) reproduces the words. Client and decoder are
// generated separately from one description, so these tests catch a generator that treats the
// two sides differently.
#include <gtest/gtest.h>

#include "invocation_fake_kernel.h"

#include <tessera/abi/invocation_client_bridge.h>

#include <cstdint>
#include <random>

namespace {

using namespace tessera::abi::invocation;

// Random words with the top bit clear: seL4_X86_VMAttributes is an enum and must stay in range.
std::vector<seL4_Word> random_words(std::mt19937_64& rng, unsigned count)
{
    std::vector<seL4_Word> words(count > 0 ? count : 1);
    for (seL4_Word& w : words) w = rng() >> 1;
    return words;
}

template <class Inv> void check_roundtrip(std::mt19937_64& rng)
{
    for (int trial = 0; trial < 50; ++trial) {
        const std::vector<seL4_Word> words = random_words(rng, Inv::word_count);
        const typename Inv::Args args = Inv::unpack(words.data());
        seL4_Word packed[seL4_MsgMaxLength] = {};
        ASSERT_EQ(Inv::pack(args, packed), Inv::word_count) << Inv::name;
        for (unsigned i = 0; i < Inv::word_count; ++i) {
            EXPECT_EQ(packed[i], words[i] & Inv::word_masks[i]) << Inv::name << " word " << i;
        }
        // Canonical words survive a second trip unchanged.
        seL4_Word again[seL4_MsgMaxLength] = {};
        Inv::pack(Inv::unpack(packed), again);
        for (unsigned i = 0; i < Inv::word_count; ++i) {
            EXPECT_EQ(again[i], packed[i]) << Inv::name << " word " << i;
        }
    }
}

template <class Inv> void check_client_matches_decoder(std::mt19937_64& rng)
{
    for (int trial = 0; trial < 20; ++trial) {
        fake_kernel::reset();
        const std::vector<seL4_Word> words = random_words(rng, Inv::word_count);
        const typename Inv::Args args = Inv::unpack(words.data());
        seL4_CPtr caps[seL4_MsgMaxExtraCaps] = {rng() | 1, rng() | 1, rng() | 1};
        const seL4_CPtr service = rng() | 1;

        const std::vector<seL4_Word> reply_words = random_words(rng, seL4_MsgMaxLength);
        for (unsigned i = 0; i < seL4_MsgMaxLength; ++i) {
            fake_kernel::state.reply.mr[i] = reply_words[i];
        }
        typename Inv::Reply reply{};
        call_client(Inv{}, service, caps, args, reply);

        const fake_kernel::Message& sent = fake_kernel::state.sent;
        ASSERT_EQ(fake_kernel::state.calls, 1u) << Inv::name;
        EXPECT_EQ(sent.dest, service) << Inv::name;
        EXPECT_EQ(seL4_MessageInfo_get_label(sent.tag), Inv::label) << Inv::name;
        EXPECT_EQ(seL4_MessageInfo_get_length(sent.tag), Inv::word_count) << Inv::name;
        EXPECT_EQ(seL4_MessageInfo_get_extraCaps(sent.tag), Inv::cap_count) << Inv::name;
        EXPECT_EQ(seL4_MessageInfo_get_capsUnwrapped(sent.tag), 0u) << Inv::name;
        for (unsigned i = 0; i < Inv::cap_count; ++i) {
            EXPECT_EQ(sent.caps[i], caps[i]) << Inv::name << " cap " << i;
        }
        seL4_Word expected[seL4_MsgMaxLength] = {};
        Inv::pack(args, expected);
        for (unsigned i = 0; i < Inv::word_count; ++i) {
            EXPECT_EQ(sent.mr[i], expected[i]) << Inv::name << " MR" << i;
        }
        // Reply values: what the stub hands back is what the kernel's pack_reply would send.
        seL4_Word reply_packed[seL4_MsgMaxLength] = {};
        Inv::pack_reply(reply, reply_packed);
        const typename Inv::Reply decoded = Inv::unpack_reply(reply_words.data());
        seL4_Word decoded_packed[seL4_MsgMaxLength] = {};
        Inv::pack_reply(decoded, decoded_packed);
        for (unsigned i = 0; i < Inv::reply_word_count; ++i) {
            EXPECT_EQ(reply_packed[i], decoded_packed[i]) << Inv::name << " reply MR" << i;
        }
    }
}

}  // namespace

TEST(InvocationRoundTrip, PackOfUnpackReproducesEveryInvocationsWords)
{
    std::mt19937_64 rng(0x7e55e7a);
    unsigned checked = 0;
    for_each([&]<class Inv>() {
        check_roundtrip<Inv>(rng);
        ++checked;
    });
    EXPECT_EQ(checked, count);
}

TEST(InvocationRoundTrip, ClientStubSendsWhatTheDecoderReadsForEveryInvocation)
{
    std::mt19937_64 rng(0x5e14);
    unsigned checked = 0;
    for_each([&]<class Inv>() {
        check_client_matches_decoder<Inv>(rng);
        ++checked;
    });
    EXPECT_EQ(checked, count);
}

TEST(InvocationRoundTrip, LoneNarrowArgumentKeepsItsWholeWordForRangeChecks)
{
    // seL4 reads a CNode depth as a full word and rejects 65 with a range error; the decoder must
    // not mask it down to a plausible value.
    const seL4_Word words[2] = {0x10, 0x141};
    EXPECT_EQ(CNodeDelete::unpack(words).depth, 0x141u);
    // Packed narrow arguments are extracted by their bit ranges.
    const seL4_Word flags[1] = {0x1ull | (1ull << 1) | (0x5aull << 8) | (1ull << 40)};
    const auto copy = TCBCopyRegisters::unpack(flags);
    EXPECT_EQ(copy.suspend_source, 1u);
    EXPECT_EQ(copy.resume_target, 1u);
    EXPECT_EQ(copy.transfer_frame, 0u);
    EXPECT_EQ(copy.arch_flags, 0x5au);
}
