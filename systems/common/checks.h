/* The example systems' test lines: each check prints `NAME: pass` or `NAME: FAIL` and is counted,
 * so a system's in-system test can pass only on its own `N passed, N failed` line. */
#ifndef SYSTEMS_CHECKS_H
#define SYSTEMS_CHECKS_H

struct check_counts {
    unsigned passed;
    unsigned failed;
};

/* This protection domain's counts so far. */
extern struct check_counts check_counts;

/* Prints one result line; returns ok, so a caller can stop after a failed precondition. */
int check(const char *name, int ok);

/* Adds counts reported by another protection domain (its own lines are already printed). */
void check_add(unsigned passed, unsigned failed);

/* The summary line the test harness waits for. */
void check_summary(void);

#endif
