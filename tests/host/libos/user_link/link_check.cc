// Proves the user builds of the allocators, vspace, ELF loader and threads link into a
// freestanding component with only the library OS beneath them (libc, sel4_runtime): every entry
// point is referenced from a table the linker must keep. Run on the Linux host, it only exits 0;
// the code behind the table needs a seL4 kernel.
#include <tessera/alloc.h>
#include <tessera/elf/loader.h>
#include <tessera/thread.h>
#include <tessera/thread/thread.h>
#include <tessera/vspace.h>

using namespace tessera;

namespace {

[[noreturn]] void linux_exit(int status)
{
    asm volatile("syscall" : : "a"(60), "D"(status) : "rcx", "r11", "memory");
    __builtin_unreachable();
}

void use_cxx_api(const seL4_BootInfo* bi, const void* elf_image, unsigned long size)
{
    (void)tessera_alloc_init(bi);
    auto* objects = alloc::process_allocator();
    static vspace::Mapping storage[32];
    vspace::VSpace self(*objects, libos::CPtr{seL4_CapInitThreadVSpace}, libos::VAddr{0x10000000},
                        libos::VAddr{0x20000000}, storage, 32);
    auto image = elf::Image::parse(elf_image, size);
    auto root = elf::new_address_space(*objects, libos::CPtr{seL4_CapInitThreadASIDPool});
    if (!image || !root)
        return;
    static vspace::Mapping child_storage[64];
    vspace::VSpace child(*objects, root.value().cap, libos::VAddr{0x1000},
                         libos::VAddr{seL4_UserTop}, child_storage, 64);
    (void)elf::start_process(*objects, image.value(), root.value(), child, self,
                             libos::VAddr{0x10000000}, elf::ProcessConfig{});
    static thread::Thread worker;
    thread::ThreadConfig config;
    if (worker.create(*objects, self, config) && worker.start(nullptr, nullptr)) {
        (void)worker.join();
        (void)worker.destroy();
    }
}

} // namespace

void (*volatile keep[])(const seL4_BootInfo*, const void*, unsigned long) = {use_cxx_api};
seL4_Error (*volatile keep_c[])(const tessera_object_t*) = {tessera_alloc_free};
seL4_Error (*volatile keep_vspace)(seL4_Word, seL4_Word) = tessera_vspace_init;
seL4_Error (*volatile keep_thread)(tessera_thread_t*, seL4_Word, seL4_Word,
                                   seL4_CPtr) = tessera_thread_create;

extern "C" [[noreturn]] void _start()
{
    linux_exit(keep[0] && keep_c[0] && keep_vspace && keep_thread ? 0 : 1);
}
