// Decoding MMIO instructions: each form Linux's readX/writeX compile to, with its operand, size,
// extension and length (byte sequences as GNU as 2.40 encodes them), the register file after a
// read, and refusal of everything else, including bytes that end mid-instruction.
#include "mmio_decode.h"

#include <gtest/gtest.h>

#include <vector>

namespace tessera::services::vmm {
namespace {

constexpr uint8_t Rax = 0, Rcx = 1, Rbx = 3, Rsi = 6, R8 = 8, R9 = 9, R15 = 15;

MmioAccess decode(std::vector<uint8_t> bytes)
{
    auto access = decode_mmio(bytes.data(), bytes.size());
    EXPECT_TRUE(access) << access.error().what;
    return access ? access.value() : MmioAccess{};
}

void expect_access(const MmioAccess& a, MmioDirection direction, unsigned size, unsigned reg,
                   unsigned length)
{
    EXPECT_EQ(a.direction, direction);
    EXPECT_EQ(a.size, size);
    EXPECT_EQ(a.reg, reg);
    EXPECT_EQ(a.length, length);
}

TEST(MmioDecode, DecodesRegisterMovesOfEverySize)
{
    expect_access(decode({0x8b, 0x07}), MmioDirection::Read, 4, Rax, 2);
    expect_access(decode({0x89, 0x07}), MmioDirection::Write, 4, Rax, 2);
    expect_access(decode({0x48, 0x8b, 0x47, 0x08}), MmioDirection::Read, 8, Rax, 4);
    expect_access(decode({0x66, 0x89, 0x07}), MmioDirection::Write, 2, Rax, 3);
    expect_access(decode({0x88, 0x07}), MmioDirection::Write, 1, Rax, 2);
    expect_access(decode({0x44, 0x8b, 0x07}), MmioDirection::Read, 4, R8, 3);
    expect_access(decode({0x4c, 0x89, 0x7b, 0x10}), MmioDirection::Write, 8, R15, 4);
    expect_access(decode({0x64, 0x89, 0x07}), MmioDirection::Write, 4, Rax, 3);
}

TEST(MmioDecode, TellsHighByteRegistersFromRexByteRegisters)
{
    MmioAccess ah = decode({0x8a, 0x27}); // mov (%rdi),%ah
    EXPECT_TRUE(ah.high_byte);
    EXPECT_EQ(ah.reg, Rax);
    MmioAccess sil = decode({0x40, 0x8a, 0x37}); // mov (%rdi),%sil
    EXPECT_FALSE(sil.high_byte);
    EXPECT_EQ(sil.reg, Rsi);
}

TEST(MmioDecode, CountsEveryAddressingModesLength)
{
    EXPECT_EQ(decode({0x8b, 0x87, 0x00, 0x03, 0x00, 0x00}).length, 6);       // disp32
    EXPECT_EQ(decode({0x8b, 0x04, 0x25, 0x00, 0x03, 0xe0, 0xfe}).length, 7); // SIB, no base
    EXPECT_EQ(decode({0x8b, 0x05, 0x00, 0x01, 0x00, 0x00}).length, 6);       // RIP-relative
    EXPECT_EQ(decode({0x8b, 0x44, 0x24, 0x08}).length, 4);                   // SIB + disp8
    MmioAccess moffs = decode({0xa1, 0x00, 0x03, 0xe0, 0xfe, 0x00, 0x00, 0x00, 0x00});
    expect_access(moffs, MmioDirection::Read, 4, Rax, 9);
    MmioAccess store = decode({0x48, 0xa3, 0x00, 0x00, 0xc0, 0xfe, 0x00, 0x00, 0x00, 0x00});
    expect_access(store, MmioDirection::Write, 8, Rax, 10);
}

TEST(MmioDecode, DecodesImmediateStoresWithSignExtension)
{
    MmioAccess l = decode({0xc7, 0x07, 0x78, 0x56, 0x34, 0x12});
    EXPECT_EQ(l.operand, MmioOperand::Immediate);
    EXPECT_EQ(l.immediate, 0x12345678u);
    EXPECT_EQ(l.length, 6);
    MmioAccess b = decode({0xc6, 0x07, 0xab});
    EXPECT_EQ(b.size, 1);
    EXPECT_EQ(b.immediate, 0xabu);
    MmioAccess w = decode({0x66, 0xc7, 0x07, 0x34, 0x12});
    EXPECT_EQ(w.size, 2);
    EXPECT_EQ(w.immediate, 0x1234u);
    EXPECT_EQ(w.length, 5);
    MmioAccess q = decode({0x48, 0xc7, 0x07, 0xff, 0xff, 0xff, 0xff});
    EXPECT_EQ(q.size, 8);
    EXPECT_EQ(q.immediate, ~0ull);
    EXPECT_EQ(q.length, 7);
    GuestRegisters registers{};
    EXPECT_EQ(mmio_write_value(q, registers), ~0ull);
}

TEST(MmioDecode, DecodesZeroAndSignExtendingLoads)
{
    MmioAccess zb = decode({0x0f, 0xb6, 0x07});
    EXPECT_EQ(zb.extend, MmioExtend::Zero);
    EXPECT_EQ(zb.size, 1);
    EXPECT_EQ(zb.destination_size, 4);
    MmioAccess sq = decode({0x48, 0x0f, 0xbe, 0x07});
    EXPECT_EQ(sq.extend, MmioExtend::Sign);
    EXPECT_EQ(sq.destination_size, 8);
    MmioAccess sw = decode({0x0f, 0xbf, 0x4f, 0x04});
    expect_access(sw, MmioDirection::Read, 2, Rcx, 4);
    MmioAccess zw = decode({0x66, 0x44, 0x0f, 0xb6, 0x0f}); // movzbw (%rdi),%r9w
    EXPECT_EQ(zw.reg, R9);
    EXPECT_EQ(zw.destination_size, 2);
    EXPECT_EQ(zw.length, 5);
}

TEST(MmioDecode, CompletesReadsAsTheCpuWould)
{
    GuestRegisters r{};
    r.gpr[Rax] = 0x1111111111111111;
    complete_mmio_read(decode({0x8b, 0x07}), 0xaabbccdd, r); // 32-bit: upper half zeroed
    EXPECT_EQ(r.gpr[Rax], 0xaabbccddu);
    r.gpr[Rax] = 0x1111111111111111;
    complete_mmio_read(decode({0x66, 0x8b, 0x07}), 0xbeef, r); // 16-bit: merged
    EXPECT_EQ(r.gpr[Rax], 0x111111111111beefu);
    complete_mmio_read(decode({0x8a, 0x27}), 0x5a, r); // AH
    EXPECT_EQ(r.gpr[Rax], 0x1111111111115aefu);
    r.gpr[Rcx] = ~0ull;
    complete_mmio_read(decode({0x0f, 0xbf, 0x4f, 0x04}), 0x8001, r); // movswl: sign, 32-bit
    EXPECT_EQ(r.gpr[Rcx], 0xffff8001u);
    complete_mmio_read(decode({0x48, 0x0f, 0xbe, 0x07}), 0x80, r); // movsbq into RAX
    EXPECT_EQ(r.gpr[Rax], 0xffffffffffffff80u);
    r.gpr[Rbx] = 0;
    complete_mmio_read(decode({0x48, 0x8b, 0x1f}), 0x0123456789abcdef, r);
    EXPECT_EQ(r.gpr[Rbx], 0x0123456789abcdefu);
}

TEST(MmioDecode, WritesTakeOnlyTheOperandsBytes)
{
    GuestRegisters r{};
    r.gpr[Rax] = 0x1122334455667788;
    EXPECT_EQ(mmio_write_value(decode({0x89, 0x07}), r), 0x55667788u);
    EXPECT_EQ(mmio_write_value(decode({0x66, 0x89, 0x07}), r), 0x7788u);
    EXPECT_EQ(mmio_write_value(decode({0x88, 0x27}), r), 0x77u); // mov %ah,(%rdi)
    r.gpr[R15] = 42;
    EXPECT_EQ(mmio_write_value(decode({0x4c, 0x89, 0x7b, 0x10}), r), 42u);
}

TEST(MmioDecode, RefusesWhatIsNotAnMmioMove)
{
    const std::vector<std::vector<uint8_t>> refused = {
        {0x89, 0xc0},             // mov %eax,%eax: no memory operand
        {0xf3, 0xa5},             // rep movsl
        {0xf0, 0x89, 0x07},       // lock mov: #UD
        {0xc7, 0x0f, 1, 2, 3, 4}, // C7 /1: not a MOV
        {0x0f, 0x01, 0xd8},       // vmrun
        {0x87, 0x07},             // xchg (not supported yet)
        {0x90},                   // nop
        {},
    };
    for (const auto& bytes : refused) {
        auto access = decode_mmio(bytes.data(), bytes.size());
        EXPECT_FALSE(access) << "accepted " << bytes.size() << " bytes starting "
                             << (bytes.empty() ? -1 : int(bytes[0]));
        if (!access) {
            EXPECT_EQ(access.error().code, seL4_InvalidArgument);
        }
    }
    std::vector<uint8_t> prefixes(15, 0x66);
    EXPECT_FALSE(decode_mmio(prefixes.data(), prefixes.size()));
}

TEST(MmioDecode, RefusesEveryTruncationOfAValidInstruction)
{
    const std::vector<std::vector<uint8_t>> valid = {
        {0x8b, 0x87, 0x00, 0x03, 0x00, 0x00},
        {0x8b, 0x04, 0x25, 0x00, 0x03, 0xe0, 0xfe},
        {0x48, 0xc7, 0x07, 0xff, 0xff, 0xff, 0xff},
        {0x66, 0x44, 0x0f, 0xb6, 0x0f},
        {0xa1, 0x00, 0x03, 0xe0, 0xfe, 0x00, 0x00, 0x00, 0x00},
    };
    for (const auto& bytes : valid) {
        EXPECT_TRUE(decode_mmio(bytes.data(), bytes.size()));
        for (size_t length = 0; length < bytes.size(); ++length) {
            // Exact-size copies, so that AddressSanitizer catches a read past the end.
            std::vector<uint8_t> prefix(bytes.begin(), bytes.begin() + length);
            prefix.shrink_to_fit();
            EXPECT_FALSE(decode_mmio(prefix.empty() ? nullptr : prefix.data(), length))
                << length << " of " << bytes.size();
        }
    }
}

} // namespace
} // namespace tessera::services::vmm
