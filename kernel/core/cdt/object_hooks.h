// The object-specific work of deleting capabilities, which later issues implement (endpoint
// cancel-all, TCB suspend, frame unmap, IRQ release...). The core decides *when* (finality,
// zombies, ordering); the hooks decide *what* happens to the object.
#pragma once

#include "cap/cap.h"

namespace tessera::core {

// Whether the capability being finalised is the last one to its object.
enum class Finality { NotFinal, Final };

// Calls are direct, not virtual (STYLE rule 9): an image holds one set of hooks, defined once and
// chosen at link time, as ArchThread's are: the kernel's in kernel/arch/x86_64/boot/kernel_objects.cc,
// the host tests' in tests/host/ipc/fake_object_hooks.cc. The class has no state; an image that
// needs some derives the one class whose object it puts in the CoreContext, and its definitions
// below may take `*this` to be that class.
class ObjectHooks {
public:
    // Called once per capability being deleted, before its slot is cleared, with seL4's
    // finaliseCap semantics: endpoints/notifications/TCBs/IRQ handlers/ASID pools/paging
    // structures act only when Final; a mapped frame is unmapped either way. For a final TCB
    // this runs before its slots are cleared. Must not fail.
    void finalise(Cap cap, Finality finality);
    // Called after a slot is emptied whose capability left cleanup work (seL4 postCapDeletion):
    // the last IRQ handler capability (mark the IRQ inactive) and I/O port capabilities.
    void post_cap_deletion(Cap cleanup);
    // Called once for each object Untyped_Retype creates, after it is zeroed, for the state an
    // arch gives a new object (a PML4's copy of the kernel's global mappings). Must not fail.
    void created(Cap cap);
    // Whether this machine runs AMD SVM guests, so that Untyped_Retype makes SVM VCPUs
    // (abi/svm.h); without it that type is an invalid one, as on seL4's kernel.
    bool has_svm() const;

protected:
    ObjectHooks() = default;
    ~ObjectHooks() = default;
};

} // namespace tessera::core
