// Image headers checked before decoding (TIFF included) and special files refused.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <opencv2/imgcodecs.hpp>

#include <fstream>
#include <string>
#include <vector>

#include "msrf/io/image_io.h"
#include "support/test_support.h"

namespace msrf {
namespace {

// A TIFF header with one IFD declaring width x height, and no pixel data.
std::string TiffHeader(bool little, bool big_tiff, uint32_t width, uint32_t height) {
  std::string t;
  auto put = [&](uint64_t v, int bytes) {
    for (int k = 0; k < bytes; ++k) {
      const int shift = 8 * (little ? k : bytes - 1 - k);
      t.push_back(static_cast<char>((v >> shift) & 0xFF));
    }
  };
  t += little ? "II" : "MM";
  put(big_tiff ? 43 : 42, 2);
  if (big_tiff) {
    put(8, 2);
    put(0, 2);
    put(16, 8);
  } else {
    put(8, 4);
  }
  put(2, big_tiff ? 8 : 2);  // two entries
  for (uint16_t tag : {256, 257}) {
    put(tag, 2);
    put(4, 2);  // LONG
    put(1, big_tiff ? 8 : 4);
    put(tag == 256 ? width : height, 4);
    if (big_tiff) put(0, 4);
  }
  put(0, big_tiff ? 8 : 4);  // no next IFD
  return t;
}

TEST(PeekEncodedImageSize, ReadsTiffHeadersOfEitherByteOrderAndBigTiff) {
  for (bool little : {true, false}) {
    for (bool big : {false, true}) {
      EXPECT_EQ(PeekEncodedImageSize(TiffHeader(little, big, 70000, 50000)), cv::Size(70000, 50000))
          << little << big;
    }
  }
  std::vector<uchar> tif;
  ASSERT_TRUE(cv::imencode(".tif", cv::Mat(37, 53, CV_8UC3, cv::Scalar(1, 2, 3)), tif));
  EXPECT_EQ(PeekEncodedImageSize(std::string(tif.begin(), tif.end())), cv::Size(53, 37));
  EXPECT_EQ(PeekEncodedImageSize(std::string("II*\0\xff\xff\xff\xff", 8)), cv::Size(-1, -1));
}

TEST(ReadImage, RefusesATiffBombFromItsHeaderAlone) {
  testing::TempDir dir;
  std::ofstream(dir.Path("bomb.tif"), std::ios::binary) << TiffHeader(true, false, 60000, 60000);
  Result<cv::Mat> r = ReadImage(dir.Path("bomb.tif"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kOutOfRange);
  EXPECT_NE(r.status().message().find("60000x60000"), std::string::npos);
}

TEST(ReadImage, RefusesAFifoAndADeviceWithoutReadingThem) {
  testing::TempDir dir;
  const std::string fifo = dir.Path("pipe.png");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  Result<cv::Mat> r = ReadImage(fifo);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), fifo + ": not a regular file (a FIFO)");
  EXPECT_FALSE(ReadImage("/dev/zero").ok());
  EXPECT_EQ(PeekImageSize(fifo), cv::Size(-1, -1));
}

TEST(DecodeImage, DecodesBytesInMemory) {
  std::vector<uchar> png;
  ASSERT_TRUE(cv::imencode(".png", cv::Mat(5, 7, CV_8UC1, cv::Scalar(9)), png));
  Result<cv::Mat> r = DecodeImage(std::string(png.begin(), png.end()), "mem");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->size(), cv::Size(7, 5));
  EXPECT_EQ(DecodeImage("", "mem").status().message(), "mem: empty file, not an image");
}

}  // namespace
}  // namespace msrf
