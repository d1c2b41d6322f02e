/* A child's side of the manager's session requests (child_slots.h; docs/dynamic.md, "Sessions
 * and labels"): ask for a service under a label, and, in a server, ask for a client's label.
 * Header-only C for children, which link nothing of the manager. */
#ifndef TESSERA_MANAGER_SESSION_H
#define TESSERA_MANAGER_SESSION_H

#include <sel4/sel4.h>
#include <stddef.h>
#include <string.h>

#include "child_slots.h"

/* Bytes into message registers from `first` on, 8 to a word, the lowest byte first. */
static inline void manager_session_pack(unsigned first, const char *bytes, size_t length)
{
    for (size_t i = 0; i < length; i += sizeof(seL4_Word)) {
        seL4_Word word = 0;
        for (size_t b = 0; b < sizeof(seL4_Word) && i + b < length; ++b)
            word |= (seL4_Word)(unsigned char)bytes[i + b] << (8 * b);
        seL4_SetMR((int)(first + i / sizeof(seL4_Word)), word);
    }
}

static inline void manager_session_unpack(unsigned first, char *bytes, size_t length)
{
    for (size_t i = 0; i < length; ++i)
        bytes[i] = (char)(seL4_GetMR((int)(first + i / sizeof(seL4_Word))) >> (8 * (i % sizeof(seL4_Word))));
}

/* Asks the manager for `service` under `label`; on MANAGER_SESSION_OK the capability of the route
 * it matched is at `slot` (MANAGER_CHILD_SESSION_BASE ...). Returns a MANAGER_SESSION_* code. */
static inline seL4_Word manager_session_request(const char *service, const char *label, seL4_Word slot)
{
    const size_t service_length = strlen(service), label_length = strlen(label);
    if (service_length > MANAGER_SESSION_NAME_BYTES || label_length > MANAGER_SESSION_NAME_BYTES)
        return MANAGER_SESSION_INVALID;
    seL4_SetMR(0, slot);
    seL4_SetMR(1, service_length);
    seL4_SetMR(2, label_length);
    const unsigned service_words = (unsigned)((service_length + 7) / 8);
    manager_session_pack(3, service, service_length);
    manager_session_pack(3 + service_words, label, label_length);
    const unsigned words = 3 + service_words + (unsigned)((label_length + 7) / 8);
    const seL4_MessageInfo_t reply = seL4_Call(MANAGER_CHILD_PARENT_SLOT,
                                               seL4_MessageInfo_new(MANAGER_SESSION_REQUEST, 0, 0, words));
    return seL4_MessageInfo_get_label(reply);
}

/* A server: the label of the client whose call carried `badge`, NUL-terminated into `out`
 * (MANAGER_SESSION_LABEL_BYTES + 1 bytes hold any). Returns a MANAGER_SESSION_* code. */
static inline seL4_Word manager_session_client_label(seL4_Word badge, char *out, size_t capacity)
{
    seL4_SetMR(0, badge);
    const seL4_MessageInfo_t reply =
        seL4_Call(MANAGER_CHILD_PARENT_SLOT, seL4_MessageInfo_new(MANAGER_SESSION_LABEL, 0, 0, 1));
    const seL4_Word status = seL4_MessageInfo_get_label(reply);
    if (status != MANAGER_SESSION_OK || capacity == 0)
        return status;
    size_t length = seL4_GetMR(0);
    if (length >= capacity)
        length = capacity - 1;
    manager_session_unpack(1, out, length);
    out[length] = '\0';
    return status;
}

#endif
