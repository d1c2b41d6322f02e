// The host tests' object hooks: core::ObjectHooks's one definition in every host test executable
// (fake_object_hooks.cc, in tessera_fake_arch), as the kernel's is in kernel_objects.cc. It records
// what the core asked (the core worlds' tests read that) and, once a test world gives it an
// IpcContext, finalises IPC objects through the portable finaliser as the kernel's hooks do.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "cdt/object_hooks.h"

namespace tessera::core {
struct IpcContext;
}

namespace tessera::core::test {

struct FakeObjectHooks final : ObjectHooks {
    std::vector<std::pair<Cap, Finality>> finalised;
    std::vector<Cap> cleanups;
    std::vector<Cap> created_caps;
    bool svm = false;            // what has_svm() answers: whether SVM VCPUs can be made
    IpcContext* ipc = nullptr;   // set by an IPC world: final IPC objects are finalised in it

    size_t count(CapType type, Finality finality) const
    {
        size_t n = 0;
        for (auto& [cap, f] : finalised)
            n += cap.type() == type && f == finality;
        return n;
    }
};

} // namespace tessera::core::test
