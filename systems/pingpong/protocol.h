/* What ping and pong agree on (systems/pingpong.system): channel ids, call labels, rounds. */
#ifndef PINGPONG_PROTOCOL_H
#define PINGPONG_PROTOCOL_H

#define PONG_CHANNEL 0 /* ping's id for its channel to pong */
#define PING_CHANNEL 1 /* pong's id for the same channel */

#define ROUNDS 5
#define TOKEN_BASE 100 /* ping leaves TOKEN_BASE + round in the shared buffer */

#define LABEL_SQUARE 1 /* call: mr0 = round; reply: mr0 = round squared, mr1 = the token pong read */
#define LABEL_REPORT 2 /* call: none; reply: mr0 calls, mr1 notifications, mr2 passed, mr3 failed */

#endif
