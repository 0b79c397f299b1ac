#include "msrf/io/image_io.h"

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <fstream>
#include <string>
#include <vector>

#include "msrf/io/file_io.h"
#include "support/test_support.h"

namespace msrf {
namespace {

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

TEST(ReadImage, ReadsAnImageItWrote) {
  testing::TempDir dir;
  cv::Mat m(30, 40, CV_8UC3, cv::Scalar(1, 2, 3));
  ASSERT_TRUE(cv::imwrite(dir.Path("a.png"), m));
  auto r = ReadImage(dir.Path("a.png"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), cv::Size(40, 30));
}

TEST(ReadImage, NamesTheFileAndTheProblem) {
  testing::TempDir dir;
  WriteBytes(dir.Path("text.png"), "this is not an image\n");
  WriteBytes(dir.Path("empty.jpg"), "");
  cv::Mat m(64, 64, CV_8UC1, cv::Scalar(7));
  std::vector<uchar> png;
  cv::imencode(".png", m, png);
  WriteBytes(dir.Path("cut.png"), std::string(png.begin(), png.begin() + 60));
  cv::Mat photo(120, 160, CV_8UC3);
  cv::randu(photo, 0, 255);
  std::vector<uchar> jpg;
  cv::imencode(".jpg", photo, jpg);
  WriteBytes(dir.Path("cut.jpg"), std::string(jpg.begin(), jpg.begin() + jpg.size() / 2));
  WriteBytes(dir.Path("whole.jpg"), std::string(jpg.begin(), jpg.end()));
  EXPECT_TRUE(ReadImage(dir.Path("whole.jpg")).ok());

  struct Case {
    std::string file;
    StatusCode code;
    std::string words;
  };
  for (const Case& c : {Case{"missing.png", StatusCode::kNotFound, "no such file"},
                        Case{"text.png", StatusCode::kDataLoss, "not an image"},
                        Case{"empty.jpg", StatusCode::kDataLoss, "empty file"},
                        Case{"cut.png", StatusCode::kDataLoss, "corrupt"},
                        Case{"cut.jpg", StatusCode::kDataLoss, "truncated JPEG"}}) {
    auto r = ReadImage(dir.Path(c.file));
    ASSERT_FALSE(r.ok()) << c.file;
    EXPECT_EQ(r.status().code(), c.code) << c.file;
    EXPECT_NE(r.status().message().find(dir.Path(c.file)), std::string::npos) << c.file;
    EXPECT_NE(r.status().message().find(c.words), std::string::npos) << r.status().message();
  }
  auto folder = ReadImage(dir.path().string());
  EXPECT_EQ(folder.status().code(), StatusCode::kInvalidArgument);
}

TEST(ReadImage, RefusesImagesAboveThePixelLimit) {
  testing::TempDir dir;
  ASSERT_TRUE(cv::imwrite(dir.Path("a.png"), cv::Mat(100, 200, CV_8UC1, cv::Scalar(0))));
  ImageReadOptions o;
  o.max_pixels = 19999;
  auto r = ReadImage(dir.Path("a.png"), o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kOutOfRange);
  EXPECT_NE(r.status().message().find("200x100"), std::string::npos);
  o.max_pixels = 20000;
  EXPECT_TRUE(ReadImage(dir.Path("a.png"), o).ok());
}

TEST(ReadImage, RefusesADecompressionBombFromItsHeaderAlone) {
  // A PNG header declaring 60000 x 60000 pixels, with no image data behind it.
  testing::TempDir dir;
  std::string png = "\x89PNG\r\n\x1a\n";
  png += std::string("\0\0\0\x0dIHDR", 8);
  png += std::string("\0\0\xea\x60\0\0\xea\x60\x08\x00\x00\x00\x00", 13);
  WriteBytes(dir.Path("bomb.png"), png);
  EXPECT_EQ(PeekImageSize(dir.Path("bomb.png")), cv::Size(60000, 60000));
  auto r = ReadImage(dir.Path("bomb.png"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kOutOfRange);
}

TEST(PeekImageSize, ReadsHeadersOfCommonFormats) {
  testing::TempDir dir;
  const cv::Mat m(37, 53, CV_8UC3, cv::Scalar(9, 9, 9));
  for (const char* ext : {".png", ".jpg", ".bmp", ".ppm"}) {
    const std::string path = dir.Path(std::string("a") + ext);
    ASSERT_TRUE(cv::imwrite(path, m));
    EXPECT_EQ(PeekImageSize(path), cv::Size(53, 37)) << ext;
  }
  ASSERT_TRUE(cv::imwrite(dir.Path("a.tif"), m));
  EXPECT_EQ(PeekImageSize(dir.Path("a.tif")), cv::Size(53, 37));
}

TEST(PeekEncodedImageSize, ReadsTheSameHeadersFromMemory) {
  const cv::Mat m(37, 53, CV_8UC3, cv::Scalar(9, 9, 9));
  for (const char* ext : {".png", ".jpg", ".bmp", ".ppm", ".tif"}) {
    std::vector<uchar> bytes;
    ASSERT_TRUE(cv::imencode(ext, m, bytes));
    // TIFF headers are read too (the first page's size), so every format gives 53 x 37.
    EXPECT_EQ(PeekEncodedImageSize(std::string(bytes.begin(), bytes.end())), cv::Size(53, 37))
        << ext;
  }
  EXPECT_EQ(PeekEncodedImageSize(""), cv::Size(-1, -1));
}

TEST(PeekEncodedImageSize, RefusesAnEightByteValueInAClassicTiffEntry) {
  // A classic (not Big) TIFF whose last entry, the ImageWidth tag, claims a LONG8 value: 8
  // bytes where the entry holds 4, at the very end of the data (found by the image_header
  // fuzzer reading past the buffer).
  std::string tiff("MM\0\x2a\0\0\0\x08", 8);
  tiff += std::string("\0\x01", 2);            // one entry
  tiff += std::string("\x01\x00\x00\x10", 4);  // tag 256, type 16 (LONG8)
  tiff += std::string("\0\0\0\x01\0\0\0\x05", 8);
  EXPECT_EQ(PeekEncodedImageSize(tiff), cv::Size(-1, -1));
}

TEST(WriteFileAtomically, WritesTheWholeFileOrNothing) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomically(dir.Path("out.json"), "{}\n").ok());
  EXPECT_EQ(*ReadFileToString(dir.Path("out.json")), "{}\n");
  ASSERT_TRUE(WriteFileAtomically(dir.Path("out.json"), "[1]\n").ok());
  EXPECT_EQ(*ReadFileToString(dir.Path("out.json")), "[1]\n");
  EXPECT_EQ(dir.Files(), std::vector<std::string>{"out.json"});  // no temporary left

  const Status missing = WriteFileAtomically(dir.Path("no/such/folder/x.json"), "{}");
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_EQ(WriteFileAtomically(dir.path().string(), "{}").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(dir.Files(), std::vector<std::string>{"out.json"});
}

}  // namespace
}  // namespace msrf
