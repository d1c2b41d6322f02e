// The manager component's kernel side: its RAM split into chunk untypeds, and each child as a
// process built from whole chunks the child's ledger owns (docs/dynamic.md, "The component").
#pragma once

#include <microkit.h>
#include <tessera/elf/loader.h>
#include <tessera/manager_config/manager_config.h>
#include <tessera/spec.h>

#include "component/file_programs.h"
#include "quota/child_ledger.h"
#include "quota/chunk_pool.h"
#include "reconfigure/reconfigurer.h"
#include "report/report.h"
#include "supervision/supervisor.h"

namespace tessera::manager {

// Where the system put the manager's resources (spec.h, TESSERA_MANAGER_*).
struct Resources {
    const tessera_manager_directory* directory;
    libos::CPtr cnode, vspace, tcb, asid_pool, fault_endpoint;
};

// Time for restart backoff: the component's timer, if its system gives it one.
class Clock {
public:
    virtual uint64_t now_ms() = 0;
    // Notify the component (which then calls Children::tick) at `ms` or soon after.
    virtual void wake_at(uint64_t ms) = 0;

protected:
    ~Clock() = default;
};

// The pages mapped in all children together (each child's RAM quota in pages and its template's
// frames): 32 MiB of children's pages.
constexpr size_t MappingPoolPages = 8192;
// The largest program file the manager reads from the file system (it is read whole into the
// manager's own buffer before it is loaded).
constexpr size_t MaxFileProgramBytes = 256 * 1024;

class Children final : public ChildControl {
public:
    // Splits the RAM into chunks; false (with a message printed) when the resources are unusable.
    bool init(const Resources& resources);

    libos::Result<void> start(const manager_config::Child& child,
                              const manager_config::Config& config) override;
    void stop(manager_config::Text name) override;

    // A child's thread faulted (the fault badge's low byte: a static child PD's id, or a process
    // child's index with bit 7): applies its restart policy. With a clock a restart waits its
    // backoff (state `waiting`); without one it happens at once.
    void faulted(unsigned badge);
    // A call on a child's parent endpoint (its fault endpoint) with one of the request labels of
    // child_slots.h rather than a fault: a session request, or a server's question for a client's
    // label. Returns the reply (docs/dynamic.md, "Sessions and labels").
    static bool is_request(seL4_Word label);
    microkit_msginfo request(unsigned badge, microkit_msginfo message);
    void set_clock(Clock* clock) { clock_ = clock; }
    // Where programs named by a path (binary="/path") are read; without it they fail to start.
    void set_program_files(ProgramFiles* files) { files_ = files; }
    // The text of the configuration being loaded (a child that runs a manager keeps its nested
    // <manager> element from it), and room to read such an element in when the child starts.
    void set_source(manager_config::Text source) { source_ = source; }
    void set_nested_scratch(manager_config::Config* config) { nested_ = config; }
    // Restarts the waiting children whose backoff is over; re-arms the clock for the next.
    void tick();

    // The status text of the manager run by the child the first component of `path` names
    // ("nest/", "nest/inner/": the rest goes to that manager), read from it (ControlStatusWords).
    // False, with why in `out`, when there is none. `length` is what `out` holds.
    bool nested_status(manager_config::Text path, char* out, size_t capacity, size_t& length);

    // One status line per live or remembered child of `config`.
    size_t status(const manager_config::Config& config, ChildStatus* out, size_t capacity) const;

    // Checks that every free chunk is empty in the kernel too (a chunk-sized retype from it
    // succeeds only at watermark 0). Returns the chunks that are not.
    size_t verify_free_chunks();

    // Timings for bench/manager, in TSC ticks: from the start of the latest start to its
    // child's first fault (a probe whose first instruction faults: start to first instruction,
    // the fault's delivery included), and the latest stop's tear-down.
    uint64_t last_start_to_fault_ticks() const { return last_start_to_fault_; }
    uint64_t last_stop_ticks() const { return last_stop_; }

    size_t free_chunks() const { return pool_ ? pool_->free_count() : 0; }
    size_t total_chunks() const { return pool_ ? pool_->count() : 0; }
    uint64_t slots_free() const { return slots_.available(); }

    struct Slot; // one child's process and accounting (children.cc)

private:
    Slot* find(manager_config::Text name);
    const Slot* find(manager_config::Text name) const;
    libos::Result<void> build(Slot& slot, const manager_config::Child& child);
    libos::Result<void> start_static(Slot& slot);
    const tessera_manager_file* file(const Slot& slot) const;
    struct ProgramBytes {
        const uint8_t* bytes;
        size_t size;
    };
    libos::Result<ProgramBytes> program_bytes(const Slot& slot);
    libos::Result<void> wire(Slot& slot);
    bool reserve_mappings(Slot& slot);
    // What a route hands on: a capability of the manager's CSpace, minted with a badge or copied,
    // for a call (an endpoint) or a signal (a notification).
    struct RouteCap {
        seL4_Word from;
        seL4_Word badge;
        bool call;
        bool mint;
    };
    // `session`: 0 for a route given at the start, else 1 + the session's index (in the badge a
    // child server sees).
    libos::Result<RouteCap> route_cap(const Slot& slot, const manager_config::Route& route,
                                      seL4_Word session) const;
    seL4_Error hand_on(const Slot& slot, const RouteCap& cap, seL4_Word into, seL4_Uint8 depth) const;
    microkit_msginfo open_session(Slot& slot, microkit_msginfo message);
    microkit_msginfo client_label(const Slot& server);
    // A child that runs a manager (docs/dynamic.md, "Nested managers"): its configuration kept,
    // its PD's slots and its directory built from its own quota.
    libos::Result<void> keep_nested_text(Slot& slot, const manager_config::Child& child);
    libos::Result<void> give_manager(Slot& slot);
    libos::Result<void> write_directory(Slot& slot, const manager_config::Config& nested,
                                        uint64_t call_channels, uint64_t notify_channels);
    const tessera_manager_file* packed_file(manager_config::Text name) const;
    // Template children (spec.h, TESSERA_TEMPLATE_*): the index of the template whose program
    // `file` is, or -1; and what a child started from it is given.
    int template_of(const tessera_manager_file* file) const;
    // Devices (`<device name pd>`, spec.h template_devices): the template whose resources the
    // device is, or -1; its reset before a child it is given starts (docs/dynamic.md, "Devices").
    int device_template(manager_config::Text device) const;
    seL4_Word template_frame(int t, uint64_t vaddr) const;
    template <class Use>
    libos::Result<void> with_template_frame(Slot& slot, seL4_Word frame_slot, bool cached, Use use);
    libos::Result<void> reset_device(Slot& slot);
    libos::Result<void> give_template(Slot& slot);
    libos::Result<libos::CPtr> borrow(Slot& slot, seL4_Word from_cnode, seL4_Word from_slot);
    libos::Result<void> write_paddr(Slot& slot, seL4_Word frame_slot, uint64_t vaddr);
    void drop_last_borrowed(Slot& slot);
    void tear_down(Slot& slot);

    Resources resources_{};
    alloc::SlotAllocator slots_;
    ChunkPool* pool_ = nullptr;
    libos::CPtr chunk_caps_[MaxChunks] = {};
    // The manager's own memory: the paging structures of its window onto children's frames.
    alloc::UntypedAllocator* own_untypeds_ = nullptr;
    alloc::ObjectAllocator* own_objects_ = nullptr;
    vspace::VSpace* self_ = nullptr;
    libos::VAddr window_;
    void restart(Slot& slot);
    void ended(Slot& slot, EndReason reason);
    void arm();
    Clock* clock_ = nullptr;
    ProgramFiles* files_ = nullptr;
    manager_config::Text source_;
    manager_config::Config* nested_ = nullptr;
    uint64_t last_start_to_fault_ = 0;
    uint64_t last_stop_ = 0;
};

} // namespace tessera::manager
