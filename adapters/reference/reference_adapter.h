// The `reference` adapter: an in-memory model of two Exchange-5.5-style
// servers (`src`, `dst`) and a directory, with MoveUser written the way
// Exchange wrote it before and after Service Pack 4 (KB Q277911).
//
// It is the model every other adapter is compared with, and it is fast:
// the explorer runs it hundreds of thousands of times a second.
#pragma once

#include "store/adapter.h"

namespace intransit {

// The registry entry: variants "pre-sp4" and "sp4", points, factory.
AdapterInfo ReferenceAdapterInfo();

}  // namespace intransit
