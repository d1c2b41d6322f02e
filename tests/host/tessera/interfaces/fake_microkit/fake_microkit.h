// The fake's control panel for tests: what a protected procedure call reaches, and the phases of
// a call. A message being read lives in an allocation of exactly its words, so reading past them
// is an AddressSanitizer error, and microkit_mr_get past them fails the test at once.
#pragma once

#include <functional>
#include <map>
#include <vector>

#include "microkit.h"

namespace fake_microkit {

using Handler = std::function<microkit_msginfo(microkit_channel, microkit_msginfo)>;

// What microkit_ppcall reaches: the provider's dispatcher, usually.
void set_provider(Handler provider);

// The calling protection domain's channels, each with the id the provider gives the same
// channel: a protected procedure call arrives on the provider's own id. Unlisted ids pass as they
// are.
void set_caller(std::map<microkit_channel, microkit_channel> channels);

// Before a client stub writes its request: a fresh, full IPC buffer.
void begin_call();

// For a provider's implementation, between decoding and encoding: the reply goes into a fresh,
// full IPC buffer (so the request can no longer be read).
void begin_reply();

// Delivers a request of exactly `words` to `provider` as a provider receives it and returns the
// reply; afterwards the reply's words are readable (reply_words()).
microkit_msginfo deliver(microkit_channel ch, microkit_msginfo info, const std::vector<seL4_Word>& words,
                         const Handler& provider);

// The words of the last reply.
std::vector<seL4_Word> reply_words();

// Channels notified so far, in order; cleared by the call.
std::vector<microkit_channel> take_notifications();

} // namespace fake_microkit
