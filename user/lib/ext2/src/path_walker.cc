// The confined path walk. The remaining path lives in one of two buffers; a symlink's target with
// the rest of the path appended becomes the remaining path in the other.
#include <tessera/ext2/path_walker.h>

#include <string.h>

namespace tessera::ext2 {

Result<InodeNumber> PathWalker::walk(InodeNumber root, const char* path, size_t length,
                                     Follow follow)
{
    if (length >= PathMax)
        return Errno::NameTooLong;
    size_t depth = 0;
    stack_[0] = root;
    uint32_t links = 0;
    const char* rest = path;
    size_t left = length;
    int spare = 0; // the buffer the next expansion goes into
    bool trailing_slash = length > 0 && path[length - 1] == '/';
    while (left > 0) {
        while (left > 0 && *rest == '/') {
            ++rest;
            --left;
        }
        if (left == 0)
            break;
        size_t part = 0;
        while (part < left && rest[part] != '/')
            ++part;
        Name name{rest, part};
        rest += part;
        left -= part;
        bool last = true;
        for (size_t i = 0; i < left; ++i)
            if (rest[i] != '/')
                last = false;
        if (part == 1 && name.bytes[0] == '.')
            continue;
        if (part == 2 && name.bytes[0] == '.' && name.bytes[1] == '.') {
            if (depth > 0)
                --depth;
            continue;
        }
        Result<InodeNumber> child = fs_.lookup(stack_[depth], name);
        if (!child)
            return child.error();
        Result<Attributes> attributes = fs_.stat(child.value());
        if (!attributes)
            return attributes.error();
        bool is_link = file_type(attributes.value().mode) == FileType::Symlink;
        if (is_link && (!last || follow == Follow::Yes || trailing_slash)) {
            if (++links > SymlinkMax)
                return Errno::Loop;
            Result<size_t> target = fs_.read_link(child.value(), link_, sizeof link_);
            if (!target)
                return target.error();
            size_t target_length = target.value();
            if (target_length + 1 + left >= PathMax)
                return Errno::NameTooLong;
            char* next = buffers_[spare];
            spare ^= 1;
            memcpy(next, link_, target_length);
            next[target_length] = '/';
            memmove(next + target_length + 1, rest, left);
            if (target_length > 0 && link_[0] == '/')
                depth = 0; // absolute: from this client's root
            rest = next;
            left = target_length + 1 + left;
            continue;
        }
        if (depth + 1 >= StackMax)
            return Errno::NameTooLong;
        stack_[++depth] = child.value();
    }
    if (trailing_slash) {
        Result<Attributes> attributes = fs_.stat(stack_[depth]);
        if (!attributes)
            return attributes.error();
        if (file_type(attributes.value().mode) != FileType::Directory)
            return Errno::NotDir;
    }
    return stack_[depth];
}

Result<InodeNumber> PathWalker::resolve(InodeNumber root, const char* path, size_t length,
                                        Follow follow)
{
    return walk(root, path, length, follow);
}

Result<PathWalker::Parent> PathWalker::resolve_parent(InodeNumber root, const char* path,
                                                      size_t length)
{
    if (length >= PathMax)
        return Errno::NameTooLong;
    size_t end = length;
    while (end > 0 && path[end - 1] == '/')
        --end;
    size_t start = end;
    while (start > 0 && path[start - 1] != '/')
        --start;
    Parent parent;
    parent.name = Name{path + start, end - start};
    if (parent.name.length > NameMax)
        return Errno::NameTooLong;
    Result<InodeNumber> directory = walk(root, path, start, Follow::Yes);
    if (!directory)
        return directory.error();
    Result<Attributes> attributes = fs_.stat(directory.value());
    if (!attributes)
        return attributes.error();
    if (file_type(attributes.value().mode) != FileType::Directory)
        return Errno::NotDir;
    parent.directory = directory.value();
    return parent;
}

} // namespace tessera::ext2
