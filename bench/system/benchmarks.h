// The benchmark groups the suite runs, one file each. Each group creates what it needs, runs its
// benchmarks through the Suite and reports a kernel that cannot run one as skipped.
#pragma once

namespace tessera::bench {

class Suite;
class KernelObjects;

// Where the benchmarks map their own frames: far above the root task's image, stack and
// BootInfo, in a PML4 slot of its own.
inline constexpr unsigned long BenchmarkMappingBase = 0x1000000000ul;

// map_unmap_4k and retype_4k.
void run_memory_benchmarks(Suite& suite, KernelObjects& objects);
// null_syscall and yield_switch.
void run_scheduler_benchmarks(Suite& suite, KernelObjects& objects);
// The IPC round trips, one-way IPC and the cross-address-space notifications.
void run_ipc_benchmarks(Suite& suite, KernelObjects& objects);
// fault_roundtrip_cross_as: an unknown system call served by a fault handler.
void run_fault_benchmarks(Suite& suite, KernelObjects& objects);
// irq_latency: a device interrupt (the HPET's) to its user-level handler running.
void run_irq_benchmarks(Suite& suite, KernelObjects& objects);

} // namespace tessera::bench
