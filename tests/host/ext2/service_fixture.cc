#include "service_fixture.h"

#include <cstring>

namespace tessera::ext2::test {

namespace {
uint64_t call_service(void* context, uint64_t operation, const uint64_t* words, unsigned count,
                      uint64_t* reply, unsigned reply_capacity)
{
    auto* endpoint = static_cast<Ext2ServiceFixture::Endpoint*>(context);
    Reply answer = endpoint->fixture->raw(endpoint->index, operation,
                                          std::vector<uint64_t>(words, words + count));
    for (unsigned i = 0; i < reply_capacity; ++i)
        reply[i] = i < answer.word_count ? answer.words[i] : 0;
    return answer.error;
}

void collect(void* context, const char* line)
{
    static_cast<std::vector<std::string>*>(context)->push_back(line);
}
} // namespace

void Ext2ServiceFixture::start_service(const std::vector<ClientSpec>& wanted, Start how)
{
    specs = wanted;
    windows.clear();
    connections.clear();
    endpoints.clear();
    for (unsigned i = 0; i < specs.size(); ++i) {
        windows.emplace_back(specs[i].window);
        endpoints.push_back(std::make_unique<Endpoint>(Endpoint{this, i}));
        connections.push_back(std::make_unique<tessera_fs>());
        tessera_fs_transport transport{call_service, endpoints.back().get()};
        ASSERT_EQ(tessera_fs_init(connections.back().get(), &transport, windows.back().data(),
                                  windows.back().size()),
                  specs[i].window >= TESSERA_FS_MIN_WINDOW ? 0 : -1);
    }
    state = ServiceState{};
    begin(how);
}

void Ext2ServiceFixture::restart_service() { begin(Start::AfterRestart); }

void Ext2ServiceFixture::begin(Start how)
{
    service = std::make_unique<Service>();
    remount();
    std::vector<ClientSetup> setups;
    for (unsigned i = 0; i < specs.size(); ++i)
        setups.push_back(ClientSetup{specs[i].root.c_str(), specs[i].access, windows[i].data(),
                                     windows[i].size()});
    service->start(fs(), *m().walker, setups.data(), static_cast<unsigned>(setups.size()), state,
                   how, collect, &log);
}

Reply Ext2ServiceFixture::raw(unsigned i, uint64_t operation, std::vector<uint64_t> words)
{
    Request request;
    request.operation = operation;
    request.word_count = static_cast<uint32_t>(words.size());
    for (size_t w = 0; w < words.size() && w < TESSERA_FS_MAX_WORDS; ++w)
        request.words[w] = words[w];
    return service->handle(i, request);
}

} // namespace tessera::ext2::test
