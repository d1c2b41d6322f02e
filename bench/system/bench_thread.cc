// Benchmark threads and the second address space (see bench_thread.h).
#include "bench_thread.h"

#include <stdint.h>
#include <string.h>

#include <tessera/elf/elf64.h>

#include "benchmarks.h"

extern "C" const unsigned char __ehdr_start[];

namespace tessera::bench {
namespace {

constexpr seL4_Word PageSize = 1ul << seL4_PageBits;
constexpr size_t StackSize = 16 * 1024;
// Thread-local data of a benchmark thread starts zeroed rather than as a copy of the program's
// TLS image: the only thread-local variable these threads use is libsel4's IPC-buffer pointer,
// which run() sets first. thread_tls_fits() checks that it lies inside this block.
constexpr size_t TlsBlockSize = 512;

struct ThreadMemory {
    alignas(16) unsigned char stack[StackSize];
    alignas(64) unsigned char tls_block[TlsBlockSize];
    uintptr_t thread_pointer_word; // x86_64 TLS variant II: FS base points at itself
};
ThreadMemory thread_memory[BenchThread::MaxThreads];
BenchThread threads[BenchThread::MaxThreads];

// IPC buffers live above the benchmarks' own mapping page, one page per thread slot; the same
// addresses serve in either address space.
seL4_Word ipc_buffer_address(unsigned index)
{
    return BenchmarkMappingBase + (1ul << 21) + index * PageSize;
}

uintptr_t current_thread_pointer()
{
    uintptr_t pointer;
    asm volatile("mov %%fs:0, %0" : "=r"(pointer));
    return pointer;
}

bool thread_tls_fits()
{
    const uintptr_t pointer = current_thread_pointer();
    const auto variable = reinterpret_cast<uintptr_t>(&__sel4_ipc_buffer);
    return variable < pointer && pointer - variable <= TlsBlockSize;
}

} // namespace

void BenchThread::run(BenchThread* self)
{
    seL4_SetIPCBuffer(self->ipc_buffer_);
    self->entry_(self->argument_);
    // Entries never return; should one do so, the thread stops here instead of running off.
    for (;;)
        seL4_TCB_Suspend(self->tcb_);
}

BenchThread& BenchThread::slot(unsigned index)
{
    BenchThread& thread = threads[index < MaxThreads ? index : MaxThreads - 1];
    thread.index_ = index < MaxThreads ? index : MaxThreads - 1;
    return thread;
}

seL4_Error BenchThread::start(KernelObjects& objects, const ThreadSpec& spec)
{
    const unsigned index = index_;
    if (tcb_ != seL4_CapNull || !thread_tls_fits())
        return seL4_InvalidArgument;
    const Made tcb = objects.make(seL4_TCBObject);
    if (!tcb.ok())
        return tcb.error;
    tcb_ = tcb.cap;
    const Made frame = objects.make(seL4_X86_4K);
    if (!frame.ok())
        return frame.error;
    ipc_buffer_frame_ = frame.cap;
    const seL4_Word buffer = ipc_buffer_address(index);
    seL4_Error error = objects.map_frame(frame.cap, spec.vspace, buffer, seL4_ReadWrite);
    if (error != seL4_NoError)
        return error;
    ipc_buffer_ = reinterpret_cast<seL4_IPCBuffer*>(buffer);
    entry_ = spec.entry;
    argument_ = spec.argument;

    error = seL4_TCB_Configure(tcb_, spec.fault_endpoint, seL4_CapInitThreadCNode, 0, spec.vspace, 0, buffer,
                               frame.cap);
    if (error == seL4_NoError)
        error = seL4_TCB_SetPriority(tcb_, seL4_CapInitThreadTCB, spec.priority);
    if (error != seL4_NoError)
        return error;

    ThreadMemory& memory = thread_memory[index];
    memset(memory.tls_block, 0, sizeof(memory.tls_block));
    memory.thread_pointer_word = reinterpret_cast<uintptr_t>(&memory.thread_pointer_word);
    seL4_UserContext registers = {};
    registers.rip = reinterpret_cast<seL4_Word>(&BenchThread::run);
    // As if called: the stack is 16-byte aligned before the (absent) return address was pushed.
    registers.rsp = reinterpret_cast<seL4_Word>(memory.stack + StackSize) - sizeof(seL4_Word);
    registers.rdi = reinterpret_cast<seL4_Word>(this);
    registers.fs_base = memory.thread_pointer_word;
    return seL4_TCB_WriteRegisters(tcb_, 1, 0, sizeof(registers) / sizeof(seL4_Word), &registers);
}

void BenchThread::destroy()
{
    if (tcb_ != seL4_CapNull)
        (void)seL4_CNode_Delete(seL4_CapInitThreadCNode, tcb_, seL4_WordBits);
    if (ipc_buffer_frame_ != seL4_CapNull)
        (void)seL4_X86_Page_Unmap(ipc_buffer_frame_);
    const unsigned index = index_;
    *this = BenchThread{};
    index_ = index;
}

namespace {

// Calls `visit(page)` for every page a loadable segment touches, lowest first: the order in which
// the kernel created BootInfo's userImageFrames (kernel/arch/x86_64/boot/root_task.cc).
template <class Visit> void for_each_image_page(Visit&& visit)
{
    elf::FileHeader file;
    memcpy(&file, __ehdr_start, sizeof(file));
    uint64_t count = 0;
    elf::ProgramHeader headers[16];
    for (uint16_t i = 0; i < file.program_header_count && count < 16; i++) {
        memcpy(&headers[count], __ehdr_start + file.program_header_offset + i * sizeof(elf::ProgramHeader),
               sizeof(elf::ProgramHeader));
        if (headers[count].type == elf::SegmentLoad && headers[count].memory_size != 0)
            count++;
    }
    uint64_t lowest = UINT64_MAX, highest = 0;
    for (uint64_t i = 0; i < count; i++) {
        if (headers[i].vaddr < lowest)
            lowest = headers[i].vaddr;
        if (headers[i].vaddr + headers[i].memory_size > highest)
            highest = headers[i].vaddr + headers[i].memory_size;
    }
    for (uint64_t page = lowest & ~(PageSize - 1); page < highest; page += PageSize) {
        bool used = false;
        for (uint64_t i = 0; i < count; i++)
            used |= headers[i].vaddr < page + PageSize && page < headers[i].vaddr + headers[i].memory_size;
        if (used)
            visit(page);
    }
}

} // namespace

seL4_Error OtherAddressSpace::create(KernelObjects& objects, const seL4_BootInfo& boot_info)
{
    const Made vspace = objects.make_vspace();
    if (!vspace.ok())
        return vspace.error;
    vspace_ = vspace.cap;
    const seL4_Word frame_count = boot_info.userImageFrames.end - boot_info.userImageFrames.start;
    seL4_Word pages = 0;
    seL4_Error error = seL4_NoError;
    for_each_image_page([&](uint64_t page) {
        if (error != seL4_NoError)
            return;
        if (pages >= frame_count) {
            error = seL4_RangeError; // the image has more pages than BootInfo has frames
            return;
        }
        const Made copy = objects.copy(boot_info.userImageFrames.start + pages++);
        error = copy.ok() ? objects.map_frame(copy.cap, vspace_, page, seL4_ReadWrite) : copy.error;
    });
    if (error == seL4_NoError && pages != frame_count)
        error = seL4_RangeError;
    return error;
}

} // namespace tessera::bench
