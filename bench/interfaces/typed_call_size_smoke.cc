// make test: enough iterations to see both calls complete with right sums, never how fast.
#include "typed_call_size.h"

const TypedCallSize typed_call_size{10, 200};
