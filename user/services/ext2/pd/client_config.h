// The service's clients as the system description configures them: client N is the client on
// the service's channel N (1 to 16; channel 0 is the block virtualiser). Per client, variables
// `tessera build` patches: fs_client_N_window and fs_client_N_window_size (setvar_vaddr and
// setvar_size of the map of its window), fs_client_N_root (setvar string: its root directory,
// "/" by default) and fs_client_N_access (setvar string: "rw", the default, or "ro").
#pragma once

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TESSERA_FS_CLIENT_CHANNELS 16u
#define TESSERA_FS_ROOT_MAX 256u

struct tessera_fs_client_config {
    const uintptr_t *window;    /* 0: no client on this channel */
    const size_t *window_size;
    const char *root;
    const char *access;
};

/* Index 0 is channel 1. */
extern const struct tessera_fs_client_config tessera_fs_client_configs[TESSERA_FS_CLIENT_CHANNELS];

#ifdef __cplusplus
}
#endif
