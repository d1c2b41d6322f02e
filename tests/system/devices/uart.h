// A 16550 UART driven only through an seL4_X86_IOPort capability (registers from the PC16550D
// datasheet): what a user-level serial driver does, kept small for the device suites.
#pragma once

#include <sel4/sel4.h>

namespace device_suite {

class Uart {
public:
    // Register offsets from the base port.
    static constexpr seL4_Word Data = 0, InterruptEnable = 1, FifoControl = 2, InterruptId = 2,
                               LineControl = 3, ModemControl = 4, LineStatus = 5, Scratch = 7;
    static constexpr seL4_Word DataReady = 0x01, TransmitterEmpty = 0x20;
    static constexpr seL4_Word ReceiveInterrupt = 0x01;

    Uart(seL4_CPtr ports, seL4_Word base) : ports_(ports), base_(base) {}

    seL4_Error write(seL4_Word reg, seL4_Word value)
    {
        return seL4_Error(seL4_X86_IOPort_Out8(ports_, base_ + reg, value));
    }
    // The register's value, or -1 when the kernel refused the access.
    int read(seL4_Word reg)
    {
        const seL4_X86_IOPort_In8_t r = seL4_X86_IOPort_In8(ports_, seL4_Uint16(base_ + reg));
        return r.error == seL4_NoError ? int(r.result) : -1;
    }

    // 115200 8N1, FIFOs on, DTR/RTS/OUT2 (OUT2 gates the interrupt line on a PC), no interrupts.
    bool init()
    {
        return write(LineControl, 0x80) == seL4_NoError && write(Data, 1) == seL4_NoError &&
               write(InterruptEnable, 0) == seL4_NoError &&
               write(LineControl, 0x03) == seL4_NoError &&
               write(FifoControl, 0x07) == seL4_NoError &&
               write(ModemControl, 0x0b) == seL4_NoError;
    }

    // Waits (by polling, at most `tries` reads) for the transmitter, then sends `c`.
    bool send(char c, long tries = 100000)
    {
        for (long i = 0; i < tries; i++) {
            const int status = read(LineStatus);
            if (status < 0)
                return false;
            if (status & TransmitterEmpty)
                return write(Data, seL4_Word(static_cast<unsigned char>(c))) == seL4_NoError;
        }
        return false;
    }

    // Whether a byte is waiting (within `tries` reads of the line status), without taking it.
    bool poll_receive_status(long tries)
    {
        for (long i = 0; i < tries; i++) {
            const int status = read(LineStatus);
            if (status < 0)
                return false;
            if (status & DataReady)
                return true;
        }
        return false;
    }

    // A received byte, or -1 after `tries` reads found none.
    int poll_receive(long tries) { return poll_receive_status(tries) ? read(Data) : -1; }

private:
    seL4_CPtr ports_;
    seL4_Word base_;
};

} // namespace device_suite
