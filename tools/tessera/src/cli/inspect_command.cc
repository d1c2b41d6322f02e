// `tessera inspect`: validates a boot image as the loader would and prints its operations.
#include <fstream>
#include <iostream>
#include <iterator>
#include <vector>

#include "cli/commands.h"
#include "inspect.h"

namespace tessera::sdf::cli {

int inspect_command(const CommandLine& line)
{
    const std::string& path = line.image_file;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::cerr << path << ": error: cannot read the file\n";
        return 1;
    }
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
    std::vector<uint8_t> kinds;
    // A first pass learns the object count; the second also checks object kinds.
    auto image = tessera::spec::ImageView::open(bytes.data(), bytes.size());
    if (image) {
        kinds.resize(image.value().spec().object_count());
        image = tessera::spec::ImageView::open(bytes.data(), bytes.size(), kinds.data(), kinds.size());
    }
    if (!image) {
        const auto& failure = image.error();
        std::cerr << path << ": error: " << tessera::spec::read_error_name(failure.error)
                  << " at byte 0x" << std::hex << failure.offset << std::dec << ": "
                  << failure.detail << "\n";
        return 1;
    }
    std::cout << describe_image(image.value());
    return 0;
}

} // namespace tessera::sdf::cli
