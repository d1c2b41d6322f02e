// Executes the operations of a validated spec with seL4 invocations: retypes every object from
// untyped memory, builds the address spaces, fills and maps frames, claims interrupts, fills the
// protection domains' CSpaces and configures and starts threads.
//
// An object is created when an op first uses it, not at its CREATE_OBJECT, and its capability
// moves into the vault right after the last op that uses it, so the loader's CNode holds only
// the objects in use: systems far larger than its CNode fit.
#pragma once

#include <sel4/sel4.h>
#include <tessera/load_plan.h>
#include <tessera/spec_reader.h>
#include <tessera/vspace/vspace.h>

#include "kernel_probe.h"
#include "table_memory.h"
#include "pci_devices.h"
#include "vault.h"

namespace tessera::loader {

using libos::VAddr;

// Absent: an object the kernel cannot make and the system can run without (an SVM VCPU on a
// kernel without SVM): no capability to it is handed out, and its VMM finds its slot empty.
enum class Where : uint8_t { Pending, Root, Vault, Absent };

// One object of the spec: where its capability is.
struct LoaderObject {
    CPtr cap = libos::NullCap; // Root: the slot in the loader's CNode
    uint32_t vault_slot = 0;   // Vault: the slot in the vault
    Where where = Where::Pending;
    uint8_t kind = 0;          // enum tessera_object_kind
    uint8_t size_bits = 0;     // CNodes: log2(slots)
    bool mapped = false;       // frames: the capability in `cap` is in use by a mapping
};

class Executor {
public:
    // `objects` allocates slots and untyped memory; `self` is the loader's own address space, in
    // which `window` (one reserved page) shows a frame while FILL_FRAME copies into it.
    Executor(const spec::ImageView& image, alloc::ObjectAllocator& objects, vspace::VSpace& self,
             VAddr window);

    // Without seL4's debug calls (seL4's release build) threads are not named.
    void set_debug_calls(DebugCalls calls) { debug_calls_ = calls; }

    // Takes its tables from `tables` and plans the load (spec::plan_load) for a loader that
    // started as `start` says. Creates nothing.
    Result<void> prepare(TableMemory& tables, const spec::LoaderStart& start);
    const spec::LoadPlan& plan() const { return plan_; }
    // Creates the vault, with room for every object, every frame copy and the capabilities of
    // the loader's own that outlive it (the plan's vault size).
    Result<void> create_vault();

    // Executes ops [begin, end). On failure, failed_op() is the op that failed and the error says
    // what the kernel refused; ops before it stay done.
    Result<void> run(uint32_t begin, uint32_t end);
    Result<void> run_all() { return run(0, image_.spec().op_count()); }
    // Creates the objects whose CREATE_OBJECT ran but that no op has used yet.
    Result<void> create_remaining();

    uint32_t failed_op() const { return failed_op_; }
    uint32_t object_count() const { return image_.spec().object_count(); }
    const LoaderObject& object(uint32_t index) const { return objects_table_[index]; }
    // Vault slots of the copies of frame capabilities made because a frame is mapped more than
    // once (a shared memory region): each mapping needs a capability of its own.
    uint32_t extra_count() const { return extra_count_; }
    uint32_t extra(uint32_t index) const { return extras_[index]; }
    // Capabilities in the loader's CNode at most at once, so far.
    uint32_t peak_slots() const { return peak_; }
    // The first op that configures or starts a thread (op_count when there is none).
    uint32_t first_thread_op() const;
    Vault& vault() { return vault_; }
    const Vault& vault() const { return vault_; }
    // ASID pools made because the kernel's first one filled up (seL4 gives one of 8).
    uint32_t pool_count() const { return pool_count_; }
    CPtr pool(uint32_t index) const { return pools_[index]; }
    // The DOMAIN_START op's schedule index, kept for the loader's last act.
    bool has_domain_start() const { return domain_start_ != NoOp; }
    uint32_t domain_start() const { return domain_start_; }
    // SVM VCPUs the kernel refused to make (it has no SVM): their VMMs run without them.
    uint32_t absent_vcpus() const { return absent_vcpus_; }

private:
    Result<void> execute(const union tessera_spec_op& op);
    Result<void> assign_asid(const struct tessera_op_assign_asid& op);
    Result<CPtr> new_asid_pool();
    Result<void> make_asid_pool();
    Result<void> create_manager_pool(const struct tessera_op_create_object& op);
    Result<void> ensure_created(const union tessera_spec_op& op, uint32_t index);
    Result<void> retire_after(const union tessera_spec_op& op, uint32_t index);
    Result<void> retire(uint32_t object);
    Result<void> create_object(const struct tessera_op_create_object& op);
    // executor_placement.cc: frames placed other than by default.
    Result<void> create_run(const struct tessera_op_create_object& op);
    Result<void> give_back(CPtr untyped, libos::PAddr base, seL4_Word used, seL4_Word size_bits);
    Result<libos::PAddr> placed_address(const struct tessera_op_create_object& op) const;
    Result<void> pci_describe(const struct tessera_op_pci_describe& op);
    Result<void> map_table(const struct tessera_op_map_table& op);
    // Maps frame_index at the loader's window, unless it is there already.
    Result<void> open_window(uint32_t frame_index);
    Result<void> fill_frame(const struct tessera_op_fill_frame& op);
    Result<void> write_paddr(const struct tessera_op_write_paddr& op);
    Result<void> map_frame(const struct tessera_op_map_frame& op);
    Result<void> irq_get(const union tessera_spec_op& op);
    Result<void> irq_set_notification(const struct tessera_op_irq_set_notification& op);
    Result<void> ioport_issue(const struct tessera_op_ioport_issue& op);
    Result<void> fill_bootinfo(const struct tessera_op_fill_bootinfo& op);
    Result<void> mint_cap(const struct tessera_op_mint_cap& op);
    Result<void> tcb_configure(const struct tessera_op_tcb_configure& op);
    Result<void> tcb_write_registers(const struct tessera_op_tcb_write_registers& op);
    Result<void> svm_vcpu_bind(const struct tessera_op_svm_vcpu_bind& op);
    Result<void> close_window();
    void count_slot(int delta);

    static constexpr uint32_t NoOp = UINT32_MAX;
    uint32_t domain_start_ = NoOp;

    const spec::ImageView& image_;
    alloc::ObjectAllocator& allocator_;
    vspace::VSpace& self_;
    VAddr window_;
    Vault vault_;
    LoaderObject* objects_table_ = nullptr;
    uint32_t* create_op_ = nullptr; // per object: its CREATE_OBJECT op, NoOp until seen
    uint32_t* last_use_ = nullptr;  // per object: the last op using it, NoOp when none does
    uint32_t* extras_ = nullptr;
    uint32_t extra_count_ = 0;
    uint32_t extra_capacity_ = 0;
    int64_t window_frame_ = -1; // the object shown in the window, or -1
    uint32_t failed_op_ = 0;
    uint32_t in_root_ = 0;
    uint32_t peak_ = 0;
    DebugCalls debug_calls_ = DebugCalls::Present;
    spec::LoadPlan plan_;
    CPtr pools_[spec::AsidPoolCount] = {};
    uint32_t pool_count_ = 0;
    uint32_t manager_pools_ = 0; // pools made for dynamic managers (TESSERA_OBJECT_ASID_POOL)
    uint32_t absent_vcpus_ = 0;
    PciDevices pci_;
};

// What the loader's tables hold per object: its record, its CREATE_OBJECT, its last use and (in
// the Loader) its kind. The plan reserves this much.
static_assert(sizeof(LoaderObject) + 2 * sizeof(uint32_t) + 1 <= spec::LoaderTableBytesPerObject);

} // namespace tessera::loader
