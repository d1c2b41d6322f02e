/* libsel4 compatibility: x86_64 invocation labels (generated into tessera/abi/). */
#pragma once

#include <tessera/abi/invocation_labels.h>
