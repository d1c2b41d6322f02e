// The user build of libc run for real: a static program with no host C library, started at its
// own _start by Linux, printing through a write(2) output hook. It checks what only a linked
// freestanding program can show: that memcpy/memset do not recurse into themselves, that static
// constructors run exactly once, and that malloc, operator new and virtual calls work.

#include <assert.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tessera/libc.h>
#include <tessera/log.h>

extern "C" int c_headers_check(void);

namespace {

long linux_write(int descriptor, const void* data, unsigned long length)
{
    long result;
    asm volatile("syscall"
                 : "=a"(result)
                 : "a"(1), "D"(descriptor), "S"(data), "d"(length)
                 : "rcx", "r11", "memory");
    return result;
}

[[noreturn]] void linux_exit(int status)
{
    asm volatile("syscall" : : "a"(60), "D"(status) : "rcx", "r11", "memory");
    __builtin_unreachable();
}

// Everything printed is also kept, so the program can check its own output.
char printed[4096];
size_t printed_length = 0;

void write_character(void*, char c)
{
    linux_write(1, &c, 1);
    if (printed_length + 1 < sizeof printed)
        printed[printed_length++] = c;
}

alignas(16) unsigned char heap_memory[256 * 1024];

int constructions = 0;

struct Constructed {
    Constructed() : value(42) { ++constructions; }
    int value;
};

Constructed constructed;

struct Shape {
    virtual ~Shape() = default;
    virtual int corners() const = 0;
};

struct Square : Shape {
    int corners() const override { return 4; }
};

// A heap lock that only counts, to see that every heap operation takes and drops it.
int lock_depth = 0;
int locks_taken = 0;
bool lock_nested = false;

void take_heap_lock(void*)
{
    lock_nested = lock_nested || lock_depth != 0;
    ++lock_depth;
    ++locks_taken;
}

void drop_heap_lock(void*)
{
    --lock_depth;
}

int checks = 0;
int failures = 0;

void check(bool condition, const char* what)
{
    ++checks;
    if (condition)
        return;
    ++failures;
    printf("FAILED: %s\n", what);
}

// Sizes the compiler cannot see, so that the calls stay calls into the library.
volatile size_t opaque_size = 1000;

} // namespace

extern "C" int smoke_main()
{
    tessera_set_output(write_character, nullptr);
    check(tessera_heap_init(heap_memory, sizeof heap_memory) == 0, "heap init");
    tessera_heap_set_lock(take_heap_lock, drop_heap_lock, nullptr);
    tessera_run_constructors();
    tessera_run_constructors(); // must not construct again
    check(constructions == 1 && constructed.value == 42, "static constructor ran exactly once");

    const size_t size = opaque_size;
    auto* a = static_cast<unsigned char*>(malloc(size));
    auto* b = static_cast<unsigned char*>(malloc(size));
    check(a != nullptr && b != nullptr && reinterpret_cast<uintptr_t>(a) % 16 == 0, "malloc");
    memset(a, 0x5a, size);
    memcpy(b, a, size);
    check(memcmp(a, b, size) == 0 && b[size - 1] == 0x5a, "memset, memcpy, memcmp");
    memmove(a + 1, a, size - 1);
    check(a[0] == 0x5a && a[size - 1] == 0x5a, "memmove");
    b = static_cast<unsigned char*>(realloc(b, 4 * size));
    check(b != nullptr && b[size - 1] == 0x5a, "realloc keeps contents");
    free(a);
    free(b);
    int* zeros = static_cast<int*>(calloc(100, sizeof(int)));
    check(zeros != nullptr && zeros[0] == 0 && zeros[99] == 0, "calloc");
    free(zeros);

    Shape* shape = new Square;
    check(shape->corners() == 4, "operator new and virtual call");
    delete shape;
    int* numbers = new int[16]();
    check(numbers[15] == 0, "array new");
    delete[] numbers;

    check(locks_taken >= 10 && lock_depth == 0 && !lock_nested, "heap lock taken and dropped");

    char* end = nullptr;
    check(strtol("  -0x1f!", &end, 16) == -31 && *end == '!', "strtol");
    check(strtoul("777", nullptr, 8) == 511 && atoi("-12") == -12, "strtoul, atoi");
    check(isdigit('7') && !isalpha('7') && toupper('q') == 'Q', "ctype");
    char text[32];
    check(snprintf(text, sizeof text, "%s-%04x", "id", 0xbeef) == 7 && strcmp(text, "id-beef") == 0,
          "snprintf");
    check(strstr("microkernel", "kern") != nullptr && strlen(text) == 7, "strstr, strlen");
    char* copy = strdup("tessera");
    check(copy != nullptr && strcmp(copy, "tessera") == 0, "strdup");
    free(copy);
    int order[] = {5, -1, 3, 3, 0};
    qsort(order, 5, sizeof(int), [](const void* a, const void* b) {
        return *static_cast<const int*>(a) - *static_cast<const int*>(b);
    });
    check(order[0] == -1 && order[1] == 0 && order[4] == 5, "qsort");
    assert(checks > 0);

    tessera_log_init("smoke", write_character, nullptr);
    // "[smoke] info: 17 checks so far\n"
    check(tessera_log_info("%d checks so far", checks) == 31 &&
              strstr(printed, "[smoke] info: 17 checks so far\n") != nullptr,
          "log line");
    printf("%s|%5d|%-3x|\n", "fmt", 42, 0xa);
    check(strstr(printed, "fmt|   42|a  |\n") != nullptr, "printf output");

    check(c_headers_check() == 0, "C11 component using the headers");

    printf("user smoke: %d checks, %d failed\n", checks, failures);
    // Leave through exit() and its handler; returning would report a broken exit.
    tessera_set_exit_handler(linux_exit);
    exit(failures);
}

// Linux enters with the stack pointer at argc, 16-byte aligned. smoke_main leaves through
// exit(); should it return, the program exits with status 99 and the test fails.
asm(R"(
    .text
    .globl _start
_start:
    xor %ebp, %ebp
    and $-16, %rsp
    call smoke_main
    mov $99, %edi
    mov $60, %eax
    syscall
    hlt
)");
