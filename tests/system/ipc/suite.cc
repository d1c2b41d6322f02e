// The shared environment of the IPC suite: allocator, VSpace, workers, object helpers.
#include "suite.h"

#include <stdio.h>
#include <tessera/alloc.h>
#include <tessera/alloc/object_allocator.h>
#include <tessera/vspace.h>
#include <tessera/vspace/vspace.h>

namespace ipc_suite {
namespace {

using tessera::libos::CPtr;
using tessera::libos::raw;

// PML4 slot 4 (2 TiB): far from the root task's image, stack and BootInfo.
constexpr seL4_Word VSpaceBottom = 0x20000000000ull;
constexpr seL4_Word VSpaceTop = VSpaceBottom + 0x40000000;

constexpr unsigned MaxWorkers = 24;
Thread workers[MaxWorkers];

tessera::alloc::ObjectAllocator* allocator = nullptr;
tessera::vspace::VSpace* address_space = nullptr;

Thread* create_worker(seL4_Word priority, seL4_CPtr fault_endpoint)
{
    for (Thread& worker : workers) {
        if (worker.state() != tessera::thread::State::Empty)
            continue;
        tessera::thread::ThreadConfig config;
        config.priority = priority;
        config.fault_endpoint = CPtr{fault_endpoint};
        auto created = worker.create(*allocator, *address_space, config);
        if (!created) {
            printf("ipc: worker not created: %s (error %d)\n", created.error().what,
                   int(created.error().code));
            return nullptr;
        }
        return &worker;
    }
    printf("ipc: all %u workers in use\n", MaxWorkers);
    return nullptr;
}

} // namespace

bool init_environment(const seL4_BootInfo* boot_info)
{
    if (tessera_alloc_init(boot_info) != seL4_NoError ||
        tessera_vspace_init(VSpaceBottom, VSpaceTop) != seL4_NoError) {
        printf("ipc: allocator or VSpace set-up failed\n");
        return false;
    }
    allocator = tessera::alloc::process_allocator();
    address_space = tessera::vspace::process_vspace();
    return true;
}

seL4_CPtr make(seL4_Word type)
{
    auto object = allocator->allocate(type);
    if (!object) {
        printf("ipc: object of type %lu not made: %s\n", type, object.error().what);
        return seL4_CapNull;
    }
    return raw(object.value().cap);
}

seL4_CPtr empty_slot()
{
    auto slot = allocator->slots().allocate();
    return slot ? raw(slot.value()) : seL4_CPtr{seL4_CapNull};
}

seL4_CPtr mint(seL4_CPtr source, seL4_CapRights_t rights, seL4_Word badge)
{
    const seL4_CPtr slot = empty_slot();
    if (slot == seL4_CapNull)
        return seL4_CapNull;
    const seL4_Error minted =
        seL4_CNode_Mint(seL4_CapInitThreadCNode, slot, seL4_WordBits, seL4_CapInitThreadCNode,
                        source, seL4_WordBits, rights, badge);
    return minted == seL4_NoError ? slot : seL4_CPtr{seL4_CapNull};
}

seL4_Error delete_cap(seL4_CPtr cap)
{
    return seL4_CNode_Delete(seL4_CapInitThreadCNode, cap, seL4_WordBits);
}

seL4_Word cap_type(seL4_CPtr cap)
{
    return seL4_DebugCapIdentify(cap);
}

Thread* create_stopped(seL4_Word priority, seL4_CPtr fault_endpoint)
{
    return create_worker(priority, fault_endpoint);
}

Thread* spawn(Entry entry, void* argument, seL4_Word priority, seL4_CPtr fault_endpoint)
{
    Thread* worker = create_worker(priority, fault_endpoint);
    if (worker == nullptr)
        return nullptr;
    auto started = worker->start(entry, argument);
    if (!started) {
        printf("ipc: worker not started: %s (error %d)\n", started.error().what,
               int(started.error().code));
        (void)worker->destroy();
        return nullptr;
    }
    return worker;
}

void* join(Thread* worker)
{
    if (worker == nullptr)
        return nullptr;
    auto joined = worker->join();
    return joined ? joined.value() : nullptr;
}

void destroy(Thread* worker)
{
    if (worker == nullptr)
        return;
    auto destroyed = worker->destroy();
    if (!destroyed)
        printf("ipc: worker not destroyed: %s\n", destroyed.error().what);
}

void finish(std::initializer_list<Thread*> workers)
{
    for (Thread* worker : workers)
        join(worker);
    for (Thread* worker : workers)
        destroy(worker);
}

void* receive_word(void* argument)
{
    Exchange& e = *static_cast<Exchange*>(argument);
    seL4_Word badge = 0;
    const seL4_MessageInfo_t info = seL4_Recv(e.endpoint, &badge);
    e.label = seL4_MessageInfo_get_label(info);
    e.badge = badge;
    e.received_word = seL4_GetMR(0);
    e.returned = true;
    return nullptr;
}

void* send_word(void* argument)
{
    Exchange& e = *static_cast<Exchange*>(argument);
    seL4_SetMR(0, e.word);
    seL4_Send(e.endpoint, message(1, 1));
    e.returned = true;
    return nullptr;
}

void* call_word(void* argument)
{
    Exchange& e = *static_cast<Exchange*>(argument);
    seL4_SetMR(0, e.word);
    const seL4_MessageInfo_t reply = seL4_Call(e.endpoint, message(1, 1));
    e.label = seL4_MessageInfo_get_label(reply);
    e.returned = true;
    return nullptr;
}

void let_run(seL4_Word priority)
{
    (void)seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, priority - 1);
    (void)seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, RootPriority);
}

} // namespace ipc_suite
