/* The compiled system spec and the boot image that carries it: binary layouts shared by the
 * host tool (writer) and the boot-time loader (reader). C11 and C++20; fixed width, little endian.
 *
 * A boot image is one file: an image header, a table of contents, then the blobs it names (one
 * spec blob and one ELF blob per program). A spec blob is a header, an array of fixed-size
 * operation records executed in order by the loader, and a string table. Both headers carry a
 * CRC-32 (IEEE 802.3, reflected, as zlib's crc32) over their whole blob with the checksum field
 * read as zero. docs/system-description.md describes every field and the meaning of each op. */
#ifndef TESSERA_SPEC_H
#define TESSERA_SPEC_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#define TESSERA_SPEC_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define TESSERA_SPEC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

/* ---- boot image ------------------------------------------------------------------------- */

#define TESSERA_IMAGE_MAGIC "TSRIMAGE" /* 8 bytes, no terminator in the file */
#define TESSERA_IMAGE_VERSION 1u
#define TESSERA_IMAGE_NAME_BYTES 40u
/* Blobs start on this boundary so a loader may copy or map them without realigning. */
#define TESSERA_IMAGE_BLOB_ALIGN 16u

enum tessera_image_entry_kind {
    TESSERA_ENTRY_SPEC = 1, /* exactly one per image */
    TESSERA_ENTRY_ELF = 2,  /* one per distinct program image */
    TESSERA_ENTRY_DATA = 3, /* raw bytes: a memory region's prefill_path file */
};

struct tessera_image_header {
    uint8_t magic[8];        /* TESSERA_IMAGE_MAGIC */
    uint32_t version;        /* TESSERA_IMAGE_VERSION */
    uint32_t header_size;    /* sizeof(struct tessera_image_header) */
    uint64_t image_size;     /* the whole file, in bytes */
    uint64_t toc_offset;     /* from the start of the file */
    uint32_t entry_count;    /* entries in the table of contents */
    uint32_t entry_size;     /* sizeof(struct tessera_image_entry) */
    uint32_t checksum;       /* CRC-32 of image_size bytes, this field read as 0 */
    uint32_t flags;          /* 0 */
    uint8_t reserved[16];    /* 0 */
};
TESSERA_SPEC_ASSERT(sizeof(struct tessera_image_header) == 64, "image header is 64 bytes");

struct tessera_image_entry {
    uint32_t kind;     /* enum tessera_image_entry_kind */
    uint32_t reserved; /* 0 */
    uint64_t offset;   /* from the start of the file, TESSERA_IMAGE_BLOB_ALIGN aligned */
    uint64_t size;     /* bytes */
    char name[TESSERA_IMAGE_NAME_BYTES]; /* NUL-terminated, NUL-padded */
};
TESSERA_SPEC_ASSERT(sizeof(struct tessera_image_entry) == 64, "image entry is 64 bytes");

/* How a boot image reaches the loader: `tessera build --loader` stores it as the contents of the
 * loader's own segment that starts at this symbol (a placeholder segment of its own at a fixed
 * address, see user/loader/image.ld) and writes its size into the 8-byte size symbol. The kernel
 * then maps it with the rest of the root task, so no kernel support for extra modules is needed. */
#define TESSERA_LOADER_IMAGE_SYMBOL "tessera_system_image"
#define TESSERA_LOADER_IMAGE_SIZE_SYMBOL "tessera_system_image_size"

/* A large image is stored in the loader packed: this header, then the image compressed in LZ4's
 * block format (one block, offsets up to 64 KiB). The kernel makes a capability for every page of
 * the root task, in a root CNode of fixed size (2^12 slots on seL4 x86_64 and on Tessera), so the
 * loader's file must stay a few MiB; the images of thousands of protection domains are tens of
 * MiB before packing and compress some thirty-fold. The loader unpacks into memory of its own
 * and reads the image from there. A small image is stored as it is, starting with its own magic. */
#define TESSERA_PACKED_MAGIC "TSRPACK1" /* 8 bytes, no terminator in the file */
#define TESSERA_PACKED_LZ4_BLOCK 1u

struct tessera_packed_header {
    uint8_t magic[8];      /* TESSERA_PACKED_MAGIC */
    uint32_t format;       /* TESSERA_PACKED_LZ4_BLOCK */
    uint32_t header_size;  /* sizeof(struct tessera_packed_header) */
    uint64_t image_size;   /* bytes once unpacked (the image checks itself by its checksum) */
    uint64_t packed_size;  /* bytes of packed data after this header */
    uint8_t reserved[32];  /* 0 */
};
TESSERA_SPEC_ASSERT(sizeof(struct tessera_packed_header) == 64, "packed header is 64 bytes");

/* ---- spec ------------------------------------------------------------------------------- */

#define TESSERA_SPEC_MAGIC "TSRSPEC1"
#define TESSERA_SPEC_VERSION 1u

struct tessera_spec_header {
    uint8_t magic[8];        /* TESSERA_SPEC_MAGIC */
    uint32_t version;        /* TESSERA_SPEC_VERSION */
    uint32_t header_size;    /* sizeof(struct tessera_spec_header) */
    uint64_t spec_size;      /* the whole blob, in bytes */
    uint64_t ops_offset;     /* from the start of the blob, 8-byte aligned */
    uint32_t op_count;       /* records of sizeof(union tessera_spec_op) */
    uint32_t object_count;   /* objects (and IRQ handlers) the ops create */
    uint64_t strings_offset; /* NUL-terminated strings, referred to by offset */
    uint64_t strings_size;
    uint32_t checksum;       /* CRC-32 of spec_size bytes, this field read as 0 */
    uint32_t reserved;       /* 0 */
};
TESSERA_SPEC_ASSERT(sizeof(struct tessera_spec_header) == 64, "spec header is 64 bytes");

/* Kinds of kernel object. Tessera's own numbering, stable across kernel configurations: the
 * loader translates each to the seL4_*Object type of the libsel4 it is built against (seL4's
 * x86_64 numbering shifts with CONFIG_HUGE_PAGE, CONFIG_IOMMU and CONFIG_VTX). */
enum tessera_object_kind {
    TESSERA_OBJECT_TCB = 1,
    TESSERA_OBJECT_ENDPOINT = 2,
    TESSERA_OBJECT_NOTIFICATION = 3,
    TESSERA_OBJECT_CNODE = 4,        /* size_bits = log2(slots) */
    TESSERA_OBJECT_VSPACE = 5,       /* x86_64 PML4 */
    TESSERA_OBJECT_PDPT = 6,         /* maps 512 GiB */
    TESSERA_OBJECT_PAGE_DIRECTORY = 7, /* maps 1 GiB */
    TESSERA_OBJECT_PAGE_TABLE = 8,   /* maps 2 MiB */
    TESSERA_OBJECT_FRAME_4K = 9,
    TESSERA_OBJECT_FRAME_2M = 10,
    TESSERA_OBJECT_IRQ_HANDLER = 11, /* not retyped: made by an IRQ_GET_* op */
    TESSERA_OBJECT_IO_PORT = 12,     /* not retyped: made by an IOPORT_ISSUE op */
    TESSERA_OBJECT_UNTYPED = 13,     /* RAM for a dynamic manager: size_bits = log2(bytes), 12 to
                                        TESSERA_MAX_UNTYPED_BITS */
    TESSERA_OBJECT_ASID_POOL = 14,   /* a new ASID pool (seL4_X86_ASIDControl_MakePool on 4 KiB of
                                        RAM), so a manager gives its children address spaces */
    TESSERA_OBJECT_SVM_VCPU = 15,    /* Tessera: an AMD SVM virtual CPU (TESSERA_X86_SVMVCPUObject,
                                        16 KiB, docs/vmm.md). A kernel without SVM (seL4's, or
                                        Tessera's on a CPU without it) refuses it: the loader then
                                        leaves every capability to it out and goes on */
};
#define TESSERA_MAX_UNTYPED_BITS 30u

enum tessera_op_kind {
    TESSERA_OP_CREATE_OBJECT = 1,
    TESSERA_OP_ASSIGN_ASID = 2,
    TESSERA_OP_MAP_TABLE = 3,
    TESSERA_OP_FILL_FRAME = 4,
    TESSERA_OP_MAP_FRAME = 5,
    TESSERA_OP_IRQ_GET_IOAPIC = 6,
    TESSERA_OP_IRQ_GET_MSI = 7,
    TESSERA_OP_IRQ_SET_NOTIFICATION = 8,
    TESSERA_OP_MINT_CAP = 9,
    TESSERA_OP_TCB_CONFIGURE = 10,
    TESSERA_OP_TCB_SET_PRIORITY = 11,
    TESSERA_OP_TCB_WRITE_REGISTERS = 12,
    TESSERA_OP_TCB_BIND_NOTIFICATION = 13,
    TESSERA_OP_TCB_SET_NAME = 14,
    TESSERA_OP_TCB_RESUME = 15,
    TESSERA_OP_WRITE_PADDR = 16,
    TESSERA_OP_IOPORT_ISSUE = 17,
    TESSERA_OP_TCB_SET_FLAGS = 18,
    TESSERA_OP_FILL_BOOTINFO = 19,
    TESSERA_OP_PCI_FIND = 20,
    TESSERA_OP_PCI_DESCRIBE = 21,
    TESSERA_OP_DOMAIN_SET = 22,
    TESSERA_OP_DOMAIN_SCHEDULE = 23,
    TESSERA_OP_DOMAIN_START = 24,
    TESSERA_OP_SVM_VCPU_BIND = 25,
};
#define TESSERA_OP_KIND_MAX 25u

/* Rights of a capability (MINT_CAP) and of a mapping (MAP_FRAME). */
#define TESSERA_RIGHT_READ 1u
#define TESSERA_RIGHT_WRITE 2u
#define TESSERA_RIGHT_EXECUTE 4u     /* mappings only */
#define TESSERA_RIGHT_GRANT 8u       /* capabilities only */
#define TESSERA_RIGHT_GRANT_REPLY 16u /* capabilities only */

#define TESSERA_MAP_CACHED 1u        /* MAP_FRAME flags: write-back when set, uncached otherwise */
#define TESSERA_PADDR_ANY UINT64_MAX /* CREATE_OBJECT: any RAM; otherwise a device frame */
#define TESSERA_NO_NAME UINT32_MAX   /* a string offset meaning "no name" */

/* Where a frame's memory comes from (CREATE_OBJECT placement). */
enum tessera_placement {
    TESSERA_PLACE_DEFAULT = 0,    /* any RAM (paddr ANY), or the device frame at paddr */
    TESSERA_PLACE_CONTIGUOUS = 1, /* RAM, frames run.first .. run.first + run.count - 1 one
                                     physically contiguous run, in object order */
    TESSERA_PLACE_PCI_BAR = 2,    /* the device frame paddr bytes into BAR pci.bar of PCI device
                                     pci.device (found by PCI_FIND at boot) */
};

/* Every op record is 64 bytes and starts with its kind. "object" fields are indices into the
 * loader's object table; each CREATE_OBJECT and IRQ_GET_* op appends the next index. */
struct tessera_op_create_object {
    uint32_t kind;        /* TESSERA_OP_CREATE_OBJECT */
    uint32_t object_kind; /* enum tessera_object_kind */
    uint32_t object;      /* equals the number of objects created before it */
    uint32_t size_bits;   /* CNODE: log2(slots); others: the object's size in bits */
    uint64_t paddr;       /* frames: TESSERA_PADDR_ANY or the device frame's address; PCI_BAR:
                             the offset into the BAR */
    uint32_t name;        /* string offset or TESSERA_NO_NAME */
    uint32_t placement;   /* enum tessera_placement; DEFAULT for everything but frames */
    union {
        struct {
            uint32_t first; /* the run's first object */
            uint32_t count; /* its frames; their CREATE_OBJECT ops are consecutive */
        } run;
        struct {
            uint32_t device; /* PCI device index (PCI_FIND order) */
            uint32_t bar;    /* 0-5 */
        } pci;
        uint64_t reserved1;
    } at;
    uint64_t reserved[3];
};

struct tessera_op_assign_asid {
    uint32_t kind; /* TESSERA_OP_ASSIGN_ASID: give a VSPACE an ASID from the pool */
    uint32_t reserved0;
    uint32_t vspace;
    uint32_t reserved1;
    uint64_t reserved[6];
};

struct tessera_op_map_table {
    uint32_t kind; /* TESSERA_OP_MAP_TABLE: PDPT, PAGE_DIRECTORY or PAGE_TABLE into a VSPACE */
    uint32_t reserved0;
    uint32_t vspace;
    uint32_t table;
    uint64_t vaddr; /* aligned to the span the table's parent entry covers */
    uint64_t reserved[5];
};

struct tessera_op_fill_frame {
    uint32_t kind; /* TESSERA_OP_FILL_FRAME: copy bytes of an image entry into a frame */
    uint32_t entry; /* index into the image's table of contents (an ELF or data entry) */
    uint32_t frame;
    uint32_t reserved0;
    uint64_t frame_offset; /* where in the frame */
    uint64_t entry_offset; /* where in the entry's blob */
    uint64_t length;       /* bytes; the rest of a new frame is already zero */
    uint64_t reserved[3];
};

struct tessera_op_map_frame {
    uint32_t kind; /* TESSERA_OP_MAP_FRAME */
    uint32_t rights; /* TESSERA_RIGHT_READ | _WRITE | _EXECUTE */
    uint32_t vspace;
    uint32_t frame;
    uint64_t vaddr; /* aligned to the frame size */
    uint32_t flags; /* TESSERA_MAP_CACHED */
    uint32_t reserved0;
    uint64_t reserved[4];
};

struct tessera_op_irq_get_ioapic {
    uint32_t kind; /* TESSERA_OP_IRQ_GET_IOAPIC: seL4_IRQControl_GetIOAPIC */
    uint32_t handler; /* the new object index */
    uint32_t ioapic;
    uint32_t pin;      /* ignored when from_device is set: the device's interrupt line */
    uint32_t level;    /* 1 level triggered, 0 edge */
    uint32_t polarity; /* 1 active low, 0 active high */
    uint32_t vector;   /* 0..107, offset from the first user vector */
    uint32_t from_device; /* 0, or 1 + a PCI device index whose INTx line this is */
    uint64_t reserved[4];
};

struct tessera_op_irq_get_msi {
    uint32_t kind; /* TESSERA_OP_IRQ_GET_MSI: seL4_IRQControl_GetMSI */
    uint32_t handler;
    uint32_t pci_bus;      /* ignored when from_device is set: the device's address */
    uint32_t pci_device;
    uint32_t pci_function;
    uint32_t vector;
    uint64_t handle;
    uint32_t from_device;  /* 0, or 1 + a PCI device index */
    uint32_t reserved0;
    uint64_t reserved[3];
};

struct tessera_op_irq_set_notification {
    uint32_t kind; /* TESSERA_OP_IRQ_SET_NOTIFICATION: handler delivers to a minted notification */
    uint32_t handler;
    uint32_t notification;
    uint32_t reserved0;
    uint64_t badge;
    uint64_t reserved[5];
};

struct tessera_op_mint_cap {
    uint32_t kind;   /* TESSERA_OP_MINT_CAP: a cap to object, minted into cnode[slot] */
    uint32_t rights; /* TESSERA_RIGHT_* */
    uint32_t cnode;
    uint32_t object;
    uint64_t slot;
    uint64_t badge; /* 0 = unbadged; only endpoints and notifications take a badge */
    uint64_t reserved[4];
};

struct tessera_op_tcb_configure {
    uint32_t kind; /* TESSERA_OP_TCB_CONFIGURE: seL4_TCB_Configure */
    uint32_t tcb;
    uint32_t cspace;     /* a CNODE; guard makes it resolve 64-bit cptrs at depth 64 */
    uint32_t vspace;
    uint32_t ipc_buffer; /* a FRAME_4K, mapped at ipc_buffer_vaddr */
    uint32_t reserved0;
    uint64_t ipc_buffer_vaddr;
    uint64_t fault_endpoint; /* cptr in the thread's cspace; 0 = none (the kernel reports) */
    uint64_t reserved[3];
};

struct tessera_op_tcb_set_priority {
    uint32_t kind; /* TESSERA_OP_TCB_SET_PRIORITY: seL4_TCB_SetSchedParams without MCS */
    uint32_t tcb;
    uint32_t priority;     /* 0..254 */
    uint32_t max_priority; /* maximum controlled priority */
    uint64_t reserved[6];
};

struct tessera_op_tcb_write_registers {
    uint32_t kind; /* TESSERA_OP_TCB_WRITE_REGISTERS: rip, rsp, rdi; others zero */
    uint32_t tcb;
    uint64_t instruction_pointer;
    uint64_t stack_pointer;
    uint64_t argument; /* rdi */
    uint64_t reserved[4];
};

struct tessera_op_tcb_bind_notification {
    uint32_t kind; /* TESSERA_OP_TCB_BIND_NOTIFICATION */
    uint32_t tcb;
    uint32_t notification;
    uint32_t reserved0;
    uint64_t reserved[6];
};

struct tessera_op_tcb_set_name {
    uint32_t kind; /* TESSERA_OP_TCB_SET_NAME: seL4_DebugNameThread, so faults name the PD */
    uint32_t tcb;
    uint32_t name; /* string offset */
    uint32_t reserved0;
    uint64_t reserved[6];
};

struct tessera_op_tcb_resume {
    uint32_t kind; /* TESSERA_OP_TCB_RESUME */
    uint32_t tcb;
    uint64_t reserved[7];
};

struct tessera_op_write_paddr {
    uint32_t kind;   /* TESSERA_OP_WRITE_PADDR: a frame's physical address, as setvar region_paddr */
    uint32_t frame;  /* the FRAME_4K written, a program page being filled */
    uint32_t source; /* the frame whose physical address (seL4_X86_Page_GetAddress) is written */
    uint32_t reserved0;
    uint64_t frame_offset; /* 8 bytes, little endian, within the frame */
    uint64_t reserved[5];
};

struct tessera_op_ioport_issue {
    uint32_t kind;       /* TESSERA_OP_IOPORT_ISSUE: seL4_X86_IOPortControl_Issue */
    uint32_t ioport;     /* the new object index */
    uint32_t first_port; /* 0..0xffff */
    uint32_t last_port;  /* first_port..0xffff, inclusive */
    uint64_t reserved[6];
};

/* Thread flags (seL4_TCBFlag): a thread without the FPU faults on its first FPU instruction. */
#define TESSERA_TCB_FLAG_FPU_DISABLED 1u

struct tessera_op_tcb_set_flags {
    uint32_t kind; /* TESSERA_OP_TCB_SET_FLAGS: seL4_TCB_SetFlags */
    uint32_t tcb;
    uint64_t clear; /* TESSERA_TCB_FLAG_* */
    uint64_t set;   /* TESSERA_TCB_FLAG_* */
    uint64_t reserved[5];
};

struct tessera_op_fill_bootinfo {
    uint32_t kind;  /* TESSERA_OP_FILL_BOOTINFO: an extra BootInfo chunk into a frame */
    uint32_t frame; /* a FRAME_4K */
    uint32_t chunk; /* SEL4_BOOTINFO_HEADER_* id; the chunk (header included) is copied to the
                       frame's start, cut at 4 KiB; nothing when the kernel gave no such chunk */
    uint32_t reserved0;
    uint64_t reserved[6];
};

/* PCI devices are found at boot, since firmware assigns their BARs then. */
#define TESSERA_MAX_PCI_DEVICES 16u

enum tessera_pci_match {
    TESSERA_PCI_MATCH_ADDRESS = 1, /* bus, device, function */
    TESSERA_PCI_MATCH_ID = 2,      /* the instance-th function with vendor and device ID, in
                                      address order */
};

enum tessera_pci_interrupt {
    TESSERA_PCI_INTERRUPT_NONE = 0,
    TESSERA_PCI_INTERRUPT_INTX = 1, /* the function's INTx line through the I/O APIC */
    TESSERA_PCI_INTERRUPT_MSI = 2,  /* the loader programs MSI for vector */
    TESSERA_PCI_INTERRUPT_MSIX = 3, /* the loader enables MSI-X; the driver writes entry msix_entry */
};

#define TESSERA_PCI_COMMAND_IO 1u        /* the command register's I/O space bit */
#define TESSERA_PCI_COMMAND_MEMORY 2u    /* memory space */
#define TESSERA_PCI_COMMAND_BUS_MASTER 4u /* the device may do DMA */

struct tessera_op_pci_find {
    uint32_t kind;     /* TESSERA_OP_PCI_FIND: find a function, claim it, set it up */
    uint32_t device;   /* equals the number of PCI_FIND ops before it */
    uint32_t match;    /* enum tessera_pci_match */
    uint16_t vendor;   /* MATCH_ID */
    uint16_t device_id;
    uint16_t instance; /* MATCH_ID */
    uint8_t bus;       /* MATCH_ADDRESS */
    uint8_t slot;      /* MATCH_ADDRESS: the PCI device number, 0-31 */
    uint8_t function;  /* MATCH_ADDRESS: 0-7 */
    uint8_t interrupt; /* enum tessera_pci_interrupt */
    uint16_t command;  /* TESSERA_PCI_COMMAND_* bits the loader sets */
    uint32_t vector;   /* MSI and MSI-X: 0..107 (CPU vector 0x30 + vector) */
    uint32_t msix_entry;
    uint32_t name;     /* string "PD/device" for messages */
    uint32_t reserved0;
    uint32_t bar_pages[6]; /* pages of each BAR the driver maps (from the BAR's start); the BAR
                              must be at least that big */
};

struct tessera_op_pci_describe {
    uint32_t kind;   /* TESSERA_OP_PCI_DESCRIBE: struct tessera_pci_device_info into a frame */
    uint32_t device; /* PCI device index */
    uint32_t frame;  /* a FRAME_4K */
    uint32_t reserved0;
    uint64_t bar_vaddr[6]; /* where each BAR is mapped in the driver, 0 = not mapped */
};

/* A <virtual_machine>'s VCPU: bound to the thread that runs it (its VMM protection domain's, as
 * Microkit binds an x86 VCPU to the VMM's TCB) and to the guest's physical address space, a VSPACE
 * holding the virtual machine's <map>s at their guest-physical addresses (its nested page table).
 * Nothing when the VCPU could not be made (no SVM). */
struct tessera_op_svm_vcpu_bind {
    uint32_t kind; /* TESSERA_OP_SVM_VCPU_BIND: TESSERA_X86SVMVCPUSetTCB, then SetNPT */
    uint32_t vcpu;   /* an SVM_VCPU */
    uint32_t tcb;    /* the VMM's TCB */
    uint32_t guest;  /* a VSPACE with an ASID */
    uint64_t reserved[6];
};

/* The kernel's domain scheduler (seL4_DomainSet), as Microkit's <domains> describes it. */
#define TESSERA_DOMAIN_COUNT 16u           /* domains 0..15 (seL4 KernelNumDomains) */
#define TESSERA_DOMAIN_SCHEDULE_LENGTH 100u /* entries (KernelNumDomainSchedules); the last one
                                              always stays an end marker */
#define TESSERA_DOMAIN_MAX_DURATION 0x00ffffffffffffffull /* ticks: 56 bits */

struct tessera_op_domain_set {
    uint32_t kind;   /* TESSERA_OP_DOMAIN_SET: seL4_DomainSet_Set, before the thread starts */
    uint32_t tcb;
    uint32_t domain; /* < TESSERA_DOMAIN_COUNT */
    uint32_t reserved0;
    uint64_t reserved[6];
};

struct tessera_op_domain_schedule {
    uint32_t kind;     /* TESSERA_OP_DOMAIN_SCHEDULE: seL4_DomainSet_ScheduleConfigure */
    uint32_t index;    /* < TESSERA_DOMAIN_SCHEDULE_LENGTH - 1 */
    uint32_t domain;   /* < TESSERA_DOMAIN_COUNT; 0 for an end marker */
    uint32_t reserved0;
    uint64_t duration; /* kernel timer ticks; 0 (with domain 0) is an end marker */
    uint64_t reserved[5];
};

struct tessera_op_domain_start {
    uint32_t kind;  /* TESSERA_OP_DOMAIN_START: seL4_DomainSet_ScheduleSetStart, at most one;
                       the loader makes it its last act, after every thread has started */
    uint32_t index; /* a DOMAIN_SCHEDULE entry that is not an end marker */
    uint64_t reserved[7];
};

union tessera_spec_op {
    uint32_t kind;
    struct tessera_op_create_object create_object;
    struct tessera_op_assign_asid assign_asid;
    struct tessera_op_map_table map_table;
    struct tessera_op_fill_frame fill_frame;
    struct tessera_op_map_frame map_frame;
    struct tessera_op_irq_get_ioapic irq_get_ioapic;
    struct tessera_op_irq_get_msi irq_get_msi;
    struct tessera_op_irq_set_notification irq_set_notification;
    struct tessera_op_mint_cap mint_cap;
    struct tessera_op_tcb_configure tcb_configure;
    struct tessera_op_tcb_set_priority tcb_set_priority;
    struct tessera_op_tcb_write_registers tcb_write_registers;
    struct tessera_op_tcb_bind_notification tcb_bind_notification;
    struct tessera_op_tcb_set_name tcb_set_name;
    struct tessera_op_tcb_resume tcb_resume;
    struct tessera_op_write_paddr write_paddr;
    struct tessera_op_ioport_issue ioport_issue;
    struct tessera_op_tcb_set_flags tcb_set_flags;
    struct tessera_op_fill_bootinfo fill_bootinfo;
    struct tessera_op_pci_find pci_find;
    struct tessera_op_pci_describe pci_describe;
    struct tessera_op_domain_set domain_set;
    struct tessera_op_domain_schedule domain_schedule;
    struct tessera_op_domain_start domain_start;
    struct tessera_op_svm_vcpu_bind svm_vcpu_bind;
    uint8_t bytes[64];
};
TESSERA_SPEC_ASSERT(sizeof(union tessera_spec_op) == 64, "every op record is 64 bytes");
TESSERA_SPEC_ASSERT(sizeof(struct tessera_op_create_object) == 64, "create_object is 64 bytes");
TESSERA_SPEC_ASSERT(sizeof(struct tessera_op_fill_frame) == 64, "fill_frame is 64 bytes");
TESSERA_SPEC_ASSERT(sizeof(struct tessera_op_write_paddr) == 64, "write_paddr is 64 bytes");
TESSERA_SPEC_ASSERT(sizeof(struct tessera_op_pci_find) == 64, "pci_find is 64 bytes");
TESSERA_SPEC_ASSERT(sizeof(struct tessera_op_pci_describe) == 64, "pci_describe is 64 bytes");
TESSERA_SPEC_ASSERT(sizeof(struct tessera_op_map_frame) == 64, "map_frame is 64 bytes");
TESSERA_SPEC_ASSERT(sizeof(struct tessera_op_irq_get_ioapic) == 64, "irq_get_ioapic is 64 bytes");
TESSERA_SPEC_ASSERT(sizeof(struct tessera_op_irq_get_msi) == 64, "irq_get_msi is 64 bytes");
TESSERA_SPEC_ASSERT(sizeof(struct tessera_op_mint_cap) == 64, "mint_cap is 64 bytes");
TESSERA_SPEC_ASSERT(sizeof(struct tessera_op_tcb_configure) == 64, "tcb_configure is 64 bytes");
TESSERA_SPEC_ASSERT(sizeof(struct tessera_op_tcb_write_registers) == 64, "write_registers: 64");
TESSERA_SPEC_ASSERT(sizeof(struct tessera_op_ioport_issue) == 64, "ioport_issue is 64 bytes");
TESSERA_SPEC_ASSERT(sizeof(struct tessera_op_tcb_set_flags) == 64, "tcb_set_flags is 64 bytes");
TESSERA_SPEC_ASSERT(sizeof(struct tessera_op_fill_bootinfo) == 64, "fill_bootinfo is 64 bytes");
TESSERA_SPEC_ASSERT(sizeof(struct tessera_op_domain_set) == 64, "domain_set is 64 bytes");
TESSERA_SPEC_ASSERT(sizeof(struct tessera_op_domain_schedule) == 64, "domain_schedule is 64 bytes");
TESSERA_SPEC_ASSERT(sizeof(struct tessera_op_domain_start) == 64, "domain_start is 64 bytes");
TESSERA_SPEC_ASSERT(sizeof(struct tessera_op_svm_vcpu_bind) == 64, "svm_vcpu_bind is 64 bytes");

/* ---- the protection-domain ABI the spec sets up ----------------------------------------- */

/* CSpace slots, as libmicrokit's microkit.h numbers them, so programs built against the
 * Microkit SDK find their capabilities where they expect them. */
#define TESSERA_PD_CNODE_BITS 9u /* 512 slots */
#define TESSERA_PD_SLOT_INPUT 1u /* endpoint if the PD receives calls or has children, else notification */
#define TESSERA_PD_SLOT_FAULT_ENDPOINT 2u /* Tessera: children's fault endpoint */
/* Tessera: in a PD whose input is its endpoint, its notification with the right to wait on it,
 * so that a protected procedure that must wait for a device keeps its caller's reply
 * capability (seL4 deletes it on any Recv on an endpoint; a Wait on a notification keeps it). */
#define TESSERA_PD_SLOT_NOTIFICATION 3u
#define TESSERA_PD_SLOT_REPLY 4u
#define TESSERA_PD_SLOT_NOTIFICATION_BASE 10u /* + channel id */
#define TESSERA_PD_SLOT_ENDPOINT_BASE 74u     /* + channel id */
#define TESSERA_PD_SLOT_IRQ_BASE 138u         /* + channel id */
#define TESSERA_PD_SLOT_TCB_BASE 202u         /* + child id */
#define TESSERA_PD_SLOT_VM_TCB_BASE 266u      /* Microkit's VM TCBs: empty on Tessera (a VCPU runs on
                                                 its VMM's own thread) */
#define TESSERA_PD_SLOT_VCPU_BASE 330u        /* + vcpu id: a <virtual_machine>'s SVM VCPU */
#define TESSERA_PD_VCPU_SLOTS 64u
#define TESSERA_PD_SLOT_IOPORT_BASE 394u      /* + I/O port id */
#define TESSERA_PD_SLOT_USER_BASE 458u        /* + <cspace> slot (1..63) */
/* A PD with <cspace> capabilities needs slots up to 458 + 63: its CNode has 2^10 slots. */
#define TESSERA_PD_CNODE_BITS_USER_CAPS 10u
#define TESSERA_PD_USER_CAP_SLOTS 64u

/* A protection domain that runs a dynamic manager (`<manager pd>`, docs/dynamic.md) also holds
 * what it builds children from, above the slots every PD has. Its CNode has
 * max(2^10, 2^ceil(log2(TESSERA_MANAGER_SLOT_FREE + caps))) slots, at most 2^16; the slots from
 * TESSERA_MANAGER_SLOT_FREE up are empty, for the manager to allocate. A CNode capability minted
 * into a PD resolves 64-bit cptrs (its guard takes the bits the CNode does not), so the manager
 * addresses its own slots through it at depth 64. */
#define TESSERA_MANAGER_SLOT_CNODE 1024u     /* the PD's own CNode */
#define TESSERA_MANAGER_SLOT_VSPACE 1025u    /* the PD's own address space, to map frames it fills */
#define TESSERA_MANAGER_SLOT_TCB 1026u       /* the PD's own TCB: authority for children's priorities */
#define TESSERA_MANAGER_SLOT_ASID_POOL 1027u /* an ASID pool of its own (512 address spaces) */
#define TESSERA_MANAGER_SLOT_TEMPLATE_BASE 1028u /* + t: template t's CNode (see below) */
#define TESSERA_MANAGER_MAX_TEMPLATES 4u
#define TESSERA_MANAGER_SLOT_UNTYPED_BASE 1032u /* + i: the manager's RAM, untyped_bits[i] each */
#define TESSERA_MANAGER_MAX_UNTYPEDS 32u
#define TESSERA_MANAGER_UNTYPED_BITS 24u     /* RAM is split into untypeds of at most 16 MiB */
#define TESSERA_MANAGER_SLOT_FREE 1064u
#define TESSERA_MANAGER_MAX_CNODE_BITS 16u

/* What the manager reads at TESSERA_MANAGER_DIRECTORY_VADDR (mapped read-only): this page, then
 * the system description's text and every <program> file of its <manager>, each starting on a
 * page boundary at `offset` bytes from the directory. The whole is one data entry of the image. */
#define TESSERA_MANAGER_DIRECTORY_VADDR UINT64_C(0x0000600000000000)
#define TESSERA_MANAGER_DIRECTORY_MAGIC "TSRMGRD1" /* 8 bytes, no terminator */
#define TESSERA_MANAGER_MAX_FILES 32u
/* A manager started by another manager as its child (docs/dynamic.md, "Nested managers"): its
 * parent built its PD's slots and this directory, and its channels are its child's routes. */
#define TESSERA_MANAGER_FLAG_NESTED 1u
#define TESSERA_MANAGER_MAX_PARENT_ROUTES 16u
#define TESSERA_MANAGER_SERVICE_NAME_BYTES 48u

/* A packed program (static_pd 0), or a static child protection domain of the manager's PD that a
 * <child pd=NAME> supervises (static_pd = 1 + its child id; name = the PD's name, offset = its
 * program's entry point, size = 0). */
struct tessera_manager_file {
    char name[TESSERA_IMAGE_NAME_BYTES]; /* the <program> or PD name, NUL-terminated */
    uint64_t offset;                     /* from the directory, page aligned; or the entry point */
    uint64_t size;                       /* bytes of the file */
    uint64_t static_pd;                  /* 0, or 1 + the child id of a supervised static PD */
};
TESSERA_SPEC_ASSERT(sizeof(struct tessera_manager_file) == 64, "manager file entry is 64 bytes");

struct tessera_manager_directory {
    uint8_t magic[8];        /* TESSERA_MANAGER_DIRECTORY_MAGIC */
    uint32_t file_count;     /* entries of files[] in use */
    uint32_t untyped_count;  /* untypeds at TESSERA_MANAGER_SLOT_UNTYPED_BASE + i */
    uint32_t cnode_bits;     /* log2 of the PD's CNode slots */
    uint32_t flags;          /* TESSERA_MANAGER_FLAG_*; 0 from `tessera build` */
    uint64_t text_offset;    /* the system description, from the directory, page aligned */
    uint64_t text_size;
    uint64_t element_offset; /* of the <manager> element's '<' in that text */
    uint8_t untyped_bits[TESSERA_MANAGER_MAX_UNTYPEDS];
    /* Bit i: the PD's channel i holds an endpoint to call (TESSERA_PD_SLOT_ENDPOINT_BASE + i),
     * or a notification to signal (TESSERA_PD_SLOT_NOTIFICATION_BASE + i); what a route to the
     * channel hands on, known without probing the slots. */
    uint64_t call_channels;
    uint64_t notify_channels;
    uint64_t template_caps_offset; /* the struct tessera_manager_template_cap table, page aligned */
    uint32_t template_cap_count;
    uint32_t template_count;       /* CNodes at TESSERA_MANAGER_SLOT_TEMPLATE_BASE + t */
    uint8_t template_files[TESSERA_MANAGER_MAX_TEMPLATES]; /* files[] index of template t */
    /* Template t's stack_size in pages: the stack of a child started from it. */
    uint16_t template_stack_pages[TESSERA_MANAGER_MAX_TEMPLATES];
    uint8_t reserved[4];     /* 0 */
    struct tessera_manager_file files[TESSERA_MANAGER_MAX_FILES];
    /* Template t's protection domain, NUL-terminated: a configuration the manager loads at run
     * time may name a template only with the pd the description made it from. */
    char template_pds[TESSERA_MANAGER_MAX_TEMPLATES][TESSERA_IMAGE_NAME_BYTES];
    /* A nested manager's (TESSERA_MANAGER_FLAG_NESTED, written by its parent manager): the
     * service of its channel i, i.e. of its child's route i, which serves its children's
     * <parent/> routes for that service; empty when unused. */
    char parent_services[TESSERA_MANAGER_MAX_PARENT_ROUTES][TESSERA_MANAGER_SERVICE_NAME_BYTES];
    /* Template t as a device (`<device name pd>`, docs/dynamic.md "Devices"): the device's name,
     * NUL-terminated (empty: template t is no device); its resources go only to the child that
     * names the device. How the manager resets it before each child it is given starts
     * (TESSERA_DEVICE_RESET_*), and for a virtio reset the vaddr of the template's PCI info page
     * (struct tessera_pci_device_info) among its frames. */
    char template_devices[TESSERA_MANAGER_MAX_TEMPLATES][TESSERA_IMAGE_NAME_BYTES];
    uint64_t template_device_info[TESSERA_MANAGER_MAX_TEMPLATES];
    uint8_t template_device_reset[TESSERA_MANAGER_MAX_TEMPLATES];
    uint8_t reserved_devices[4]; /* 0 */
};
TESSERA_SPEC_ASSERT(sizeof(struct tessera_manager_directory) ==
                        128 + 64 * 32 + TESSERA_MANAGER_MAX_TEMPLATES * TESSERA_IMAGE_NAME_BYTES +
                            TESSERA_MANAGER_MAX_PARENT_ROUTES * TESSERA_MANAGER_SERVICE_NAME_BYTES +
                            TESSERA_MANAGER_MAX_TEMPLATES * (TESSERA_IMAGE_NAME_BYTES + 8) + 8,
                    "manager directory layout");

/* A device's reset before a child it is given starts: none, or a virtio device's (device_status
 * in its common configuration written 0, and read back until 0, Virtio 1.1 4.1.4.3.1). */
#define TESSERA_DEVICE_RESET_NONE 0u
#define TESSERA_DEVICE_RESET_VIRTIO 1u

/* A template (`<program name pd=PD>` in a <manager>): a child protection domain of the manager's
 * PD that `tessera build` makes no thread, CNode or address space for. Its program (setvars
 * patched) is a packed file; its resources are capabilities in a CNode of its own that the manager
 * holds at TESSERA_MANAGER_SLOT_TEMPLATE_BASE + t (its guard makes its slots cptrs at depth 64
 * through it, like a PD's own CNode). Every capability Microkit gives a PD sits at its Microkit slot
 * (TESSERA_PD_SLOT_*: input, notifications, endpoints, IRQ handlers, I/O ports); its notification
 * with every right at TESSERA_TEMPLATE_SLOT_NOTIFICATION, to bind to a child's thread; the frames
 * its maps, BARs and PCI info pages name from TESSERA_TEMPLATE_SLOT_FRAMES up. The table of
 * struct tessera_manager_template_cap says what a child made from it gets: CAPS (copy slots
 * [slot, slot+count) to the same slots of the child's CNode), FRAMES (map count pages from slot
 * at vaddr), PADDR (write the physical address of the frame at slot to the 8 bytes at vaddr of
 * the program, before it runs). IRQ handlers already signal the template's notification. */
#define TESSERA_TEMPLATE_SLOT_NOTIFICATION 1023u
/* The largest stack_size of a template PD: a child started from it is a driver whose stack, like
 * all its pages, comes out of its RAM quota; 1 MiB is more than any driver of the tree needs. */
#define TESSERA_MANAGER_MAX_TEMPLATE_STACK UINT64_C(0x100000)
#define TESSERA_TEMPLATE_SLOT_FRAMES 1024u
#define TESSERA_TEMPLATE_CAP_CAPS 1u
#define TESSERA_TEMPLATE_CAP_FRAMES 2u
#define TESSERA_TEMPLATE_CAP_PADDR 3u

struct tessera_manager_template_cap {
    uint32_t template_index; /* t */
    uint32_t kind;           /* TESSERA_TEMPLATE_CAP_* */
    uint32_t slot;           /* in the template's CNode */
    uint32_t count;          /* slots (CAPS) or pages (FRAMES); 1 for PADDR */
    uint64_t vaddr;          /* FRAMES: of the first page; PADDR: of the variable */
    uint32_t rights;         /* FRAMES: TESSERA_RIGHT_* */
    uint32_t flags;          /* FRAMES: TESSERA_MAP_CACHED; bits 8-15 log2 of the page size */
};
TESSERA_SPEC_ASSERT(sizeof(struct tessera_manager_template_cap) == 32, "template cap entry");

/* Badges: a notification on channel id i carries 1 << i; a protected procedure call carries
 * the PPC bit and i; a child's fault carries the fault bit and the child's id. */
#define TESSERA_BADGE_PPC (UINT64_C(1) << 63)
#define TESSERA_BADGE_FAULT (UINT64_C(1) << 62)
#define TESSERA_MAX_CHANNEL_ID 61u

/* Address-space layout of every protection domain (x86_64, seL4_UserTop). */
#define TESSERA_PD_STACK_TOP UINT64_C(0x00007ffffffff000)
/* The IPC buffer page sits one guard page below the stack. */
#define TESSERA_PD_IPC_BUFFER_GAP UINT64_C(0x2000)

#ifdef __cplusplus
}
#endif
#endif /* TESSERA_SPEC_H */
