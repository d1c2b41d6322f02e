// A temporary directory for a description the tool writes and the files beside it, removed with
// everything in it (`tessera vm`, `tessera linux --disk`).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

namespace tessera::sdf {

class ScratchDirectory {
public:
    // Under $TMPDIR (or /tmp), named PREFIX-XXXXXX; path() is empty when it cannot be made.
    explicit ScratchDirectory(const std::string& prefix)
    {
        const char* tmp = std::getenv("TMPDIR");
        std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/" + prefix + "-XXXXXX";
        if (mkdtemp(pattern.data()) != nullptr)
            path_ = pattern;
    }
    ~ScratchDirectory()
    {
        std::error_code ignored;
        if (!path_.empty())
            std::filesystem::remove_all(path_, ignored);
    }
    ScratchDirectory(const ScratchDirectory&) = delete;
    ScratchDirectory& operator=(const ScratchDirectory&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

} // namespace tessera::sdf
