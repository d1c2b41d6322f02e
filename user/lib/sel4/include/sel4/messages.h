/* libsel4 compatibility: message info and message registers. */
#pragma once

#include <sel4/functions.h>
#include <sel4/types.h>
