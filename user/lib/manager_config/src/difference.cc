// The difference between the running configuration and a new one, child by child.
#include <tessera/manager_config/manager_config.h>

namespace tessera::manager_config {
namespace {

// The program file a child runs: a boot-image program's path, or the file-system path itself.
Text program_file(const Config& config, const Child& child)
{
    const Program* program = config.program(child.binary.text());
    return program != nullptr ? program->path.text() : child.binary.text();
}

} // namespace

Difference difference(const Config& running, const Config& next)
{
    Difference result;
    for (size_t i = running.child_count; i-- > 0;) {
        const Child& old_child = running.children[i];
        if (next.child(old_child.name.text()) == nullptr)
            result.stop[result.stop_count++] = old_child.name;
    }
    for (size_t i = 0; i < next.child_count; ++i) {
        const Child& new_child = next.children[i];
        const Child* old_child = running.child(new_child.name.text());
        if (old_child == nullptr)
            result.start[result.start_count++] = new_child.name;
        else if (!old_child->same_start(new_child) ||
                 !(program_file(running, *old_child) == program_file(next, new_child)))
            result.restart[result.restart_count++] = new_child.name;
        else
            result.keep[result.keep_count++] = new_child.name;
    }
    return result;
}

} // namespace tessera::manager_config
