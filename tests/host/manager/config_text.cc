// Helpers for the manager-configuration tests.
#include "config_text.h"

namespace tessera::manager_config::test {
namespace {

void collect(const Diagnostics& diagnostics, Outcome& outcome)
{
    for (size_t i = 0; i < diagnostics.kept(); ++i) {
        const Diagnostic& d = diagnostics.all()[i];
        outcome.errors.push_back(std::to_string(d.where.line) + ":" +
                                 std::to_string(d.where.column) + ": " + d.message);
    }
}

} // namespace

Outcome load_text(const std::string& text, const Environment& environment)
{
    Outcome outcome;
    auto diagnostics = std::make_unique<Diagnostics>();
    auto nested = std::make_unique<Config>(); // room to check nested managers
    outcome.accepted =
        load(Text(text.data(), text.size()), environment, *outcome.config, *diagnostics, nested.get());
    collect(*diagnostics, outcome);
    return outcome;
}

Outcome read_text(const std::string& text)
{
    Outcome outcome;
    auto diagnostics = std::make_unique<Diagnostics>();
    outcome.accepted = read_file(Text(text.data(), text.size()), *outcome.config, *diagnostics);
    collect(*diagnostics, outcome);
    return outcome;
}

std::vector<std::string> names(const Name* list, size_t count)
{
    std::vector<std::string> result;
    for (size_t i = 0; i < count; ++i)
        result.emplace_back(list[i].c_str());
    return result;
}

} // namespace tessera::manager_config::test
