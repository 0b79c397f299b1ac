#include "msrf/io/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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

Result<std::string> ReadFileToString(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return NotFoundError(path + ": no such file");
  if (fs::is_directory(path, ec)) return InvalidArgumentError(path + ": is a folder, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    if (err == EACCES) return PermissionDeniedError(path + ": cannot open: " + ErrnoText(err));
    return IoError(path + ": cannot open: " + ErrnoText(err));
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return IoError(path + ": read failed");
  return ss.str();
}

}  // namespace msrf
