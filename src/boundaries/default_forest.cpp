// The forest msrf ships, embedded in the library so that no file is looked up at run time
// (edge nodes and installed programs find it too). The assembler includes the bytes of
// data/boundary_forest.bin; CMake passes its path and its hash (MSRF_DEFAULT_FOREST_SHA256,
// so that a compiler cache sees a new forest as a new source).
#include <string>

#include "msrf/boundaries/forest.h"

#ifndef MSRF_DEFAULT_FOREST_PATH
#error "MSRF_DEFAULT_FOREST_PATH must name data/boundary_forest.bin"
#endif

// NOLINTNEXTLINE(hicpp-no-assembler)
__asm__(
    ".pushsection .rodata\n"
    ".balign 16\n"
    ".global msrf_default_forest_begin\n"
    ".hidden msrf_default_forest_begin\n"
    "msrf_default_forest_begin:\n"
    ".incbin \"" MSRF_DEFAULT_FOREST_PATH
    "\"\n"
    ".global msrf_default_forest_end\n"
    ".hidden msrf_default_forest_end\n"
    "msrf_default_forest_end:\n"
    ".popsection\n");

extern "C" const char msrf_default_forest_begin[];
extern "C" const char msrf_default_forest_end[];

namespace msrf {

const Forest& DefaultForest() {
  static const Forest forest = [] {
    const std::string bytes(msrf_default_forest_begin,
                            msrf_default_forest_end - msrf_default_forest_begin);
    Result<Forest> parsed = ParseForest(bytes);
    // A damaged file gives a forest without trees, which ForestBoundaries refuses with a
    // message; tests/boundaries check that the shipped one parses.
    return parsed.ok() ? std::move(parsed).value() : Forest{};
  }();
  return forest;
}

}  // namespace msrf
