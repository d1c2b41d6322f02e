/* What a child of the dynamic manager finds in its CSpace besides the library OS's slots
 * (user/lib/elf/loader.h: TCB 1, CNode 2, VSpace 3, IPC buffer 10, fault endpoint 16):
 * docs/dynamic.md, "Routes". C and C++. */
#ifndef TESSERA_MANAGER_CHILD_SLOTS_H
#define TESSERA_MANAGER_CHILD_SLOTS_H

/* A child that provides services: its endpoint, to receive its clients' calls on. Each client's
 * capability carries the badge 1 + the client's index in the manager. */
#define MANAGER_CHILD_SERVICE_SLOT 17u
/* Route r of the child's <route> (in the order written): a capability to what it is routed to,
 * an endpoint of a child server (call it), or what the manager's static channel holds (its
 * endpoint when the channel is a protected procedure call, else its notification). */
#define MANAGER_CHILD_ROUTE_BASE 18u
/* A child with a <heartbeat>: a notification to signal once per period (send right only). */
#define MANAGER_CHILD_HEARTBEAT_SLOT 34u

#endif
