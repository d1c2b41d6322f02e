/* What the suite's programs share: channels, the supervisor's and main's labels, and the
 * connection every client opens on its window. */
#ifndef FS_SUITE_H
#define FS_SUITE_H

#include <microkit.h>
#include <stdint.h>
#include <tessera/fs_client.h>

#define FS_CHANNEL 0         /* every client's call channel to the service */
#define SUPERVISOR_CHANNEL 1 /* main's to the supervisor */
#define REPORT_CHANNEL 1     /* confined's and reader's to main */
#define MAIN_FROM_CONFINED 2
#define MAIN_FROM_READER 3
#define SERVICE_CHILD 0      /* the service is the supervisor's child 0 */

enum suite_label {
    RESTART_SERVICE = 1, /* supervisor: restart the service; reply MR0 = restarts so far */
    REPORT = 2,          /* main: MR0 passed, MR1 failed */
};

extern uintptr_t fs_window;
extern size_t fs_window_size;
extern struct tessera_fs suite_fs;

/* Connects suite_fs; 0 or -1. */
int suite_connect(void);
/* Sends this PD's counts to main. */
void suite_report(void);

#endif
