// Decoding MMIO instructions (mmio_decode.h). Encodings from the Intel SDM vol. 2 (2.1 format,
// 2.2.1 REX, table 2-2 ModR/M, 2.1.5 SIB) and the MOV, MOVZX, MOVSX pages.
#include "mmio_decode.h"

namespace tessera::services::vmm {
namespace {

struct Prefixes {
    bool operand_size = false; // 0x66
    uint8_t rex = 0;           // 0x40-0x4f, only when it is the last prefix
    size_t length = 0;
};

libos::Error refuse(const char* why)
{
    return libos::make_error(seL4_InvalidArgument, why);
}

bool rex_w(const Prefixes& p)
{
    return (p.rex & 0x8) != 0;
}
unsigned rex_r(const Prefixes& p)
{
    return (p.rex & 0x4) ? 8 : 0;
}

// Legacy prefixes, then at most one REX immediately before the opcode. LOCK and REP make a MOV
// undefined or a string operation: refused.
libos::Result<Prefixes> read_prefixes(const uint8_t* bytes, size_t count)
{
    Prefixes p;
    while (p.length < count) {
        uint8_t byte = bytes[p.length];
        if (byte == 0x66) {
            p.operand_size = true;
        } else if (byte == 0x67 || byte == 0x2e || byte == 0x36 || byte == 0x3e || byte == 0x26 ||
                   byte == 0x64 || byte == 0x65) {
            // Address size and segment overrides do not change the operand or the length rules.
        } else if (byte == 0xf0 || byte == 0xf2 || byte == 0xf3) {
            return refuse("mmio: LOCK/REP prefixed instruction");
        } else if ((byte & 0xf0) == 0x40) {
            p.rex = byte;
            ++p.length;
            return p; // a REX must be last; the opcode follows
        } else {
            return p;
        }
        ++p.length;
        if (p.length >= MaxInstructionBytes)
            return refuse("mmio: more than 14 prefixes");
    }
    return refuse("mmio: instruction bytes end in its prefixes");
}

// Bytes the ModR/M byte and what follows it (SIB, displacement) occupy, or 0 for a register
// operand (mod 3), which cannot be MMIO.
libos::Result<size_t> modrm_length(const uint8_t* bytes, size_t available)
{
    if (available < 1)
        return refuse("mmio: instruction bytes end before ModR/M");
    uint8_t modrm = bytes[0];
    unsigned mod = modrm >> 6, rm = modrm & 7;
    if (mod == 3)
        return refuse("mmio: register operand, not memory");
    size_t length = 1;
    if (rm == 4) { // SIB follows
        if (available < 2)
            return refuse("mmio: instruction bytes end before SIB");
        ++length;
        if (mod == 0 && (bytes[1] & 7) == 5)
            length += 4; // no base: disp32
    } else if (mod == 0 && rm == 5) {
        length += 4; // RIP-relative disp32
    }
    if (mod == 1)
        length += 1;
    else if (mod == 2)
        length += 4;
    if (length > available)
        return refuse("mmio: instruction bytes end inside its displacement");
    return length;
}

uint64_t read_immediate(const uint8_t* bytes, unsigned size)
{
    uint64_t value = 0;
    for (unsigned i = 0; i < size; ++i)
        value |= static_cast<uint64_t>(bytes[i]) << (8 * i);
    return value;
}

uint64_t sign_extend(uint64_t value, unsigned from_bytes)
{
    if (from_bytes >= 8)
        return value;
    unsigned shift = 64 - 8 * from_bytes;
    return static_cast<uint64_t>(static_cast<int64_t>(value << shift) >> shift);
}

uint64_t size_mask(unsigned bytes)
{
    return bytes >= 8 ? ~0ull : (1ull << (8 * bytes)) - 1;
}

uint8_t operand_size(const Prefixes& p)
{
    return rex_w(p) ? 8 : (p.operand_size ? 2 : 4);
}

// An 8-bit register operand: without REX, encodings 4-7 are AH, CH, DH, BH.
void set_byte_register(MmioAccess& access, const Prefixes& p, unsigned reg_field)
{
    access.reg = static_cast<uint8_t>(reg_field + rex_r(p));
    access.high_byte = p.rex == 0 && reg_field >= 4;
    if (access.high_byte)
        access.reg = static_cast<uint8_t>(reg_field - 4);
}

} // namespace

libos::Result<MmioAccess> decode_mmio(const uint8_t* bytes, size_t count)
{
    if (bytes == nullptr || count == 0)
        return refuse("mmio: no instruction bytes");
    if (count > MaxInstructionBytes)
        count = MaxInstructionBytes;
    auto prefixes = read_prefixes(bytes, count);
    if (!prefixes)
        return prefixes.error();
    const Prefixes& p = prefixes.value();
    size_t at = p.length;
    if (at >= count)
        return refuse("mmio: instruction bytes end before the opcode");

    MmioAccess access{};
    uint8_t opcode = bytes[at++];
    bool two_byte = opcode == 0x0f;
    if (two_byte) {
        if (at >= count)
            return refuse("mmio: instruction bytes end in the opcode");
        opcode = bytes[at++];
    }
    // moffs forms (A0-A3) carry an 8-byte address and no ModR/M.
    if (!two_byte && opcode >= 0xa0 && opcode <= 0xa3) {
        if (count - at < 8)
            return refuse("mmio: instruction bytes end inside its address");
        bool byte_op = (opcode & 1) == 0;
        access.direction = opcode <= 0xa1 ? MmioDirection::Read : MmioDirection::Write;
        access.size = byte_op ? 1 : operand_size(p);
        access.destination_size = access.size;
        access.operand = MmioOperand::Register;
        access.reg = 0;
        access.length = static_cast<uint8_t>(at + 8);
        return access;
    }
    auto modrm = modrm_length(bytes + at, count - at);
    if (!modrm)
        return modrm.error();
    unsigned reg_field = (bytes[at] >> 3) & 7;
    size_t after_modrm = at + modrm.value();

    if (!two_byte && (opcode == 0x88 || opcode == 0x89 || opcode == 0x8a || opcode == 0x8b)) {
        bool byte_op = (opcode & 1) == 0;
        access.direction = opcode <= 0x89 ? MmioDirection::Write : MmioDirection::Read;
        access.operand = MmioOperand::Register;
        access.size = byte_op ? 1 : operand_size(p);
        access.destination_size = access.size;
        if (byte_op)
            set_byte_register(access, p, reg_field);
        else
            access.reg = static_cast<uint8_t>(reg_field + rex_r(p));
        access.length = static_cast<uint8_t>(after_modrm);
        return access;
    }
    if (!two_byte && (opcode == 0xc6 || opcode == 0xc7)) {
        if (reg_field != 0)
            return refuse("mmio: C6/C7 with a /reg other than 0 is not a MOV");
        access.direction = MmioDirection::Write;
        access.operand = MmioOperand::Immediate;
        access.size = opcode == 0xc6 ? 1 : operand_size(p);
        // A 64-bit store takes a 32-bit immediate, sign-extended.
        unsigned immediate_bytes = access.size == 8 ? 4 : access.size;
        if (count - after_modrm < immediate_bytes)
            return refuse("mmio: instruction bytes end inside its immediate");
        access.immediate =
            sign_extend(read_immediate(bytes + after_modrm, immediate_bytes), immediate_bytes) &
            size_mask(access.size);
        access.destination_size = access.size;
        access.length = static_cast<uint8_t>(after_modrm + immediate_bytes);
        return access;
    }
    if (two_byte && (opcode == 0xb6 || opcode == 0xb7 || opcode == 0xbe || opcode == 0xbf)) {
        access.direction = MmioDirection::Read;
        access.operand = MmioOperand::Register;
        access.size = (opcode & 1) ? 2 : 1;
        access.extend = opcode <= 0xb7 ? MmioExtend::Zero : MmioExtend::Sign;
        access.destination_size = operand_size(p);
        access.reg = static_cast<uint8_t>(reg_field + rex_r(p));
        access.length = static_cast<uint8_t>(after_modrm);
        return access;
    }
    return refuse("mmio: not a MOV, MOVZX or MOVSX to or from memory");
}

uint64_t mmio_write_value(const MmioAccess& access, const GuestRegisters& registers)
{
    if (access.operand == MmioOperand::Immediate)
        return access.immediate;
    uint64_t value = registers.gpr[access.reg];
    if (access.high_byte)
        value >>= 8;
    return value & size_mask(access.size);
}

void complete_mmio_read(const MmioAccess& access, uint64_t value, GuestRegisters& registers)
{
    value &= size_mask(access.size);
    uint64_t& target = registers.gpr[access.reg];
    if (access.high_byte) {
        target = (target & ~0xff00ull) | (value << 8);
        return;
    }
    if (access.extend == MmioExtend::Sign)
        value = sign_extend(value, access.size);
    unsigned width = access.destination_size;
    value &= size_mask(width);
    // Writing a 32-bit register zeroes the upper half; 8- and 16-bit writes merge.
    if (width >= 4)
        target = value;
    else
        target = (target & ~size_mask(width)) | value;
}

} // namespace tessera::services::vmm
