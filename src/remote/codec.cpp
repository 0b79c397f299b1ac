#include "codec.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "msrf/io/options_json.h"
#include "msrf/pyramid/edge_detector.h"

namespace msrf::remote {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kMaxLevels = 16;
constexpr int kMaxModels = 8;
constexpr int kMaxModelPoints = 100000;

bool Finite(double v) { return std::isfinite(v); }

constexpr float kQuantum = 16.0f;  // compact coordinates: 1/16 pixel

void PutQuantised(const std::vector<cv::Point2f>& pts,
                  google::protobuf::RepeatedField<int32_t>* out) {
  int32_t px = 0, py = 0;
  for (const cv::Point2f& p : pts) {
    const auto x = static_cast<int32_t>(std::lround(p.x * kQuantum));
    const auto y = static_cast<int32_t>(std::lround(p.y * kQuantum));
    out->Add(x - px);
    out->Add(y - py);
    px = x;
    py = y;
  }
}

Result<std::vector<cv::Point2f>> GetQuantised(const google::protobuf::RepeatedField<int32_t>& in) {
  if (in.size() % 2 != 0)
    return DataLossError("malformed level output: an odd number of point coordinates");
  std::vector<cv::Point2f> pts(static_cast<size_t>(in.size() / 2));
  int64_t x = 0, y = 0;
  for (size_t i = 0; i < pts.size(); ++i) {
    x += in[2 * static_cast<int>(i)];
    y += in[2 * static_cast<int>(i) + 1];
    pts[i] = {static_cast<float>(x) / kQuantum, static_cast<float>(y) / kQuantum};
  }
  return pts;
}

// Width and height from a PNG header, so that a small message cannot decode into a huge image.
bool PngSize(const std::string& png, int64_t* width, int64_t* height) {
  if (png.size() < 24 || png.compare(1, 3, "PNG") != 0) return false;
  auto be32 = [&](size_t at) {
    int64_t v = 0;
    for (size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(png[at + i]);
    return v;
  };
  *width = be32(16);
  *height = be32(20);
  return true;
}

Result<cv::Mat> DecodePng(const std::string& png, int64_t w, int64_t h, int type,
                          const char* field) {
  int64_t pw = 0, ph = 0;
  if (!PngSize(png, &pw, &ph) || pw != w || ph != h) {
    return InvalidArgumentError(std::string(field) + " is not a PNG of width x height");
  }
  const cv::Mat bytes(1, static_cast<int>(png.size()), CV_8UC1, const_cast<char*>(png.data()));
  cv::Mat image;
  try {
    image = cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
  } catch (const cv::Exception&) {
    image.release();
  }
  if (image.empty() || image.type() != type || image.cols != w || image.rows != h) {
    return InvalidArgumentError(std::string(field) +
                                " does not decode to the level's size and type");
  }
  return image;
}

std::string EncodePngBytes(const cv::Mat& image) {
  std::vector<uchar> buf;
  cv::imencode(".png", image, buf, {cv::IMWRITE_PNG_COMPRESSION, 6});
  return std::string(buf.begin(), buf.end());
}

// Candidate <-> v1::Candidate (double) or v1::CandidateF (float).
template <typename Message>
void PutCandidate(const Candidate& c, Message* o) {
  using Real = decltype(o->scale());
  o->set_fragment(c.fragment);
  o->set_arc_start(c.arc.start);
  o->set_arc_end(c.arc.end);
  o->set_reversed(c.reversed);
  o->set_scale(static_cast<Real>(c.transform.scale));
  o->set_angle(static_cast<Real>(c.transform.angle));
  o->set_tx(static_cast<Real>(c.transform.translation.x));
  o->set_ty(static_cast<Real>(c.transform.translation.y));
  o->set_quality(static_cast<Real>(c.quality));
  o->set_centre_x(static_cast<Real>(c.centre.x));
  o->set_centre_y(static_cast<Real>(c.centre.y));
  o->set_arc_fraction(static_cast<Real>(c.arc_fraction));
}

template <typename Message>
Candidate GetCandidate(const Message& in) {
  Candidate c;
  c.fragment = in.fragment();
  c.arc = {in.arc_start(), in.arc_end()};
  c.reversed = in.reversed();
  c.transform.scale = in.scale();
  c.transform.angle = in.angle();
  c.transform.translation = {in.tx(), in.ty()};
  c.quality = in.quality();
  c.centre = {in.centre_x(), in.centre_y()};
  c.arc_fraction = in.arc_fraction();
  return c;
}

void PutPoints(const std::vector<cv::Point2f>& pts, google::protobuf::RepeatedField<float>* out) {
  out->Reserve(static_cast<int>(2 * pts.size()));
  for (const cv::Point2f& p : pts) {
    out->AddAlreadyReserved(p.x);
    out->AddAlreadyReserved(p.y);
  }
}

Result<std::vector<cv::Point2f>> GetPoints(const google::protobuf::RepeatedField<float>& in) {
  if (in.size() % 2 != 0)
    return DataLossError("malformed level output: an odd number of point coordinates");
  std::vector<cv::Point2f> pts(static_cast<size_t>(in.size() / 2));
  for (size_t i = 0; i < pts.size(); ++i)
    pts[i] = {in[2 * static_cast<int>(i)], in[2 * static_cast<int>(i) + 1]};
  return pts;
}

void PutFragment(const Fragment& f, v1::Fragment* out, bool compact) {
  if (compact) {
    PutQuantised(f.points, out->mutable_points_q());
    PutQuantised(f.resampled, out->mutable_resampled_q());
  } else {
    PutPoints(f.points, out->mutable_points());
    PutPoints(f.resampled, out->mutable_resampled());
  }
  out->set_length(f.length);
  for (float v : {f.bbox.x, f.bbox.y, f.bbox.width, f.bbox.height}) out->add_bbox(v);
  out->set_closed(f.closed);
}

// A fragment of level `level`, id -1; its numbers are checked by the caller.
Result<Fragment> GetFragment(const v1::Fragment& in, int level) {
  Fragment f;
  f.level = level;
  if (!in.points_q().empty()) {
    MSRF_ASSIGN_OR_RETURN(f.points, GetQuantised(in.points_q()));
    MSRF_ASSIGN_OR_RETURN(f.resampled, GetQuantised(in.resampled_q()));
  } else {
    MSRF_ASSIGN_OR_RETURN(f.points, GetPoints(in.points()));
    MSRF_ASSIGN_OR_RETURN(f.resampled, GetPoints(in.resampled()));
  }
  f.length = in.length();
  if (in.bbox_size() != 4) return DataLossError("malformed level output: a fragment box");
  f.bbox = {in.bbox(0), in.bbox(1), in.bbox(2), in.bbox(3)};
  f.closed = in.closed();
  return f;
}

void EncodeModel(const ShapeModel& m, v1::ShapeModel& out) {
  out.set_name(m.name);
  for (const cv::Point2d& p : m.points) {
    out.add_points(p.x);
    out.add_points(p.y);
  }
  out.set_drawn(std::string(m.drawn.begin(), m.drawn.end()));
  out.set_perimeter(m.perimeter);
  out.set_centroid_x(m.centroid.x);
  out.set_centroid_y(m.centroid.y);
  for (double v : {m.bbox.x, m.bbox.y, m.bbox.width, m.bbox.height}) out.add_bbox(v);
  for (const ModelPartLevel& level : m.parts) {
    v1::ShapeModel::PartLevel* p = out.add_parts();
    p->set_vertices(level.vertices);
    for (int c : level.corners) p->add_corners(c);
    for (const ModelArc& a : level.arcs) {
      p->add_arcs(a.start);
      p->add_arcs(a.end);
    }
  }
}

Result<ShapeModel> DecodeModel(const v1::ShapeModel& in) {
  const int n = in.points_size() / 2;
  if (in.points_size() % 2 != 0 || n < 16 || n > kMaxModelPoints) {
    return InvalidArgumentError("models: a model needs 16 to 100000 points");
  }
  if (static_cast<int>(in.drawn().size()) != n) {
    return InvalidArgumentError("models: drawn flags and points differ in number");
  }
  if (in.bbox_size() != 4) return InvalidArgumentError("models: bbox needs 4 numbers");
  ShapeModel m;
  m.name = in.name();
  for (int i = 0; i < n; ++i) m.points.emplace_back(in.points(2 * i), in.points(2 * i + 1));
  for (char c : in.drawn()) {
    if (c != 0 && c != 1) return InvalidArgumentError("models: drawn flags must be 0 or 1");
    m.drawn.push_back(static_cast<uint8_t>(c));
  }
  m.perimeter = in.perimeter();
  m.centroid = {in.centroid_x(), in.centroid_y()};
  m.bbox = {in.bbox(0), in.bbox(1), in.bbox(2), in.bbox(3)};
  bool finite = Finite(m.perimeter) && m.perimeter > 0 && Finite(m.centroid.x) &&
                Finite(m.centroid.y) && Finite(m.bbox.x) && Finite(m.bbox.y) &&
                Finite(m.bbox.width) && Finite(m.bbox.height) && m.bbox.width > 0 &&
                m.bbox.height > 0;
  for (const cv::Point2d& p : m.points) finite = finite && Finite(p.x) && Finite(p.y);
  if (!finite) return InvalidArgumentError("models: a number is not finite or out of range");
  for (const v1::ShapeModel::PartLevel& p : in.parts()) {
    ModelPartLevel level;
    level.vertices = p.vertices();
    if (p.arcs_size() % 2 != 0) return InvalidArgumentError("models: odd part arc list");
    for (int c : p.corners()) {
      if (c < 0 || c >= n) return InvalidArgumentError("models: a part corner is out of range");
      level.corners.push_back(c);
    }
    for (int i = 0; i < p.arcs_size(); i += 2) {
      if (p.arcs(i) < 0 || p.arcs(i) >= n || p.arcs(i + 1) < 0 || p.arcs(i + 1) >= n) {
        return InvalidArgumentError("models: a part arc is out of range");
      }
      level.arcs.push_back({p.arcs(i), p.arcs(i + 1)});
    }
    m.parts.push_back(std::move(level));
  }
  return m;
}

}  // namespace

std::string LevelOptionsJson(const MultiscaleOptions& fragments,
                             const CandidateOptions& candidates) {
  Json doc;
  doc["fragments"] = Json::parse(MultiscaleOptionsToJson(fragments, -1));
  // Set through the API only (tiled levels share one threshold), so not in the options JSON.
  doc["canny_high_threshold"] = fragments.edges.canny_high_threshold;
  doc["candidates"] = Json::parse(CandidateOptionsToJson(candidates));
  return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Status ParseLevelOptions(const std::string& json, MultiscaleOptions& fragments,
                         CandidateOptions& candidates) {
  Json doc;
  try {
    doc = Json::parse(json);
  } catch (const Json::exception&) {
    return InvalidArgumentError("options_json is not valid JSON");
  }
  if (!doc.is_object() || !doc.contains("fragments") || !doc.contains("candidates") ||
      !doc.contains("canny_high_threshold") || !doc["canny_high_threshold"].is_number() ||
      doc.size() != 3) {
    return InvalidArgumentError(
        "options_json must hold exactly \"fragments\", "
        "\"canny_high_threshold\" (a number) and \"candidates\"");
  }
  fragments = MultiscaleOptions();
  candidates = CandidateOptions();
  MSRF_RETURN_IF_ERROR(UpdateMultiscaleOptionsFromJson(
      doc["fragments"].dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
      "options_json", fragments));
  fragments.edges.canny_high_threshold = doc["canny_high_threshold"].get<double>();
  MSRF_RETURN_IF_ERROR(fragments.Validate());
  return UpdateCandidateOptionsFromJson(
      doc["candidates"].dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
      "options_json", candidates);
}

std::string OptionsHash(const std::string& text) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  char hex[17];
  std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

void EncodeLevelRequest(const LevelJob& job, const std::string& options_json,
                        v1::LevelRequest& request, bool compact) {
  const ImageLevel& level = job.level;
  request.set_options_json(options_json);
  request.set_options_hash(OptionsHash(options_json));
  request.set_index(level.index);
  request.set_scale(level.scale);
  request.set_base_width(level.base_size.width);
  request.set_base_height(level.base_size.height);
  request.set_width(level.image.cols);
  request.set_height(level.image.rows);
  for (const ShapeModel& m : job.models) EncodeModel(m, *request.add_models());
  if (compact) {
    request.set_compact_reply(true);
    request.set_image_png(EncodePngBytes(level.image));
    if (!level.edge_strength.empty()) {
      cv::Mat strength16;
      level.edge_strength.convertTo(strength16, CV_16U, 65535.0);
      request.set_edge_strength_png16(EncodePngBytes(strength16));
    }
    return;
  }
  std::string* image = request.mutable_image();
  image->resize(level.image.total());
  for (int y = 0; y < level.image.rows; ++y) {
    std::memcpy(image->data() + static_cast<size_t>(y) * level.image.cols, level.image.ptr(y),
                static_cast<size_t>(level.image.cols));
  }
  if (!level.edge_strength.empty()) {
    // Little-endian float32, as every platform msrf builds on stores it.
    std::string* strength = request.mutable_edge_strength();
    const size_t row = static_cast<size_t>(level.edge_strength.cols) * sizeof(float);
    strength->resize(row * static_cast<size_t>(level.edge_strength.rows));
    for (int y = 0; y < level.edge_strength.rows; ++y) {
      std::memcpy(strength->data() + y * row, level.edge_strength.ptr(y), row);
    }
  }
}

Result<LevelJob> DecodeLevelRequest(const v1::LevelRequest& request, int64_t max_pixels) {
  LevelJob job;
  MSRF_RETURN_IF_ERROR(ParseLevelOptions(request.options_json(), job.fragments, job.candidates));
  if (request.index() < 0 || request.index() >= kMaxLevels) {
    return InvalidArgumentError("index " + std::to_string(request.index()) +
                                " is out of range [0, 16)");
  }
  if (!Finite(request.scale()) || !(request.scale() > 0) || request.scale() > 1) {
    return InvalidArgumentError("scale must be a finite number in (0, 1]");
  }
  const int64_t w = request.width(), h = request.height();
  const int64_t bw = request.base_width(), bh = request.base_height();
  if (w < 1 || h < 1 || bw < w || bh < h || bw * bh > max_pixels) {
    return InvalidArgumentError(
        "width/height must be positive, at most base_width/base_height, "
        "and the base at most " +
        std::to_string(max_pixels) + " pixels");
  }
  const bool png = !request.image_png().empty();
  if (png == !request.image().empty()) {
    return InvalidArgumentError("exactly one of image and image_png must be given");
  }
  if (!png && static_cast<int64_t>(request.image().size()) != w * h) {
    return InvalidArgumentError("image holds " + std::to_string(request.image().size()) +
                                " bytes, not width * height = " + std::to_string(w * h));
  }
  if (!request.edge_strength().empty() && !request.edge_strength_png16().empty()) {
    return InvalidArgumentError("edge_strength and edge_strength_png16 are both given");
  }
  const bool has_strength =
      !request.edge_strength().empty() || !request.edge_strength_png16().empty();
  if (!request.edge_strength().empty() &&
      static_cast<int64_t>(request.edge_strength().size()) != 4 * w * h) {
    return InvalidArgumentError("edge_strength must hold width * height float32 values");
  }
  if (has_strength != UsesStrengthMap(job.fragments.edges.method)) {
    return InvalidArgumentError(
        "edge_strength must be given exactly when edges.method is "
        "'supplied' or 'forest'");
  }
  if (request.models_size() > kMaxModels) {
    return InvalidArgumentError("at most 8 models per request");
  }
  ImageLevel& level = job.level;
  level.index = request.index();
  level.scale = request.scale();
  level.base_size = {static_cast<int>(bw), static_cast<int>(bh)};
  if (png) {
    MSRF_ASSIGN_OR_RETURN(level.image, DecodePng(request.image_png(), w, h, CV_8UC1, "image_png"));
  } else {
    level.image.create(static_cast<int>(h), static_cast<int>(w), CV_8UC1);
    std::memcpy(level.image.data, request.image().data(), request.image().size());
  }
  if (!request.edge_strength_png16().empty()) {
    MSRF_ASSIGN_OR_RETURN(cv::Mat strength16, DecodePng(request.edge_strength_png16(), w, h,
                                                        CV_16UC1, "edge_strength_png16"));
    strength16.convertTo(level.edge_strength, CV_32F, 1.0 / 65535.0);
  } else if (has_strength) {
    level.edge_strength.create(static_cast<int>(h), static_cast<int>(w), CV_32FC1);
    std::memcpy(level.edge_strength.data, request.edge_strength().data(),
                request.edge_strength().size());
  }
  if (has_strength) {
    float lo = 0.0f, hi = 1.0f;
    for (int y = 0; y < level.edge_strength.rows; ++y) {
      const float* row = level.edge_strength.ptr<float>(y);
      for (int x = 0; x < level.edge_strength.cols; ++x) {
        // NaN fails both comparisons.
        if (!(row[x] >= lo && row[x] <= hi)) {
          return InvalidArgumentError("edge_strength values must be finite and in [0, 1]");
        }
      }
    }
  }
  job.image_size = level.base_size;
  for (const v1::ShapeModel& m : request.models()) {
    MSRF_ASSIGN_OR_RETURN(ShapeModel model, DecodeModel(m));
    job.models.push_back(std::move(model));
  }
  return job;
}

void EncodeLevelReply(const LevelOutput& output, v1::LevelReply& reply, bool compact) {
  const LevelSummary& s = output.summary;
  reply.set_index(s.index);
  reply.set_scale(s.scale);
  reply.set_width(s.size.width);
  reply.set_height(s.size.height);
  reply.set_edge_pixels(s.edge_pixels);
  reply.set_chains(s.chains);
  reply.set_edges_ms(s.edges_ms);
  reply.set_fragments_ms(s.fragments_ms);
  reply.set_candidates_ms(output.candidates_ms);
  for (const Fragment& f : output.fragments) PutFragment(f, reply.add_fragments(), compact);
  for (const std::vector<Candidate>& list : output.candidates) {
    v1::CandidateList* out = reply.add_candidates();
    for (const Candidate& c : list) {
      if (compact) {
        PutCandidate(c, out->add_compact());
      } else {
        PutCandidate(c, out->add_candidates());
      }
    }
  }
}

Result<LevelOutput> DecodeLevelReply(const v1::LevelReply& reply, const LevelJob& job) {
  LevelOutput out;
  LevelSummary& s = out.summary;
  s.index = reply.index();
  s.scale = reply.scale();
  s.size = {reply.width(), reply.height()};
  s.edge_pixels = reply.edge_pixels();
  s.chains = reply.chains();
  s.fragments = reply.fragments_size();
  s.edges_ms = reply.edges_ms();
  s.fragments_ms = reply.fragments_ms();
  out.candidates_ms = reply.candidates_ms();
  out.fragments.reserve(static_cast<size_t>(reply.fragments_size()));
  for (const v1::Fragment& in : reply.fragments()) {
    MSRF_ASSIGN_OR_RETURN(Fragment f, GetFragment(in, s.index));
    f.id = static_cast<int>(out.fragments.size());
    out.fragments.push_back(std::move(f));
  }
  for (const v1::CandidateList& list : reply.candidates()) {
    std::vector<Candidate>& cands = out.candidates.emplace_back();
    cands.reserve(static_cast<size_t>(list.candidates_size()));
    for (const v1::Candidate& in : list.candidates()) cands.push_back(GetCandidate(in));
    for (const v1::CandidateF& in : list.compact()) cands.push_back(GetCandidate(in));
  }
  MSRF_RETURN_IF_ERROR(CheckLevelOutput(job, out));
  return out;
}

}  // namespace msrf::remote

namespace msrf::remote {
namespace {

constexpr int kMaxTiles = 64 * 64;

Status BadTile(const std::string& what) { return DataLossError("malformed tile output: " + what); }

std::string PackBits(const cv::Mat& map) {
  std::string bits((map.total() + 7) / 8, '\0');
  size_t i = 0;
  for (int y = 0; y < map.rows; ++y) {
    const uint8_t* row = map.ptr<uint8_t>(y);
    for (int x = 0; x < map.cols; ++x, ++i) {
      if (row[x] != 0) bits[i / 8] = static_cast<char>(bits[i / 8] | (1 << (i % 8)));
    }
  }
  return bits;
}

// 0 or 255 per pixel; an error when the byte count is not the size's.
Result<cv::Mat> UnpackBits(const std::string& bits, cv::Size size, const char* field) {
  const size_t total = static_cast<size_t>(size.area());
  if (bits.size() != (total + 7) / 8) {
    return BadTile(std::string(field) + " holds " + std::to_string(bits.size()) +
                   " bytes, not one bit per core pixel");
  }
  cv::Mat map(size, CV_8UC1);
  size_t i = 0;
  for (int y = 0; y < size.height; ++y) {
    uint8_t* row = map.ptr<uint8_t>(y);
    for (int x = 0; x < size.width; ++x, ++i) {
      row[x] = ((static_cast<unsigned char>(bits[i / 8]) >> (i % 8)) & 1) ? 255 : 0;
    }
  }
  return map;
}

bool FragmentInImage(const Fragment& f, cv::Size size) {
  // As CheckLevelOutput: a coarse level's pixel maps a little beyond level 0's border.
  constexpr float kMargin = 4.0f;
  auto inside = [&](cv::Point2f p) {
    return Finite(p.x) && Finite(p.y) && p.x >= -kMargin && p.y >= -kMargin &&
           p.x <= static_cast<float>(size.width) + kMargin &&
           p.y <= static_cast<float>(size.height) + kMargin;
  };
  if (f.points.empty() || f.resampled.empty() || !Finite(f.length) || f.length < 0) return false;
  for (const auto* pts : {&f.points, &f.resampled}) {
    for (const cv::Point2f& p : *pts) {
      if (!inside(p)) return false;
    }
  }
  return Finite(f.bbox.x) && Finite(f.bbox.y) && Finite(f.bbox.width) && Finite(f.bbox.height) &&
         f.bbox.width >= 0 && f.bbox.height >= 0;
}

}  // namespace

void EncodeTileRequest(const TileJob& job, const std::string& options_json,
                       v1::TileRequest& request, bool compact) {
  LevelJob crop;
  crop.level = job.level;
  crop.image_size = job.level.base_size;
  EncodeLevelRequest(crop, options_json, *request.mutable_crop(), compact);
  const cv::Size full = FullLevelSize(job.level);
  request.set_tile(job.tile);
  request.set_crop_x(job.level.origin.x);
  request.set_crop_y(job.level.origin.y);
  request.set_level_width(full.width);
  request.set_level_height(full.height);
  request.set_core_x(job.core.x);
  request.set_core_y(job.core.y);
  request.set_core_width(job.core.width);
  request.set_core_height(job.core.height);
}

Result<TileJob> DecodeTileRequest(const v1::TileRequest& request, int64_t max_pixels) {
  MSRF_ASSIGN_OR_RETURN(LevelJob crop, DecodeLevelRequest(request.crop(), max_pixels));
  if (!crop.models.empty()) return InvalidArgumentError("crop.models must be empty for a tile");
  if (request.tile() < 0 || request.tile() >= kMaxTiles) {
    return InvalidArgumentError("tile must be in [0, 4096)");
  }
  const int64_t lw = request.level_width(), lh = request.level_height();
  const int64_t x = request.crop_x(), y = request.crop_y();
  const int64_t w = crop.level.image.cols, h = crop.level.image.rows;
  if (lw < 1 || lh < 1 || lw > crop.level.base_size.width || lh > crop.level.base_size.height) {
    return InvalidArgumentError(
        "level_width/level_height must be positive and at most "
        "base_width/base_height");
  }
  if (x < 0 || y < 0 || x + w > lw || y + h > lh) {
    return InvalidArgumentError(
        "the crop (crop_x, crop_y, width, height) must lie inside the "
        "level");
  }
  const int64_t cx = request.core_x(), cy = request.core_y();
  const int64_t cw = request.core_width(), ch = request.core_height();
  if (cw < 1 || ch < 1 || cx < x || cy < y || cx + cw > x + w || cy + ch > y + h) {
    return InvalidArgumentError(
        "the core (core_x, core_y, core_width, core_height) must be "
        "non-empty and inside the crop");
  }
  const EdgeOptions& edges = crop.fragments.edges;
  if (EdgeCandidateReach(edges.method) < 0) {
    return InvalidArgumentError(std::string("edges.method '") + EdgeMethodName(edges.method) +
                                "' cannot be tiled");
  }
  if (edges.method == EdgeMethod::kCanny && !(edges.canny_high_threshold > 0)) {
    return InvalidArgumentError(
        "a Canny tile needs the level's canny_high_threshold (> 0) in "
        "options_json");
  }
  TileJob job;
  job.tile = request.tile();
  job.level = std::move(crop.level);
  job.level.origin = {static_cast<int>(x), static_cast<int>(y)};
  job.level.full_size = {static_cast<int>(lw), static_cast<int>(lh)};
  job.core = {static_cast<int>(cx), static_cast<int>(cy), static_cast<int>(cw),
              static_cast<int>(ch)};
  job.options = crop.fragments;
  return job;
}

void EncodeTileReply(const TileOutput& output, v1::TileReply& reply, bool compact) {
  const LevelSummary& s = output.summary;
  reply.set_tile(output.tile);
  reply.set_index(s.index);
  reply.set_core_x(output.core.x);
  reply.set_core_y(output.core.y);
  reply.set_core_width(output.core.width);
  reply.set_core_height(output.core.height);
  if (compact) {
    cv::Mat edges(output.candidates.size(), CV_8UC1);
    for (int y = 0; y < edges.rows; ++y) {
      const uint8_t* c = output.candidates.ptr<uint8_t>(y);
      const uint8_t* seed = output.seeds.ptr<uint8_t>(y);
      uint8_t* e = edges.ptr<uint8_t>(y);
      for (int x = 0; x < edges.cols; ++x) e[x] = seed[x] != 0 ? 2 : c[x] != 0 ? 1 : 0;
    }
    reply.set_edges_png(EncodePngBytes(edges));
  } else {
    reply.set_candidate_bits(PackBits(output.candidates));
    reply.set_seed_bits(PackBits(output.seeds));
  }
  for (const TileChain& c : output.chains) {
    v1::TileChain* out = reply.add_chains();
    out->mutable_points()->Reserve(static_cast<int>(2 * c.chain.points.size()));
    cv::Point previous(0, 0);
    for (const cv::Point& p : c.chain.points) {
      out->add_points(p.x - previous.x);
      out->add_points(p.y - previous.y);
      previous = p;
    }
    out->set_closed(c.chain.closed);
    for (const Fragment& f : c.fragments) PutFragment(f, out->add_fragments(), compact);
  }
  reply.set_width(s.size.width);
  reply.set_height(s.size.height);
  reply.set_edge_pixels(s.edge_pixels);
  reply.set_edges_ms(s.edges_ms);
  reply.set_fragments_ms(s.fragments_ms);
}

Result<TileOutput> DecodeTileReply(const v1::TileReply& reply, const TileJob& job) {
  const ImageLevel& level = job.level;
  const cv::Rect crop(level.origin, level.image.size());
  const cv::Rect core(reply.core_x(), reply.core_y(), reply.core_width(), reply.core_height());
  if (reply.tile() != job.tile || reply.index() != level.index) {
    return BadTile("tile " + std::to_string(reply.tile()) + " of level " +
                   std::to_string(reply.index()) + " for tile " + std::to_string(job.tile) +
                   " of level " + std::to_string(level.index));
  }
  if (core != job.core) return BadTile("the core differs from the job's");
  if (reply.width() != crop.width || reply.height() != crop.height) {
    return BadTile("the crop size differs from the job's");
  }
  if (reply.edge_pixels() < 0 || reply.edge_pixels() > crop.area() || !Finite(reply.edges_ms()) ||
      !Finite(reply.fragments_ms())) {
    return BadTile("a count or time out of range");
  }
  TileOutput out;
  out.tile = job.tile;
  out.core = core;
  const bool png = !reply.edges_png().empty();
  if (png == (!reply.candidate_bits().empty() || !reply.seed_bits().empty())) {
    return BadTile("exactly one of the bit maps and edges_png must be given");
  }
  if (png) {
    Result<cv::Mat> edges =
        DecodePng(reply.edges_png(), core.width, core.height, CV_8UC1, "edges_png");
    if (!edges.ok()) return BadTile(edges.status().message());
    double most = 0;
    cv::minMaxLoc(*edges, nullptr, &most);
    if (most > 2) return BadTile("edges_png has values above 2");
    out.candidates = (*edges >= 1);
    out.seeds = (*edges == 2);
  } else {
    MSRF_ASSIGN_OR_RETURN(out.candidates,
                          UnpackBits(reply.candidate_bits(), core.size(), "candidate_bits"));
    MSRF_ASSIGN_OR_RETURN(out.seeds, UnpackBits(reply.seed_bits(), core.size(), "seed_bits"));
    cv::Mat stray;
    cv::bitwise_and(out.seeds, ~out.candidates, stray);
    if (cv::countNonZero(stray) > 0) return BadTile("a seed is not a candidate");
  }
  const cv::Size base = level.base_size;
  out.chains.reserve(static_cast<size_t>(reply.chains_size()));
  int fragments = 0;
  for (const v1::TileChain& in : reply.chains()) {
    const std::string which = "chain " + std::to_string(out.chains.size());
    if (in.points_size() < 2 || in.points_size() % 2 != 0) {
      return BadTile(which + " has no points or an odd number of coordinates");
    }
    TileChain c;
    c.chain.closed = in.closed();
    c.chain.points.resize(static_cast<size_t>(in.points_size() / 2));
    int64_t x = 0, y = 0;
    for (int i = 0; i < in.points_size(); i += 2) {
      const int64_t dx = in.points(i), dy = in.points(i + 1);
      if (i > 0 && (dx < -1 || dx > 1 || dy < -1 || dy > 1 || (dx == 0 && dy == 0))) {
        return BadTile(which + " is not 8-connected");
      }
      x += dx;
      y += dy;
      if (x < crop.x || y < crop.y || x >= crop.br().x || y >= crop.br().y) {
        return BadTile(which + " leaves the crop");
      }
      c.chain.points[static_cast<size_t>(i / 2)] = {static_cast<int>(x), static_cast<int>(y)};
    }
    if (!core.contains(c.chain.points.front())) return BadTile(which + " starts outside the core");
    for (const v1::Fragment& f : in.fragments()) {
      Result<Fragment> fragment = GetFragment(f, level.index);
      if (!fragment.ok() || !FragmentInImage(*fragment, base)) {
        return BadTile("a fragment of " + which + " is malformed or leaves the image");
      }
      c.fragments.push_back(std::move(fragment).value());
    }
    fragments += static_cast<int>(c.fragments.size());
    out.chains.push_back(std::move(c));
  }
  LevelSummary& s = out.summary;
  s.index = level.index;
  s.scale = level.scale;
  s.size = crop.size();
  s.edge_pixels = reply.edge_pixels();
  s.chains = static_cast<int>(out.chains.size());
  s.fragments = fragments;
  s.edges_ms = reply.edges_ms();
  s.fragments_ms = reply.fragments_ms();
  out.total_ms = s.edges_ms + s.fragments_ms;
  return out;
}

}  // namespace msrf::remote
