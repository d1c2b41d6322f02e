/* A child whose first instruction faults (a write to the unmapped page at 0): the manager's
 * time from the start of a start to this fault is its start-to-first-instruction figure. */
    .text
    .globl _start
_start:
    movb $1, 0x10
    ud2
    .section .note.GNU-stack, "", @progbits
