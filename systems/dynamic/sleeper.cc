// A child that starts, says so and ends (its thread suspends): the manager's plainest child.
#include <stdio.h>

int main(void)
{
    printf("sleeper: started\n");
    return 0;
}
