#include "core/fs/memory_volume.h"

#include <string.h>

#include "linux/constants.h"

namespace tessera::posix::fs {
namespace {

namespace mode = linux::mode;

constexpr int MaxLinkHops = 40; // Linux's bound on links followed in one lookup
constexpr size_t MaxTarget = PageSize - 1;

uint8_t dirent_type_of(uint32_t mode)
{
    switch (mode & mode::TypeMask) {
    case mode::Directory: return linux::dirent_type::Directory;
    case mode::Symlink: return linux::dirent_type::Symlink;
    default: return linux::dirent_type::Regular;
    }
}

size_t component_length(const char* p)
{
    const char* slash = strchr(p, '/');
    return slash ? size_t(slash - p) : strlen(p);
}

} // namespace

MemoryVolume::MemoryVolume(const char* mount_point, FramePool& frames, size_t page_limit,
                           uint64_t device, uint32_t root_mode)
    : mount_point_(mount_point), mount_length_(strlen(mount_point)), frames_(frames),
      page_limit_(page_limit), device_(device)
{
    Node root;
    root.used = true;
    root.mode = mode::Directory | (root_mode & mode::Permissions);
    root.links = 2;
    root.parent = 0;
    // Without room for its root the volume answers ENOENT to every name (nodes_ stays empty).
    (void)nodes_.push_back(std::move(root));
}

MemoryVolume::~MemoryVolume()
{
    for (Node& node : nodes_)
        for (Frame* page : node.pages)
            if (page != nullptr)
                frames_.release(page);
}

void MemoryVolume::set_time_source(TimeSource* time)
{
    time_ = time;
    if (!nodes_.is_empty())
        nodes_[0].atime = nodes_[0].mtime = nodes_[0].ctime = now();
}

bool MemoryVolume::holds(const char* path) const
{
    return strncmp(path, mount_point_, mount_length_) == 0 &&
           (path[mount_length_] == '\0' || path[mount_length_] == '/');
}

bool MemoryVolume::is_directory(uint32_t node) const
{
    return (nodes_[node].mode & mode::TypeMask) == mode::Directory;
}

uint32_t MemoryVolume::find_entry(uint32_t directory, const char* name, size_t length) const
{
    for (uint32_t i = 0; i < dentries_.size(); ++i) {
        const Dentry& d = dentries_[i];
        if (d.parent == directory && strncmp(d.name, name, length) == 0 && d.name[length] == '\0')
            return i;
    }
    return None;
}

bool MemoryVolume::directory_empty(uint32_t directory) const
{
    for (const Dentry& d : dentries_)
        if (d.parent == directory)
            return false;
    return true;
}

size_t MemoryVolume::target_of(const Node& node, char* buffer, size_t capacity) const
{
    size_t length = node.size < capacity ? size_t(node.size) : capacity;
    if (length > 0)
        memcpy(buffer, node.pages[0]->data, length);
    return length;
}

Result<MemoryVolume::Walk> MemoryVolume::walk(const char* path, bool follow) const
{
    if (nodes_.is_empty() || !holds(path))
        return Errno::NoEnt;
    int hops = 0;
    return walk_from(0, path + mount_length_, follow, hops);
}

bool MemoryVolume::leaves(const char* path, bool follow, char (&out)[256])
{
    if (nodes_.is_empty() || !holds(path))
        return false;
    int hops = 0;
    auto walked = walk_from(0, path + mount_length_, follow, hops, out);
    return !walked && walked.error() == Errno::XDev;
}

namespace {

// `left` = `head` + "/" + `tail` (the tail when there is one): false when it does not fit.
bool compose(char* left, const char* head, size_t head_length, const char* tail)
{
    char joined[256];
    const size_t tail_length = strlen(tail);
    if (head_length + 1 + tail_length >= sizeof joined)
        return false;
    memcpy(joined, head, head_length);
    size_t n = head_length;
    if (tail_length > 0) {
        joined[n++] = '/';
        memcpy(joined + n, tail, tail_length);
        n += tail_length;
    }
    joined[n] = '\0';
    memcpy(left, joined, n + 1);
    return true;
}

} // namespace

Result<MemoryVolume::Walk> MemoryVolume::walk_from(uint32_t directory, const char* rest, bool follow,
                                                   int& hops, char* left) const
{
    for (;;) {
        while (*rest == '/')
            ++rest;
        if (*rest == '\0') { // the directory itself (the volume's root: no entry names it)
            Walk here;
            here.node = directory;
            if (directory != 0) {
                here.directory = nodes_[directory].parent;
                for (uint32_t i = 0; i < dentries_.size(); ++i)
                    if (dentries_[i].node == directory && dentries_[i].parent == here.directory) {
                        here.dentry = i;
                        memcpy(here.last, dentries_[i].name, sizeof here.last);
                        here.last_length = strlen(here.last);
                        break;
                    }
            }
            return here;
        }
        const size_t length = component_length(rest);
        if (length > 255)
            return Errno::NameTooLong;
        const char* next = rest + length;
        while (*next == '/')
            ++next;
        const bool last = *next == '\0';
        if (!is_directory(directory))
            return Errno::NotDir;
        if ((length == 1 && rest[0] == '.') || (length == 2 && rest[0] == '.' && rest[1] == '.')) {
            if (length == 2 && directory == 0) { // above the root: the mount point's parent
                if (left == nullptr)
                    return Errno::NoEnt;
                const char* slash = strrchr(mount_point_, '/');
                if (!compose(left, mount_point_, size_t(slash - mount_point_), next))
                    return Errno::NameTooLong;
                return Errno::XDev;
            }
            if (length == 2)
                directory = nodes_[directory].parent;
            rest = next;
            continue;
        }
        const uint32_t entry = find_entry(directory, rest, length);
        const uint32_t node = entry == None ? None : dentries_[entry].node;
        const bool link = node != None && (nodes_[node].mode & mode::TypeMask) == mode::Symlink;
        if (link && (!last || follow)) {
            if (++hops > MaxLinkHops)
                return Errno::Loop;
            char target[PageSize];
            target[target_of(nodes_[node], target, sizeof target - 1)] = '\0';
            // A target outside the volume leaves it (see the header), and so may a relative
            // one through "..": the rest of this name goes on after where it went.
            const bool inside = target[0] != '/' || holds(target);
            Result<Walk> through = !inside ? Result<Walk>(Errno::XDev)
                                   : target[0] == '/'
                                       ? walk_from(0, target + mount_length_, true, hops, left)
                                       : walk_from(directory, target, true, hops, left);
            if (!through && through.error() == Errno::XDev) {
                if (left == nullptr)
                    return Errno::NoEnt;
                if (!inside && !compose(left, target, strlen(target), ""))
                    return Errno::NameTooLong;
                if (!last && !compose(left, left, strlen(left), next))
                    return Errno::NameTooLong;
                return Errno::XDev;
            }
            if (!through || last)
                return through;
            if (through.value().node == None)
                return Errno::NoEnt;
            directory = through.value().node;
            rest = next;
            continue;
        }
        if (last) {
            Walk found;
            found.directory = directory;
            found.dentry = entry;
            found.node = node;
            memcpy(found.last, rest, length);
            found.last[length] = '\0';
            found.last_length = length;
            return found;
        }
        if (node == None)
            return Errno::NoEnt;
        directory = node;
        rest = next;
    }
}

Result<uint32_t> MemoryVolume::existing(const char* path, bool follow) const
{
    POSIX_TRY(found, walk(path, follow));
    if (found.node == None)
        return Errno::NoEnt;
    return found.node;
}

linux::Timespec MemoryVolume::now() const
{
    return time_ ? time_->now() : linux::Timespec{};
}

void MemoryVolume::touch(uint32_t node, bool modified)
{
    const linux::Timespec t = now();
    nodes_[node].ctime = t;
    if (modified)
        nodes_[node].mtime = t;
}

Result<uint32_t> MemoryVolume::new_node(uint32_t node_mode)
{
    uint32_t slot = None;
    for (uint32_t i = 0; i < nodes_.size(); ++i)
        if (!nodes_[i].used) {
            slot = i;
            break;
        }
    if (slot == None) {
        if (nodes_.size() >= MaxNodes)
            return Errno::NoSpc;
        if (!nodes_.push_back(Node{}))
            return Errno::NoMem;
        slot = uint32_t(nodes_.size() - 1);
    }
    Node& node = nodes_[slot];
    node = Node{};
    node.used = true;
    node.mode = node_mode;
    node.atime = node.mtime = node.ctime = now();
    return slot;
}

Result<uint32_t> MemoryVolume::add_entry(uint32_t directory, const char* name, size_t length,
                                         uint32_t node)
{
    if (length > 255)
        return Errno::NameTooLong;
    uint32_t slot = None;
    for (uint32_t i = 0; i < dentries_.size(); ++i)
        if (dentries_[i].parent == None) {
            slot = i;
            break;
        }
    if (slot == None) {
        if (!dentries_.push_back(Dentry{}))
            return Errno::NoMem;
        slot = uint32_t(dentries_.size() - 1);
    }
    Dentry& d = dentries_[slot];
    d.parent = directory;
    d.node = node;
    memcpy(d.name, name, length);
    d.name[length] = '\0';
    touch(directory, true);
    return slot;
}

void MemoryVolume::remove_entry(uint32_t dentry)
{
    // The slot stays where it is (free), so a listing's cursor past it stays valid.
    touch(dentries_[dentry].parent, true);
    dentries_[dentry] = Dentry{};
}

void MemoryVolume::release_if_unused(uint32_t index)
{
    Node& node = nodes_[index];
    if (index == 0 || node.links > 0 || node.opens > 0)
        return;
    for (Frame* page : node.pages)
        if (page != nullptr) {
            frames_.release(page);
            --pages_used_;
        }
    node = Node{};
}

Result<void> MemoryVolume::resize(Node& node, uint64_t size)
{
    const uint64_t pages = page_up(size) / PageSize;
    if (size > (uint64_t(1) << 40))
        return Errno::FBig;
    while (node.pages.size() > pages) {
        if (Frame* page = node.pages.back()) {
            frames_.release(page);
            --pages_used_;
        }
        node.pages.pop_back();
    }
    if (size < node.size && (size & PageMask) != 0 && pages > 0 && node.pages[pages - 1] != nullptr)
        memset(node.pages[pages - 1]->data + (size & PageMask), 0, PageSize - (size & PageMask));
    if (!node.pages.reserve(pages))
        return Errno::NoMem;
    while (node.pages.size() < pages)
        (void)node.pages.push_back(nullptr); // reserved: cannot fail
    node.size = size;
    return {};
}

linux::Stat MemoryVolume::stat_of(uint32_t index) const
{
    const Node& node = nodes_[index];
    linux::Stat st{};
    st.dev = device_;
    st.ino = index + 1;
    st.nlink = node.links;
    st.mode = node.mode;
    st.uid = node.uid;
    st.gid = node.gid;
    st.size = int64_t(node.size);
    st.block_size = int64_t(PageSize);
    for (const Frame* page : node.pages)
        if (page != nullptr)
            st.blocks += int64_t(PageSize / 512);
    if ((node.mode & mode::TypeMask) == mode::Directory) {
        uint64_t entries = 0;
        for (const Dentry& d : dentries_)
            entries += d.parent == index;
        st.size = int64_t((entries + 2) * 20); // tmpfs's directory size: 20 bytes an entry
    }
    st.atime = node.atime;
    st.mtime = node.mtime;
    st.ctime = node.ctime;
    return st;
}

MemoryVolume::Node* MemoryVolume::node_of(Handle handle)
{
    if (!handle.valid() || uint32_t(handle.value) >= nodes_.size() || !nodes_[handle.value].used)
        return nullptr;
    return &nodes_[handle.value];
}

Result<Handle> MemoryVolume::open(const char* path, uint32_t flags, uint32_t file_mode)
{
    namespace open_flag = linux::open_flag;
    const bool no_follow = (flags & open_flag::NoFollow) != 0;
    POSIX_TRY(found, walk(path, !no_follow));
    const uint32_t access = flags & open_flag::AccessMode;
    uint32_t index = found.node;
    if (index == None) {
        if ((flags & open_flag::Create) == 0)
            return Errno::NoEnt;
        POSIX_TRY(made, new_node(mode::Regular | (file_mode & mode::Permissions)));
        index = made;
        if (auto added = add_entry(found.directory, found.last, found.last_length, index); !added) {
            release_if_unused(index);
            return added.error();
        }
        nodes_[index].links = 1;
    } else {
        Node& node = nodes_[index];
        const uint32_t type = node.mode & mode::TypeMask;
        if ((flags & (open_flag::Create | open_flag::Exclusive)) == (open_flag::Create | open_flag::Exclusive))
            return Errno::Exist;
        if (type == mode::Symlink)
            return Errno::Loop; // O_NOFOLLOW on a link
        if ((flags & open_flag::Directory) && type != mode::Directory)
            return Errno::NotDir;
        if (type == mode::Directory && (access != open_flag::ReadOnly || (flags & open_flag::Create)))
            return Errno::IsDir;
        if ((flags & open_flag::Truncate) && access != open_flag::ReadOnly && node.size > 0) {
            POSIX_CHECK(resize(node, 0));
            touch(index, true);
        }
    }
    ++nodes_[index].opens;
    return Handle{int32_t(index)};
}

void MemoryVolume::close(Handle handle)
{
    Node* node = node_of(handle);
    if (node == nullptr || node->opens == 0)
        return;
    --node->opens;
    release_if_unused(uint32_t(handle.value));
}

Result<size_t> MemoryVolume::read(Handle handle, uint64_t offset, void* buffer, size_t length)
{
    Node* node = node_of(handle);
    if (node == nullptr)
        return Errno::BadF;
    if ((node->mode & mode::TypeMask) == mode::Directory)
        return Errno::IsDir;
    if (offset >= node->size)
        return size_t(0);
    if (length > node->size - offset)
        length = size_t(node->size - offset);
    auto* out = static_cast<uint8_t*>(buffer);
    for (size_t done = 0; done < length;) {
        const uint64_t at = offset + done;
        const size_t in_page = size_t(at & PageMask);
        const size_t n = length - done < PageSize - in_page ? length - done : PageSize - in_page;
        const Frame* page = node->pages[at / PageSize];
        if (page != nullptr)
            memcpy(out + done, page->data + in_page, n);
        else
            memset(out + done, 0, n); // a hole
        done += n;
    }
    return length;
}

Result<size_t> MemoryVolume::write(Handle handle, uint64_t offset, const void* bytes, size_t length)
{
    Node* node = node_of(handle);
    if (node == nullptr)
        return Errno::BadF;
    if ((node->mode & mode::TypeMask) == mode::Directory)
        return Errno::IsDir;
    if (length == 0)
        return size_t(0);
    if (offset + length < offset)
        return Errno::FBig;
    const uint64_t old_size = node->size;
    if (offset + length > node->size)
        POSIX_CHECK(resize(*node, offset + length));
    const auto* in = static_cast<const uint8_t*>(bytes);
    size_t done = 0;
    while (done < length) {
        const uint64_t at = offset + done;
        const size_t in_page = size_t(at & PageMask);
        const size_t n = length - done < PageSize - in_page ? length - done : PageSize - in_page;
        Frame*& page = node->pages[at / PageSize];
        if (page == nullptr) {
            page = pages_used_ < page_limit_ ? frames_.allocate() : nullptr;
            if (page == nullptr)
                break;
            frames_.acquire(page);
            ++pages_used_;
        }
        memcpy(page->data + in_page, in + done, n);
        done += n;
    }
    if (done < length) // out of room: the file ends after what was written
        (void)resize(*node, offset + done > old_size ? offset + done : old_size);
    if (done == 0)
        return Errno::NoSpc;
    touch(uint32_t(handle.value), true);
    return done;
}

Result<void> MemoryVolume::truncate(Handle handle, uint64_t size)
{
    Node* node = node_of(handle);
    if (node == nullptr)
        return Errno::BadF;
    if ((node->mode & mode::TypeMask) != mode::Regular)
        return Errno::IsDir;
    POSIX_CHECK(resize(*node, size));
    touch(uint32_t(handle.value), true);
    return {};
}

Result<linux::Stat> MemoryVolume::stat(Handle handle)
{
    if (node_of(handle) == nullptr)
        return Errno::BadF;
    return stat_of(uint32_t(handle.value));
}

Result<linux::Stat> MemoryVolume::stat(const char* path, bool follow)
{
    POSIX_TRY(index, existing(path, follow));
    return stat_of(index);
}

Result<void> MemoryVolume::list(Handle directory, uint64_t& cursor, EntrySink& sink)
{
    Node* node = node_of(directory);
    if (node == nullptr)
        return Errno::BadF;
    if ((node->mode & mode::TypeMask) != mode::Directory)
        return Errno::NotDir;
    const uint32_t self = uint32_t(directory.value);
    for (;; ++cursor) {
        Entry e;
        if (cursor < 2) {
            const uint32_t which = cursor == 0 ? self : nodes_[self].parent;
            e.inode = which + 1;
            e.type = linux::dirent_type::Directory;
            e.name_length = uint16_t(cursor + 1);
            memcpy(e.name, "..", e.name_length);
        } else if (cursor - 2 < dentries_.size()) {
            const Dentry& d = dentries_[cursor - 2];
            if (d.parent != self)
                continue;
            e.inode = d.node + 1;
            e.type = dirent_type_of(nodes_[d.node].mode);
            e.name_length = uint16_t(strlen(d.name));
            memcpy(e.name, d.name, e.name_length + 1u);
        } else {
            return {};
        }
        if (!sink.take(e))
            return {};
    }
}

Result<void> MemoryVolume::make_directory(const char* path, uint32_t dir_mode)
{
    POSIX_TRY(found, walk(path, false));
    if (found.node != None)
        return Errno::Exist;
    POSIX_TRY(index, new_node(mode::Directory | (dir_mode & mode::Permissions)));
    if (auto added = add_entry(found.directory, found.last, found.last_length, index); !added) {
        release_if_unused(index);
        return added.error();
    }
    nodes_[index].links = 2;
    nodes_[index].parent = found.directory;
    ++nodes_[found.directory].links;
    return {};
}

Result<void> MemoryVolume::remove_directory(const char* path)
{
    POSIX_TRY(found, walk(path, false));
    if (found.node == None)
        return Errno::NoEnt;
    if (found.dentry == None)
        return Errno::Busy; // the mount point
    if (!is_directory(found.node))
        return Errno::NotDir;
    if (!directory_empty(found.node))
        return Errno::NotEmpty;
    remove_entry(found.dentry);
    --nodes_[found.directory].links;
    nodes_[found.node].links = 0;
    release_if_unused(found.node);
    return {};
}

Result<void> MemoryVolume::unlink(const char* path)
{
    POSIX_TRY(found, walk(path, false));
    if (found.node == None)
        return Errno::NoEnt;
    if (is_directory(found.node))
        return Errno::IsDir;
    remove_entry(found.dentry);
    --nodes_[found.node].links;
    touch(found.node, false);
    release_if_unused(found.node);
    return {};
}

Result<void> MemoryVolume::rename(const char* from, const char* to)
{
    POSIX_TRY(source, walk(from, false));
    if (source.node == None)
        return Errno::NoEnt;
    POSIX_TRY(target, walk(to, false));
    if (source.dentry == None || (target.node != None && target.dentry == None))
        return Errno::Busy; // a mount point
    if (target.node == source.node)
        return {};
    const bool moving_directory = is_directory(source.node);
    if (moving_directory) // not into itself or below it
        for (uint32_t d = target.directory;; d = nodes_[d].parent) {
            if (d == source.node)
                return Errno::Inval;
            if (d == 0)
                break;
        }
    if (target.node != None) {
        const bool onto_directory = is_directory(target.node);
        if (moving_directory && !onto_directory)
            return Errno::NotDir;
        if (!moving_directory && onto_directory)
            return Errno::IsDir;
        if (onto_directory && !directory_empty(target.node))
            return Errno::NotEmpty;
        remove_entry(target.dentry);
        if (onto_directory) {
            --nodes_[target.directory].links;
            nodes_[target.node].links = 0;
        } else {
            --nodes_[target.node].links;
        }
        release_if_unused(target.node);
    }
    Dentry& moved = dentries_[source.dentry];
    moved.parent = target.directory;
    memcpy(moved.name, target.last, target.last_length + 1);
    if (moving_directory) {
        --nodes_[source.directory].links;
        ++nodes_[target.directory].links;
        nodes_[source.node].parent = target.directory;
    }
    touch(source.directory, true);
    touch(target.directory, true);
    touch(source.node, false);
    return {};
}

Result<void> MemoryVolume::link(const char* existing_name, const char* name)
{
    POSIX_TRY(index, existing(existing_name, false));
    if (is_directory(index))
        return Errno::Perm;
    POSIX_TRY(found, walk(name, false));
    if (found.node != None)
        return Errno::Exist;
    POSIX_CHECK(add_entry(found.directory, found.last, found.last_length, index));
    ++nodes_[index].links;
    touch(index, false);
    return {};
}

Result<void> MemoryVolume::symlink(const char* target, const char* name)
{
    const size_t length = strlen(target);
    if (length > MaxTarget)
        return Errno::NameTooLong;
    POSIX_TRY(found, walk(name, false));
    if (found.node != None)
        return Errno::Exist;
    POSIX_TRY(index, new_node(mode::Symlink | 0777));
    // The target lives in the link's one page, as its data.
    Handle handle{int32_t(index)};
    nodes_[index].links = 1; // held while written
    if (auto written = length ? write(handle, 0, target, length) : Result<size_t>(size_t(0));
        !written || written.value() != length) {
        nodes_[index].links = 0;
        release_if_unused(index);
        return written ? Errno::NoSpc : written.error();
    }
    if (auto added = add_entry(found.directory, found.last, found.last_length, index); !added) {
        nodes_[index].links = 0;
        release_if_unused(index);
        return added.error();
    }
    return {};
}

Result<size_t> MemoryVolume::read_link(const char* path, char* buffer, size_t capacity)
{
    POSIX_TRY(index, existing(path, false));
    if ((nodes_[index].mode & mode::TypeMask) != mode::Symlink)
        return Errno::Inval;
    return target_of(nodes_[index], buffer, capacity);
}

Result<void> MemoryVolume::change_mode(const char* path, uint32_t new_mode)
{
    POSIX_TRY(index, existing(path, true));
    Node& node = nodes_[index];
    node.mode = (node.mode & mode::TypeMask) | (new_mode & mode::Permissions);
    touch(index, false);
    return {};
}

Result<void> MemoryVolume::set_attributes(Handle handle, const AttributeChange& change)
{
    Node* node = node_of(handle);
    if (node == nullptr)
        return Errno::BadF;
    if (change.set_mode)
        node->mode = (node->mode & mode::TypeMask) | (change.mode & mode::Permissions);
    if (change.set_owner)
        node->uid = change.owner;
    if (change.set_group)
        node->gid = change.group;
    if (change.set_access)
        node->atime = change.access;
    if (change.set_modification)
        node->mtime = change.modification;
    node->ctime = now();
    return {};
}

Result<linux::Statfs> MemoryVolume::statfs()
{
    linux::Statfs st{};
    st.type = Magic;
    st.block_size = int64_t(PageSize);
    st.fragment_size = int64_t(PageSize);
    st.blocks = page_limit_;
    size_t free_pages = page_limit_ - pages_used_;
    if (free_pages > frames_.available())
        free_pages = frames_.available(); // the pool is shared with the processes
    st.free_blocks = st.available_blocks = free_pages;
    st.files = MaxNodes;
    uint64_t used = 0;
    for (const Node& node : nodes_)
        used += node.used;
    st.free_files = MaxNodes - used;
    st.name_length = 255;
    st.fsid[0] = int32_t(device_);
    return st;
}

} // namespace tessera::posix::fs
