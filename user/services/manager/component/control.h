/* The manager's control calls (a protected procedure call on a channel to the manager; the texts
 * go through a shared buffer the caller maps, docs/dynamic.md "Control calls"). C and C++. */
#ifndef TESSERA_MANAGER_CONTROL_H
#define TESSERA_MANAGER_CONTROL_H

/* Call labels. */
#define ControlLoad 1u   /* MR0 = length of a <manager> text in the buffer; MR1 (optional) =
                            length of the file's path after it, which the report names; reply:
                            the report */
#define ControlStatus 2u /* reply: `manager status` text; MR1 free chunks, MR2 all, MR3 free slots,
                            MR4 TSC ticks from the latest start to its child's first fault, MR5
                            ticks of the latest stop */
#define ControlVerify 3u /* reply: MR0 free chunks not empty in the kernel, MR1 free chunks */

/* Reply labels; MR0 is the report's length in the buffer. */
#define ControlApplied 0u
#define ControlRejected 1u
#define ControlError 2u

#define ControlBufferBytes 0x4000u

#endif
