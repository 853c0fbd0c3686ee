// The Catch2 main of intransit_tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
