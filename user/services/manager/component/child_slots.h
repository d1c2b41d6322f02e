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

/* Sessions (docs/dynamic.md, "Sessions and labels"). A child's fault endpoint is also its way to
 * its parent: a call on it with one of the labels below is a request, which the manager answers
 * (a fault's label is one of seL4's few fault types, far below these). */
#define MANAGER_CHILD_PARENT_SLOT 16u
/* A session request puts the capability of the route it matched at a slot of this range the
 * child names (a route with a label or a label prefix is reached only this way). */
#define MANAGER_CHILD_SESSION_BASE 36u
#define MANAGER_CHILD_SESSION_COUNT 16u
/* Request: MR0 = the slot, MR1 = the service's length, MR2 = the label's length, then the
 * service's bytes and the label's from MR3 on (8 to a word, the lowest byte first). Reply: a
 * MANAGER_SESSION_* label; MR0 = the index of the route taken. */
#define MANAGER_SESSION_REQUEST 0x5e55u
/* A server asks for the label of a client whose call carried `badge` (MR0): the reply's MR0 is its
 * length and the label ("client", or "client -> label" for a session asked with one) follows
 * from MR1 on, packed as above. Only a server of that client's route is told. */
#define MANAGER_SESSION_LABEL 0x1abe1u
#define MANAGER_SESSION_OK 0u
#define MANAGER_SESSION_REFUSED 1u   /* no route of the child matches the service and label */
#define MANAGER_SESSION_INVALID 2u   /* malformed, too long, a slot outside the range or taken */
#define MANAGER_SESSION_NOT_RUNNING 3u /* the route leads to a child that is not running */
/* The longest service and label a request may carry, and the longest label a server is told. */
#define MANAGER_SESSION_NAME_BYTES 47u
#define MANAGER_SESSION_LABEL_BYTES (2u * MANAGER_SESSION_NAME_BYTES + 4u)
/* A session's badge at a child server: 1 + the client's index, and 1 + the session's index
 * above it (0 for the routes given at the start). */
#define MANAGER_SESSION_BADGE_SHIFT 8u

#endif
