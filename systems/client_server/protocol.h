/* What the example's client and server agree on: the call's label and words, and the text the
 * client leaves in the shared buffer. */
#ifndef CLIENT_SERVER_PROTOCOL_H
#define CLIENT_SERVER_PROTOCOL_H

#define SERVER_CHANNEL 0 /* the client's id for its channel to the server */
#define CLIENT_CHANNEL 1 /* the server's id for the same channel */

#define LABEL_MULTIPLY 7 /* call: mr0 * mr1; reply: mr0 = product, mr1 = server's checks failed */
#define GREETING "hello through shared memory"

#endif
