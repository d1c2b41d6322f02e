// Where a system's program images are looked for when the user names no place: a system under
// the source tree's systems/ folder finds its programs where this build tree builds them
// (build/systems/NAME/, systems/CMakeLists.txt), so `tessera run systems/hello.system` just works.
#pragma once

#include <string>
#include <vector>

namespace tessera::sdf {

// `search` unchanged when the user gave one; otherwise the build tree's folder for `system_file`
// when the file is <source_dir>/systems/NAME.system and <build_dir>/systems/NAME exists.
std::vector<std::string> with_default_search_path(const std::string& system_file,
                                                  std::vector<std::string> search,
                                                  const std::string& source_dir,
                                                  const std::string& build_dir);

} // namespace tessera::sdf
