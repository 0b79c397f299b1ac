// The BSDS500 boundary benchmark (Arbelaez, Maire, Fowlkes, Malik, TPAMI 2011): boundary
// strength maps scored against every annotator's boundaries as precision against recall over
// 99 thresholds, summed up as ODS, OIS and AP, as the release's reference code does
// (evaluation_bdry_image, correspondPixels, collect_eval_bdry).
//
//   msrf::Result<msrf::BsdsSplit> val = msrf::ReadBsdsSplit("bsds500", "val");
//   msrf::BoundaryOptions gradient;
//   gradient.method = msrf::BoundaryMethod::kGradient;
//   auto runs = msrf::RunBsdsBench(*val, {msrf::DetectorBsdsMethod("gradient", gradient),
//                                         msrf::HumanBsdsMethod()});
//   double ods = (*runs)[0].scores.ods.f;   // and .ois, .ap, .curve
//
// Where this differs from the reference code (exact maximum matching, Zhang-Suen thinning,
// ground truth as PNG boundary maps) and what that does to the figures: docs/boundaries.md.
#pragma once

#include <opencv2/core.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "msrf/boundaries/boundaries.h"
#include "msrf/core/status.h"

namespace msrf {

// ---- The dataset ------------------------------------------------------------------------

// One image of a split: <root>/<split>/<id>.jpg and its annotators' <id>_gt<k>.png.
struct BsdsImage {
  std::string id;                     // the file stem, e.g. "101085"
  std::string image_path;             // <root>/<split>/<id>.jpg
  std::vector<std::string> gt_paths;  // <id>_gt<k>.png in increasing k (4 to 9 in BSDS500)
  cv::Size size;                      // the image's, read from its header
};

struct BsdsSplit {
  std::string root;
  std::string split;              // "train", "val", ...
  std::vector<BsdsImage> images;  // sorted by id
};

// Lists <root>/<split>/: every <id>.jpg with its <id>_gt<k>.png (other files are ignored).
// Only headers are read, so every file is checked before any work. Errors name the folder or
// file: NotFound (no such folder), InvalidArgument (a folder without images, an image
// without any annotator's map), DataLoss (an image or map whose header cannot be read),
// FailedPrecondition (a map whose size differs from the image's).
Result<BsdsSplit> ReadBsdsSplit(const std::string& root, const std::string& split);

// How the benchmark reads image files: `imread_flags` as in ImageReadOptions
// (msrf/io/image_io.h). It is called from several threads at once.
using BsdsImageReader = std::function<Result<cv::Mat>(const std::string& path, int imread_flags)>;
// msrf::ReadImage with its default limits.
BsdsImageReader DefaultBsdsImageReader();

// The annotators' boundary maps of `image`, in the order of gt_paths: CV_8U, 255 on a
// boundary pixel (any non-zero value in the file), 0 elsewhere. Errors name the file: one
// that cannot be decoded, is not single-channel 8-bit, or is not the image's size.
Result<std::vector<cv::Mat>> ReadBsdsGroundTruth(
    const BsdsImage& image, const BsdsImageReader& reader = DefaultBsdsImageReader());

// ---- Matching ---------------------------------------------------------------------------

// A one-to-one assignment between two binary maps' pixels.
struct BoundaryMatch {
  int matched = 0;           // pairs
  cv::Mat detected_matched;  // CV_8U, 255 on the detected pixels that have a partner
  cv::Mat human_matched;     // CV_8U, 255 on the human pixels that have a partner
};

// Matches the non-zero pixels of `detected` to those of `human` (CV_8U, one size): a pair
// may be at most `max_distance` pixels apart (Euclidean, inclusive), and each pixel is in
// at most one pair. The matching has the largest possible number of pairs (Hopcroft-Karp
// over the pairs within reach, started greedily nearest first). The reference's
// correspondPixels solves a min-cost assignment in which leaving a pixel unmatched costs
// 100 x max_distance, so in effect it also maximises the number of pairs first and only
// then the closeness. Among maximum matchings the distances change which pixels pair up,
// not how many: recall is the same for all of them. Precision counts a detected pixel
// matched to any annotator, so which pixels pair up can move it slightly
// (docs/boundaries.md says by how much).
BoundaryMatch MatchBoundaries(const cv::Mat& detected, const cv::Mat& human, double max_distance);

// ---- One image --------------------------------------------------------------------------

struct BsdsOptions {
  // Thresholds t_k = k / (thresholds + 1), k = 1 .. thresholds; the reference's 99 give
  // t = 0.01, 0.02, ..., 0.99. In [1, 999].
  int thresholds = 99;
  // How far apart a detected and a human pixel may be to match, as a fraction of the image
  // diagonal: the reference's 0.0075 is 4.3 pixels on a 481 x 321 image. In (0, 0.1].
  double max_distance_ratio = 0.0075;
  // Thin each thresholded map to one-pixel-wide curves before matching, as the reference
  // does (with MATLAB's bwmorph 'thin'; here Zhang-Suen, msrf::ThinEdges). A thin map loses
  // nothing; a thick one would otherwise have every pixel of its width counted.
  bool thin = true;

  // OK, or an InvalidArgument error naming the first bad field ("bsds.thresholds", ...).
  Status Validate() const;
};

// The thresholds of `options`, increasing.
std::vector<double> BsdsThresholds(const BsdsOptions& options = {});

// The reference's four counts of one image at one threshold. Recall is
// matched_human / human, precision matched_detected / detected.
struct BoundaryCounts {
  int64_t matched_human = 0;     // cntR: human pixels matched, summed over annotators
  int64_t human = 0;             // sumR: human pixels, summed over annotators
  int64_t matched_detected = 0;  // cntP: detected pixels matched to at least one annotator
  int64_t detected = 0;          // sumP: detected pixels

  // As the reference: 0 when the denominator is 0.
  double Recall() const;
  double Precision() const;
  BoundaryCounts& operator+=(const BoundaryCounts& other);
  bool operator==(const BoundaryCounts& other) const;
};

// F-measure 2PR / (P + R), 0 when P + R is 0.
double FMeasure(double recall, double precision);

// Scores one strength map (CV_32F, values in [0, 1]) against its annotators' maps (CV_8U,
// non-zero on a boundary, each the map's size): for each threshold t of BsdsThresholds, the
// pixels with strength >= t (thinned when options.thin) are matched to each annotator in
// turn (MatchBoundaries, max distance = max_distance_ratio x the diagonal). An
// InvalidArgument error for maps of the wrong type or size, or bad options.
Result<std::vector<BoundaryCounts>> EvaluateBoundaryMap(const cv::Mat& strength,
                                                        const std::vector<cv::Mat>& human,
                                                        const BsdsOptions& options = {});

// The pixels' match distance for a map of `size`: max_distance_ratio x its diagonal.
double MaxMatchDistance(cv::Size size, const BsdsOptions& options = {});

// Human agreement on one image: each annotator's map (CV_8U, non-zero on a boundary, all of
// one size) in turn scored as a strength map against the others, the counts summed over
// annotators. A binary map gives the same counts at every threshold. Zero counts with fewer
// than two annotators.
Result<std::vector<BoundaryCounts>> EvaluateHumanAgreement(const std::vector<cv::Mat>& human,
                                                           const BsdsOptions& options = {});

// ---- Scores -----------------------------------------------------------------------------

struct PrPoint {
  double threshold = 0.0;
  double recall = 0.0;
  double precision = 0.0;
  double f = 0.0;
};

struct BsdsScores {
  // Optimal dataset scale: the best F of the summed counts over thresholds, with the
  // reference's interpolation between neighbouring thresholds (InterpolatedBestF).
  PrPoint ods;
  // Optimal image scale: each image's counts at its own best threshold (the first of the
  // thresholds with its highest F, no interpolation, as the reference), summed over images.
  // Its threshold is not one value; it is left 0.
  PrPoint ois;
  // Average precision: the area under the summed counts' P/R curve, as the reference
  // computes it (AreaUnderPrCurve).
  double ap = 0.0;
  // The summed counts' recall, precision and F at each threshold.
  std::vector<PrPoint> curve;
  int images = 0;
};

// The reference's maxF: starting from the first threshold's point, 100 points spaced
// evenly from each threshold's (t, R, P) to the next one's (both ends included), linearly
// interpolated; the one with the highest F (the first one on ties). All three of one size.
PrPoint InterpolatedBestF(const std::vector<double>& thresholds, const std::vector<double>& recall,
                          const std::vector<double>& precision);

// The reference's AP: the distinct recalls, increasing, each with the precision at the
// first (lowest) threshold that has it; precision linearly interpolated at recall 0, 0.01,
// ..., 1 (0 outside the recalls' range), summed and multiplied by 0.01. 0 with fewer than two
// distinct recalls.
double AreaUnderPrCurve(const std::vector<double>& recall, const std::vector<double>& precision);

// ODS, OIS, AP and the curve from every image's counts (each as BsdsThresholds(options)).
BsdsScores ScoreBsds(const std::vector<std::vector<BoundaryCounts>>& per_image,
                     const BsdsOptions& options = {});

// ---- The benchmark ----------------------------------------------------------------------

// A method under test: gives an image's counts at each threshold.
struct BsdsMethod {
  std::string name;
  // The photo (BGR, 8-bit) is read for the method only when it asks for it.
  bool needs_photo = false;
  // `human` as ReadBsdsGroundTruth gives them; `photo` empty unless needs_photo. Called
  // from several threads at once, one image each.
  std::function<Result<std::vector<BoundaryCounts>>(const BsdsImage& image, const cv::Mat& photo,
                                                    const std::vector<cv::Mat>& human,
                                                    const BsdsOptions& options)>
      evaluate;
};

// A method from a strength map per image (CV_32F in [0, 1] and the image's size, checked),
// scored with EvaluateBoundaryMap.
using BsdsStrengthFunction =
    std::function<Result<cv::Mat>(const BsdsImage& image, const cv::Mat& photo)>;
BsdsMethod StrengthBsdsMethod(const std::string& name, bool needs_photo,
                              BsdsStrengthFunction strength);

// DetectBoundaries(photo, options)'s strength.
BsdsMethod DetectorBsdsMethod(const std::string& name, const BoundaryOptions& options);

// Precomputed maps <folder>/<id>.png, 8-bit (divided by 255) or 16-bit (by 65535), used as
// they are (thin or not: each thresholded map is thinned when options.thin).
BsdsMethod MapFolderBsdsMethod(const std::string& name, const std::string& folder,
                               BsdsImageReader reader = DefaultBsdsImageReader());

// Checks, reading headers only, that <folder>/<id>.png exists for every image of `split`,
// is a PNG and has the image's size. Errors name the file.
Status CheckBsdsMapFolder(const BsdsSplit& split, const std::string& folder);

// Human agreement (EvaluateHumanAgreement): each annotator's map in turn scored against the
// image's other annotators (thresholds change nothing for a binary map, so every threshold
// gives the same point and AP is 0). Images with a single annotator add nothing. The
// published figure for BSDS500 is an F of about 0.80.
BsdsMethod HumanBsdsMethod(const std::string& name = "human");

struct BsdsMethodResult {
  std::string name;
  std::vector<std::vector<BoundaryCounts>> per_image;  // as the split's images
  BsdsScores scores;
  double seconds = 0.0;  // summed over images: the method's own time (map and matching)
};

// Called after each image a method has been evaluated on, from the thread that did it.
using BsdsObserver = std::function<void(const std::string& method, size_t image)>;

// Every method on every image of `split`, images in parallel (msrf::ParallelFor); the
// scores do not depend on the thread count. Each image's photo and annotators' maps are read
// once, with `reader`. The first error (of the lowest image index among those that failed)
// names the image and the method; the images not yet begun are skipped after an error.
Result<std::vector<BsdsMethodResult>> RunBsdsBench(
    const BsdsSplit& split, const std::vector<BsdsMethod>& methods, const BsdsOptions& options = {},
    const BsdsImageReader& reader = DefaultBsdsImageReader(), const BsdsObserver& observer = {});

// ---- Reports ----------------------------------------------------------------------------

// For people: the split, the protocol, and per method ODS (with its threshold), OIS, AP and
// seconds per image.
std::string BsdsTable(const BsdsSplit& split, const std::vector<BsdsMethodResult>& runs,
                      const BsdsOptions& options = {});

// summary.json (schema 1): the protocol, and per method ods {threshold, recall, precision,
// f}, ois {recall, precision, f}, ap, images, seconds and the curve at every threshold.
std::string BsdsSummaryJson(const BsdsSplit& split, const std::vector<BsdsMethodResult>& runs,
                            const BsdsOptions& options = {});

// The P/R plot (BGR): every method's curve with its ODS point marked, the iso-F curves
// F = 0.1 ... 0.9 in light grey, axes, and a legend with each method's ODS.
cv::Mat DrawPrCurves(const std::vector<BsdsMethodResult>& runs, const std::string& title);

}  // namespace msrf
