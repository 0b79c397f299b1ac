#include "msrf/io/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace msrf {
namespace fs = std::filesystem;

namespace {

std::string ParentDir(const std::string& path) {
  fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

std::string ErrnoText(int err) { return std::strerror(err); }

}  // namespace

Status CheckWritablePath(const std::string& path) {
  if (path.empty()) return InvalidArgumentError("empty output path");
  std::error_code ec;
  if (fs::is_directory(path, ec)) return InvalidArgumentError(path + ": is a folder");
  const std::string dir = ParentDir(path);
  if (!fs::is_directory(dir, ec))
    return NotFoundError(path + ": folder '" + dir + "' does not exist");
  if (::access(dir.c_str(), W_OK) != 0) {
    return PermissionDeniedError(path + ": folder '" + dir + "' is not writable");
  }
  return Status::Ok();
}

Status WriteFileAtomically(const std::string& path, std::string_view data) {
  MSRF_RETURN_IF_ERROR(CheckWritablePath(path));
  std::string tmpl = path + ".tmp-XXXXXX";
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0) return IoError(path + ": cannot create a temporary file: " + ErrnoText(errno));
  const std::string tmp(name.data());
  auto fail = [&](const std::string& what) {
    const int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return IoError(path + ": " + what + ": " + ErrnoText(err));
  };
  size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("write failed");
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("fsync failed");
  // mkstemp creates 0600; give the file the permissions a plain open() would.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return IoError(path + ": close failed: " + ErrnoText(err));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return IoError(path + ": rename failed: " + ErrnoText(err));
  }
  return Status::Ok();
}

namespace {

// Opens `path` for reading without blocking (a FIFO with no writer would block a plain open)
// and refuses anything but a regular file. Returns the descriptor, which the caller closes.
Result<int> OpenRegularFile(const std::string& path, struct stat& info) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) return NotFoundError(path + ": no such file");
    if (err == EACCES) return PermissionDeniedError(path + ": cannot open: " + ErrnoText(err));
    if (err == ENXIO) return InvalidArgumentError(path + ": not a regular file (a socket)");
    return IoError(path + ": cannot open: " + ErrnoText(err));
  }
  if (::fstat(fd, &info) != 0) {
    const int err = errno;
    ::close(fd);
    return IoError(path + ": cannot stat: " + ErrnoText(err));
  }
  if (S_ISREG(info.st_mode)) return fd;
  ::close(fd);
  if (S_ISDIR(info.st_mode)) return InvalidArgumentError(path + ": is a folder, not a file");
  const char* kind = S_ISFIFO(info.st_mode)   ? "a FIFO"
                     : S_ISCHR(info.st_mode)  ? "a character device"
                     : S_ISBLK(info.st_mode)  ? "a block device"
                     : S_ISSOCK(info.st_mode) ? "a socket"
                                              : "a special file";
  return InvalidArgumentError(path + ": not a regular file (" + kind + ")");
}

std::string TooLarge(const std::string& path, int64_t size, int64_t max_bytes) {
  return path + ": " + std::to_string(size) + " bytes, above the limit of " +
         std::to_string(max_bytes) + " bytes for this kind of file";
}

}  // namespace

Status CheckReadableFile(const std::string& path) {
  struct stat info {};
  Result<int> fd = OpenRegularFile(path, info);
  if (!fd.ok()) return fd.status();
  ::close(*fd);
  return Status::Ok();
}

Result<std::string> ReadFileToString(const std::string& path, int64_t max_bytes) {
  struct stat info {};
  MSRF_ASSIGN_OR_RETURN(const int fd, OpenRegularFile(path, info));
  if (info.st_size > max_bytes) {
    ::close(fd);
    return OutOfRangeError(TooLarge(path, info.st_size, max_bytes));
  }
  // The file may grow while it is read: read at most max_bytes + 1 bytes, whatever fstat said.
  std::string data;
  data.resize(static_cast<size_t>(info.st_size));
  size_t got = 0;
  for (;;) {
    if (got == data.size()) {
      if (static_cast<int64_t>(got) > max_bytes) break;
      data.resize(std::min<size_t>(got + 65536, static_cast<size_t>(max_bytes) + 1));
    }
    const ssize_t n = ::read(fd, data.data() + got, data.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return IoError(path + ": read failed: " + ErrnoText(err));
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  if (static_cast<int64_t>(got) > max_bytes) {
    return OutOfRangeError(TooLarge(path, static_cast<int64_t>(got), max_bytes));
  }
  data.resize(got);
  return data;
}

}  // namespace msrf
