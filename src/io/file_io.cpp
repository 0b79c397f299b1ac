#include "msrf/io/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
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

// Temporaries in progress, for the signal handler: fixed storage and atomics only, so the
// handler reads them without locks or allocation. A slot is free (0), being filled (1) or
// holds a path to remove (2).
constexpr int kSlots = 256;
constexpr size_t kSlotPath = 4096;
struct TemporarySlot {
  std::atomic<int> state{0};
  char path[kSlotPath] = {};
};
TemporarySlot g_temporaries[kSlots];

int RegisterTemporary(const std::string& path) {
  if (path.size() >= kSlotPath) return -1;
  for (int i = 0; i < kSlots; ++i) {
    int expected = 0;
    if (!g_temporaries[i].state.compare_exchange_strong(expected, 1)) continue;
    std::memcpy(g_temporaries[i].path, path.c_str(), path.size() + 1);
    g_temporaries[i].state.store(2, std::memory_order_release);
    return i;
  }
  return -1;  // full: the file is still written, only not removed on a signal
}

void UnregisterTemporary(int slot) {
  if (slot >= 0) g_temporaries[slot].state.store(0, std::memory_order_release);
}

extern "C" void RemoveTemporariesAndRaise(int signal) {
  for (TemporarySlot& slot : g_temporaries) {
    if (slot.state.load(std::memory_order_acquire) == 2) ::unlink(slot.path);
  }
  // SA_RESETHAND restored the default action; the signal is delivered once this returns.
  ::raise(signal);
}

// A hidden temporary beside `path`, open for writing: its descriptor and name.
Result<std::pair<int, std::string>> MakeTemporary(const std::string& path) {
  std::string pattern = (fs::path(ParentDir(path)) / ".msrf-XXXXXX").string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0) {
    const int err = errno;
    const std::string dir = ParentDir(path);
    if (err == EACCES || err == EPERM)
      return PermissionDeniedError(path + ": folder '" + dir + "' is not writable");
    if (err == EROFS)
      return PermissionDeniedError(path + ": folder '" + dir + "' is on a read-only file system");
    return IoError(path + ": cannot create a file in '" + dir + "': " + ErrnoText(err));
  }
  return std::make_pair(fd, std::string(name.data()));
}

Status WriteAll(int fd, std::string_view data) {
  size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("write failed: " + ErrnoText(errno));
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return IoError("fsync failed: " + ErrnoText(errno));
  // mkstemp creates 0600; give the file the permissions a plain open() would.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  return Status::Ok();
}

const char* KindOf(mode_t mode) {
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// The checks of CheckWritablePath that create nothing.
Status CheckTarget(const std::string& path) {
  if (path.empty()) return InvalidArgumentError("empty output path");
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return InvalidArgumentError(path + ": is a folder");
    if (!S_ISREG(st.st_mode)) {
      return InvalidArgumentError(path + ": is " + KindOf(st.st_mode) +
                                  ", not a regular file; it is not replaced");
    }
  }
  const std::string dir = ParentDir(path);
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return NotFoundError(path + ": folder '" + dir + "' does not exist");
  const long name_max = ::pathconf(dir.c_str(), _PC_NAME_MAX);
  const std::string name = fs::path(path).filename().string();
  if (name.empty() || name == "." || name == "..")
    return InvalidArgumentError(path + ": names a folder, not a file");
  if (name_max > 0 && name.size() > static_cast<size_t>(name_max)) {
    return InvalidArgumentError(path + ": the file name is " + std::to_string(name.size()) +
                                " bytes, over the folder's limit of " + std::to_string(name_max));
  }
  return Status::Ok();
}

}  // namespace

Status CheckWritablePath(const std::string& path) {
  MSRF_RETURN_IF_ERROR(CheckTarget(path));
  MSRF_ASSIGN_OR_RETURN(auto probe, MakeTemporary(path));
  ::close(probe.first);
  ::unlink(probe.second.c_str());
  return Status::Ok();
}

bool SameFile(const std::string& a, const std::string& b) {
  struct stat sa {
  }, sb{};
  const bool a_exists = ::stat(a.c_str(), &sa) == 0;
  const bool b_exists = ::stat(b.c_str(), &sb) == 0;
  if (a_exists && b_exists) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  if (a_exists != b_exists) return false;
  std::error_code ec;
  const fs::path na = fs::weakly_canonical(fs::absolute(a, ec), ec).lexically_normal();
  const fs::path nb = fs::weakly_canonical(fs::absolute(b, ec), ec).lexically_normal();
  return na == nb;
}

StagedFiles::~StagedFiles() { Discard(); }

void StagedFiles::Discard() {
  for (const Entry& e : staged_) {
    ::unlink(e.temporary.c_str());
    UnregisterTemporary(e.slot);
  }
  staged_.clear();
}

Status StagedFiles::Stage(const std::string& path, std::string_view data) {
  MSRF_RETURN_IF_ERROR(CheckTarget(path));
  MSRF_ASSIGN_OR_RETURN(auto created, MakeTemporary(path));
  const auto [fd, temporary] = created;
  staged_.push_back({path, temporary, RegisterTemporary(temporary)});
  Status written = WriteAll(fd, data);
  if (::close(fd) != 0 && written.ok()) written = IoError("close failed: " + ErrnoText(errno));
  if (!written.ok()) {
    Discard();
    return written.WithContext(path);
  }
  return Status::Ok();
}

Status StagedFiles::Commit() {
  for (size_t i = 0; i < staged_.size(); ++i) {
    const Entry& e = staged_[i];
    if (::rename(e.temporary.c_str(), e.path.c_str()) != 0) {
      const int err = errno;
      staged_.erase(staged_.begin(), staged_.begin() + static_cast<std::ptrdiff_t>(i));
      Discard();
      return IoError(e.path + ": rename failed: " + ErrnoText(err));
    }
    UnregisterTemporary(e.slot);
  }
  staged_.clear();
  return Status::Ok();
}

void RemoveTemporariesOnSignal() {
  for (int signal : {SIGINT, SIGTERM}) {
    struct sigaction current {};
    if (::sigaction(signal, nullptr, &current) != 0) continue;
    if ((current.sa_flags & SA_SIGINFO) || current.sa_handler != SIG_DFL) continue;
    struct sigaction action {};
    action.sa_handler = RemoveTemporariesAndRaise;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    ::sigaction(signal, &action, nullptr);
  }
}

Status WriteFileAtomically(const std::string& path, std::string_view data) {
  StagedFiles file;
  MSRF_RETURN_IF_ERROR(file.Stage(path, data));
  return file.Commit();
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
