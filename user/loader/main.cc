// The boot-time loader: the root task of a static system. It executes the spec that
// `tessera build --loader` embedded in it, which starts every protection domain, then removes
// itself. Any failure ends the system with one line and exit status 1; nothing crashes.
#include <stdio.h>
#include <tessera/runtime.h>

#include "loader.h"
#include "self_removal.h"

using namespace tessera::loader;

namespace {

Loader loader;

} // namespace

int main()
{
    const seL4_BootInfo* boot_info = tessera_boot_info();
    if (boot_info == nullptr) {
        printf("loader: no BootInfo: the loader must be the root task\n");
        return 1;
    }
    if (!loader.open(*boot_info))
        return 1;
    const auto& spec = loader.image().spec();
    printf("loader: system image of %u operations, %u objects, %u protection domains\n",
           spec.op_count(), spec.object_count(), loader.thread_count());
    loader.report_plan();
    auto done = loader.executor().run_all();
    if (!done) {
        loader.report_failure(done.error());
        return 1;
    }
    const uint64_t started_tsc = tessera_tsc_now();
    printf("loader: started %u protection domains (at most %u capabilities held at once)\n",
           loader.thread_count(), loader.executor().peak_slots());
    if (loader.executor().absent_vcpus() != 0)
        printf("loader: the kernel makes no SVM virtual CPUs: %u left out, their VMMs run without them\n",
               loader.executor().absent_vcpus());
    printf("loader: %llu KiB of memory used, %llu KiB planned\n",
           static_cast<unsigned long long>(loader.memory_used() >> 10),
           static_cast<unsigned long long>(loader.executor().plan().total_bytes() >> 10));
    // The boot timeline bench/boot measures against the kernel's "Multiboot entry at TSC" line
    // (instructions under -icount shift=0): the loader's first instruction, and the moment every
    // protection domain has been started (each is runnable; they run once the loader is gone).
    printf("loader: boot timeline: entered at TSC %llu, every protection domain started at TSC %llu\n",
           static_cast<unsigned long long>(tessera_entry_tsc()),
           static_cast<unsigned long long>(started_tsc));
    const seL4_Word root_slots = loader.cspace_slots();
    const DebugCalls debug_calls = loader.debug_calls();
    const RemovalSummary removed =
        remove_loader(loader.executor(), loader.self(), *boot_info, root_slots, debug_calls);
    if (removed.failed != nullptr)
        printf("loader: while removing itself, the kernel refused to %s\n", removed.failed);
    if (!drop_own_cnode())
        printf("loader: while removing itself, the kernel refused to drop its CNode capability\n");
    const uint32_t left = debug_calls == DebugCalls::Present ? count_capabilities(root_slots) : 1;
    const bool schedule = loader.executor().has_domain_start();
    printf("loader: removed itself: %u capabilities sealed away, %u deleted, %u left%s\n",
           removed.kept, removed.deleted + (removed.left - left), left,
           left == 1                  ? " (its own TCB)"
           : schedule && left == 2    ? " (its own TCB and the domain capability, to start the schedule)"
                                      : "");
    if (schedule) {
        printf("loader: starting the domain schedule at entry %u\n", loader.executor().domain_start());
        const seL4_Error started = start_domain_schedule(loader.executor().domain_start());
        if (started != seL4_NoError)
            printf("loader: cannot start the domain schedule: %s\n", error_name(started));
    }
    const seL4_Error error = stop_loader_thread();
    printf("loader: cannot suspend its own thread: %s\n", error_name(error));
    return 1;
}
