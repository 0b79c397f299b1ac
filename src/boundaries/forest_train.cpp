// Training the structured forest (Dollar & Zitnick, PAMI 2015, section 3): every tree is grown
// on its own sample of patches and its own share of the features. At each node the boundary
// patches that reach it are made into two classes (which pixel pairs lie in one segment,
// projected on their first principal component), and the split that best separates the two
// classes (Gini) among a few random features is taken. A leaf keeps the boundary patch of its
// most typical sample.
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <numeric>

#include "forest_internal.h"
#include "msrf/boundaries/forest.h"
#include "msrf/core/check.h"
#include "msrf/core/parallel.h"
#include "msrf/core/random.h"

namespace msrf {

Status ForestTrainOptions::Validate() const {
  MSRF_RETURN_IF_ERROR(geometry.Validate());
  MSRF_RETURN_IF_ERROR(CheckRange("train.num_trees", num_trees, 1, 64));
  MSRF_RETURN_IF_ERROR(CheckRange("train.trees_per_position", trees_per_position, 1, num_trees));
  MSRF_RETURN_IF_ERROR(CheckRange("train.samples_per_tree", samples_per_tree, 100, 10000000));
  MSRF_RETURN_IF_ERROR(CheckRange("train.feature_fraction", feature_fraction, 0.0, 1.0,
                                  Bound::kOpen, Bound::kClosed));
  MSRF_RETURN_IF_ERROR(CheckRange("train.max_depth", max_depth, 1, 256));
  MSRF_RETURN_IF_ERROR(CheckRange("train.min_child", min_child, 1, 1000000));
  MSRF_RETURN_IF_ERROR(CheckRange("train.min_samples_to_split", min_samples_to_split,
                                  int64_t{2} * min_child, 10000000));
  return CheckRange("train.label_pairs", label_pairs, 1, 4096);
}

namespace {

constexpr int kBins = 256;

// The patches one tree learns from: binned features (feature-major) and label patches.
struct TreeData {
  std::vector<int> features;              // global feature index of each column
  std::vector<std::vector<float>> edges;  // per column: the bin edges, ascending
  std::vector<uint8_t> bins;              // bins[column * n + sample]
  std::vector<uint8_t> labels;            // labels[sample * label_pixels + pixel]
  int n = 0;
};

// Pixels whose label differs from a 4-neighbour's: both sides of every segment border.
cv::Mat SegmentBorders(const cv::Mat& labels) {
  cv::Mat border = cv::Mat(labels.size(), CV_8U, cv::Scalar(0));
  for (int y = 0; y < labels.rows; ++y) {
    for (int x = 0; x < labels.cols; ++x) {
      const int v = labels.at<int>(y, x);
      const bool differs = (x + 1 < labels.cols && labels.at<int>(y, x + 1) != v) ||
                           (x > 0 && labels.at<int>(y, x - 1) != v) ||
                           (y + 1 < labels.rows && labels.at<int>(y + 1, x) != v) ||
                           (y > 0 && labels.at<int>(y - 1, x) != v);
      if (differs) border.at<uint8_t>(y, x) = 255;
    }
  }
  return border;
}

// Samples patches of every image for tree `tree`.
TreeData SampleTree(const std::vector<ForestTrainImage>& images, const ForestTrainOptions& options,
                    int tree) {
  const ForestGeometry& g = options.geometry;
  Rng rng(DeriveSeed(options.seed, static_cast<uint64_t>(tree)));
  const int num_features = g.NumFeatures();
  // The tree's share of the features, in ascending order.
  std::vector<int> all(static_cast<size_t>(num_features));
  std::iota(all.begin(), all.end(), 0);
  const int kept =
      std::max(1, static_cast<int>(std::lround(options.feature_fraction * num_features)));
  for (int i = 0; i < kept; ++i) {
    const int j = i + static_cast<int>(rng.Below(static_cast<uint64_t>(num_features - i)));
    std::swap(all[static_cast<size_t>(i)], all[static_cast<size_t>(j)]);
  }
  TreeData data;
  data.features.assign(all.begin(), all.begin() + kept);
  std::sort(data.features.begin(), data.features.end());

  const int lp = g.label_patch, half = lp / 2, s = g.shrink, pad = g.patch / 2;
  std::vector<float> values;  // sample-major while sampling
  for (const ForestTrainImage& image : images) {
    const cv::Mat channels = ForestChannels(image.image, g, pad);
    cv::Mat regular, similarity;
    internal::ForestFeatureMaps(channels, g, regular, similarity);
    const int row_stride = channels.cols * g.NumChannels();
    const internal::FeatureTable table(g, row_stride);
    // Each annotator's patches carry that annotator's segmentation, so a patch's label
    // always agrees with the reason it was drawn. Positive: a boundary of the annotator within
    // half a label patch, so the patch shows it; negative: none that near.
    const auto shares = static_cast<int64_t>(images.size() * image.segmentations.size());
    const auto per_kind = static_cast<int>(
        std::max<int64_t>(1, (options.samples_per_tree / 2 + shares - 1) / shares));
    for (const cv::Mat& annotation : image.segmentations) {
      cv::Mat seg;
      annotation.convertTo(seg, CV_32S);
      cv::Mat away, distance;
      cv::bitwise_not(SegmentBorders(seg), away);
      cv::distanceTransform(away, distance, cv::DIST_L2, cv::DIST_MASK_PRECISE);
      // Positions on the shrink grid whose label patch lies inside the image.
      std::vector<cv::Point> positive, negative;
      for (int y = half; y + half <= image.image.rows; y += s) {
        for (int x = half; x + half <= image.image.cols; x += s) {
          (distance.at<float>(y, x) < static_cast<float>(half) ? positive : negative)
              .emplace_back(x, y);
        }
      }
      for (std::vector<cv::Point>* kind : {&positive, &negative}) {
        const int take = std::min(per_kind, static_cast<int>(kind->size()));
        for (int i = 0; i < take; ++i) {
          const int j = i + static_cast<int>(rng.Below(kind->size() - static_cast<size_t>(i)));
          std::swap((*kind)[static_cast<size_t>(i)], (*kind)[static_cast<size_t>(j)]);
          const cv::Point p = (*kind)[static_cast<size_t>(i)];
          // The label patch, labels renumbered in order of appearance.
          int map_from[256];
          int map_to[256];
          int distinct = 0;
          for (int yy = 0; yy < lp; ++yy) {
            for (int xx = 0; xx < lp; ++xx) {
              const int v = seg.at<int>(p.y - half + yy, p.x - half + xx);
              int k = 0;
              while (k < distinct && map_from[k] != v) ++k;
              if (k == distinct) {
                map_from[k] = v;
                map_to[k] = distinct++;
              }
              data.labels.push_back(static_cast<uint8_t>(map_to[k]));
            }
          }
          // Patch top-left in the shrunk padded maps: the patch is centred on p.
          const ptrdiff_t base = static_cast<ptrdiff_t>(p.y / s) * row_stride +
                                 static_cast<ptrdiff_t>(p.x / s) * g.NumChannels();
          const auto* reg = regular.ptr<float>(0);
          const auto* sim = similarity.ptr<float>(0);
          for (int f : data.features) {
            const auto fi = static_cast<size_t>(f);
            values.push_back(f < table.num_pixel
                                 ? reg[base + table.first[fi]]
                                 : sim[base + table.first[fi]] - sim[base + table.second[fi]]);
          }
          ++data.n;
        }
      }
    }
  }
  // Bin edges per feature: quantiles of a spread subsample; then every value's bin.
  const auto columns = data.features.size();
  const auto n = static_cast<size_t>(data.n);
  data.edges.resize(columns);
  data.bins.resize(columns * n);
  const size_t step = std::max<size_t>(1, n / 4096);
  std::vector<float> sub;
  for (size_t c = 0; c < columns; ++c) {
    sub.clear();
    for (size_t i = 0; i < n; i += step) sub.push_back(values[i * columns + c]);
    std::sort(sub.begin(), sub.end());
    std::vector<float>& edges = data.edges[c];
    for (int k = 1; k < kBins; ++k) {
      const float e = sub[std::min(sub.size() - 1, sub.size() * static_cast<size_t>(k) / kBins)];
      if (edges.empty() || e > edges.back()) edges.push_back(e);
    }
    for (size_t i = 0; i < n; ++i) {
      const float v = values[i * columns + c];
      data.bins[c * n + i] =
          static_cast<uint8_t>(std::upper_bound(edges.begin(), edges.end(), v) - edges.begin());
    }
  }
  return data;
}

// Which of `pairs` pixel pairs of each sample's label patch lie in one segment.
void PairAgreement(const TreeData& data, const std::vector<int>& samples,
                   const std::vector<std::pair<int, int>>& pairs, int label_pixels,
                   std::vector<float>& z) {
  z.resize(samples.size() * pairs.size());
  for (size_t i = 0; i < samples.size(); ++i) {
    const uint8_t* l = data.labels.data() + static_cast<size_t>(samples[i]) * label_pixels;
    float* out = z.data() + i * pairs.size();
    for (size_t k = 0; k < pairs.size(); ++k) {
      out[k] = l[pairs[k].first] == l[pairs[k].second] ? 1.0F : 0.0F;
    }
  }
}

// A leaf's label patch with every segment of at most kSmallSegment pixels given to the
// neighbouring segment it touches most: slivers a few pixels wide are an annotator's
// accident at the patch's edge, and would vote for a closed loop of boundary around them.
constexpr int kSmallSegment = 5;

std::vector<uint8_t> MergeSmallSegments(const uint8_t* labels, int side) {
  const int n = side * side;
  std::vector<uint8_t> out(labels, labels + n);
  for (bool changed = true; changed;) {
    changed = false;
    int count[256] = {};
    for (uint8_t v : out) ++count[v];
    for (int segment = 0; segment < 256 && !changed; ++segment) {
      if (count[segment] == 0 || count[segment] > kSmallSegment || count[segment] == n) continue;
      int touches[256] = {};
      for (int i = 0; i < n; ++i) {
        if (out[static_cast<size_t>(i)] != segment) continue;
        const int y = i / side, x = i % side;
        const int neighbours[4][2] = {{y, x - 1}, {y, x + 1}, {y - 1, x}, {y + 1, x}};
        for (const auto& q : neighbours) {
          if (q[0] < 0 || q[0] >= side || q[1] < 0 || q[1] >= side) continue;
          const uint8_t v = out[static_cast<size_t>(q[0]) * static_cast<size_t>(side) +
                                static_cast<size_t>(q[1])];
          if (v != segment) ++touches[v];
        }
      }
      const int to = static_cast<int>(std::max_element(touches, touches + 256) - touches);
      if (touches[to] == 0) continue;  // not 4-connected to another segment
      for (uint8_t& v : out) {
        if (v == segment) v = static_cast<uint8_t>(to);
      }
      changed = true;
    }
  }
  return out;
}

struct NodeWork {
  uint32_t node;
  size_t begin, end;  // into the sample order
  int depth;
};

ForestTree GrowTree(const TreeData& data, const ForestTrainOptions& options, int tree) {
  const ForestGeometry& g = options.geometry;
  const int label_pixels = g.label_patch * g.label_patch;
  Rng rng(DeriveSeed(options.seed ^ 0x5EEDF0E57ULL, static_cast<uint64_t>(tree)));
  const auto n = static_cast<size_t>(data.n);
  const auto columns = data.features.size();
  const int tries =
      std::max(1, static_cast<int>(std::lround(std::sqrt(static_cast<double>(columns)))));

  ForestTree out;
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::vector<NodeWork> stack{{0, 0, n, 0}};
  out.feature.push_back(0);
  out.threshold.push_back(0.0F);
  out.child.push_back(0);
  std::vector<std::vector<uint8_t>> leaf_pixels(1);

  std::vector<std::pair<int, int>> pairs(static_cast<size_t>(options.label_pairs));
  std::vector<float> z, mean, u, w;
  std::vector<uint8_t> cls;
  std::vector<int> samples;
  while (!stack.empty()) {
    const NodeWork work = stack.back();
    stack.pop_back();
    samples.assign(order.begin() + static_cast<ptrdiff_t>(work.begin),
                   order.begin() + static_cast<ptrdiff_t>(work.end));
    const size_t m = samples.size();
    for (auto& p : pairs) {
      p.first = static_cast<int>(rng.Below(static_cast<uint64_t>(label_pixels)));
      do {
        p.second = static_cast<int>(rng.Below(static_cast<uint64_t>(label_pixels)));
      } while (p.second == p.first);
    }
    PairAgreement(data, samples, pairs, label_pixels, z);
    const size_t d = pairs.size();
    mean.assign(d, 0.0F);
    for (size_t i = 0; i < m; ++i) {
      for (size_t k = 0; k < d; ++k) mean[k] += z[i * d + k];
    }
    for (float& v : mean) v /= static_cast<float>(m);
    for (size_t i = 0; i < m; ++i) {
      for (size_t k = 0; k < d; ++k) z[i * d + k] -= mean[k];
    }
    bool split = false;
    const bool may_split =
        static_cast<int>(m) >= options.min_samples_to_split && work.depth < options.max_depth;
    const bool varied = std::any_of(mean.begin(), mean.end(),
                                    [](float v) { return v > 1e-6F && v < 1.0F - 1e-6F; });
    if (may_split && varied) {
      // The first principal component of the centred agreements, by power iteration on a
      // spread subsample; the two classes are the two signs of the projection.
      const size_t stride = std::max<size_t>(1, m / 2048);
      u.assign(d, 0.0F);
      for (size_t k = 0; k < d; ++k) u[k] = static_cast<float>(rng.Uniform(-1.0, 1.0));
      for (int iteration = 0; iteration < 12; ++iteration) {
        w.assign(d, 0.0F);
        for (size_t i = 0; i < m; i += stride) {
          const float* zi = z.data() + i * d;
          float dot = 0.0F;
          for (size_t k = 0; k < d; ++k) dot += zi[k] * u[k];
          for (size_t k = 0; k < d; ++k) w[k] += dot * zi[k];
        }
        float norm = 0.0F;
        for (float v : w) norm += v * v;
        norm = std::sqrt(norm);
        if (norm <= 0.0F) break;
        for (size_t k = 0; k < d; ++k) u[k] = w[k] / norm;
      }
      cls.resize(m);
      size_t ones = 0;
      for (size_t i = 0; i < m; ++i) {
        const float* zi = z.data() + i * d;
        float dot = 0.0F;
        for (size_t k = 0; k < d; ++k) dot += zi[k] * u[k];
        cls[i] = dot > 0.0F ? 1 : 0;
        ones += cls[i];
      }
      if (ones > 0 && ones < m) {
        // The best Gini split among `tries` random features.
        double best_cost = std::numeric_limits<double>::infinity();
        int best_column = -1, best_bin = 0;
        for (int t = 0; t < tries; ++t) {
          const auto c = static_cast<size_t>(rng.Below(columns));
          int hist[kBins][2] = {};
          const uint8_t* b = data.bins.data() + c * n;
          for (size_t i = 0; i < m; ++i) ++hist[b[samples[i]]][cls[i]];
          int left[2] = {0, 0};
          const int total[2] = {static_cast<int>(m - ones), static_cast<int>(ones)};
          for (int k = 1; k < kBins; ++k) {
            left[0] += hist[k - 1][0];
            left[1] += hist[k - 1][1];
            const int nl = left[0] + left[1], nr = static_cast<int>(m) - nl;
            if (nl < options.min_child || nr < options.min_child) continue;
            const double pl = static_cast<double>(left[1]) / nl;
            const double pr = static_cast<double>(total[1] - left[1]) / nr;
            const double cost = nl * 2.0 * pl * (1.0 - pl) + nr * 2.0 * pr * (1.0 - pr);
            if (cost < best_cost) {
              best_cost = cost;
              best_column = static_cast<int>(c);
              best_bin = k;
            }
          }
        }
        if (best_column >= 0) {
          const auto c = static_cast<size_t>(best_column);
          const uint8_t* b = data.bins.data() + c * n;
          auto first = order.begin() + static_cast<ptrdiff_t>(work.begin);
          auto last = order.begin() + static_cast<ptrdiff_t>(work.end);
          auto middle = std::stable_partition(first, last, [&](int i) { return b[i] < best_bin; });
          const auto mid = static_cast<size_t>(middle - order.begin());
          const auto left_node = static_cast<uint32_t>(out.feature.size());
          out.feature[work.node] = static_cast<uint16_t>(data.features[c]);
          out.threshold[work.node] = data.edges[c][static_cast<size_t>(best_bin - 1)];
          out.child[work.node] = left_node;
          for (int k = 0; k < 2; ++k) {
            out.feature.push_back(0);
            out.threshold.push_back(0.0F);
            out.child.push_back(0);
            leaf_pixels.emplace_back();
          }
          // Right first, so that the left child is grown first (depth-first order).
          stack.push_back({left_node + 1, mid, work.end, work.depth + 1});
          stack.push_back({left_node, work.begin, mid, work.depth + 1});
          split = true;
        }
      }
    }
    if (split) continue;
    // A leaf: the boundary of the sample nearest the mean agreement.
    size_t best = 0;
    float best_distance = std::numeric_limits<float>::infinity();
    for (size_t i = 0; i < m; ++i) {
      float dist = 0.0F;
      for (size_t k = 0; k < d; ++k) dist += z[i * d + k] * z[i * d + k];
      if (dist < best_distance) {
        best_distance = dist;
        best = i;
      }
    }
    const int lp = g.label_patch;
    const std::vector<uint8_t> l = MergeSmallSegments(
        data.labels.data() + static_cast<size_t>(samples[best]) * label_pixels, lp);
    std::vector<uint8_t>& pixels = leaf_pixels[work.node];
    for (int y = 0; y < lp; ++y) {
      for (int x = 0; x < lp; ++x) {
        const uint8_t v = l[y * lp + x];
        const bool differs =
            (x + 1 < lp && l[y * lp + x + 1] != v) || (x > 0 && l[y * lp + x - 1] != v) ||
            (y + 1 < lp && l[(y + 1) * lp + x] != v) || (y > 0 && l[(y - 1) * lp + x] != v);
        if (differs) pixels.push_back(static_cast<uint8_t>(y * lp + x));
      }
    }
  }
  out.boundary_begin.push_back(0);
  for (const auto& pixels : leaf_pixels) {
    out.boundary_pixels.insert(out.boundary_pixels.end(), pixels.begin(), pixels.end());
    out.boundary_begin.push_back(static_cast<uint32_t>(out.boundary_pixels.size()));
  }
  return out;
}

}  // namespace

Result<Forest> TrainForest(const std::vector<ForestTrainImage>& images,
                           const ForestTrainOptions& options,
                           const std::function<void(int tree, int num_trees)>& progress) {
  MSRF_RETURN_IF_ERROR(options.Validate());
  if (images.empty()) return InvalidArgumentError("no training images");
  const int half = options.geometry.label_patch / 2;
  for (const ForestTrainImage& image : images) {
    if (image.image.empty() || image.image.depth() != CV_8U) {
      return InvalidArgumentError(image.id + ": the image is empty or not 8-bit");
    }
    if (image.image.rows < 2 * half || image.image.cols < 2 * half) {
      return InvalidArgumentError(image.id + ": the image is smaller than a label patch");
    }
    if (image.segmentations.empty()) return InvalidArgumentError(image.id + ": no segmentation");
    for (const cv::Mat& seg : image.segmentations) {
      if (seg.size() != image.image.size() || seg.channels() != 1 ||
          (seg.depth() != CV_16U && seg.depth() != CV_32S && seg.depth() != CV_8U)) {
        return InvalidArgumentError(image.id +
                                    ": a segmentation is not a label map the image's size");
      }
    }
  }
  Forest forest;
  forest.geometry = options.geometry;
  forest.trees_per_position = options.trees_per_position;
  forest.trees.resize(static_cast<size_t>(options.num_trees));
  std::mutex progress_mutex;
  int done = 0;
  ParallelFor(0, static_cast<size_t>(options.num_trees), [&](size_t t) {
    const TreeData data = SampleTree(images, options, static_cast<int>(t));
    forest.trees[t] = GrowTree(data, options, static_cast<int>(t));
    if (progress) {
      const std::lock_guard<std::mutex> lock(progress_mutex);
      progress(++done, options.num_trees);
    }
  });
  MSRF_RETURN_IF_ERROR(forest.Validate());
  return forest;
}

}  // namespace msrf
