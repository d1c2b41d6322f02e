/* libsel4 compatibility: x86 invocation labels (generated into tessera/abi/). */
#pragma once

#include <tessera/abi/invocation_labels.h>
