// COCO box annotations to a shape manifest (msrf/eval/coco.h).
#include "msrf/eval/coco.h"

#include <cstdint>
#include <filesystem>
#include <limits>
#include <unordered_map>

#include "msrf/eval/manifest.h"
#include "msrf/io/file_io.h"
#include "msrf/io/json_read.h"

namespace msrf {
namespace {

namespace fs = std::filesystem;

// `target` as the manifest at `manifest` names it: relative to the manifest's folder when
// one can be, else absolute.
std::string PathFromManifest(const std::string& target, const std::string& manifest) {
  const fs::path absolute = fs::absolute(fs::path(target)).lexically_normal();
  const fs::path folder = fs::absolute(fs::path(manifest)).lexically_normal().parent_path();
  const fs::path relative = absolute.lexically_relative(folder);
  return relative.empty() ? absolute.string() : relative.string();
}

class CocoReader {
 public:
  explicit CocoReader(const CocoManifestOptions& options) : options_(options) {}

  Status Error(const std::string& field, const std::string& problem) const {
    return InvalidArgumentError(options_.annotations + ": " + field + ": " + problem);
  }

  // The array `key` of the document.
  Result<const JsonDocument*> Array(const JsonDocument& doc, const std::string& key) const {
    const auto it = doc.find(key);
    if (it == doc.end()) return Error(key, "missing");
    if (!it->is_array()) return Error(key, "expected an array");
    return &*it;
  }

  Result<int64_t> Id(const JsonDocument& entry, const std::string& field,
                     const std::string& key) const {
    const auto it = entry.find(key);
    if (it == entry.end()) return Error(field + "." + key, "missing");
    const Result<int64_t> id = JsonInteger(*it, "", std::numeric_limits<int64_t>::min(),
                                           std::numeric_limits<int64_t>::max());
    if (!id.ok()) return Error(field + "." + key, "expected an integer");
    return *id;
  }

  Result<std::string> Convert(const std::string& text, CocoManifestSummary& summary) const {
    MSRF_ASSIGN_OR_RETURN(const JsonDocument doc, ParseJson(text, options_.annotations));
    if (!doc.is_object())
      return InvalidArgumentError(options_.annotations + ": expected a JSON object");
    MSRF_ASSIGN_OR_RETURN(const JsonDocument* categories, Array(doc, "categories"));
    MSRF_ASSIGN_OR_RETURN(const JsonDocument* images, Array(doc, "images"));
    MSRF_ASSIGN_OR_RETURN(const JsonDocument* annotations, Array(doc, "annotations"));

    // The chosen categories: id -> class name.
    std::unordered_map<int64_t, std::string> chosen;
    JsonDocument manifest;
    manifest["schema"] = kShapeManifestSchema;
    manifest["name"] = fs::path(options_.annotations).stem().string();
    manifest["classes"] = JsonDocument::array();
    for (const auto& [name, model] : options_.models) {
      bool found = false;
      for (size_t c = 0; c < categories->size(); ++c) {
        const JsonDocument& category = (*categories)[c];
        const std::string field = "categories[" + std::to_string(c) + "]";
        if (!category.is_object()) return Error(field, "expected an object");
        const auto n = category.find("name");
        if (n == category.end() || !n->is_string())
          return Error(field + ".name", "expected a string");
        if (n->get_ref<const std::string&>() != name) continue;
        MSRF_ASSIGN_OR_RETURN(const int64_t id, Id(category, field, "id"));
        chosen[id] = name;
        found = true;
      }
      if (!found) {
        return InvalidArgumentError("--models " + name + ": no category '" + name + "' in " +
                                    options_.annotations);
      }
      const Status model_ok = CheckReadableFile(model);
      if (!model_ok.ok()) return model_ok.WithContext("--models " + name);
      manifest["classes"].push_back(
          {{"name", name}, {"model", PathFromManifest(model, options_.out)}});
      summary.objects[name] = 0;
    }

    // The images, in the file's order.
    std::unordered_map<int64_t, size_t> index;
    JsonDocument list = JsonDocument::array();
    for (size_t i = 0; i < images->size(); ++i) {
      const JsonDocument& image = (*images)[i];
      const std::string field = "images[" + std::to_string(i) + "]";
      if (!image.is_object()) return Error(field, "expected an object");
      MSRF_ASSIGN_OR_RETURN(const int64_t id, Id(image, field, "id"));
      if (!index.emplace(id, list.size()).second) {
        return Error(field + ".id", "image id " + std::to_string(id) + " is given twice");
      }
      const auto name = image.find("file_name");
      if (name == image.end() || !name->is_string() ||
          name->get_ref<const std::string&>().empty()) {
        return Error(field + ".file_name", "expected a non-empty string");
      }
      const std::string path = (fs::path(options_.images) / name->get<std::string>()).string();
      const Status readable = CheckReadableFile(path);
      if (!readable.ok()) return Error(field + ".file_name", readable.message());
      list.push_back(
          {{"path", PathFromManifest(path, options_.out)}, {"objects", JsonDocument::array()}});
    }

    for (size_t k = 0; k < annotations->size(); ++k) {
      const JsonDocument& a = (*annotations)[k];
      const std::string field = "annotations[" + std::to_string(k) + "]";
      if (!a.is_object()) return Error(field, "expected an object");
      MSRF_ASSIGN_OR_RETURN(const int64_t category, Id(a, field, "category_id"));
      const auto klass = chosen.find(category);
      if (klass == chosen.end()) continue;
      MSRF_ASSIGN_OR_RETURN(const int64_t image_id, Id(a, field, "image_id"));
      const auto at = index.find(image_id);
      if (at == index.end()) {
        return Error(field + ".image_id", "no image with id " + std::to_string(image_id));
      }
      const auto crowd = a.find("iscrowd");
      if (crowd != a.end() && !(crowd->is_number_integer() || crowd->is_boolean())) {
        return Error(field + ".iscrowd", "expected 0 or 1");
      }
      if (crowd != a.end() &&
          (crowd->is_boolean() ? crowd->get<bool>() : crowd->get<int64_t>() != 0)) {
        ++summary.crowd_skipped;
        continue;
      }
      const auto bbox = a.find("bbox");
      const Status bad =
          Error(field + ".bbox", "expected [x, y, width, height] with width, height > 0");
      if (bbox == a.end() || !bbox->is_array() || bbox->size() != 4) return bad;
      double v[4];
      for (size_t c = 0; c < 4; ++c) {
        const Result<double> number = JsonNumber((*bbox)[c], "");
        if (!number.ok()) return bad;
        v[c] = *number;
      }
      if (!(v[2] > 0 && v[3] > 0)) return bad;
      list[at->second]["objects"].push_back(
          {{"class", klass->second}, {"box", {v[0], v[1], v[0] + v[2], v[1] + v[3]}}});
      ++summary.objects[klass->second];
    }
    for (JsonDocument& image : list) {
      if (image["objects"].empty()) {
        image.erase("objects");
        ++summary.negatives;
      }
    }
    summary.images = list.size();
    if (list.empty()) return Error("images", "no images");
    manifest["images"] = std::move(list);
    return manifest.dump(1, ' ', false, JsonDocument::error_handler_t::replace) + "\n";
  }

 private:
  const CocoManifestOptions& options_;
};

}  // namespace

Result<std::string> CocoToManifest(const std::string& annotations_text,
                                   const CocoManifestOptions& options,
                                   CocoManifestSummary* summary) {
  if (options.models.empty()) return InvalidArgumentError("--models: no class given a model");
  CocoManifestSummary local;
  return CocoReader(options).Convert(annotations_text, summary ? *summary : local);
}

}  // namespace msrf
