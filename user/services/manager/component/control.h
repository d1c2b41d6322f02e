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
                            ticks of the latest stop. With one word, MR0 = the length of a path
                            in the buffer ("child/", "child/inner/"): the text is then the status
                            of the manager that child runs (MR1-MR5 this manager's), or, rejected,
                            why there is none */
#define ControlVerify 3u /* reply: MR0 free chunks not empty in the kernel, MR1 free chunks */
/* A parent manager reads a nested manager's status through message registers (a nested manager
 * has no control buffer): MR0 = offset into the text, MR1 = the length of a path below it (as for
 * ControlStatus), its bytes from MR2 on (8 to a word, lowest byte first); reply: MR0 = the whole
 * text's length, MR1 = the bytes in this reply, from MR2 on. The parent calls the nested
 * manager's input endpoint badged as a protected call on ControlParentChannel. */
#define ControlStatusWords 4u
#define ControlParentChannel 62u
#define ControlWordBytes ((seL4_MsgMaxLength - 2u) * 8u) /* text bytes in one such call */

/* Reply labels; MR0 is the report's length in the buffer. */
#define ControlApplied 0u
#define ControlRejected 1u
#define ControlError 2u

#define ControlBufferBytes 0x4000u

#endif
