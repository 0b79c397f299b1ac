// Reading a shape dataset's JSON manifest (msrf/eval/manifest.h). Every field is checked and
// every error names the manifest and the field, so a bad manifest is one line, never a
// half-run benchmark.
#include "msrf/eval/manifest.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "dataset_internal.h"
#include "msrf/io/file_io.h"
#include "msrf/io/json_read.h"

namespace msrf {
namespace {

namespace fs = std::filesystem;

// Reads one manifest; `error` makes the one-line errors.
class ManifestReader {
 public:
  explicit ManifestReader(const std::string& path)
      : path_(path), folder_(fs::path(path).parent_path()) {}

  Status Error(const std::string& field, const std::string& problem) const {
    return InvalidArgumentError(path_ + ": " + field + ": " + problem);
  }

  // Only the keys `allowed` in the object `value` (named `field`).
  Status CheckKeys(const JsonDocument& value, const std::string& field,
                   const std::vector<std::string>& allowed) const {
    if (!value.is_object()) return Error(field, "expected an object");
    for (const auto& item : value.items()) {
      if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) {
        std::string list;
        for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
        return Error(field.empty() ? item.key() : field + "." + item.key(),
                     "unknown key (expected " + list + ")");
      }
    }
    return Status::Ok();
  }

  // The string at `value[key]`; `required`: missing is an error, else "".
  Result<std::string> String(const JsonDocument& value, const std::string& field,
                             const std::string& key, bool required) const {
    const std::string name = field.empty() ? key : field + "." + key;
    const auto it = value.find(key);
    if (it == value.end()) {
      if (required) return Error(name, "missing");
      return std::string();
    }
    if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
      return Error(name, "expected a non-empty string");
    }
    return it->get<std::string>();
  }

  // A file the manifest names: resolved against its folder, a readable regular file.
  Result<std::string> File(const JsonDocument& value, const std::string& field,
                           const std::string& key, bool required) const {
    MSRF_ASSIGN_OR_RETURN(const std::string written, String(value, field, key, required));
    if (written.empty()) return written;
    const fs::path p(written);
    const std::string resolved =
        p.is_absolute() || folder_.empty() ? written : (folder_ / p).string();
    const Status readable = CheckReadableFile(resolved);
    if (!readable.ok()) return Error(field + "." + key, readable.message());
    return resolved;
  }

  // [x1, y1, x2, y2] with x1 < x2, y1 < y2, as a rectangle.
  Result<cv::Rect2d> Box(const JsonDocument& object, const std::string& field) const {
    const std::string name = field + ".box";
    const auto it = object.find("box");
    if (it == object.end()) return Error(name, "missing");
    const Status bad = Error(name, "expected [x1, y1, x2, y2] with x1 < x2 and y1 < y2");
    if (!it->is_array() || it->size() != 4) return bad;
    double v[4];
    for (size_t k = 0; k < 4; ++k) {
      const Result<double> number = JsonNumber((*it)[k], name);
      if (!number.ok()) return bad;
      v[k] = *number;
    }
    if (!(v[0] < v[2] && v[1] < v[3])) return bad;
    return cv::Rect2d(v[0], v[1], v[2] - v[0], v[3] - v[1]);
  }

  Status Classes(const JsonDocument& doc, ShapeDataset& data, std::vector<std::string>& all) const {
    const auto it = doc.find("classes");
    if (it == doc.end()) return Error("classes", "missing");
    if (!it->is_array() || it->empty()) return Error("classes", "expected a non-empty array");
    for (size_t c = 0; c < it->size(); ++c) {
      const std::string field = "classes[" + std::to_string(c) + "]";
      const JsonDocument& entry = (*it)[c];
      MSRF_RETURN_IF_ERROR(CheckKeys(entry, field, {"name", "model"}));
      MSRF_ASSIGN_OR_RETURN(const std::string name, String(entry, field, "name", true));
      if (name == "mean" || name == "all") {
        return Error(field + ".name",
                     "'" + name + "' names the summary's pooled figures; rename it");
      }
      if (std::find(all.begin(), all.end(), name) != all.end()) {
        return Error(field + ".name", "class '" + name + "' is given twice");
      }
      MSRF_ASSIGN_OR_RETURN(data.model_paths[name], File(entry, field, "model", true));
      all.push_back(name);
    }
    return Status::Ok();
  }

  Result<DatasetObject> Object(const JsonDocument& entry, const std::string& field,
                               const std::vector<std::string>& classes) const {
    MSRF_RETURN_IF_ERROR(CheckKeys(entry, field, {"class", "box", "outline", "mask"}));
    DatasetObject object;
    MSRF_ASSIGN_OR_RETURN(object.klass, String(entry, field, "class", true));
    if (std::find(classes.begin(), classes.end(), object.klass) == classes.end()) {
      std::string list;
      for (const std::string& c : classes) list += (list.empty() ? "" : ", ") + c;
      return Error(field + ".class",
                   "unknown class '" + object.klass + "' (classes: " + list + ")");
    }
    MSRF_ASSIGN_OR_RETURN(object.box, Box(entry, field));
    MSRF_ASSIGN_OR_RETURN(object.outline_path, File(entry, field, "outline", false));
    MSRF_ASSIGN_OR_RETURN(object.mask_path, File(entry, field, "mask", false));
    if (!object.outline_path.empty() && !object.mask_path.empty()) {
      return Error(field, "give an outline or a mask, not both");
    }
    return object;
  }

  Status Images(const JsonDocument& doc, const std::vector<std::string>& classes,
                ShapeDataset& data) const {
    const auto it = doc.find("images");
    if (it == doc.end()) return Error("images", "missing");
    if (!it->is_array() || it->empty()) return Error("images", "expected a non-empty array");
    std::set<std::string> seen;
    for (size_t i = 0; i < it->size(); ++i) {
      const std::string field = "images[" + std::to_string(i) + "]";
      const JsonDocument& entry = (*it)[i];
      MSRF_RETURN_IF_ERROR(CheckKeys(entry, field, {"path", "edges", "objects"}));
      DatasetImage image;
      MSRF_ASSIGN_OR_RETURN(image.name, String(entry, field, "path", true));
      MSRF_ASSIGN_OR_RETURN(image.image_path, File(entry, field, "path", true));
      if (!seen.insert(fs::path(image.image_path).lexically_normal().string()).second) {
        return Error(field + ".path", "'" + image.name + "' is listed twice");
      }
      MSRF_ASSIGN_OR_RETURN(image.edges_path, File(entry, field, "edges", false));
      const auto objects = entry.find("objects");
      if (objects != entry.end()) {
        if (!objects->is_array()) return Error(field + ".objects", "expected an array");
        for (size_t k = 0; k < objects->size(); ++k) {
          MSRF_ASSIGN_OR_RETURN(
              DatasetObject object,
              Object((*objects)[k], field + ".objects[" + std::to_string(k) + "]", classes));
          image.objects.push_back(std::move(object));
        }
      }
      image.group = image.objects.empty() ? std::string() : image.objects.front().klass;
      data.images.push_back(std::move(image));
    }
    return Status::Ok();
  }

  Result<ShapeDataset> Read(const std::string& text, const std::vector<std::string>& run) const {
    if (!internal::IsUtf8(path_)) return internal::NotUtf8(path_);
    MSRF_ASSIGN_OR_RETURN(const JsonDocument doc, ParseJson(text, path_));
    if (!doc.is_object()) return InvalidArgumentError(path_ + ": expected a JSON object");
    MSRF_RETURN_IF_ERROR(CheckKeys(doc, "", {"schema", "name", "classes", "images"}));
    const auto schema = doc.find("schema");
    if (schema == doc.end()) {
      return Error("schema", "missing (expected " + std::to_string(kShapeManifestSchema) + ")");
    }
    if (!schema->is_number_integer() || schema->get<int64_t>() != kShapeManifestSchema) {
      return Error("schema",
                   "expected " + std::to_string(kShapeManifestSchema) + ", got " + schema->dump());
    }
    ShapeDataset data;
    data.root = path_;
    data.is_manifest = true;
    MSRF_ASSIGN_OR_RETURN(data.name, String(doc, "", "name", false));
    if (data.name.empty()) data.name = fs::path(path_).stem().string();
    std::vector<std::string> all;
    MSRF_RETURN_IF_ERROR(Classes(doc, data, all));
    MSRF_RETURN_IF_ERROR(Images(doc, all, data));
    for (const std::string& c : run) {
      if (std::find(all.begin(), all.end(), c) == all.end()) {
        return InvalidArgumentError("--classes: '" + c + "' is not a class of " + path_);
      }
    }
    for (const std::string& c : all) {
      if (run.empty() || std::find(run.begin(), run.end(), c) != run.end()) {
        data.classes.push_back(c);
      }
    }
    return data;
  }

 private:
  std::string path_;
  fs::path folder_;
};

}  // namespace

Result<ShapeDataset> ParseShapeManifest(const std::string& text, const std::string& path,
                                        const std::vector<std::string>& classes) {
  return ManifestReader(path).Read(text, classes);
}

Result<ShapeDataset> ReadShapeManifest(const std::string& path,
                                       const std::vector<std::string>& classes) {
  MSRF_ASSIGN_OR_RETURN(const std::string text, ReadFileToString(path));
  return ParseShapeManifest(text, path, classes);
}

}  // namespace msrf
