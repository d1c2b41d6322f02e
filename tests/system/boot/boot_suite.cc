// The boot suite: what the kernel promises the initial thread, checked from inside it.
// One line per test, then the summary line the harness requires.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tessera/runtime.h>

extern "C" char _end[]; // end of the image (linker-defined)

namespace {

int passed = 0, failed = 0;

void check(const char* name, bool ok)
{
    printf("%s: %s\n", name, ok ? "pass" : "FAIL");
    (ok ? passed : failed)++;
}

uintptr_t page_up(uintptr_t a) { return (a + 4095) & ~uintptr_t{4095}; }

int initialised_data = 42;
uint8_t zeroed_bss[8192];
const char read_only_text[] = "read-only data";

struct Constructed {
    Constructed() : value(7) {}
    int value;
};
Constructed constructed;

thread_local int thread_value = 5;
thread_local uint64_t thread_zeroed[4];

uint64_t read_cs()
{
    uint64_t cs;
    asm volatile("mov %%cs, %0" : "=r"(cs));
    return cs;
}

uint64_t read_rflags()
{
    uint64_t flags;
    asm volatile("pushfq; popq %0" : "=r"(flags));
    return flags;
}

} // namespace

int main(void)
{
    check("boot.ring3", (read_cs() & 3) == 3);
    const uint64_t flags = read_rflags();
    check("boot.interrupts_enabled", (flags & (1u << 9)) != 0);
    check("boot.iopl_zero", ((flags >> 12) & 3) == 0);

    const uintptr_t ipc_buffer = page_up(reinterpret_cast<uintptr_t>(_end));
    const uintptr_t boot_info = reinterpret_cast<uintptr_t>(tessera_boot_info());
    check("boot.bootinfo_follows_ipc_buffer", boot_info == ipc_buffer + 4096);

    volatile uint64_t* ipc = reinterpret_cast<volatile uint64_t*>(ipc_buffer);
    ipc[0] = 0x1234567890abcdefull;
    ipc[511] = 0xfedcba0987654321ull;
    check("boot.ipc_buffer_writable", ipc[0] == 0x1234567890abcdefull && ipc[511] == 0xfedcba0987654321ull);
    volatile uint64_t* bi = reinterpret_cast<volatile uint64_t*>(boot_info);
    uint64_t sum = 0;
    for (int i = 0; i < 512; i++)
        sum += bi[i];
    // A fault here stops the suite before its summary line, which fails the test.
    asm volatile("" : : "r"(sum));
    check("boot.bootinfo_readable", true);

    check("boot.data_initialised", initialised_data == 42);
    bool all_zero = true;
    for (uint8_t b : zeroed_bss)
        all_zero &= b == 0;
    check("boot.bss_zeroed", all_zero);
    check("boot.rodata_readable", strcmp(read_only_text, "read-only data") == 0);
    check("boot.static_constructors_ran", constructed.value == 7);

    volatile float a = 1.5f, b = 2.25f;
    volatile double c = 3.0;
    check("boot.sse_usable", a * b == 3.375f && c / 2 == 1.5);

    uint64_t t0, t1;
    asm volatile("rdtsc; shl $32, %%rdx; or %%rdx, %%rax" : "=a"(t0)::"rdx");
    for (int i = 0; i < 1000; i++)
        asm volatile("" ::: "memory");
    asm volatile("rdtsc; shl $32, %%rdx; or %%rdx, %%rax" : "=a"(t1)::"rdx");
    check("boot.tsc_advances", t1 > t0);

    check("runtime.tls_initialised", thread_value == 5 && thread_zeroed[3] == 0);
    thread_value = 9;
    uint64_t fs_word;
    asm volatile("mov %%fs:0, %0" : "=r"(fs_word));
    check("runtime.tls_thread_pointer", thread_value == 9 && fs_word != 0);

    char* block = static_cast<char*>(malloc(1000));
    int* array = new int[100];
    bool heap_ok = block != nullptr && array != nullptr && (reinterpret_cast<uintptr_t>(block) & 15) == 0;
    if (heap_ok) {
        memset(block, 0x5a, 1000);
        for (int i = 0; i < 100; i++)
            array[i] = i;
        heap_ok = block[999] == 0x5a && array[99] == 99;
    }
    free(block);
    delete[] array;
    check("runtime.heap", heap_ok);

    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
