#include "msrf/boundaries/forest.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

#include "forest_internal.h"
#include "msrf/core/check.h"
#include "msrf/core/parallel.h"
#include "reuse_allocator.h"

namespace msrf {

Status ForestGeometry::Validate() const {
  MSRF_RETURN_IF_ERROR(CheckRange("forest.shrink", shrink, 1, 4));
  MSRF_RETURN_IF_ERROR(CheckRange("forest.patch", patch, 8, 64));
  if (patch % (2 * shrink) != 0) {
    return InvalidArgumentError("forest.patch must be a multiple of 2 x forest.shrink");
  }
  MSRF_RETURN_IF_ERROR(CheckRange("forest.label_patch", label_patch, 2, patch));
  if (label_patch > 16 || (patch - label_patch) % 2 != 0 || label_patch % shrink != 0) {
    return InvalidArgumentError(
        "forest.label_patch must be at most 16, a multiple of forest.shrink, and centred in "
        "forest.patch");
  }
  MSRF_RETURN_IF_ERROR(CheckRange("forest.orientations", orientations, 1, 8));
  MSRF_RETURN_IF_ERROR(CheckRange("forest.cells", cells, 1, ShrunkPatch()));
  MSRF_RETURN_IF_ERROR(CheckRange("forest.channel_smooth", channel_smooth, 0, 16));
  MSRF_RETURN_IF_ERROR(CheckRange("forest.similarity_smooth", similarity_smooth, 0, 32));
  MSRF_RETURN_IF_ERROR(CheckRange("forest.gradient_norm", gradient_norm, 0, 16));
  if (NumFeatures() > 65535) return InvalidArgumentError("the forest has too many features");
  return Status::Ok();
}

Status Forest::Validate() const {
  MSRF_RETURN_IF_ERROR(geometry.Validate());
  if (trees.empty()) return InvalidArgumentError("the forest has no trees");
  MSRF_RETURN_IF_ERROR(CheckRange("forest.trees_per_position", trees_per_position, 1,
                                  static_cast<int>(trees.size())));
  const auto num_features = static_cast<uint32_t>(geometry.NumFeatures());
  const auto label_pixels = static_cast<uint32_t>(geometry.label_patch * geometry.label_patch);
  for (size_t t = 0; t < trees.size(); ++t) {
    const ForestTree& tree = trees[t];
    const size_t n = tree.feature.size();
    const std::string name = "forest tree " + std::to_string(t);
    if (n == 0 || tree.threshold.size() != n || tree.child.size() != n ||
        tree.boundary_begin.size() != n + 1) {
      return InvalidArgumentError(name + " has arrays of inconsistent sizes");
    }
    for (size_t i = 0; i < n; ++i) {
      if (tree.child[i] != 0) {
        // Children come after their parent, so that every walk ends (the sum in size_t: a
        // child of 2^32 - 1 must not wrap its right sibling around to the root).
        if (tree.child[i] <= i || static_cast<size_t>(tree.child[i]) + 1 >= n) {
          return InvalidArgumentError(name + " has a child index out of range");
        }
        if (tree.feature[i] >= num_features) {
          return InvalidArgumentError(name + " splits on a feature out of range");
        }
        if (!std::isfinite(tree.threshold[i])) {
          return InvalidArgumentError(name + " has a threshold that is not finite");
        }
      }
      if (tree.boundary_begin[i] > tree.boundary_begin[i + 1]) {
        return InvalidArgumentError(name + " has boundary ranges out of order");
      }
    }
    if (tree.boundary_begin.front() != 0 ||
        tree.boundary_begin.back() != tree.boundary_pixels.size()) {
      return InvalidArgumentError(name + " has boundary ranges that miss its pixels");
    }
    for (uint8_t p : tree.boundary_pixels) {
      if (p >= label_pixels)
        return InvalidArgumentError(name + " has a boundary pixel outside its patch");
    }
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// Channels and features.

namespace internal {

void TriangleSmooth(const cv::Mat& src, int radius, cv::Mat& dst) {
  if (radius <= 0) {
    src.copyTo(dst);
    return;
  }
  cv::Mat kernel(1, 2 * radius + 1, CV_32F);
  const auto norm = static_cast<float>((radius + 1) * (radius + 1));
  for (int i = 0; i <= 2 * radius; ++i) {
    kernel.at<float>(0, i) = static_cast<float>(radius + 1 - std::abs(i - radius)) / norm;
  }
  cv::sepFilter2D(src, dst, CV_32F, kernel, kernel, cv::Point(-1, -1), 0, cv::BORDER_REFLECT);
}

cv::Mat TriangleSmooth(const cv::Mat& src, int radius) {
  cv::Mat dst = Scratch();
  TriangleSmooth(src, radius, dst);
  return dst;
}

namespace {

// Gradient magnitude (of the colour channel with the largest one, per pixel), normalised by
// its local average, and orientation in [0, pi).
void GradientMagnitude(const cv::Mat& luv, int norm_radius, cv::Mat& magnitude,
                       cv::Mat& orientation) {
  std::vector<cv::Mat> planes(static_cast<size_t>(luv.channels()), Scratch());
  cv::split(luv, planes);
  cv::Mat best_dx, best_dy, larger = Scratch();
  for (size_t c = 0; c < planes.size(); ++c) {
    cv::Mat dx = Scratch(), dy = Scratch(), m = Scratch();
    cv::Sobel(planes[c], dx, CV_32F, 1, 0, 1, 0.5, 0, cv::BORDER_REFLECT);
    cv::Sobel(planes[c], dy, CV_32F, 0, 1, 1, 0.5, 0, cv::BORDER_REFLECT);
    cv::magnitude(dx, dy, m);
    if (c == 0) {
      magnitude = m;
      best_dx = dx;
      best_dy = dy;
      continue;
    }
    cv::compare(m, magnitude, larger, cv::CMP_GT);
    m.copyTo(magnitude, larger);
    dx.copyTo(best_dx, larger);
    dy.copyTo(best_dy, larger);
  }
  // cv::phase: [0, 2 pi), about 0.3 degrees accurate; folded to [0, pi).
  orientation = Scratch();
  cv::phase(best_dx, best_dy, orientation);
  const auto pi = static_cast<float>(CV_PI);
  for (int y = 0; y < orientation.rows; ++y) {
    auto* o = orientation.ptr<float>(y);
    for (int x = 0; x < orientation.cols; ++x) {
      const float a = o[x] >= pi ? o[x] - pi : o[x];
      o[x] = a >= pi ? 0.0F : a;
    }
  }
  if (norm_radius > 0) {
    cv::Mat local = TriangleSmooth(magnitude, norm_radius);
    cv::add(local, cv::Scalar(0.01F), local);
    cv::divide(magnitude, local, magnitude);
  }
}

// Orientation histograms: the magnitude of each pixel added to its orientation's bin, averaged
// over bin x bin blocks (the result is `out_size`, the input's size / bin).
std::vector<cv::Mat> GradientHistograms(const cv::Mat& magnitude, const cv::Mat& orientation,
                                        int bin, int orientations, cv::Size out_size) {
  std::vector<cv::Mat> hist(static_cast<size_t>(orientations));
  for (cv::Mat& h : hist) h = cv::Mat(out_size, CV_32F, cv::Scalar(0));
  const auto to_bin = static_cast<float>(orientations / CV_PI);
  const float weight = 1.0F / static_cast<float>(bin * bin);
  std::vector<float*> rows(static_cast<size_t>(orientations));
  const int height = std::min(out_size.height * bin, magnitude.rows);
  const int width = std::min(out_size.width * bin, magnitude.cols);
  for (int y = 0; y < height; ++y) {
    const auto* m = magnitude.ptr<float>(y);
    const auto* o = orientation.ptr<float>(y);
    for (size_t k = 0; k < rows.size(); ++k) rows[k] = hist[k].ptr<float>(y / bin);
    for (int x = 0; x < width; ++x) {
      const int b = std::min(orientations - 1, static_cast<int>(o[x] * to_bin));
      rows[static_cast<size_t>(b)][x / bin] += m[x] * weight;
    }
  }
  return hist;
}

}  // namespace
}  // namespace internal

cv::Mat ForestChannels(const cv::Mat& image, const ForestGeometry& geometry, int pad) {
  CV_Assert(image.depth() == CV_8U && pad % geometry.shrink == 0);
  cv::Mat bgr = internal::Scratch();
  if (image.channels() == 1) {
    cv::cvtColor(image, bgr, cv::COLOR_GRAY2BGR);
  } else if (image.channels() == 4) {
    cv::cvtColor(image, bgr, cv::COLOR_BGRA2BGR);
  } else {
    bgr = image;
  }
  cv::Mat padded = internal::Scratch();
  cv::copyMakeBorder(bgr, padded, pad, pad, pad, pad, cv::BORDER_REFLECT);
  // The shrunk size: padded sizes rounded down to a multiple of shrink.
  const int s = geometry.shrink;
  const cv::Size shrunk(padded.cols / s, padded.rows / s);
  padded = padded(cv::Rect(0, 0, shrunk.width * s, shrunk.height * s));

  cv::Mat luv = internal::Scratch();
  padded.convertTo(luv, CV_32F, 1.0 / 255.0);
  cv::cvtColor(luv, luv, cv::COLOR_BGR2Luv);
  // L in [0, 100], u in [-134, 220], v in [-140, 122], all divided by 270 (u and v moved to
  // be positive), as Dollar's toolbox scales them: against this scale the gradient
  // normalisation's floor (0.01) keeps sensor and JPEG noise in flat areas from being
  // amplified to the level of real boundaries.
  std::vector<cv::Mat> planes(3, internal::Scratch());
  cv::split(luv, planes);
  planes[0] = planes[0] / 270.0F;
  planes[1] = (planes[1] + 88.0F) / 270.0F;
  planes[2] = (planes[2] + 134.0F) / 270.0F;
  cv::merge(planes, luv);

  std::vector<cv::Mat> channels;
  for (const cv::Mat& plane : planes) {
    cv::Mat small;
    cv::resize(plane, small, shrunk, 0, 0, cv::INTER_AREA);
    channels.push_back(small);
  }
  // Gradients at full and half resolution, the two in parallel.
  std::vector<cv::Mat> per_scale[2];
  ParallelFor(0, 2, [&](size_t k) {
    const int scale = static_cast<int>(k) + 1;
    cv::Mat level = luv;
    if (scale == 2) {
      level = internal::Scratch();
      cv::resize(luv, level, cv::Size(luv.cols / 2, luv.rows / 2), 0, 0, cv::INTER_AREA);
    }
    cv::Mat magnitude, orientation;
    internal::GradientMagnitude(level, std::max(1, geometry.gradient_norm / scale), magnitude,
                                orientation);
    const int bin = std::max(1, s / scale);
    cv::Mat m = internal::Scratch();
    cv::resize(magnitude, m, shrunk, 0, 0, cv::INTER_AREA);
    per_scale[k].push_back(m);
    const cv::Size hist_size(level.cols / bin, level.rows / bin);
    for (cv::Mat& h : internal::GradientHistograms(magnitude, orientation, bin,
                                                   geometry.orientations, hist_size)) {
      if (h.size() != shrunk) cv::resize(h, h, shrunk, 0, 0, cv::INTER_LINEAR);
      per_scale[k].push_back(h);
    }
  });
  for (const auto& scale_channels : per_scale) {
    channels.insert(channels.end(), scale_channels.begin(), scale_channels.end());
  }
  cv::Mat merged = internal::Scratch();
  cv::merge(channels, merged);
  return merged;
}

namespace internal {

FeatureTable::FeatureTable(const ForestGeometry& g, int row_stride) {
  const int c = g.NumChannels(), w = g.ShrunkPatch();
  // Pixel features: channel ch at (i, j) of the patch, index (ch * w + i) * w + j.
  for (int ch = 0; ch < c; ++ch) {
    for (int i = 0; i < w; ++i) {
      for (int j = 0; j < w; ++j) {
        first.push_back(i * row_stride + j * c + ch);
        second.push_back(-1);
      }
    }
  }
  // Pair features: the difference of two cells of the grid, per channel.
  std::vector<int> cell;
  for (int k = 0; k < g.cells; ++k) {
    const double centre = (k + 0.5) * w / g.cells - 0.5;
    cell.push_back(std::min(w - 1, std::max(0, static_cast<int>(std::lround(centre)))));
  }
  std::vector<std::pair<int, int>> points;
  for (int a : cell) {
    for (int b : cell) points.emplace_back(a, b);
  }
  for (int ch = 0; ch < c; ++ch) {
    for (size_t p = 0; p < points.size(); ++p) {
      for (size_t q = p + 1; q < points.size(); ++q) {
        first.push_back(points[p].first * row_stride + points[p].second * c + ch);
        second.push_back(points[q].first * row_stride + points[q].second * c + ch);
      }
    }
  }
  num_pixel = g.NumPixelFeatures();
}

void ForestFeatureMaps(const cv::Mat& channels, const ForestGeometry& g, cv::Mat& regular,
                       cv::Mat& similarity) {
  // One buffer, `similarity` below `regular`, so that a feature of either is one offset from
  // the same pointer.
  cv::Mat both = Scratch();
  both.create(2 * channels.rows, channels.cols, CV_32FC(channels.channels()));
  regular = both.rowRange(0, channels.rows);
  similarity = both.rowRange(channels.rows, 2 * channels.rows);
  TriangleSmooth(channels, g.channel_smooth / g.shrink, regular);
  TriangleSmooth(channels, g.similarity_smooth / g.shrink, similarity);
}

}  // namespace internal

// ---------------------------------------------------------------------------------------------
// Detection.

Result<BoundaryMap> ForestBoundaries(const Forest& forest, const cv::Mat& image) {
  MSRF_ASSIGN_OR_RETURN(cv::Mat strength, internal::ForestStrength(forest, image));
  BoundaryMap map;
  map.orientation = RidgeOrientation(strength);
  map.strength = std::move(strength);
  return map;
}

namespace internal {

Result<cv::Mat> ForestStrength(const Forest& forest, const cv::Mat& image) {
  if (forest.trees.empty()) return FailedPreconditionError("the boundary forest has no trees");
  if (image.empty()) return InvalidArgumentError("the image is empty");
  if (image.depth() != CV_8U ||
      (image.channels() != 1 && image.channels() != 3 && image.channels() != 4)) {
    return InvalidArgumentError("the image is not 8-bit gray, BGR or BGRA");
  }
  const ForestGeometry& g = forest.geometry;
  const int s = g.shrink, w = g.ShrunkPatch();
  // The image padded by half a patch, and then to a multiple of the shrink on every side.
  const int pad = g.patch / 2;
  const cv::Mat channels = ForestChannels(image, g, pad);
  cv::Mat regular, similarity;
  internal::ForestFeatureMaps(channels, g, regular, similarity);
  const int c = g.NumChannels();
  const int row_stride = channels.cols * c;
  const internal::FeatureTable table(g, row_stride);

  const int positions_y = channels.rows - w + 1, positions_x = channels.cols - w + 1;
  const int out_h = channels.rows * s, out_w = channels.cols * s;
  const int label_offset = (g.patch - g.label_patch) / 2;
  const int num_trees = static_cast<int>(forest.trees.size());
  const int per_position = forest.trees_per_position;

  // The nodes packed with their features' offsets, so that a step down a tree reads one node
  // and the maps, without a branch on the feature's kind: a step reads maps[a] - k * maps[b],
  // where k is the top bit of `child`. A pixel feature has k = 0 and a == b in `regular`; a
  // pair feature has k = 1 and its two cells in `similarity`, which lies `sim` floats after
  // `regular` in the same buffer (ForestFeatureMaps). A leaf holds its boundary pixels' range
  // in `a` and `b`, so that its votes need no other lookup than the pixels themselves.
  struct Node {
    uint32_t child;
    float threshold;
    int32_t a, b;
  };
  constexpr uint32_t kPair = 0x80000000U;
  const auto* maps = regular.ptr<float>(0);
  const ptrdiff_t sim = similarity.ptr<float>(0) - maps;
  // All trees' nodes in one block from ReuseAllocator (the next photo packs into it again).
  size_t total = 0;
  for (const ForestTree& tree : forest.trees) total += tree.child.size();
  if (total > static_cast<size_t>(std::numeric_limits<int>::max()) / sizeof(Node)) {
    return InvalidArgumentError("the boundary forest is too large");
  }
  cv::Mat node_storage = internal::Scratch();
  node_storage.create(1, static_cast<int>(total * sizeof(Node)), CV_8U);
  std::vector<Node*> nodes(forest.trees.size());
  for (size_t t = 0, offset = 0; t < forest.trees.size(); ++t) {
    const ForestTree& tree = forest.trees[t];
    nodes[t] = reinterpret_cast<Node*>(node_storage.data) + offset;
    offset += tree.child.size();
    for (size_t i = 0; i < tree.feature.size(); ++i) {
      // A leaf's feature is never read, and need not be in range (Forest::Validate).
      if (tree.child[i] == 0) {
        nodes[t][i] = {0, 0.0F, static_cast<int32_t>(tree.boundary_begin[i]),
                       static_cast<int32_t>(tree.boundary_begin[i + 1])};
        continue;
      }
      const auto f = static_cast<size_t>(tree.feature[i]);
      if (static_cast<int>(f) < table.num_pixel) {
        nodes[t][i] = {tree.child[i], tree.threshold[i], table.first[f], table.first[f]};
      } else {
        nodes[t][i] = {tree.child[i] | kPair, tree.threshold[i],
                       static_cast<int32_t>(sim + table.first[f]),
                       static_cast<int32_t>(sim + table.second[f])};
      }
    }
  }
  // Votes are counts: their sums do not depend on the order they are added in. Position rows
  // go in blocks; a block's votes reach kBlock * shrink + label_patch rows, fewer than two
  // blocks' worth, so the even blocks run in parallel, then the odd ones.
  constexpr int kBlock = 16;
  cv::Mat votes = internal::Scratch();
  votes.create(out_h, out_w, CV_16U);
  votes.setTo(0);
  const int lp = g.label_patch;
  // A boundary pixel's place in `votes`, relative to its patch's top-left corner.
  std::vector<ptrdiff_t> pixel_offset(static_cast<size_t>(lp * lp));
  for (int p = 0; p < lp * lp; ++p) {
    pixel_offset[static_cast<size_t>(p)] = static_cast<ptrdiff_t>(p / lp) * out_w + p % lp;
  }
  const int num_blocks = (positions_y + kBlock - 1) / kBlock;
  for (int parity = 0; parity < 2; ++parity) {
    ParallelFor(0, static_cast<size_t>((num_blocks + 1 - parity) / 2), [&](size_t b) {
      const int r0 = (2 * static_cast<int>(b) + parity) * kBlock;
      const int r1 = std::min(positions_y, r0 + kBlock);
      // The walks of kLanes positions advance together, a level at a time: each step waits on
      // memory, and independent walks let those waits overlap.
      constexpr int kLanes = 8;
      for (int t = 0; t < per_position; ++t) {
        for (int r = r0; r < r1; ++r) {
          for (int x0 = 0; x0 < positions_x; x0 += kLanes) {
            const int lanes = std::min(kLanes, positions_x - x0);
            const Node* lane_nodes[kLanes];
            ptrdiff_t lane_base[kLanes];
            uint32_t lane_node[kLanes];
            for (int i = 0; i < lanes; ++i) {
              const int x = x0 + i;
              lane_nodes[i] =
                  nodes[static_cast<size_t>(((r + x) % 2 * per_position + t) % num_trees)];
              lane_base[i] = static_cast<ptrdiff_t>(r) * row_stride + static_cast<ptrdiff_t>(x) * c;
              lane_node[i] = 0;
            }
            for (bool walking = true; walking;) {
              walking = false;
              for (int i = 0; i < lanes; ++i) {
                const Node& n = lane_nodes[i][lane_node[i]];
                if (n.child == 0) continue;
                walking = true;
                const float* at = maps + lane_base[i];
                const float v = at[n.a] - static_cast<float>(n.child >> 31) * at[n.b];
                lane_node[i] = (n.child & ~kPair) + (v < n.threshold ? 0 : 1);
              }
            }
            for (int i = 0; i < lanes; ++i) {
              const int x = x0 + i;
              const ForestTree& tree =
                  forest.trees[static_cast<size_t>(((r + x) % 2 * per_position + t) % num_trees)];
              const Node& leaf = lane_nodes[i][lane_node[i]];
              uint16_t* corner = votes.ptr<uint16_t>(r * s + label_offset) +
                                 static_cast<ptrdiff_t>(x) * s + label_offset;
              const uint8_t* pixels = tree.boundary_pixels.data();
              for (int32_t k = leaf.a; k < leaf.b; ++k) ++corner[pixel_offset[pixels[k]]];
            }
          }
        }
      }
    });
  }
  // Every pixel is covered by (label_patch / shrink)^2 positions, each with its trees.
  const int covering = lp / s;  // label_patch is a multiple of shrink (ForestGeometry)
  const auto per_pixel = static_cast<float>(covering * covering * per_position);
  cv::Mat strength = internal::Scratch();
  votes(cv::Rect(pad, pad, image.cols, image.rows)).convertTo(strength, CV_32F, 1.0 / per_pixel);
  strength = internal::TriangleSmooth(strength, 1);
  strength = cv::min(strength, 1.0F);
  return strength;
}

}  // namespace internal

// ---------------------------------------------------------------------------------------------
// Serialisation.

namespace {

constexpr char kMagic[8] = {'M', 'S', 'R', 'F', 'F', 'R', 'S', '1'};

class Writer {
 public:
  template <typename T>
  void Put(T v) {
    char bytes[sizeof(T)];
    std::memcpy(bytes, &v, sizeof(T));
    out_.append(bytes, sizeof(T));
  }
  template <typename T>
  void PutArray(const std::vector<T>& v) {
    Put(static_cast<uint32_t>(v.size()));
    if (!v.empty()) out_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }
  void PutString(const std::string& s) {
    Put(static_cast<uint32_t>(s.size()));
    out_ += s;
  }
  std::string Take() { return std::move(out_); }
  void Append(const char* data, size_t n) { out_.append(data, n); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(const std::string& bytes) : bytes_(bytes) {}
  template <typename T>
  bool Get(T& v) {
    if (bytes_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(&v, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  template <typename T>
  bool GetArray(std::vector<T>& v) {
    uint32_t n = 0;
    if (!Get(n) || (bytes_.size() - pos_) / sizeof(T) < n) return false;
    v.resize(n);
    if (n > 0) std::memcpy(v.data(), bytes_.data() + pos_, n * sizeof(T));
    pos_ += n * sizeof(T);
    return true;
  }
  bool GetString(std::string& s) {
    uint32_t n = 0;
    if (!Get(n) || bytes_.size() - pos_ < n) return false;
    s.assign(bytes_, pos_, n);
    pos_ += n;
    return true;
  }
  bool AtEnd() const { return pos_ == bytes_.size(); }
  bool Skip(size_t n) {
    if (bytes_.size() - pos_ < n) return false;
    pos_ += n;
    return true;
  }

 private:
  const std::string& bytes_;
  size_t pos_ = 0;
};

}  // namespace

std::string SerializeForest(const Forest& forest) {
  Writer w;
  w.Append(kMagic, sizeof(kMagic));
  const ForestGeometry& g = forest.geometry;
  for (int v : {g.patch, g.label_patch, g.shrink, g.orientations, g.cells, g.channel_smooth,
                g.similarity_smooth, g.gradient_norm, forest.trees_per_position}) {
    w.Put(static_cast<int32_t>(v));
  }
  w.PutString(forest.provenance);
  w.Put(static_cast<uint32_t>(forest.trees.size()));
  for (const ForestTree& tree : forest.trees) {
    w.PutArray(tree.feature);
    w.PutArray(tree.threshold);
    w.PutArray(tree.child);
    w.PutArray(tree.boundary_begin);
    w.PutArray(tree.boundary_pixels);
  }
  return w.Take();
}

Result<Forest> ParseForest(const std::string& bytes) {
  if (bytes.size() < sizeof(kMagic) || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    return InvalidArgumentError("not an msrf boundary forest (no MSRFFRS1 header)");
  }
  Reader r(bytes);
  r.Skip(sizeof(kMagic));
  Forest forest;
  ForestGeometry& g = forest.geometry;
  const auto truncated = [] { return InvalidArgumentError("the boundary forest is truncated"); };
  int32_t v[9];
  for (int32_t& x : v) {
    if (!r.Get(x)) return truncated();
  }
  g.patch = v[0];
  g.label_patch = v[1];
  g.shrink = v[2];
  g.orientations = v[3];
  g.cells = v[4];
  g.channel_smooth = v[5];
  g.similarity_smooth = v[6];
  g.gradient_norm = v[7];
  forest.trees_per_position = v[8];
  MSRF_RETURN_IF_ERROR(g.Validate());
  uint32_t num_trees = 0;
  if (!r.GetString(forest.provenance) || !r.Get(num_trees)) return truncated();
  if (num_trees == 0 || num_trees > 64) {
    return InvalidArgumentError("the boundary forest has " + std::to_string(num_trees) +
                                " trees (expected 1 to 64)");
  }
  forest.trees.resize(num_trees);
  for (ForestTree& tree : forest.trees) {
    if (!r.GetArray(tree.feature) || !r.GetArray(tree.threshold) || !r.GetArray(tree.child) ||
        !r.GetArray(tree.boundary_begin) || !r.GetArray(tree.boundary_pixels)) {
      return truncated();
    }
  }
  if (!r.AtEnd()) return InvalidArgumentError("the boundary forest has bytes after its trees");
  MSRF_RETURN_IF_ERROR(forest.Validate());
  return forest;
}

Result<Forest> ReadForest(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot open boundary forest " + path);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  Result<Forest> forest = ParseForest(bytes.str());
  if (!forest.ok()) return Status(forest.status().code(), path + ": " + forest.status().message());
  return forest;
}

}  // namespace msrf
