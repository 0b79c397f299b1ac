// The grouped contour, measured: how well a detection's contour lies on an object's true
// outline. ETHZ Shape Classes v1.2 ships each object's outline as a drawing (a line a few
// pixels wide): <img>.mask.<k>.png, one per object (apple logos, bottles, giraffes), or
// <img>_<class>_outlines.pgm, every object in one file at its own gray level (mugs, swans).
//
// Coverage: the share of the true outline within `tolerance` of the contour; precision: the
// share of the contour within `tolerance` of the true outline (Ferrari et al., IJCV 2009,
// measure a detected boundary this way). Both by distance transforms on the pixel grid.
#pragma once

#include <opencv2/core.hpp>

#include <string>
#include <vector>

#include "msrf/core/status.h"
#include "msrf/eval/dataset.h"

namespace msrf {

// The tolerance of contour accuracy, as a share of the ground-truth box's diagonal.
constexpr double kContourTolerance = 0.04;

struct ContourMatch {
  double coverage = 0.0;
  double precision = 0.0;
  double F() const {
    return coverage + precision > 0 ? 2 * coverage * precision / (coverage + precision) : 0.0;
  }
};

// The true outlines of the objects of `image`, one per object in the order of image.objects:
// as points one pixel wide, the centre line of a drawn outline or the boundary of a mask.
// An object's own file (DatasetObject::outline_path, mask_path) comes first; the drawings of
// several objects (DatasetImage::outline_paths) go to the objects without one, each to the
// object its bounding box overlaps most (box IoU above 0.3). An object with neither gets
// none. A file that cannot be read, or an object's own file of another size than
// `image_size` (when not empty), is an error naming it.
Result<std::vector<std::vector<cv::Point>>> ReadDatasetOutlines(const DatasetImage& image,
                                                                cv::Size image_size = {});

// The centre lines of the outlines drawn in `drawing` (8-bit; every nonzero gray level one
// object). ReadDatasetOutlines reads the files with it.
std::vector<std::vector<cv::Point>> OutlinesOfDrawing(const cv::Mat& drawing);

// The boundary pixels of the nonzero region of `mask` (8-bit): its pixels with a 4-neighbour
// outside it or beyond the image's border.
std::vector<cv::Point> OutlineOfMask(const cv::Mat& mask);

// How well `curves` (polylines; each closed when `closed`) lie on `truth` (pixel points).
// Both empty: coverage and precision 0.
ContourMatch MatchContour(const std::vector<cv::Point>& truth,
                          const std::vector<std::vector<cv::Point2d>>& curves, bool closed,
                          double tolerance);

}  // namespace msrf
