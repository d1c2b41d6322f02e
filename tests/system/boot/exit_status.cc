// A root task whose main returns 3: QEMU must exit with status 3 (tests/system/boot).
#include <stdio.h>

int main(void)
{
    printf("exit test: returning 3 from main\n");
    return 3;
}
