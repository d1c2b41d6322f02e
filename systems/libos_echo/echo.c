/* A complete program on the library OS, in C with libsel4's names: the root task makes an
 * endpoint, starts a thread that echoes every message back with each word doubled, calls it,
 * and checks the answer. docs/library-os.md walks through it. */
#include <sel4/sel4.h>
#include <stdio.h>
#include <tessera/alloc.h>
#include <tessera/runtime.h>
#include <tessera/thread.h>
#include <tessera/vspace.h>

static seL4_CPtr endpoint;

/* The server: receive, double each word, reply and wait for the next message in one call. */
static void* serve(void* argument)
{
    (void)argument;
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(endpoint, &badge);
    for (;;) {
        seL4_Word length = seL4_MessageInfo_get_length(info);
        for (seL4_Word i = 0; i < length; i++)
            seL4_SetMR(i, 2 * seL4_GetMR(i));
        info = seL4_ReplyRecv(endpoint, seL4_MessageInfo_new(0, 0, 0, length), &badge);
    }
    return NULL;
}

int main(void)
{
    /* The allocators take the BootInfo's untypeds and empty slots; the VSpace library manages
     * a range of the root task's own address space for stacks and IPC buffers. */
    tessera_object_t ep;
    if (tessera_alloc_init(tessera_boot_info()) != seL4_NoError ||
        tessera_vspace_init(0x10000000000ull, 0x10040000000ull) != seL4_NoError ||
        tessera_alloc_object(seL4_EndpointObject, 0, &ep) != seL4_NoError) {
        printf("echo: setup failed\n");
        return 1;
    }
    endpoint = ep.cptr;

    static tessera_thread_t server;
    if (tessera_thread_create(&server, 4, 200, seL4_CapNull) != seL4_NoError ||
        tessera_thread_start(&server, serve, NULL) != seL4_NoError) {
        printf("echo: cannot start the server\n");
        return 1;
    }

    int passed = 0, failed = 0;
    for (seL4_Word length = 1; length <= 20; length++) {
        for (seL4_Word i = 0; i < length; i++)
            seL4_SetMR(i, 100 * length + i);
        seL4_MessageInfo_t reply = seL4_Call(endpoint, seL4_MessageInfo_new(1, 0, 0, length));
        int ok = seL4_MessageInfo_get_length(reply) == length;
        for (seL4_Word i = 0; ok && i < length; i++)
            ok = seL4_GetMR(i) == 2 * (100 * length + i);
        printf("echo.length_%lu: %s\n", (unsigned long)length, ok ? "pass" : "FAIL");
        ok ? passed++ : failed++;
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
