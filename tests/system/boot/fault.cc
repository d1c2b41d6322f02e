// Root tasks that fault on purpose. The kernel must print one line naming the fault and suspend
// the thread, never panic; the test then expects that line (tests/system/boot/CMakeLists.txt).
#include <stdint.h>
#include <stdio.h>

namespace {

constexpr int Kind = FAULT_KIND;
unsigned char writable_code[16] = {0xc3}; // `ret`, in a data page: must not be executable

} // namespace

int main(void)
{
    switch (Kind) {
    case 1:
        printf("fault test: write to the text segment at %p\n", reinterpret_cast<void*>(&main));
        *reinterpret_cast<volatile uint8_t*>(reinterpret_cast<uintptr_t>(&main)) = 0;
        break;
    case 2:
        printf("fault test: read address 0\n");
        (void)*reinterpret_cast<volatile uint64_t*>(uintptr_t{0});
        break;
    case 3:
        printf("fault test: execute a data page at %p\n", static_cast<void*>(writable_code));
        reinterpret_cast<void (*)()>(reinterpret_cast<uintptr_t>(writable_code))();
        break;
    case 4:
        printf("fault test: privileged instruction (hlt) in user mode\n");
        asm volatile("hlt");
        break;
    }
    printf("fault test: the fault did not happen\n");
    return 1;
}
