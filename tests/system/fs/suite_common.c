/* The connection and the report, for every client of the suite. */
#include <stdio.h>

#include "checks.h"
#include "suite.h"

__attribute__((section(".data"))) uintptr_t fs_window = 0;
__attribute__((section(".data"))) size_t fs_window_size = 0;
struct tessera_fs suite_fs;

int suite_connect(void)
{
    return tessera_fs_init_microkit(&suite_fs, FS_CHANNEL, (void *)fs_window, fs_window_size);
}

void suite_report(void)
{
    microkit_mr_set(0, check_counts.passed);
    microkit_mr_set(1, check_counts.failed);
    microkit_ppcall(REPORT_CHANNEL, microkit_msginfo_new(REPORT, 2));
}
