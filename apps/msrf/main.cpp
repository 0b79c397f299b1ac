#include <iostream>

#include "msrf/cli.h"
#include "msrf/io/file_io.h"

int main(int argc, char** argv) {
  // An interrupted run leaves no temporary files behind.
  msrf::RemoveTemporariesOnSignal();
  return msrf::cli::Run(argc, argv, std::cout, std::cerr);
}
