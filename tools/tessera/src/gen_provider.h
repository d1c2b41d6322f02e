// The provider's side that the C and C++ headers share: one case of the serve switch (decode,
// clear the out parameters, call the implementation, encode or refuse) and the channels a
// provider's dispatcher routes.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "gen_c.h"
#include "gen_writer.h"
#include "model.h"

namespace tessera::sdf {

// Writes `case METHOD: { ... }` of a serve switch. `call` writes the lines that call the
// implementation with the decoded `args` and set `status`; Language picks the casts.
void write_serve_case(CodeWriter& out, const Interface& interface, const Method& method,
                      Language language, const std::function<void()>& call);

// Closes a serve switch: unknown methods keep the status request_method gave them.
void write_serve_end(CodeWriter& out);

// One connection a provider's dispatcher serves.
struct DispatchCase {
    std::string channel; // the macro of its channel at the provider
    std::string allowed; // the mask of methods its user may call
    std::string buffer;  // the macro of its buffer dataport at the provider, or empty
};
std::vector<DispatchCase> dispatch_cases(const System& system, const Interface& interface,
                                         const Port& provider);

} // namespace tessera::sdf
