// What the BSDS benchmark's sources share (not installed): the matching of detected to
// human boundary pixels, and a few helpers.
#pragma once

#include <opencv2/core.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "msrf/eval/bsds.h"

namespace msrf::internal {

// cv::imread flags (msrf/io/image_io.h): maps keep their depth, photos are read as BGR.
inline constexpr int kReadUnchanged = -1;
inline constexpr int kReadColour = 1;

// "481x321".
inline std::string SizeText(cv::Size size) {
  return std::to_string(size.width) + "x" + std::to_string(size.height);
}

// <folder>/<id>.png, a precomputed map's file.
inline std::string BsdsMapPath(const std::string& folder, const std::string& id) {
  return (std::filesystem::path(folder) / (id + ".png")).string();
}

// One annotator's boundary pixels, indexed for looking up those within reach of a point.
class HumanPixelIndex {
 public:
  // `human`: CV_8U, non-zero on a boundary pixel. `max_distance` in pixels, >= 0.
  HumanPixelIndex(const cv::Mat& human, double max_distance);

  int size() const { return static_cast<int>(pixels_.size()); }
  cv::Point pixel(int i) const { return pixels_[static_cast<size_t>(i)]; }

  // Appends the indices of the human pixels within reach of `p` (inside the map), nearest
  // first (then in raster order of their offsets).
  void AppendNeighbours(cv::Point p, std::vector<int>* neighbours) const;

 private:
  int pad_ = 0;                    // reach in whole pixels: the border added around the map
  int stride_ = 0;                 // the padded map's width
  std::vector<int> index_;         // padded map: the pixel's index in pixels_, or -1
  std::vector<uint8_t> near_;      // padded map: 1 where a human pixel is within reach
  std::vector<cv::Point> pixels_;  // raster order
  std::vector<int> offsets_;       // index_ offsets within reach, nearest first
};

// Maximum matchings of detected pixels to one annotator's pixels, for a sequence of
// detected sets drawn from one list of candidate pixels: the thresholds of one strength map,
// highest first, where each set is mostly the last one and some more. Each matching starts
// from the last one (its pairs whose detected pixel is still there), and each candidate's
// human pixels within reach are looked up once.
class BoundaryMatcher {
 public:
  // Both must outlive the matcher.
  BoundaryMatcher(const HumanPixelIndex& human, const std::vector<cv::Point>& candidates);

  // A maximum matching of the candidates i < taken with detected[i] != 0 (Hopcroft-Karp,
  // from the last matching and then greedily nearest first). `taken` never decreases from
  // one call to the next. Returns the number of pairs.
  int Match(size_t taken, const std::vector<uint8_t>& detected);

  // After Match: candidate i's human pixel, or -1.
  int partner(size_t i) const { return match_left_[i]; }

 private:
  const HumanPixelIndex& human_;
  const std::vector<cv::Point>& candidates_;
  std::vector<int> begin_ = {0};  // candidate i's human pixels: adjacent_[begin_[i] ..)
  std::vector<int> adjacent_;
  std::vector<int> match_left_;                             // by candidate: its human pixel, or -1
  std::vector<int> match_right_;                            // by human pixel: its candidate, or -1
  std::vector<int> active_, layer_, next_, queue_, stack_;  // scratch
};

// The counts of a strength map (CV_32F) at each threshold of `options` (valid) against
// annotators indexed for the map's size and MaxMatchDistance: what EvaluateBoundaryMap and
// EvaluateHumanAgreement compute once their inputs are checked.
std::vector<BoundaryCounts> CountAtThresholds(const cv::Mat& strength,
                                              const std::vector<const HumanPixelIndex*>& annotators,
                                              const BsdsOptions& options);

}  // namespace msrf::internal
