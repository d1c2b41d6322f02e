/* libsel4 compatibility: generic invocation labels (generated into tessera/abi/). */
#pragma once

#include <tessera/abi/invocation_labels.h>
