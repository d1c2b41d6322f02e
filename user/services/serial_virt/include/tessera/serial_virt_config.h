/* The serial virtualiser's configuration: which rings and channels lead to the driver and to each
 * client, each client's name and output prefix. A system provides one constant of this type,
 * `tessera_serial_virt_config`, in a small C file linked into its virtualiser (see
 * tessera_add_serial_virtualiser in user/services/serial_virt/CMakeLists.txt and
 * docs/drivers.md, "Serial"). Addresses and sizes are pointers to variables that the system
 * description patches (setvar_vaddr, setvar_size), so the file never repeats the description's
 * numbers. C11 and C++20. */
#ifndef TESSERA_SERIAL_VIRT_CONFIG_H
#define TESSERA_SERIAL_VIRT_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TESSERA_SERIAL_VIRT_MAX_CLIENTS 16u
/* Longest prefix (bytes); longer ones are cut. */
#define TESSERA_SERIAL_VIRT_PREFIX_MAX 32u
/* A channel id that means "none" (Microkit ids are 0..62). */
#define TESSERA_SERIAL_VIRT_NO_CHANNEL 0xffffffffu

/* A ring region as the description maps it: its address and size variables. */
struct tessera_serial_virt_region {
    const uintptr_t *vaddr; /* setvar_vaddr of the map */
    const size_t *size;     /* setvar_size of the map */
};

struct tessera_serial_virt_client_config {
    const char *name;   /* in the virtualiser's messages ("input now goes to NAME") */
    const char *prefix; /* written before each of its output lines; "" or NULL for none */
    unsigned int channel;
    struct tessera_serial_virt_region tx; /* the client writes, the virtualiser reads */
    /* The virtualiser writes input here. A client without input has rx.vaddr NULL. */
    struct tessera_serial_virt_region rx;
};

struct tessera_serial_virt_config {
    unsigned int driver_channel;
    struct tessera_serial_virt_region driver_tx; /* the virtualiser writes, the driver reads */
    struct tessera_serial_virt_region driver_rx; /* the driver writes input */
    /* Callers on this channel may switch the input by protected procedure call
     * (TESSERA_SERIAL_VIRT_NO_CHANNEL: nobody). */
    unsigned int control_channel;
    unsigned int client_count;
    struct tessera_serial_virt_client_config clients[TESSERA_SERIAL_VIRT_MAX_CLIENTS];
};

extern const struct tessera_serial_virt_config tessera_serial_virt_config;

/* The control channel's protected procedure calls: label, message registers, reply. */
enum tessera_serial_virt_control {
    /* MR0 = client index. Reply label 0 on success, 1 if there is no such client. */
    TESSERA_SERIAL_VIRT_SELECT_INPUT = 1,
    /* Reply label 0, MR0 = the index of the client that has the input. */
    TESSERA_SERIAL_VIRT_INPUT_CLIENT = 2,
};

#ifdef __cplusplus
}
#endif
#endif /* TESSERA_SERIAL_VIRT_CONFIG_H */
