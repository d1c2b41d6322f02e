// libFuzzer target: any bytes as a .system description go through the parser and the checker,
// and a description that checks clean goes on through the spec compiler (with the tool tests'
// stand-in programs), which must then produce an image the loader's reader accepts. One with
// typed interfaces also goes through the header generator and `tessera strip`, whose output
// must check clean too. Nothing may crash, hang or grow without bound; every rejection must be a
// diagnostic.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "checker.h"
#include "compiler.h"
#include "gen.h"
#include "parser.h"
#include "strip.h"
#include "tessera/spec_reader.h"

using namespace tessera::sdf;

namespace {

// The compiler's output must pass the same validation the loader applies before executing it.
void require_valid_image(const std::vector<uint8_t>& image)
{
    auto first = tessera::spec::ImageView::open(image.data(), image.size());
    if (!first)
        std::abort();
    std::vector<uint8_t> kinds(first.value().spec().object_count());
    if (!tessera::spec::ImageView::open(image.data(), image.size(), kinds.data(), kinds.size()))
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    Diagnostics diagnostics("fuzz.system");
    System system = parse_system(text, diagnostics);
    check_system(system, diagnostics);
    (void)diagnostics.format_all();
    if (!diagnostics.empty())
        return 0;
    if (!system.interfaces.empty()) {
        (void)generate_interface_headers(system, "fuzz.system");
        std::string why;
        auto plain = strip_system(text, system, "fuzz.system", why);
        if (!plain)
            std::abort(); // the text parsed once already
        Diagnostics again("plain.system");
        System stripped = parse_system(*plain, again);
        check_system(stripped, again);
        if (!again.empty() || !stripped.interfaces.empty())
            std::abort(); // strip must leave plain Microkit that checks clean
    }
    auto built = build_system(system, BuildOptions{{TESSERA_FUZZ_PROGRAMS_DIR}}, diagnostics);
    if (built)
        require_valid_image(built->image);
    else if (diagnostics.empty())
        std::abort(); // a refused build must say why
    return 0;
}
