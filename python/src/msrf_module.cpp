// The compiled half of the Python module `msrf` (`msrf._msrf`): models, detection, fragments
// and overlays over numpy arrays. The Python half (python/msrf/) wraps it: the option
// objects, the Detection list and the Dask batches.
//
// Arrays come in without a copy when they are C-contiguous (any other layout is copied once)
// and are only read. The GIL is released while the library works, so calls from several
// Python threads run at once. Bad input raises the C++ message: ValueError for bad values,
// TypeError for what is not an array, FileNotFoundError / PermissionError / OSError for files.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <opencv2/core.hpp>

#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "msrf/core/build_info.h"
#include "msrf/core/parallel.h"
#include "msrf/core/status.h"
#include "msrf/eval/bench.h"
#include "msrf/eval/ethz.h"
#include "msrf/eval/shape_detector.h"
#include "msrf/grouping/detect.h"
#include "msrf/io/detections_io.h"
#include "msrf/io/file_io.h"
#include "msrf/io/fragments_json.h"
#include "msrf/io/image_io.h"
#include "msrf/io/model_io.h"
#include "msrf/io/options_json.h"
#include "msrf/io/overlay.h"
#include "msrf/pyramid/edge_detector.h"
#include "msrf/shape/shape_model.h"

namespace py = pybind11;

namespace msrf::python {
namespace {

[[noreturn]] void Raise(const Status& status) {
  PyObject* type = PyExc_RuntimeError;
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kOutOfRange:
    case StatusCode::kFailedPrecondition:
    case StatusCode::kDataLoss: type = PyExc_ValueError; break;
    case StatusCode::kNotFound: type = PyExc_FileNotFoundError; break;
    case StatusCode::kPermissionDenied: type = PyExc_PermissionError; break;
    case StatusCode::kIoError: type = PyExc_OSError; break;
    default: break;
  }
  PyErr_SetString(type, status.message().c_str());
  throw py::error_already_set();
}

template <typename T>
T ValueOrRaise(Result<T> result) {
  if (!result.ok()) Raise(result.status());
  return std::move(result).value();
}

template <typename T>
T ValueOrRaise(Result<T> result, const std::string& context) {
  if (!result.ok()) Raise(result.status().WithContext(context));
  return std::move(result).value();
}

void CheckOrRaise(const Status& status) {
  if (!status.ok()) Raise(status);
}

// An array read in place: `keep` holds the memory `mat` points to.
struct ArrayView {
  py::array keep;
  cv::Mat mat;
};

std::string Shape(const py::array& a) {
  std::string s = "(";
  for (py::ssize_t i = 0; i < a.ndim(); ++i) s += (i > 0 ? ", " : "") + std::to_string(a.shape(i));
  return s + (a.ndim() == 1 ? ",)" : ")");
}

py::array AsArray(const py::handle& object, const std::string& what) {
  if (!py::isinstance<py::array>(object)) {
    throw py::type_error(what + ": expected a numpy array, got " +
                         std::string(py::str(py::type::handle_of(object).attr("__name__"))));
  }
  return py::reinterpret_borrow<py::array>(object);
}

// A C-contiguous view of `a` (the array itself when it is one; else one copy), as a cv::Mat
// of `depth` with the array's last axis as channels when it has three.
ArrayView View(py::array a, int depth) {
  a = py::array::ensure(a, py::array::c_style);
  const int rows = static_cast<int>(a.shape(0)), cols = static_cast<int>(a.shape(1));
  const int channels = a.ndim() == 3 ? static_cast<int>(a.shape(2)) : 1;
  // The array is only read; cv::Mat has no const constructor.
  cv::Mat mat(rows, cols, CV_MAKETYPE(depth, channels), const_cast<void*>(a.data()),
              static_cast<size_t>(a.strides(0)));
  return {std::move(a), mat};
}

// An 8-bit image as cv2 gives it: gray HxW, BGR HxWx3 or BGRA HxWx4.
ArrayView ImageView(const py::handle& object, const std::string& what) {
  py::array a = AsArray(object, what);
  if (!a.dtype().equal(py::dtype::of<uint8_t>())) {
    throw py::value_error(what + ": dtype " + a.dtype().attr("name").cast<std::string>() +
                          ", expected uint8 (gray HxW, BGR HxWx3 or BGRA HxWx4)");
  }
  if (a.ndim() != 2 && a.ndim() != 3) {
    throw py::value_error(what + ": shape " + Shape(a) + " has " + std::to_string(a.ndim()) +
                          " dimensions, expected HxW (gray), HxWx3 (BGR) or HxWx4 (BGRA)");
  }
  if (a.ndim() == 3 && a.shape(2) != 1 && a.shape(2) != 3 && a.shape(2) != 4) {
    throw py::value_error(what + ": shape " + Shape(a) + " has " + std::to_string(a.shape(2)) +
                          " channels, expected 1, 3 (BGR) or 4 (BGRA)");
  }
  if (a.size() == 0) throw py::value_error(what + ": the image is empty, shape " + Shape(a));
  if (a.shape(0) > (1 << 20) || a.shape(1) > (1 << 20)) {
    throw py::value_error(what + ": shape " + Shape(a) + " is too large");
  }
  return View(std::move(a), CV_8U);
}

// An edge map the size of `image`: float32 or float64 in [0, 1] (above 1 counts as 1), uint8
// (255 = 1) or uint16 (65535 = 1); its strength as Detect takes it.
cv::Mat EdgeStrength(const py::handle& object, const cv::Mat& image) {
  py::array a = AsArray(object, "edges");
  const py::dtype dtype = a.dtype();
  int depth = -1;
  if (dtype.equal(py::dtype::of<float>())) depth = CV_32F;
  if (dtype.equal(py::dtype::of<double>())) depth = CV_64F;
  if (dtype.equal(py::dtype::of<uint8_t>())) depth = CV_8U;
  if (dtype.equal(py::dtype::of<uint16_t>())) depth = CV_16U;
  if (depth < 0) {
    throw py::value_error("edges: dtype " + dtype.attr("name").cast<std::string>() +
                          ", expected float32, float64, uint8 or uint16");
  }
  if (a.ndim() != 2 && !(a.ndim() == 3 && a.shape(2) == 1)) {
    throw py::value_error("edges: shape " + Shape(a) + ", expected HxW");
  }
  if (a.shape(0) != image.rows || a.shape(1) != image.cols) {
    throw py::value_error("edges: the edge map is " + std::to_string(a.shape(1)) + "x" +
                          std::to_string(a.shape(0)) + " but the image is " +
                          std::to_string(image.cols) + "x" + std::to_string(image.rows));
  }
  const ArrayView view = View(std::move(a), depth);
  cv::Mat strength;
  {
    const py::gil_scoped_release release;
    if (depth == CV_32F || depth == CV_64F) {
      double lowest = 0;
      if (cv::checkRange(view.mat, true)) cv::minMaxLoc(view.mat, &lowest);
      if (lowest < 0) {
        const py::gil_scoped_acquire acquire;
        throw py::value_error("edges: the edge map has negative values");
      }
    }
    Result<cv::Mat> result = EdgeStrengthFromMap(view.mat);
    if (result.ok()) {
      double highest = 0;
      cv::minMaxLoc(*result, nullptr, &highest);
      if (highest <= 0) result = InvalidArgumentError("the edge map is empty (no edge pixels)");
    }
    const py::gil_scoped_acquire acquire;
    if (!result.ok()) Raise(result.status().WithContext("edges"));
    strength = std::move(result).value();
  }
  return strength;
}

// Points as an N x 2 array of their coordinates' type (float32 or float64).
template <typename T>
py::array_t<T> PointsArray(const std::vector<cv::Point_<T>>& points) {
  py::array_t<T> out({static_cast<py::ssize_t>(points.size()), py::ssize_t{2}});
  auto view = out.template mutable_unchecked<2>();
  for (size_t i = 0; i < points.size(); ++i) {
    view(static_cast<py::ssize_t>(i), 0) = points[i].x;
    view(static_cast<py::ssize_t>(i), 1) = points[i].y;
  }
  return out;
}

template <typename T>
py::array MatArray(const cv::Mat& image) {
  CV_Assert(image.elemSize1() == sizeof(T));
  std::vector<py::ssize_t> shape = {image.rows, image.cols};
  if (image.channels() > 1) shape.push_back(image.channels());
  py::array_t<T> out(shape);
  const size_t row_bytes = static_cast<size_t>(image.cols) * image.elemSize();
  for (int y = 0; y < image.rows; ++y) {
    std::memcpy(reinterpret_cast<uint8_t*>(out.mutable_data()) + static_cast<size_t>(y) * row_bytes,
                image.ptr(y), row_bytes);
  }
  return std::move(out);
}

py::array ImageArray(const cv::Mat& image) {
  CV_Assert(image.depth() == CV_8U);
  return MatArray<uint8_t>(image);
}

DetectOptions DetectOptionsFrom(const std::string& json) {
  DetectOptions options;
  if (!json.empty()) CheckOrRaise(UpdateDetectOptionsFromJson(json, "options", options));
  return options;
}

MultiscaleOptions FragmentOptionsFrom(const std::string& json) {
  MultiscaleOptions options;
  if (!json.empty()) CheckOrRaise(UpdateMultiscaleOptionsFromJson(json, "options", options));
  return options;
}

ShapeModelOptions ModelOptions(int num_points, int line_threshold = 128, int max_gap = 3) {
  ShapeModelOptions options;
  options.num_points = num_points;
  options.line_threshold = line_threshold;
  options.max_gap = max_gap;
  CheckOrRaise(options.Validate());
  return options;
}

// One detect() call's result, shared by its Detection objects.
struct Run {
  Detections result;
  ShapeModel model;
  DetectOptions options;
  cv::Size image_size;
};

// Shared, and never changed once made.
using RunPtr = std::shared_ptr<Run>;

struct PyDetection {
  RunPtr run;
  size_t index = 0;
  const Detection& d() const { return run->result.detections[index]; }
};

// The run's result restricted to the detections at `indices`, in that order.
Detections Subset(const Run& run, const std::vector<size_t>& indices) {
  Detections subset;
  subset.fragments = run.result.fragments;
  subset.summary = run.result.summary;
  for (size_t i : indices) {
    if (i >= run.result.detections.size()) throw py::index_error("no such detection");
    subset.detections.push_back(run.result.detections[i]);
  }
  return subset;
}

// ---- The ETHZ protocol, split so that a cluster can run its images: the dataset, one
// image's detections by every method and model, and the scores of them all.

// The readers of `msrf bench ethz`: an image and, beside it, its edge map as --edges reads it.
BenchReaders EthzReaders() {
  BenchReaders readers;
  readers.model = [](const std::string& path) { return LoadShapeModel(path); };
  readers.image = [](const std::string& image_path,
                     const std::string& edges_path) -> Result<BenchImage> {
    BenchImage in;
    MSRF_ASSIGN_OR_RETURN(in.image, ReadImage(image_path));
    if (edges_path.empty()) return in;
    ImageReadOptions read;
    read.imread_flags = -1;  // cv::IMREAD_UNCHANGED
    MSRF_ASSIGN_OR_RETURN(const cv::Mat map, ReadImage(edges_path, read));
    if (map.size() != in.image.size()) {
      return FailedPreconditionError(edges_path + ": edge map is " + std::to_string(map.cols) +
                                     "x" + std::to_string(map.rows) + " but the image is " +
                                     std::to_string(in.image.cols) + "x" +
                                     std::to_string(in.image.rows));
    }
    Result<cv::Mat> strength = EdgeStrengthFromMap(map);
    if (!strength.ok()) return strength.status().WithContext(edges_path);
    in.strength = std::move(strength).value();
    return in;
  };
  return readers;
}

ShapeDataset ReadDataset(const std::string& root, const std::vector<std::string>& classes) {
  Result<ShapeDataset> data = ReadEthzDataset(root, classes);
  if (!data.ok()) Raise(data.status().WithContext("--root"));
  return std::move(data).value();
}

py::list PointList(const std::vector<cv::Point2d>& points) {
  py::list out;
  for (const cv::Point2d& p : points) out.append(py::make_tuple(p.x, p.y));
  return out;
}

std::vector<cv::Point2d> PointsFrom(const py::handle& list) {
  std::vector<cv::Point2d> out;
  for (const py::handle& p : list) {
    const auto xy = p.cast<std::pair<double, double>>();
    out.emplace_back(xy.first, xy.second);
  }
  return out;
}

// What detect() and detect() with several models check and prepare alike.
struct DetectCall {
  ArrayView view;
  DetectOptions options;
  cv::Mat strength;
};

DetectCall PrepareDetect(const py::handle& image, const py::handle& edges,
                         const std::string& options_json) {
  DetectCall call{ImageView(image, "image"), DetectOptionsFrom(options_json), cv::Mat()};
  if (!edges.is_none()) {
    call.strength = EdgeStrength(edges, call.view.mat);
    call.options.fragments.edges.method = EdgeMethod::kSupplied;
  } else if (call.options.fragments.edges.method == EdgeMethod::kSupplied) {
    throw py::value_error("options: edges.method 'supplied' needs edges");
  }
  CheckOrRaise(call.options.Validate().WithContext("options"));
  return call;
}

}  // namespace

PYBIND11_MODULE(_msrf, m) {
  m.doc() = "The compiled core of msrf; use the package `msrf`.";
  m.attr("__version__") = Version();
  m.attr("build_id") = BuildId();

  py::class_<ShapeModel, std::shared_ptr<ShapeModel>>(m, "_Model")
      .def_static(
          "load",
          [](const std::string& path, int num_points, int line_threshold, int max_gap) {
            const ShapeModelOptions options = ModelOptions(num_points, line_threshold, max_gap);
            const py::gil_scoped_release release;
            Result<ShapeModel> model = LoadShapeModel(path, options);
            const py::gil_scoped_acquire acquire;
            return std::make_shared<ShapeModel>(ValueOrRaise(std::move(model)));
          },
          py::arg("path"), py::arg("num_points") = 128, py::arg("line_threshold") = 128,
          py::arg("max_gap") = 3)
      .def_static(
          "from_mask",
          [](const py::handle& mask, int num_points, const std::string& name) {
            const ArrayView view = ImageView(mask, "mask");
            const ShapeModelOptions options = ModelOptions(num_points);
            cv::Mat gray = view.mat;
            if (gray.channels() != 1) cv::extractChannel(view.mat, gray, 0);
            auto model = std::make_shared<ShapeModel>(
                ValueOrRaise(ShapeModelFromMask(gray, options), "mask"));
            model->name = name;
            return model;
          },
          py::arg("mask"), py::arg("num_points") = 128, py::arg("name") = "model")
      .def_static(
          "from_drawing",
          [](const py::handle& drawing, int num_points, const std::string& name, int line_threshold,
             int max_gap) {
            const ArrayView view = ImageView(drawing, "drawing");
            const ShapeModelOptions options = ModelOptions(num_points, line_threshold, max_gap);
            cv::Mat gray = view.mat;
            if (gray.channels() != 1) cv::extractChannel(view.mat, gray, 0);
            auto model = std::make_shared<ShapeModel>(
                ValueOrRaise(ShapeModelFromOutline(gray, options), "drawing"));
            model->name = name;
            return model;
          },
          py::arg("drawing"), py::arg("num_points") = 128, py::arg("name") = "model",
          py::arg("line_threshold") = 128, py::arg("max_gap") = 3)
      .def_static(
          "from_polygon",
          [](const py::handle& points, int num_points, const std::string& name) {
            py::array_t<double, py::array::c_style | py::array::forcecast> a;
            try {
              a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(points);
            } catch (const py::error_already_set&) {
              a = {};
            }
            if (!a || a.ndim() != 2 || a.shape(1) != 2) {
              throw py::value_error("points: expected N x 2 numbers (x, y), got " +
                                    (a ? Shape(a) : std::string("something else")));
            }
            std::vector<cv::Point2d> polygon;
            for (py::ssize_t i = 0; i < a.shape(0); ++i)
              polygon.emplace_back(a.at(i, 0), a.at(i, 1));
            CheckOrRaise(ValidateClosedPolygon(polygon).WithContext("points"));
            auto model = std::make_shared<ShapeModel>(
                ValueOrRaise(ShapeModelFromPolygon(polygon, ModelOptions(num_points))));
            model->name = name;
            return model;
          },
          py::arg("points"), py::arg("num_points") = 128, py::arg("name") = "model")
      .def_static(
          "from_json",
          [](const std::string& text, const std::string& source) {
            return std::make_shared<ShapeModel>(ValueOrRaise(ShapeModelFromJson(text, source)));
          },
          py::arg("text"), py::arg("source") = "model")
      .def("to_json", [](const ShapeModel& model) { return ShapeModelToJson(model); })
      // Pickled whole and exact (the JSON rounds points to 0.001), so that a model sent to
      // Dask workers finds what it finds here.
      .def(py::pickle(
          [](const ShapeModel& model) {
            std::vector<double> xy;
            for (const cv::Point2d& p : model.points) {
              xy.push_back(p.x);
              xy.push_back(p.y);
            }
            py::list parts;
            for (const ModelPartLevel& level : model.parts) {
              std::vector<int> arcs;
              for (const ModelArc& a : level.arcs) {
                arcs.push_back(a.start);
                arcs.push_back(a.end);
              }
              parts.append(py::make_tuple(level.vertices, level.corners, arcs));
            }
            return py::make_tuple(
                model.name, xy, model.drawn, model.perimeter,
                py::make_tuple(model.centroid.x, model.centroid.y),
                py::make_tuple(model.bbox.x, model.bbox.y, model.bbox.width, model.bbox.height),
                parts);
          },
          [](const py::tuple& state) {
            if (state.size() != 7) throw py::value_error("not a pickled msrf model");
            auto model = std::make_shared<ShapeModel>();
            model->name = state[0].cast<std::string>();
            const auto xy = state[1].cast<std::vector<double>>();
            for (size_t i = 0; i + 1 < xy.size(); i += 2)
              model->points.emplace_back(xy[i], xy[i + 1]);
            model->drawn = state[2].cast<std::vector<uint8_t>>();
            model->perimeter = state[3].cast<double>();
            const auto centroid = state[4].cast<std::pair<double, double>>();
            model->centroid = {centroid.first, centroid.second};
            const auto box = state[5].cast<std::tuple<double, double, double, double>>();
            model->bbox = {std::get<0>(box), std::get<1>(box), std::get<2>(box), std::get<3>(box)};
            for (const py::handle& level : state[6].cast<py::list>()) {
              const auto t = level.cast<std::tuple<int, std::vector<int>, std::vector<int>>>();
              ModelPartLevel part;
              part.vertices = std::get<0>(t);
              part.corners = std::get<1>(t);
              const std::vector<int>& arcs = std::get<2>(t);
              for (size_t i = 0; i + 1 < arcs.size(); i += 2)
                part.arcs.push_back({arcs[i], arcs[i + 1]});
              model->parts.push_back(std::move(part));
            }
            return model;
          }))
      .def("preview", [](const ShapeModel& model) { return ImageArray(DrawShapeModel(model)); })
      .def_readwrite("name", &ShapeModel::name)
      .def_property_readonly("points",
                             [](const ShapeModel& model) { return PointsArray(model.points); })
      .def_property_readonly("drawn",
                             [](const ShapeModel& model) {
                               py::array_t<bool> out(static_cast<py::ssize_t>(model.drawn.size()));
                               for (size_t i = 0; i < model.drawn.size(); ++i) {
                                 out.mutable_at(static_cast<py::ssize_t>(i)) = model.drawn[i] != 0;
                               }
                               return out;
                             })
      .def_readonly("perimeter", &ShapeModel::perimeter)
      .def_property_readonly("bbox", [](const ShapeModel& model) {
        return py::make_tuple(model.bbox.x, model.bbox.y, model.bbox.x + model.bbox.width,
                              model.bbox.y + model.bbox.height);
      });

  py::class_<PyDetection>(
      m, "Detection",
      R"doc(One detection: the grouped contour of one object, scored and boxed.)doc")
      .def_property_readonly("score", [](const PyDetection& p) { return p.d().score; })
      .def_property_readonly("coverage", [](const PyDetection& p) { return p.d().coverage; })
      .def_property_readonly("support", [](const PyDetection& p) { return p.d().support; })
      .def_property_readonly("fit", [](const PyDetection& p) { return p.d().fit; })
      .def_property_readonly("surround", [](const PyDetection& p) { return p.d().surround; })
      .def_property_readonly("box",
                             [](const PyDetection& p) {
                               const cv::Rect2d& b = p.d().box;
                               return py::make_tuple(b.x, b.y, b.x + b.width, b.y + b.height);
                             })
      .def_property_readonly("transform",
                             [](const PyDetection& p) {
                               const Similarity& t = p.d().transform;
                               py::dict out;
                               out["scale"] = t.scale;
                               out["angle_deg"] = t.angle * 180.0 / CV_PI;
                               out["tx"] = t.translation.x;
                               out["ty"] = t.translation.y;
                               return out;
                             })
      .def_property_readonly("stretch", [](const PyDetection& p) { return p.d().stretch; })
      .def_property_readonly("limb_turn_deg",
                             [](const PyDetection& p) { return p.d().limb_turn_deg; })
      .def_property_readonly("mirrored", [](const PyDetection& p) { return p.d().mirrored; })
      .def_property_readonly("hypothesis", [](const PyDetection& p) { return p.d().hypothesis; })
      .def_property_readonly("fragments", [](const PyDetection& p) { return p.d().fragments; })
      .def_property_readonly("model_arcs",
                             [](const PyDetection& p) {
                               py::list out;
                               for (const ModelArc& a : p.d().model_arcs) {
                                 out.append(py::make_tuple(a.start, a.end));
                               }
                               return out;
                             })
      .def_property_readonly("contours",
                             [](const PyDetection& p) {
                               py::list out;
                               const auto& all = p.run->result.fragments.fragments;
                               for (int f : p.d().fragments) {
                                 out.append(PointsArray(all[static_cast<size_t>(f)].resampled));
                               }
                               return out;
                             })
      .def_property_readonly("outline",
                             [](const PyDetection& p) { return PointsArray(p.d().outline); })
      .def_property_readonly("model_name", [](const PyDetection& p) { return p.run->model.name; })
      .def_readonly("run", &PyDetection::run)
      .def_readonly("index", &PyDetection::index);
  m.attr("Detection").attr("__module__") = "msrf";

  py::class_<Run, RunPtr>(m, "_Run")
      .def("detections",
           [](const RunPtr& run) {
             std::vector<PyDetection> out;
             for (size_t i = 0; i < run->result.detections.size(); ++i) out.push_back({run, i});
             return out;
           })
      .def(
          "to_json",
          [](const Run& run, const std::vector<size_t>& indices, bool timing, bool pretty) {
            DetectionsJsonOptions json_options;
            json_options.include_timing = timing;
            json_options.indent = pretty ? 1 : -1;
            return DetectionsToJson(Subset(run, indices), run.model, run.options, run.image_size,
                                    json_options);
          },
          py::arg("indices"), py::arg("timing"), py::arg("pretty"))
      .def(
          "draw",
          [](const Run& run, const py::handle& image, const std::vector<size_t>& indices) {
            const ArrayView view = ImageView(image, "image");
            if (run.image_size != view.mat.size()) {
              throw py::value_error(
                  "image: " + std::to_string(view.mat.cols) + "x" + std::to_string(view.mat.rows) +
                  ", but the detections are of a " + std::to_string(run.image_size.width) + "x" +
                  std::to_string(run.image_size.height) + " image");
            }
            const Detections subset = Subset(run, indices);
            cv::Mat drawn;
            {
              const py::gil_scoped_release release;
              drawn = DrawDetections(view.mat, subset, run.model);
            }
            return ImageArray(drawn);
          },
          py::arg("image"), py::arg("indices"))
      .def_property_readonly("image_size",
                             [](const Run& run) {
                               return py::make_tuple(run.image_size.width, run.image_size.height);
                             })
      .def_property_readonly("summary", [](const Run& run) {
        const DetectSummary& s = run.result.summary;
        py::dict out;
        out["fragments"] = s.num_fragments;
        out["candidates"] = s.num_candidates;
        out["hypotheses"] = s.num_hypotheses;
        out["pruned_trees"] = s.num_pruned_trees;
        py::dict timing;
        timing["fragments_ms"] = s.timing.fragments_ms;
        timing["candidates_ms"] = s.timing.candidates_ms;
        timing["hypotheses_ms"] = s.timing.hypotheses_ms;
        timing["append_ms"] = s.timing.append_ms;
        timing["inference_ms"] = s.timing.inference_ms;
        timing["readout_ms"] = s.timing.readout_ms;
        timing["total_ms"] = s.timing.total_ms;
        out["timing"] = timing;
        return out;
      });

  m.def(
      "_detect",
      [](const py::handle& image, const std::shared_ptr<ShapeModel>& model, const py::handle& edges,
         const std::string& options_json) {
        if (!model) throw py::type_error("model: expected an msrf.Model");
        const DetectCall call = PrepareDetect(image, edges, options_json);
        auto run = std::make_shared<Run>();
        run->model = *model;
        run->options = call.options;
        run->image_size = call.view.mat.size();
        Status status;
        {
          const py::gil_scoped_release release;
          Result<Detections> result = Detect(call.view.mat, *model, call.options, call.strength);
          if (result.ok()) {
            run->result = std::move(result).value();
          } else {
            status = result.status();
          }
        }
        CheckOrRaise(status);
        return RunPtr(run);
      },
      py::arg("image"), py::arg("model"), py::arg("edges"), py::arg("options_json"));
  m.def(
      "_detect_models",
      [](const py::handle& image, const std::vector<std::shared_ptr<ShapeModel>>& models,
         const py::handle& edges, const std::string& options_json) {
        std::vector<ShapeModel> list;
        for (const auto& model : models) {
          if (!model) throw py::type_error("models: expected msrf.Model objects");
          list.push_back(*model);
        }
        const DetectCall call = PrepareDetect(image, edges, options_json);
        Status status;
        std::vector<RunPtr> runs;
        {
          const py::gil_scoped_release release;
          Result<MultiDetections> pass =
              DetectModels(call.view.mat, list, call.options, call.strength);
          if (pass.ok()) {
            // One run per model, as detect() with that model alone would give it.
            for (size_t k = 0; k < list.size(); ++k) {
              auto run = std::make_shared<Run>();
              run->model = list[k];
              run->options = call.options;
              run->image_size = call.view.mat.size();
              run->result.detections = std::move(pass->models[k].detections);
              run->result.fragments = pass->fragments;
              run->result.summary = pass->models[k].summary;
              runs.push_back(std::move(run));
            }
          } else {
            status = pass.status();
          }
        }
        CheckOrRaise(status);
        return runs;
      },
      py::arg("image"), py::arg("models"), py::arg("edges"), py::arg("options_json"));

  m.def(
      "_read_image",
      [](const std::string& path, int64_t max_pixels) {
        ImageReadOptions read;
        read.max_pixels = max_pixels;
        Result<cv::Mat> image = InternalError("not read");
        {
          const py::gil_scoped_release release;
          image = ReadImage(path, read);
        }
        return ImageArray(ValueOrRaise(std::move(image)));
      },
      py::arg("path"), py::arg("max_pixels"));
  m.def(
      "_read_edge_map",
      [](const std::string& path) {
        ImageReadOptions read;
        read.imread_flags = -1;  // cv::IMREAD_UNCHANGED: 16-bit and float maps as they are
        Result<cv::Mat> strength = InternalError("not read");
        {
          const py::gil_scoped_release release;
          Result<cv::Mat> map = ReadImage(path, read);
          if (!map.ok()) {
            strength = map.status();
          } else {
            strength = EdgeStrengthFromMap(*map);
            if (!strength.ok()) strength = strength.status().WithContext(path);
          }
        }
        return MatArray<float>(ValueOrRaise(std::move(strength)));
      },
      py::arg("path"));

  m.def(
      "_draw_nothing",
      [](const py::handle& image) {
        const ArrayView view = ImageView(image, "image");
        return ImageArray(DrawDetections(view.mat, Detections(), ShapeModel()));
      },
      py::arg("image"));

  m.def(
      "_fragments",
      [](const py::handle& image, const py::handle& edges, const std::string& options_json) {
        const ArrayView view = ImageView(image, "image");
        MultiscaleOptions options = FragmentOptionsFrom(options_json);
        cv::Mat strength;
        if (!edges.is_none()) {
          strength = EdgeStrength(edges, view.mat);
          options.edges.method = EdgeMethod::kSupplied;
        } else if (options.edges.method == EdgeMethod::kSupplied) {
          throw py::value_error("options: edges.method 'supplied' needs edges");
        }
        CheckOrRaise(options.Validate().WithContext("options"));
        Result<MultiscaleFragments> result = InternalError("not run");
        {
          const py::gil_scoped_release release;
          result = ExtractMultiscaleFragments(view.mat, strength, options);
        }
        const MultiscaleFragments fragments = ValueOrRaise(std::move(result));
        py::list out;
        for (const Fragment& f : fragments.fragments) {
          py::dict d;
          d["id"] = f.id;
          d["level"] = f.level;
          d["parent"] = f.parent;
          d["length"] = f.length;
          d["closed"] = f.closed;
          d["points"] = PointsArray(f.points);
          d["resampled"] = PointsArray(f.resampled);
          out.append(std::move(d));
        }
        FragmentsJsonOptions json_options;
        json_options.include_timing = false;
        return py::make_tuple(out, FragmentsToJson(fragments, options, json_options));
      },
      py::arg("image"), py::arg("edges"), py::arg("options_json"));

  m.def(
      "_detect_options_json",
      [](const std::string& json) {
        const DetectOptions options = DetectOptionsFrom(json);
        CheckOrRaise(options.Validate().WithContext("options"));
        return DetectOptionsToJson(options, -1);
      },
      py::arg("json") = "");
  m.def(
      "_fragment_options_json",
      [](const std::string& json) {
        const MultiscaleOptions options = FragmentOptionsFrom(json);
        CheckOrRaise(options.Validate().WithContext("options"));
        return MultiscaleOptionsToJson(options, -1);
      },
      py::arg("json") = "");

  m.def(
      "_ethz_dataset",
      [](const std::string& root, const std::vector<std::string>& classes,
         const std::vector<std::string>& methods) {
        for (const std::string& method : methods) {
          ValueOrRaise(CreateShapeDetector(method, ShapeDetectorOptions()), "--methods");
        }
        if (methods.empty()) throw py::value_error("--methods is empty");
        const ShapeDataset data = ReadDataset(root, classes);
        py::list images;
        for (const DatasetImage& e : data.images) {
          py::dict d;
          d["klass"] = e.group;
          d["name"] = e.name;
          d["image_path"] = e.image_path;
          d["edges_path"] = e.edges_path;
          images.append(std::move(d));
        }
        return py::make_tuple(data.classes, images);
      },
      py::arg("root"), py::arg("classes"), py::arg("methods"));

  // One image of the dataset, every method with every class's model: per method, per class,
  // the detections (image index, score, box x/y/w/h, outline, contours), best first.
  m.def(
      "_ethz_detect_image",
      [](const std::string& root, const std::vector<std::string>& classes, size_t index,
         const std::string& edges, const std::string& options_json,
         const std::vector<std::string>& methods, int max_detections) {
        ShapeDataset data = ReadDataset(root, classes);
        if (index >= data.images.size()) throw py::index_error("no such image");
        const DatasetImage image = data.images[index];
        data.images = {image};
        ShapeDetectorOptions options;
        options.max_detections = max_detections;
        options.edges = ValueOrRaise(BenchEdgeMethod(edges), "--edges");
        options.msrf = DetectOptionsFrom(options_json);
        EdgeOptions edge_options = options.msrf.fragments.edges;
        edge_options.method = options.edges;
        std::vector<std::unique_ptr<ShapeDetector>> detectors;
        std::vector<const ShapeDetector*> run_list;
        detectors.reserve(methods.size());
        run_list.reserve(methods.size());
        for (const std::string& method : methods) {
          detectors.push_back(ValueOrRaise(CreateShapeDetector(method, options), "--methods"));
          run_list.push_back(detectors.back().get());
        }
        Result<std::vector<MethodDetections>> runs = InternalError("not run");
        {
          const py::gil_scoped_release release;
          Result<BenchInputs> inputs = LoadBenchInputs(data, edge_options, EthzReaders());
          runs = inputs.ok() ? RunShapeBench(data, *inputs, run_list) : inputs.status();
        }
        py::list out;
        for (const MethodDetections& run : ValueOrRaise(std::move(runs))) {
          py::dict by_class;
          for (const auto& [klass, found] : run.by_class) {
            py::list list;
            for (const ScoredDetection& d : found) {
              py::list contours;
              for (const auto& c : d.contours) contours.append(PointList(c));
              list.append(py::make_tuple(
                  index, d.score, py::make_tuple(d.box.x, d.box.y, d.box.width, d.box.height),
                  PointList(d.outline), contours));
            }
            by_class[py::str(klass)] = list;
          }
          out.append(py::make_tuple(run.name, by_class));
        }
        return out;
      },
      py::arg("root"), py::arg("classes"), py::arg("index"), py::arg("edges"),
      py::arg("options_json"), py::arg("methods"), py::arg("max_detections"));

  // The scores of every image's detections, written as `msrf bench ethz` writes them
  // (summary.json, detections.json, curves.png, contours.png in `out`, all or none); the
  // table it prints.
  m.def(
      "_ethz_write",
      [](const std::string& root, const std::vector<std::string>& classes, const std::string& edges,
         const py::list& methods, const std::string& out) {
        const ShapeDataset data = ReadDataset(root, classes);
        std::vector<MethodDetections> runs;
        for (const py::handle& method : methods) {
          const auto t = method.cast<py::tuple>();
          MethodDetections run;
          run.name = t[0].cast<std::string>();
          run.seconds = t[1].cast<double>();
          for (const auto& [klass, found] : t[2].cast<py::dict>()) {
            std::vector<ScoredDetection>& list = run.by_class[klass.cast<std::string>()];
            for (const py::handle& item : found) {
              const auto d = item.cast<py::tuple>();
              ScoredDetection s;
              s.image = d[0].cast<int>();
              s.score = d[1].cast<double>();
              const auto box = d[2].cast<std::tuple<double, double, double, double>>();
              s.box = {std::get<0>(box), std::get<1>(box), std::get<2>(box), std::get<3>(box)};
              s.outline = PointsFrom(d[3]);
              for (const py::handle& c : d[4]) s.contours.push_back(PointsFrom(c));
              list.push_back(std::move(s));
            }
          }
          runs.push_back(std::move(run));
        }
        std::string table;
        Status status;
        {
          const py::gil_scoped_release release;
          // The images again, for the objects' outlines and the contour figure; Canny's edges
          // are the cheapest to make and are not used.
          EdgeOptions cheap;
          cheap.method = EdgeMethod::kCanny;
          Result<BenchInputs> inputs = LoadBenchInputs(data, cheap, EthzReaders());
          status = inputs.status();
          if (inputs.ok()) {
            const std::vector<MethodScores> scores = ScoreShapeBench(data, runs);
            const BenchHalves halves = ScoreHalves(data, runs);
            const std::vector<MethodContours> contours = ScoreBenchContours(data, *inputs, runs);
            const std::string label = BenchEdgesLabel(edges);
            Result<std::string> curves = EncodePng(BenchCurves(data, scores));
            Result<std::string> figure =
                EncodePng(BenchContourFigure(data, *inputs, runs, contours));
            status = curves.ok() ? figure.status() : curves.status();
            const std::vector<std::pair<std::string, std::string>> files = {
                {out + "/detections.json", BenchDetectionsJson(data, runs)},
                {out + "/curves.png", curves.ok() ? *curves : ""},
                {out + "/contours.png", figure.ok() ? *figure : ""},
                {out + "/summary.json", BenchSummaryJson(data, scores, label, halves, contours)}};
            // Every file staged, then all renamed: all or none.
            StagedFiles staged;
            for (size_t i = 0; status.ok() && i < files.size(); ++i) {
              status = staged.Stage(files[i].first, files[i].second);
            }
            if (status.ok()) status = staged.Commit();
            table = BenchTable(data, scores, label, halves, contours);
          }
        }
        CheckOrRaise(status);
        return table;
      },
      py::arg("root"), py::arg("classes"), py::arg("edges"), py::arg("methods"), py::arg("out"));
  m.def("_max_threads", []() { return MaxThreads(); });
  m.def(
      "_set_threads",
      [](int threads) {
        // One limit for the process, replaced by the next call (ThreadLimit is not meant to
        // be made while parallel work runs: msrf.set_threads says so).
        static std::unique_ptr<ThreadLimit> limit;
        limit.reset();
        if (threads > 0) limit = std::make_unique<ThreadLimit>(threads);
      },
      py::arg("threads"));
}

}  // namespace msrf::python
