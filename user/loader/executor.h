// Executes the operations of a validated spec with seL4 invocations: retypes every object from
// untyped memory into the loader's CSpace, builds the address spaces, fills and maps frames,
// claims interrupts, fills the protection domains' CSpaces and configures and starts threads.
#pragma once

#include <sel4/sel4.h>
#include <tessera/spec_reader.h>
#include <tessera/vspace/vspace.h>

namespace tessera::loader {

using libos::CPtr;
using libos::Result;
using libos::VAddr;

// One object the spec created: where the loader holds its capability.
struct LoaderObject {
    CPtr cap = libos::NullCap;
    uint8_t kind = 0;      // enum tessera_object_kind
    uint8_t size_bits = 0; // CNodes: log2(slots)
    bool mapped = false;   // frames: the capability in `cap` is in use by a mapping
};

class Executor {
public:
    // `objects` allocates slots and untyped memory; `self` is the loader's own address space, in
    // which `window` (one reserved page) shows a frame while FILL_FRAME copies into it.
    Executor(const spec::ImageView& image, alloc::ObjectAllocator& objects, vspace::VSpace& self,
             VAddr window);

    // Reserves the object table and the table of extra capabilities; NotEnoughMemory when the
    // heap cannot hold them.
    Result<void> prepare();

    // Executes ops [begin, end). On failure, failed_op() is the op that failed and the error says
    // what the kernel refused; ops before it stay done.
    Result<void> run(uint32_t begin, uint32_t end);
    Result<void> run_all() { return run(0, image_.spec().op_count()); }

    uint32_t failed_op() const { return failed_op_; }
    uint32_t object_count() const { return created_; }
    const LoaderObject& object(uint32_t index) const { return objects_table_[index]; }
    // Copies of frame capabilities made because a frame is mapped more than once (a shared
    // memory region): each mapping needs a capability of its own.
    uint32_t extra_count() const { return extra_count_; }
    CPtr extra(uint32_t index) const { return extras_[index]; }
    // The first op that configures or starts a thread (op_count when there is none).
    uint32_t first_thread_op() const;

private:
    Result<void> execute(const union tessera_spec_op& op);
    Result<void> create_object(const struct tessera_op_create_object& op);
    Result<void> map_table(const struct tessera_op_map_table& op);
    Result<void> fill_frame(const struct tessera_op_fill_frame& op);
    Result<void> map_frame(const struct tessera_op_map_frame& op);
    Result<void> irq_get(const union tessera_spec_op& op);
    Result<void> irq_set_notification(const struct tessera_op_irq_set_notification& op);
    Result<void> mint_cap(const struct tessera_op_mint_cap& op);
    Result<void> tcb_configure(const struct tessera_op_tcb_configure& op);
    Result<void> tcb_write_registers(const struct tessera_op_tcb_write_registers& op);
    Result<void> close_window();

    const spec::ImageView& image_;
    alloc::ObjectAllocator& allocator_;
    vspace::VSpace& self_;
    VAddr window_;
    LoaderObject* objects_table_ = nullptr;
    uint32_t created_ = 0;
    CPtr* extras_ = nullptr;
    uint32_t extra_count_ = 0;
    uint32_t extra_capacity_ = 0;
    int64_t window_frame_ = -1; // the object shown in the window, or -1
    uint32_t failed_op_ = 0;
};

} // namespace tessera::loader
