/* Uses every libmicrokit call once, so the header's inline functions are compiled under the
 * strictest warnings in C and C++ (header_compiles.sh). Built, never run. */
#include <microkit.h>

void init(void)
{
    microkit_notify(0);
    microkit_deferred_notify(1);
    microkit_irq_ack(2);
    microkit_deferred_irq_ack(3);
    microkit_msginfo reply = microkit_ppcall(4, microkit_msginfo_new(5, 1));
    microkit_mr_set(0, microkit_msginfo_get_label(reply) + microkit_msginfo_get_count(reply));
    microkit_mr_set(1, microkit_mr_get(0));
    microkit_pd_restart(1, 0x200000);
    microkit_pd_stop(1);
    microkit_pd_resume(1);
    microkit_x86_ioport_write_8(0, 0x3f8, 1);
    microkit_x86_ioport_write_16(0, 0x3f8, 1);
    microkit_x86_ioport_write_32(0, 0x3f8, 1);
    microkit_ioport port = 0;
    seL4_Word sum = microkit_x86_ioport_read_8(port, 0x3f8) + microkit_x86_ioport_read_16(port, 0x3f8) +
                    microkit_x86_ioport_read_32(port, 0x3f8);
    microkit_dbg_put8((seL4_Uint8)sum);
    microkit_dbg_put32(BASE_IOPORT_CAP + MICROKIT_MAX_IOPORT_ID + MICROKIT_MAX_CHANNEL_ID +
                       MICROKIT_PD_NAME_LENGTH + BASE_OUTPUT_NOTIFICATION_CAP + BASE_ENDPOINT_CAP +
                       BASE_IRQ_CAP + BASE_TCB_CAP + BASE_USER_CAPS);
    microkit_dbg_puts(microkit_name);
    microkit_dbg_putc('\n');
    (void)microkit_cspace_root_slot_to_cptr(1);
}

void notified(microkit_channel ch) {}

seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo)
{
    *reply_msginfo = microkit_msginfo_new(child, (seL4_Uint16)microkit_msginfo_get_count(msginfo));
    return seL4_True;
}
