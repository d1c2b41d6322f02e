// core::ObjectHooks for the host tests: every ObjectHooks in a test executable is a
// FakeObjectHooks (the worlds hold one each), so the definitions below may take `*this` to be one.

#include "fake_object_hooks.h"

#include "tcb/thread_control.h"

namespace tessera::core {

namespace {
test::FakeObjectHooks& fake(ObjectHooks& hooks)
{
    return static_cast<test::FakeObjectHooks&>(hooks);
}
} // namespace

void ObjectHooks::finalise(Cap cap, Finality finality)
{
    test::FakeObjectHooks& self = fake(*this);
    self.finalised.emplace_back(cap, finality);
    if (finality == Finality::Final && self.ipc != nullptr)
        finalise_ipc_object(*self.ipc, cap);
}

void ObjectHooks::post_cap_deletion(Cap cleanup)
{
    fake(*this).cleanups.push_back(cleanup);
}

void ObjectHooks::created(Cap cap)
{
    fake(*this).created_caps.push_back(cap);
}

bool ObjectHooks::has_svm() const
{
    return static_cast<const test::FakeObjectHooks&>(*this).svm;
}

} // namespace tessera::core
