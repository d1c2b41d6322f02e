// Paths are compared after weakly_canonical, so `systems/x.system`, `./systems/x.system` and an
// absolute path through a symbolic link all count as the same file.
#include "search_path.h"

#include <filesystem>

namespace tessera::sdf {

std::vector<std::string> with_default_search_path(const std::string& system_file,
                                                  std::vector<std::string> search,
                                                  const std::string& source_dir,
                                                  const std::string& build_dir)
{
    namespace fs = std::filesystem;
    if (!search.empty())
        return search;
    std::error_code error;
    const fs::path file = fs::weakly_canonical(fs::path(system_file), error);
    if (error)
        return search;
    const fs::path systems = fs::weakly_canonical(fs::path(source_dir) / "systems", error);
    if (error || file.parent_path() != systems || file.extension() != ".system")
        return search;
    const fs::path programs = fs::path(build_dir) / "systems" / file.stem();
    if (fs::is_directory(programs, error))
        search.push_back(programs.string());
    return search;
}

} // namespace tessera::sdf
