/* libsel4 compatibility: sel4/config.h pulls in the kernel configuration. */
#pragma once

#include <autoconf.h>
