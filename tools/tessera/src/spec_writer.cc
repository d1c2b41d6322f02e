// Serialisation of specs and images; the reader in spec/ is its inverse and the tests check
// that round trip.
#include "spec_writer.h"

#include <cstring>

#include "tessera/spec_reader.h"

namespace tessera::sdf {
namespace {

uint64_t align_up(uint64_t value, uint64_t alignment)
{
    return (value + alignment - 1) / alignment * alignment;
}

// memcpy that tolerates empty sources (whose data() may be null).
void copy(uint8_t* to, const void* from, size_t size)
{
    if (size > 0)
        std::memcpy(to, from, size);
}

} // namespace

uint32_t SpecBuilder::string(const std::string& text)
{
    const uint32_t offset = static_cast<uint32_t>(strings_.size());
    strings_ += text;
    strings_.push_back('\0');
    return offset;
}

ObjectId SpecBuilder::create(tessera_object_kind kind, uint32_t size_bits, uint64_t paddr,
                             const std::string& name)
{
    union tessera_spec_op op = blank_op(TESSERA_OP_CREATE_OBJECT);
    op.create_object.object_kind = kind;
    op.create_object.object = objects_;
    op.create_object.size_bits = size_bits;
    op.create_object.paddr = paddr;
    op.create_object.name = name.empty() ? TESSERA_NO_NAME : string(name);
    ops_.push_back(op);
    return ObjectId{objects_++};
}

ObjectId SpecBuilder::create_placed(tessera_object_kind kind, tessera_placement placement, uint64_t paddr,
                                    uint32_t a, uint32_t b, const std::string& name)
{
    const ObjectId id = create(kind, 0, paddr, name);
    auto& op = ops_.back().create_object;
    op.placement = placement;
    if (placement == TESSERA_PLACE_CONTIGUOUS) {
        op.at.run.first = a;
        op.at.run.count = b;
    } else {
        op.at.pci.device = a;
        op.at.pci.bar = b;
    }
    return id;
}

ObjectId SpecBuilder::irq_ioapic(uint32_t ioapic, uint32_t pin, bool level, bool active_low,
                                 uint32_t vector, uint32_t from_device)
{
    union tessera_spec_op op = blank_op(TESSERA_OP_IRQ_GET_IOAPIC);
    op.irq_get_ioapic.handler = objects_;
    op.irq_get_ioapic.ioapic = ioapic;
    op.irq_get_ioapic.pin = pin;
    op.irq_get_ioapic.level = level ? 1 : 0;
    op.irq_get_ioapic.polarity = active_low ? 1 : 0;
    op.irq_get_ioapic.vector = vector;
    op.irq_get_ioapic.from_device = from_device;
    ops_.push_back(op);
    return ObjectId{objects_++};
}

ObjectId SpecBuilder::irq_msi(uint32_t bus, uint32_t device, uint32_t function, uint64_t handle,
                              uint32_t vector, uint32_t from_device)
{
    union tessera_spec_op op = blank_op(TESSERA_OP_IRQ_GET_MSI);
    op.irq_get_msi.handler = objects_;
    op.irq_get_msi.pci_bus = bus;
    op.irq_get_msi.pci_device = device;
    op.irq_get_msi.pci_function = function;
    op.irq_get_msi.handle = handle;
    op.irq_get_msi.vector = vector;
    op.irq_get_msi.from_device = from_device;
    ops_.push_back(op);
    return ObjectId{objects_++};
}

ObjectId SpecBuilder::ioport(uint32_t first_port, uint32_t last_port)
{
    union tessera_spec_op op = blank_op(TESSERA_OP_IOPORT_ISSUE);
    op.ioport_issue.ioport = objects_;
    op.ioport_issue.first_port = first_port;
    op.ioport_issue.last_port = last_port;
    ops_.push_back(op);
    return ObjectId{objects_++};
}

std::vector<uint8_t> SpecBuilder::serialise() const
{
    tessera_spec_header header;
    std::memset(&header, 0, sizeof header);
    std::memcpy(header.magic, TESSERA_SPEC_MAGIC, 8);
    header.version = TESSERA_SPEC_VERSION;
    header.header_size = sizeof header;
    header.ops_offset = sizeof header;
    header.op_count = static_cast<uint32_t>(ops_.size());
    header.object_count = objects_;
    header.strings_offset = header.ops_offset + ops_.size() * sizeof(union tessera_spec_op);
    header.strings_size = strings_.size();
    header.spec_size = header.strings_offset + header.strings_size;

    std::vector<uint8_t> blob(header.spec_size);
    copy(blob.data() + header.ops_offset, ops_.data(), ops_.size() * sizeof ops_[0]);
    copy(blob.data() + header.strings_offset, strings_.data(), strings_.size());
    std::memcpy(blob.data(), &header, sizeof header);
    header.checksum = spec::crc32(blob.data(), blob.size(), offsetof(tessera_spec_header, checksum));
    std::memcpy(blob.data(), &header, sizeof header);
    return blob;
}

std::vector<uint8_t> write_image(const std::vector<ImageBlob>& blobs)
{
    tessera_image_header header;
    std::memset(&header, 0, sizeof header);
    std::memcpy(header.magic, TESSERA_IMAGE_MAGIC, 8);
    header.version = TESSERA_IMAGE_VERSION;
    header.header_size = sizeof header;
    header.entry_size = sizeof(tessera_image_entry);
    header.entry_count = static_cast<uint32_t>(blobs.size());
    header.toc_offset = sizeof header;

    std::vector<tessera_image_entry> entries(blobs.size());
    uint64_t offset = header.toc_offset + blobs.size() * sizeof(tessera_image_entry);
    for (size_t i = 0; i < blobs.size(); ++i) {
        std::memset(&entries[i], 0, sizeof entries[i]);
        offset = align_up(offset, TESSERA_IMAGE_BLOB_ALIGN);
        entries[i].kind = blobs[i].kind;
        entries[i].offset = offset;
        entries[i].size = blobs[i].data.size();
        std::strncpy(entries[i].name, blobs[i].name.c_str(), TESSERA_IMAGE_NAME_BYTES - 1);
        offset += blobs[i].data.size();
    }
    header.image_size = offset;

    std::vector<uint8_t> image(offset);
    copy(image.data() + header.toc_offset, entries.data(),
                entries.size() * sizeof(tessera_image_entry));
    for (size_t i = 0; i < blobs.size(); ++i)
        copy(image.data() + entries[i].offset, blobs[i].data.data(), blobs[i].data.size());
    std::memcpy(image.data(), &header, sizeof header);
    header.checksum =
        spec::crc32(image.data(), image.size(), offsetof(tessera_image_header, checksum));
    std::memcpy(image.data(), &header, sizeof header);
    return image;
}

} // namespace tessera::sdf
