// The build report (`microkit -r REPORT`): what the system became, for a person debugging it.
// Like Microkit's, it has no fixed format and is not meant for machines.
#pragma once

#include <string>

#include "bootable.h"

namespace tessera::sdf {

struct ReportContext {
    std::string system_file;
    std::string board, config;
    std::string image_file;
};

std::string build_report(const Bootable& bootable, const ReportContext& context);

// The spec as JSON (`microkit --capdl-json FILE`): Tessera's own spec, not a capDL spec; each
// operation as `tessera inspect` prints it.
std::string spec_json(const BuildResult& build);

} // namespace tessera::sdf
