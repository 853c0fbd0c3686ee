// intransit's entry point.
#include <iostream>

#include "framework/cli/cli.h"

int main(int argc, char** argv) { return intransit::RunCli(argc, argv, std::cout, std::cerr); }
