// COCO instance files converted by `msrf bench coco-manifest` (msrf/eval/coco.h). The model
// and an image "a.jpg" exist in a scratch folder, so that conversion goes past their checks;
// the folder is removed at exit.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "msrf/eval/coco.h"

namespace {

const std::string& Scratch() {
  static const std::string* folder = [] {
    char name[] = "/tmp/msrf-fuzz-coco.XXXXXX";
    auto* path = new std::string(::mkdtemp(name) ? name : "/tmp");
    std::ofstream(*path + "/a.jpg") << "bytes";
    std::ofstream(*path + "/model.json") << "bytes";
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(Scratch(), ec);
    });
    return path;
  }();
  return *folder;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  msrf::CocoManifestOptions options;
  options.annotations = "instances.json";
  options.images = Scratch();
  options.models = {{"cat", Scratch() + "/model.json"}, {"dog", Scratch() + "/model.json"}};
  options.out = Scratch() + "/set.json";
  (void)msrf::CocoToManifest(text, options);
  return 0;
}
