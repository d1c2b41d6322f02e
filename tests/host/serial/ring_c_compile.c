/* The serial protocol header compiled as C11 (the ring tests are C++): a C program can include it,
 * and a ring moves bytes when driven from C. */
#include <tessera/queue/serial.h>

#include <string.h>

/* Writes "hello" through a ring in `region` (zeroed, `bytes` long) and reads it back; returns 1
 * if the bytes arrived intact. */
int serial_ring_c_round_trip(void *region, size_t bytes)
{
    struct tessera_serial_ring producer, consumer;
    if (tessera_serial_attach_producer(&producer, region, bytes) != TESSERA_SERIAL_OK ||
        tessera_serial_attach_consumer(&consumer, region, bytes) != TESSERA_SERIAL_OK)
        return 0;
    char out[8] = {0};
    return tessera_serial_write(&producer, "hello", 5) == 5 &&
           tessera_serial_read(&consumer, out, sizeof out) == 5 && memcmp(out, "hello", 5) == 0;
}
