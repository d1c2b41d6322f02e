/* Tessera ABI: the seL4 version every number and layout in this folder is pinned to (DESIGN.md
 * decision 12; docs/abi.md, "The pinned seL4"): the commit of seL4/seL4 whose libsel4 XML and
 * headers they were read from, and whose binaries are in ../shared/sel4. */
#pragma once

#define TESSERA_SEL4_PINNED_COMMIT "1326364bc9135d9445d936ebc01e38a402c1f4c6"
