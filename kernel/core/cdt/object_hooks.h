// The object-specific work of deleting capabilities, which later issues implement (endpoint
// cancel-all, TCB suspend, frame unmap, IRQ release...). The core decides *when* (finality,
// zombies, ordering); the hooks decide *what* happens to the object.
#pragma once

#include "cap/cap.h"

namespace tessera::core {

// Whether the capability being finalised is the last one to its object.
enum class Finality { NotFinal, Final };

class ObjectHooks {
public:
    // Called once per capability being deleted, before its slot is cleared, with seL4's
    // finaliseCap semantics: endpoints/notifications/TCBs/IRQ handlers/ASID pools/paging
    // structures act only when Final; a mapped frame is unmapped either way. For a final TCB
    // this runs before its slots are cleared. Must not fail.
    virtual void finalise(Cap cap, Finality finality) = 0;
    // Called after a slot is emptied whose capability left cleanup work (seL4 postCapDeletion):
    // the last IRQ handler capability (mark the IRQ inactive) and I/O port capabilities.
    virtual void post_cap_deletion(Cap cleanup) = 0;
    // Called once for each object Untyped_Retype creates, after it is zeroed, for the state an
    // arch gives a new object (a PML4's copy of the kernel's global mappings). Must not fail.
    virtual void created(Cap) {}
    // Whether this machine runs AMD SVM guests, so that Untyped_Retype makes SVM VCPUs
    // (abi/svm.h); without it that type is an invalid one, as on seL4's kernel.
    virtual bool has_svm() const { return false; }

protected:
    ~ObjectHooks() = default;
};

} // namespace tessera::core
