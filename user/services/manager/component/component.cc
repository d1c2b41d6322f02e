// The dynamic manager as a protection domain (docs/dynamic.md, "The component"): it reads its
// <manager> element from the description the build packed for it, starts the children, restarts
// them by their policy when they fault, and answers control calls (load, status, verify).
#include <microkit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tessera/timer_client.h>

#include <new>

#include "component/children.h"
#include "component/control.h"
#include "component/manager_session.h"

namespace mc = tessera::manager_config;
using namespace tessera::manager;

extern "C" {
// The control buffer shared with the PD that calls the manager (setvar_vaddr).
uintptr_t manager_control;
// The manager's channel to a timer (tessera/timer.h: the HPET driver or the timer service),
// as a decimal string (<setvar symbol="manager_timer_channel" string="N"/>); "none": no timer,
// so restarts do not wait for their backoff.
__attribute__((section(".data"))) char manager_timer_channel[8] = "none";
// The manager's connection to the file-system service, for programs named by a path
// (binary="/path"): the channel, as a decimal string ("none": no file system), and the window
// both map (setvar_vaddr / setvar_size).
__attribute__((section(".data"))) char manager_fs_channel[8] = "none";
__attribute__((section(".data"))) uintptr_t manager_fs_window = 0;
__attribute__((section(".data"))) size_t manager_fs_window_size = 0;
}

namespace {

mc::Config running_config;
mc::Config next_config;
mc::Config nested_config; // a nested manager's, while it is checked or its child built
mc::Diagnostics diagnostics;
Children children;
alignas(Reconfigurer) unsigned char reconfigurer_storage[sizeof(Reconfigurer)];
Reconfigurer* reconfigurer = nullptr;
ChildStatus statuses[mc::MaxChildren];

// Milliseconds on the timer's clock; one timeout (slot 0) for the earliest restart.
class TimerClock final : public Clock {
public:
    explicit TimerClock(microkit_channel channel) : channel_(channel) {}
    uint64_t now_ms() override { return tessera_timer_now(channel_) / 1000000; }
    void wake_at(uint64_t ms) override
    {
        const uint64_t now = now_ms();
        const uint64_t ns = ms > now ? (ms - now) * 1000000 : 0;
        (void)tessera_timer_set_timeout(channel_, 0, ns);
    }
    microkit_channel channel() const { return channel_; }

private:
    microkit_channel channel_;
};
alignas(TimerClock) unsigned char clock_storage[sizeof(TimerClock)];
TimerClock* timer_clock = nullptr;
FileSystemPrograms file_programs;

const tessera_manager_directory* directory()
{
    return reinterpret_cast<const tessera_manager_directory*>(TESSERA_MANAGER_DIRECTORY_VADDR);
}

// What the directory holds to start children from, for the checks of a configuration loaded at
// run time (a <program> or <child pd> naming anything else is rejected with the configuration).
mc::Packed packed[TESSERA_MANAGER_MAX_FILES + TESSERA_MANAGER_MAX_TEMPLATES];

size_t list_packed(const tessera_manager_directory& d)
{
    size_t count = 0;
    for (uint32_t f = 0; f < d.file_count && f < TESSERA_MANAGER_MAX_FILES; ++f) {
        mc::Packed& entry = packed[count++];
        entry = mc::Packed{mc::PackedKind::File, mc::Text{d.files[f].name}, mc::Text{}};
        if (d.files[f].static_pd != 0)
            entry.kind = mc::PackedKind::StaticPd;
        for (uint32_t t = 0; t < d.template_count && t < TESSERA_MANAGER_MAX_TEMPLATES; ++t)
            if (d.template_files[t] == f)
                entry = mc::Packed{mc::PackedKind::Template, mc::Text{d.files[f].name},
                                   mc::Text{d.template_pds[t]}};
    }
    for (uint32_t t = 0; t < d.template_count && t < TESSERA_MANAGER_MAX_TEMPLATES; ++t)
        if (d.template_devices[t][0] != '\0')
            packed[count++] = mc::Packed{mc::PackedKind::Device, mc::Text{d.template_devices[t]},
                                         mc::Text{d.template_pds[t]}};
    return count;
}

// The <manager> element of the packed description, as a stand-alone configuration text.
mc::Text initial_text()
{
    const tessera_manager_directory* d = directory();
    const char* text = reinterpret_cast<const char*>(d) + d->text_offset;
    if (d->element_offset >= d->text_size)
        return mc::Text{};
    const char* element = text + d->element_offset;
    const size_t rest = d->text_size - d->element_offset;
    // Up to the end tag that closes it: nested managers' elements open and close inside it.
    static const char open[] = "<manager", close[] = "</manager>";
    size_t depth = 0;
    for (size_t at = 0; at + sizeof close - 1 <= rest; ++at) {
        if (memcmp(element + at, open, sizeof open - 1) == 0 &&
            (element[at + sizeof open - 1] == ' ' || element[at + sizeof open - 1] == '>' ||
             element[at + sizeof open - 1] == '\n' || element[at + sizeof open - 1] == '\t')) {
            size_t end = at;
            while (end < rest && element[end] != '>')
                ++end;
            if (end < rest && element[end - 1] != '/')
                ++depth; // not an empty element
            if (at == 0 && depth == 0)
                return mc::Text{element, end + 1};
        }
        if (memcmp(element + at, close, sizeof close - 1) == 0 && depth > 0 && --depth == 0)
            return mc::Text{element, at + sizeof close - 1};
    }
    // An empty element: up to its "/>".
    for (size_t at = 0; at + 1 < rest; ++at)
        if (element[at] == '/' && element[at + 1] == '>')
            return mc::Text{element, at + 2};
    return mc::Text{};
}

size_t load(mc::Text source, mc::Text path, char* out, size_t capacity, bool& applied)
{
    diagnostics = mc::Diagnostics{};
    children.set_source(source);
    static LoadReport report; // a few KiB: not on the PD's small stack
    report = LoadReport{};
    reconfigurer->load(source, children, diagnostics, report);
    ReportBuffer buffer(out, capacity);
    applied = report.outcome == LoadOutcome::Applied;
    if (applied) {
        write_applied(buffer, report.difference);
        for (size_t f = 0; f < report.failed_count; ++f)
            buffer.text("failed ").text(report.failed[f].text()).text(": ").text(report.failed_why[f] != nullptr ? report.failed_why[f] : "not started").text("\n");
    } else {
        write_rejected(buffer, path, diagnostics);
    }
    return buffer.length();
}

size_t status(char* out, size_t capacity)
{
    ReportBuffer buffer(out, capacity);
    const size_t count = children.status(reconfigurer->running(), statuses, mc::MaxChildren);
    write_status(buffer, statuses, count);
    return buffer.length();
}

// This manager's status, or with a path ("nest/", "nest/inner/") that of a nested manager below
// it; false (with why in `out`) when the path leads to none.
bool status_at(mc::Text path, char* out, size_t capacity, size_t& length)
{
    if (path.is_empty()) {
        length = status(out, capacity);
        return true;
    }
    return children.nested_status(path, out, capacity, length);
}

// ControlStatusWords: the text is made at offset 0 and handed out in pieces from it.
microkit_msginfo status_words()
{
    static char text[ControlBufferBytes];
    static size_t text_length = 0;
    static bool text_rejected = false;
    const seL4_Word offset = microkit_mr_get(0), path_length = microkit_mr_get(1);
    if (path_length > ControlWordBytes - 16)
        return microkit_msginfo_new(ControlError, 0);
    if (offset == 0) {
        static char path[ControlWordBytes];
        manager_session_unpack(2, path, path_length);
        text_rejected = !status_at(mc::Text{path, path_length}, text, sizeof text, text_length);
    }
    const size_t from = offset < text_length ? offset : text_length;
    const size_t here = text_length - from < ControlWordBytes ? text_length - from : ControlWordBytes;
    microkit_mr_set(0, text_length);
    microkit_mr_set(1, here);
    manager_session_pack(2, text + from, here);
    return microkit_msginfo_new(text_rejected ? ControlRejected : ControlApplied, 2 + (here + 7) / 8);
}

} // namespace

extern "C" void init(void)
{
    const Resources resources{directory(),
                              tessera::libos::CPtr{TESSERA_MANAGER_SLOT_CNODE},
                              tessera::libos::CPtr{TESSERA_MANAGER_SLOT_VSPACE},
                              tessera::libos::CPtr{TESSERA_MANAGER_SLOT_TCB},
                              tessera::libos::CPtr{TESSERA_MANAGER_SLOT_ASID_POOL},
                              tessera::libos::CPtr{TESSERA_PD_SLOT_INPUT}};
    if (!children.init(resources))
        return;
    if (strcmp(manager_timer_channel, "none") != 0) {
        timer_clock = new (clock_storage)
            TimerClock(microkit_channel(strtoul(manager_timer_channel, nullptr, 10)));
        children.set_clock(timer_clock);
    }
    if (strcmp(manager_fs_channel, "none") != 0) {
        if (file_programs.connect(unsigned(strtoul(manager_fs_channel, nullptr, 10)),
                                  reinterpret_cast<void*>(manager_fs_window), manager_fs_window_size))
            children.set_program_files(&file_programs);
        else
            printf("manager: no file system: its window (%zu bytes at %#lx) is unusable\n",
                   manager_fs_window_size, (unsigned long)manager_fs_window);
    }
    // A manager in the static system has no manager above it to serve <parent/> routes; a nested
    // one's parent made its child's routes its channels.
    const bool nested = (directory()->flags & TESSERA_MANAGER_FLAG_NESTED) != 0;
    mc::Environment environment{};
    environment.without_parent = !nested;
    environment.packed = packed;
    environment.packed_count = list_packed(*directory());
    environment.packed_known = true;
    children.set_nested_scratch(&nested_config);
    reconfigurer =
        new (reconfigurer_storage) Reconfigurer(running_config, next_config, environment, &nested_config);
    static char report[2048];
    bool applied = false;
    const size_t length = load(initial_text(), "<manager>", report, sizeof report - 1, applied);
    report[length] = '\0';
    printf("manager%s: %zu chunks of RAM; initial configuration:\n%s", nested ? " (nested)" : "",
           children.total_chunks(), report);
}

extern "C" void notified(microkit_channel channel)
{
    if (timer_clock != nullptr && channel == timer_clock->channel())
        children.tick();
}

extern "C" seL4_Bool fault(microkit_child child, microkit_msginfo message, microkit_msginfo* reply)
{
    // A child's call on its fault endpoint with a request label asks its parent for something.
    if (Children::is_request(microkit_msginfo_get_label(message))) {
        *reply = children.request(child, message);
        return seL4_True;
    }
    children.faulted(child);
    return seL4_False; // the faulting thread is gone: nothing to resume
}

microkit_msginfo serve(microkit_channel, microkit_msginfo call) __asm__("protected");
microkit_msginfo serve(microkit_channel, microkit_msginfo call)
{
    char* buffer = reinterpret_cast<char*>(manager_control);
    // A nested manager has no control buffer: its parent reads its status in message registers.
    if (reconfigurer != nullptr && microkit_msginfo_get_label(call) == ControlStatusWords)
        return status_words();
    if (reconfigurer == nullptr || buffer == nullptr)
        return microkit_msginfo_new(ControlError, 0);
    switch (microkit_msginfo_get_label(call)) {
    case ControlLoad: {
        const seL4_Word length = microkit_mr_get(0);
        // A caller that sends two words names the file the text came from (after the text).
        const seL4_Word path_length = microkit_msginfo_get_count(call) >= 2 ? microkit_mr_get(1) : 0;
        if (length > ControlBufferBytes || path_length > ControlBufferBytes - length)
            return microkit_msginfo_new(ControlError, 0);
        // The text is copied first: the report goes into the same buffer.
        static char text[ControlBufferBytes];
        memcpy(text, buffer, length + path_length);
        const mc::Text path = path_length > 0 ? mc::Text{text + length, path_length} : mc::Text{"control"};
        bool applied = false;
        const size_t written = load(mc::Text{text, length}, path, buffer, ControlBufferBytes, applied);
        microkit_mr_set(0, written);
        return microkit_msginfo_new(applied ? ControlApplied : ControlRejected, 1);
    }
    case ControlStatus: {
        // A path in the buffer (one word: its length) asks for a nested manager's status.
        static char path[256];
        const seL4_Word path_length = microkit_msginfo_get_count(call) >= 1 ? microkit_mr_get(0) : 0;
        if (path_length > sizeof path)
            return microkit_msginfo_new(ControlError, 0);
        memcpy(path, buffer, path_length);
        size_t written = 0;
        const bool found = status_at(mc::Text{path, path_length}, buffer, ControlBufferBytes, written);
        microkit_mr_set(0, written);
        microkit_mr_set(1, children.free_chunks());
        microkit_mr_set(2, children.total_chunks());
        microkit_mr_set(3, children.slots_free());
        microkit_mr_set(4, children.last_start_to_fault_ticks());
        microkit_mr_set(5, children.last_stop_ticks());
        return microkit_msginfo_new(found ? ControlApplied : ControlRejected, 6);
    }
    case ControlVerify:
        microkit_mr_set(0, children.verify_free_chunks());
        microkit_mr_set(1, children.free_chunks());
        return microkit_msginfo_new(ControlApplied, 2);
    default: return microkit_msginfo_new(ControlError, 0);
    }
}
