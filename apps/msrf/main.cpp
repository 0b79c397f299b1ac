#include <iostream>

#include "msrf/cli.h"

int main(int argc, char** argv) { return msrf::cli::Run(argc, argv, std::cout, std::cerr); }
