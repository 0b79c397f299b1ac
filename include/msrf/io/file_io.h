// Whole-file reads and atomic writes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "msrf/core/status.h"

namespace msrf {

// Writes `data` to `path` atomically: to a hidden temporary file in the same folder
// (".msrf-XXXXXX", so a name of the longest length the folder allows still works), flushed,
// then renamed over `path`. On failure `path` is untouched and no temporary file is left.
Status WriteFileAtomically(const std::string& path, std::string_view data);

// Files that appear together or not at all. Stage() writes each to a hidden temporary beside
// its path; Commit() renames them all over their paths at the end. Temporaries not committed
// are removed when the object dies, and by the handler of RemoveTemporariesOnSignal().
// A failure before Commit() leaves nothing behind; Commit() itself only renames within one
// folder, which fails only when the disk or the folder changes under it.
class StagedFiles {
 public:
  StagedFiles() = default;
  ~StagedFiles();
  StagedFiles(const StagedFiles&) = delete;
  StagedFiles& operator=(const StagedFiles&) = delete;

  // Checks `path` as CheckWritablePath does (without the probe) and writes its temporary.
  Status Stage(const std::string& path, std::string_view data);
  // Renames every staged temporary over its path, in the order staged.
  Status Commit();

 private:
  struct Entry {
    std::string path;
    std::string temporary;
    int slot = -1;  // in the signal handler's registry; -1 when it was full
  };
  void Discard();
  std::vector<Entry> staged_;
};

// Makes SIGINT and SIGTERM (where they still have their default action) first remove the
// temporaries of every StagedFiles and WriteFileAtomically in progress, then end the process
// as the signal would have. Call it once from main(); later calls change nothing.
void RemoveTemporariesOnSignal();

// OK when a file can be created at `path`: the name is not empty and fits the folder's name
// limit; nothing is there, or a regular file (never a folder, a symbolic link, a device, a
// FIFO or a socket: those are not replaced); and its folder exists and takes a new file, as
// found by creating and removing a hidden temporary there (so a read-only file system or
// /proc is refused too). Lets a command refuse a bad output path before it does any work.
Status CheckWritablePath(const std::string& path);

// Size limits for files read whole, checked before anything is read. JSON documents (models,
// configs, node lists) are a few kB; 64 MiB leaves room for large polygons while keeping the
// parsed document (about ten times the text) well within memory.
inline constexpr int64_t kMaxJsonFileBytes = int64_t{64} << 20;
// Images: 1 GiB holds an uncompressed 16-bit colour image of 89 M pixels, twice the default
// pixel limit; the pixel limit itself is checked on the header before decoding.
inline constexpr int64_t kMaxImageFileBytes = int64_t{1} << 30;

// OK when `path` can be opened for reading and is a regular file. A FIFO, a device or a socket
// is refused without blocking (it is opened non-blocking, then checked with fstat).
Status CheckReadableFile(const std::string& path);

// Reads a whole regular file of at most `max_bytes` bytes. Errors name `path`: NotFound,
// InvalidArgument (a folder, a FIFO, a device), OutOfRange (too large), PermissionDenied, or
// IoError.
Result<std::string> ReadFileToString(const std::string& path,
                                     int64_t max_bytes = kMaxJsonFileBytes);

// True when `a` and `b` name the same file: by device and inode when both exist, by their
// absolute, normalised forms (symbolic links in existing folders resolved) when neither
// does, and false when only one exists. "a.png", "./a.png" and a link to it are all one.
bool SameFile(const std::string& a, const std::string& b);

}  // namespace msrf
