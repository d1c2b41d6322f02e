// A child that faults at once (a write to an unmapped page): the manager's restart policy is
// what happens next.
#include <stdint.h>

int main(void)
{
    // Through a volatile address, so the compiler neither rejects nor removes the write.
    volatile uintptr_t address = 0x10;
    *reinterpret_cast<volatile int*>(address) = 1;
    return 0;
}
