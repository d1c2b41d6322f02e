/* What the children test's parent and child agree on. */
#ifndef LOADER_TEST_CHILD_H
#define LOADER_TEST_CHILD_H

#define CHILD_ID 3
#define CHILD_BAD_ADDRESS 0x1234000ul

#endif
