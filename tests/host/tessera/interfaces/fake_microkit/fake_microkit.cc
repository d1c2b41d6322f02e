// The fake's state: one IPC buffer whose message array is swapped per phase.
#include "fake_microkit.h"

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace fake_microkit {
namespace {

constexpr size_t MessageWords = 120;

struct State {
    seL4_IPCBuffer buffer{};
    std::unique_ptr<seL4_Word[]> words;
    size_t readable = 0; // words microkit_mr_get may read
    bool writable = false;
    Handler provider;
    std::map<microkit_channel, microkit_channel> caller;
    std::vector<microkit_channel> notifications;
    std::vector<seL4_Word> last_reply;
};

State& state()
{
    static State instance;
    return instance;
}

[[noreturn]] void fail(const char* what, unsigned index)
{
    std::fprintf(stderr, "fake microkit: %s message register %u\n", what, index);
    std::abort();
}

// A buffer of exactly `count` words holding `words`: reading past them is caught.
void install_readable(const std::vector<seL4_Word>& words)
{
    State& s = state();
    s.words = std::make_unique<seL4_Word[]>(words.size());
    for (size_t i = 0; i < words.size(); ++i)
        s.words[i] = words[i];
    s.buffer.msg = s.words.get();
    s.readable = words.size();
    s.writable = false;
}

void install_writable()
{
    State& s = state();
    s.words = std::make_unique<seL4_Word[]>(MessageWords);
    for (size_t i = 0; i < MessageWords; ++i)
        s.words[i] = 0xa5a5a5a5a5a5a5a5ull; // stale contents: must never reach a reply unpadded
    s.buffer.msg = s.words.get();
    s.readable = MessageWords;
    s.writable = true;
}

std::vector<seL4_Word> written(size_t count)
{
    State& s = state();
    if (!s.writable || count > MessageWords)
        fail("reply longer than the buffer:", static_cast<unsigned>(count));
    return std::vector<seL4_Word>(s.words.get(), s.words.get() + count);
}

} // namespace

void set_provider(Handler provider) { state().provider = std::move(provider); }

void set_caller(std::map<microkit_channel, microkit_channel> channels) { state().caller = std::move(channels); }

void begin_call() { install_writable(); }

void begin_reply() { install_writable(); }

microkit_msginfo deliver(microkit_channel ch, microkit_msginfo info, const std::vector<seL4_Word>& words,
                         const Handler& provider)
{
    install_readable(words);
    const microkit_msginfo reply = provider(ch, info);
    // A reply written without begin_reply() (a refusal carries no words) reads as empty.
    const size_t count = microkit_msginfo_get_count(reply);
    state().last_reply = count == 0 ? std::vector<seL4_Word>{} : written(count);
    install_readable(state().last_reply);
    return reply;
}

std::vector<seL4_Word> reply_words() { return state().last_reply; }

std::vector<microkit_channel> take_notifications()
{
    std::vector<microkit_channel> out;
    out.swap(state().notifications);
    return out;
}

} // namespace fake_microkit

extern "C" {

seL4_IPCBuffer* seL4_GetIPCBuffer(void) { return &fake_microkit::state().buffer; }

seL4_Word microkit_mr_get(seL4_Uint8 mr)
{
    if (mr >= fake_microkit::state().readable)
        fake_microkit::fail("read past the message:", mr);
    return fake_microkit::state().buffer.msg[mr];
}

void microkit_mr_set(seL4_Uint8 mr, seL4_Word value)
{
    if (!fake_microkit::state().writable || mr >= fake_microkit::MessageWords)
        fake_microkit::fail("write outside the buffer:", mr);
    fake_microkit::state().buffer.msg[mr] = value;
}

microkit_msginfo microkit_ppcall(microkit_channel ch, microkit_msginfo msginfo)
{
    fake_microkit::State& s = fake_microkit::state();
    if (!s.writable)
        fake_microkit::fail("call without begin_call(): no request in", 0);
    const size_t count = microkit_msginfo_get_count(msginfo);
    std::vector<seL4_Word> request(s.words.get(), s.words.get() + count);
    if (!s.provider)
        return microkit_msginfo_new(0, 0); // no provider: as libmicrokit answers a bad channel
    const auto mapped = s.caller.find(ch);
    const microkit_channel arrives_on = mapped == s.caller.end() ? ch : mapped->second;
    return fake_microkit::deliver(arrives_on, msginfo, request, s.provider);
}

void microkit_notify(microkit_channel ch) { fake_microkit::state().notifications.push_back(ch); }

void fake_microkit_begin_reply(void) { fake_microkit::begin_reply(); }

} // extern "C"
