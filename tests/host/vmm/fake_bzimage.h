// Synthetic bzImages for the boot-protocol tests: a setup header with chosen fields and a
// payload of recognisable bytes, so each check can be broken one field at a time.
#pragma once

#include <stdint.h>

#include <vector>

namespace tessera::services::vmm::test {

struct FakeBzImageFields {
    uint8_t setup_sects = 4;
    uint32_t payload_bytes = 64 * 1024; // a multiple of 16 (syssize is in paragraphs)
    uint16_t version = 0x020f;
    uint8_t loadflags = 0x01;
    uint16_t xloadflags = 0x0003;
    uint8_t header_length_byte = 0x6a; // jump displacement: header ends at 0x26c
    uint32_t initrd_addr_max = 0x7fffffff;
    uint32_t kernel_alignment = 0x200000;
    uint8_t relocatable = 1;
    uint32_t cmdline_size = 2047;
    uint64_t pref_address = 0x1000000;
    uint32_t init_size = 8u << 20;
    bool boot_flag = true;
    bool magic = true;
};

// The image: boot sector and setup sectors, then the payload, whose byte i is (i * 7 + 1) & 0xff.
std::vector<uint8_t> make_fake_bzimage(const FakeBzImageFields& fields = {});

uint8_t payload_byte(uint64_t index);

} // namespace tessera::services::vmm::test
