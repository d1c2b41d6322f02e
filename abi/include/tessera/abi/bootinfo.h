/* Tessera ABI: the BootInfo frame the kernel hands the root task, and the extra chunks after it
 * (seL4 Reference Manual, "Bootinfo"; libsel4 sel4/bootinfo_types.h, arch/bootinfo_types.h). */
#pragma once

#include <tessera/abi/base.h>
#include <tessera/abi/ipc_buffer.h>
#include <tessera/abi/object_sizes.h>

/* seL4's default for the number of untyped descriptors in BootInfo; it fixes the struct size,
 * so it is part of the ABI. A build may override it exactly as seL4's config would. */
#ifndef CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS
#define CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS 230
#endif

/* A half-open range [start, end) of slots in the root CNode. */
typedef struct seL4_SlotRegion {
    seL4_SlotPos start;
    seL4_SlotPos end;
} seL4_SlotRegion;

typedef struct seL4_UntypedDesc {
    seL4_Word paddr;
    seL4_Uint8 sizeBits;
    seL4_Uint8 isDevice;
    seL4_Uint8 padding[sizeof(seL4_Word) - 2 * sizeof(seL4_Uint8)];
} seL4_UntypedDesc;

/* Non-MCS layout (MCS inserts schedcontrol before untyped). */
typedef struct seL4_BootInfo {
    seL4_Word extraLen;
    seL4_NodeId nodeID;
    seL4_Word numNodes;
    seL4_Word numIOPTLevels;
    seL4_IPCBuffer* ipcBuffer;
    seL4_SlotRegion empty;
    seL4_SlotRegion sharedFrames;
    seL4_SlotRegion userImageFrames;
    seL4_SlotRegion userImagePaging;
    seL4_SlotRegion ioSpaceCaps;
    seL4_SlotRegion extraBIPages;
    seL4_Word initThreadCNodeSizeBits;
    seL4_Domain initThreadDomain;
    seL4_SlotRegion untyped;
    seL4_UntypedDesc untypedList[CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS];
} seL4_BootInfo;

TESSERA_ABI_ASSERT(sizeof(seL4_SlotRegion) == 16, "slot region is two words");
TESSERA_ABI_ASSERT(sizeof(seL4_UntypedDesc) == 16, "untyped descriptor is two words");
TESSERA_ABI_ASSERT(sizeof(seL4_IPCBuffer*) == 8, "BootInfo holds a 64-bit pointer");
TESSERA_ABI_ASSERT(TESSERA_ABI_OFFSETOF(seL4_BootInfo, ipcBuffer) == 32, "ipcBuffer");
TESSERA_ABI_ASSERT(TESSERA_ABI_OFFSETOF(seL4_BootInfo, empty) == 40, "empty");
TESSERA_ABI_ASSERT(TESSERA_ABI_OFFSETOF(seL4_BootInfo, extraBIPages) == 120, "extraBIPages");
TESSERA_ABI_ASSERT(TESSERA_ABI_OFFSETOF(seL4_BootInfo, initThreadCNodeSizeBits) == 136, "cnode");
TESSERA_ABI_ASSERT(TESSERA_ABI_OFFSETOF(seL4_BootInfo, untyped) == 152, "untyped");
TESSERA_ABI_ASSERT(TESSERA_ABI_OFFSETOF(seL4_BootInfo, untypedList) == 168, "untypedList");
TESSERA_ABI_ASSERT(sizeof(seL4_BootInfo) == 168 + 16 * CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS,
                   "BootInfo size");
TESSERA_ABI_ASSERT(sizeof(seL4_BootInfo) <= (1u << seL4_BootInfoFrameBits), "fits its frame");

/* Extra boot information (extraLen > 0) starts one page after the BootInfo frame's start, as
 * a sequence of chunks, each opening with this header. */
typedef enum {
    SEL4_BOOTINFO_HEADER_PADDING = 0,
    SEL4_BOOTINFO_HEADER_X86_VBE = 1,
    SEL4_BOOTINFO_HEADER_X86_MBMMAP = 2,
    SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP = 3,
    SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER = 4,
    SEL4_BOOTINFO_HEADER_X86_TSC_FREQ = 5, /* one word: TSC frequency in MHz */
    SEL4_BOOTINFO_HEADER_FDT = 6,
    SEL4_BOOTINFO_HEADER_NUM = 7,
    TESSERA_ABI_FORCE_WORD_ENUM(seL4_BootInfoID),
} seL4_BootInfoID;

typedef struct seL4_BootInfoHeader {
    seL4_Word id;
    seL4_Word len; /* bytes, header included */
} seL4_BootInfoHeader;

TESSERA_ABI_ASSERT(sizeof(seL4_BootInfoHeader) == 16, "chunk header is two words");

/* Memory map chunk: Multiboot's own mmap entries, copied verbatim (packed, as Multiboot lays
 * them out). */
#define SEL4_MULTIBOOT_MAX_MMAP_ENTRIES 50
#define SEL4_MULTIBOOT_RAM_REGION_TYPE 1

typedef struct seL4_X86_mb_mmap {
    seL4_Uint32 size;
    seL4_Uint64 base_addr;
    seL4_Uint64 length;
    seL4_Uint32 type;
} TESSERA_ABI_PACKED seL4_X86_mb_mmap_t;

typedef struct seL4_X86_BootInfo_mmap {
    seL4_BootInfoHeader header;
    seL4_Uint32 mmap_length;
    seL4_X86_mb_mmap_t mmap[SEL4_MULTIBOOT_MAX_MMAP_ENTRIES];
} TESSERA_ABI_PACKED seL4_X86_BootInfo_mmap_t;

TESSERA_ABI_ASSERT(sizeof(seL4_X86_mb_mmap_t) == 24, "Multiboot mmap entry");
TESSERA_ABI_ASSERT(sizeof(seL4_X86_BootInfo_mmap_t) == 16 + 4 + 24 * 50, "mmap chunk");

/* VBE chunk: the VBE controller and mode information blocks (VESA BIOS Extensions 3.0). */
typedef struct seL4_VBEInfoBlock {
    char signature[4];
    seL4_Uint16 version;
    seL4_Uint32 oemStringPtr;
    seL4_Uint32 capabilities;
    seL4_Uint32 modeListPtr;
    seL4_Uint16 totalMemory;
    seL4_Uint16 oemSoftwareRev;
    seL4_Uint32 oemVendorNamePtr;
    seL4_Uint32 oemProductNamePtr;
    seL4_Uint32 oemProductRevPtr;
    seL4_Uint8 reserved[222];
    seL4_Uint8 oemData[256];
} TESSERA_ABI_PACKED seL4_VBEInfoBlock_t;

typedef struct seL4_VBEModeInfoBlock {
    struct vbe_info_common {
        seL4_Uint16 modeAttr;
        seL4_Uint8 winAAttr;
        seL4_Uint8 winBAttr;
        seL4_Uint16 winGranularity;
        seL4_Uint16 winSize;
        seL4_Uint16 winASeg;
        seL4_Uint16 winBSeg;
        seL4_Uint32 winFuncPtr;
        seL4_Uint16 bytesPerScanLine;
    } TESSERA_ABI_PACKED vbe_common;
    struct vbe_info_12_part1 {
        seL4_Uint16 xRes;
        seL4_Uint16 yRes;
        seL4_Uint8 xCharSize;
        seL4_Uint8 yCharSize;
        seL4_Uint8 planes;
        seL4_Uint8 bitsPerPixel;
        seL4_Uint8 banks;
        seL4_Uint8 memoryModel;
        seL4_Uint8 bankSize;
        seL4_Uint8 imagePages;
        seL4_Uint8 reserved1;
    } TESSERA_ABI_PACKED vbe12_part1;
    struct vbe_info_12_part2 {
        seL4_Uint8 redLen;
        seL4_Uint8 redOff;
        seL4_Uint8 greenLen;
        seL4_Uint8 greenOff;
        seL4_Uint8 blueLen;
        seL4_Uint8 blueOff;
        seL4_Uint8 rsvdLen;
        seL4_Uint8 rsvdOff;
        seL4_Uint8 directColorInfo;
    } TESSERA_ABI_PACKED vbe12_part2;
    struct vbe_info_20 {
        seL4_Uint32 physBasePtr;
        seL4_Uint8 reserved2[6];
    } TESSERA_ABI_PACKED vbe20;
    struct vbe_info_30 {
        seL4_Uint16 linBytesPerScanLine;
        seL4_Uint8 bnkImagePages;
        seL4_Uint8 linImagePages;
        seL4_Uint8 linRedLen;
        seL4_Uint8 linRedOff;
        seL4_Uint8 linGreenLen;
        seL4_Uint8 linGreenOff;
        seL4_Uint8 linBlueLen;
        seL4_Uint8 linBlueOff;
        seL4_Uint8 linRsvdLen;
        seL4_Uint8 linRsvdOff;
        seL4_Uint32 maxPixelClock;
        seL4_Uint16 modeId;
        seL4_Uint8 depth;
    } TESSERA_ABI_PACKED vbe30;
    seL4_Uint8 reserved3[187];
} TESSERA_ABI_PACKED seL4_VBEModeInfoBlock_t;

typedef struct _seL4_X86_BootInfo_VBE {
    seL4_BootInfoHeader header;
    seL4_VBEInfoBlock_t vbeInfoBlock;
    seL4_VBEModeInfoBlock_t vbeModeInfoBlock;
    seL4_Uint32 vbeMode;
    seL4_Uint32 vbeInterfaceSeg;
    seL4_Uint32 vbeInterfaceOff;
    seL4_Uint32 vbeInterfaceLen;
} TESSERA_ABI_PACKED seL4_X86_BootInfo_VBE;

/* VBE defines both blocks as 512 and 256 bytes. */
TESSERA_ABI_ASSERT(sizeof(seL4_VBEInfoBlock_t) == 512, "VBE controller info block");
TESSERA_ABI_ASSERT(sizeof(seL4_VBEModeInfoBlock_t) == 256, "VBE mode info block");
TESSERA_ABI_ASSERT(sizeof(seL4_X86_BootInfo_VBE) == 16 + 512 + 256 + 16, "VBE chunk");

/* Framebuffer chunk body: Multiboot 2's framebuffer tag fields after its type/size header. */
typedef struct multiboot2_fb {
    seL4_Uint64 addr;
    seL4_Uint32 pitch;
    seL4_Uint32 width;
    seL4_Uint32 height;
    seL4_Uint8 bpp;
    seL4_Uint8 type;
} TESSERA_ABI_PACKED seL4_X86_BootInfo_fb_t;

TESSERA_ABI_ASSERT(sizeof(seL4_X86_BootInfo_fb_t) == 22, "Multiboot 2 framebuffer fields");
