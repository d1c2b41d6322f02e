// Builds spec blobs and boot images in the format of tessera/spec.h (host only).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "tessera/spec.h"

namespace tessera::sdf {

// An operation of the given kind with every other field zero.
inline union tessera_spec_op blank_op(tessera_op_kind kind)
{
    union tessera_spec_op op;
    std::memset(&op, 0, sizeof op);
    op.kind = kind;
    return op;
}

// An object index in the loader's object table.
enum class ObjectId : uint32_t {};

// A spec under construction: ops in execution order, the string table and the object count.
class SpecBuilder {
public:
    ObjectId create(tessera_object_kind kind, uint32_t size_bits, uint64_t paddr,
                    const std::string& name);
    // A frame with a placement other than the default (tessera_placement): a contiguous run's
    // member (a = run's first object, b = its length) or a PCI BAR page (a = device, b = BAR,
    // paddr = the offset into the BAR).
    ObjectId create_placed(tessera_object_kind kind, tessera_placement placement, uint64_t paddr,
                           uint32_t a, uint32_t b, const std::string& name);
    // from_device: 0, or 1 + the PCI device index whose interrupt this is (the loader fills in
    // the pin or the address at boot).
    ObjectId irq_ioapic(uint32_t ioapic, uint32_t pin, bool level, bool active_low, uint32_t vector,
                        uint32_t from_device = 0);
    ObjectId irq_msi(uint32_t bus, uint32_t device, uint32_t function, uint64_t handle,
                     uint32_t vector, uint32_t from_device = 0);
    uint32_t next_object() const { return objects_; }
    // An I/O port capability for [first_port, last_port].
    ObjectId ioport(uint32_t first_port, uint32_t last_port);
    void add(const union tessera_spec_op& op) { ops_.push_back(op); }
    uint32_t string(const std::string& text);

    const std::vector<union tessera_spec_op>& ops() const { return ops_; }
    const std::string& strings() const { return strings_; }
    uint32_t object_count() const { return objects_; }

    // The blob: header, ops, strings, checksummed.
    std::vector<uint8_t> serialise() const;

private:
    std::vector<union tessera_spec_op> ops_;
    std::string strings_;
    uint32_t objects_ = 0;
};

struct ImageBlob {
    tessera_image_entry_kind kind;
    std::string name; // truncated to fit TESSERA_IMAGE_NAME_BYTES - 1
    std::vector<uint8_t> data;
};

// The boot image: header, table of contents in blob order, aligned blobs, checksummed.
std::vector<uint8_t> write_image(const std::vector<ImageBlob>& blobs);

} // namespace tessera::sdf
