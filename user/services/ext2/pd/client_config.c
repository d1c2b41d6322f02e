/* The variables of client_config.h, sixteen times. They live in .data, initialised, because
 * `tessera build` can patch only bytes the program file holds. */
#include "client_config.h"

#define CLIENT(n)                                                                              \
    __attribute__((section(".data"))) uintptr_t fs_client_##n##_window = 0;                    \
    __attribute__((section(".data"))) size_t fs_client_##n##_window_size = 0;                  \
    char fs_client_##n##_root[TESSERA_FS_ROOT_MAX] = "/";                                      \
    char fs_client_##n##_access[8] = "rw";
#define CONFIG(n)                                                                              \
    {&fs_client_##n##_window, &fs_client_##n##_window_size, fs_client_##n##_root,             \
     fs_client_##n##_access}

CLIENT(1) CLIENT(2) CLIENT(3) CLIENT(4) CLIENT(5) CLIENT(6) CLIENT(7) CLIENT(8)
CLIENT(9) CLIENT(10) CLIENT(11) CLIENT(12) CLIENT(13) CLIENT(14) CLIENT(15) CLIENT(16)

const struct tessera_fs_client_config tessera_fs_client_configs[TESSERA_FS_CLIENT_CHANNELS] = {
    CONFIG(1),  CONFIG(2),  CONFIG(3),  CONFIG(4),  CONFIG(5),  CONFIG(6),  CONFIG(7),  CONFIG(8),
    CONFIG(9),  CONFIG(10), CONFIG(11), CONFIG(12), CONFIG(13), CONFIG(14), CONFIG(15), CONFIG(16),
};
