// Folders a test process cannot list, even when the tests run as root.
#pragma once

#include <dirent.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace msrf::testing {

// While it lives, the calling thread lacks the capabilities that let root read any folder
// (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), so permission bits hold for it as for any user.
// Capabilities are per thread: code under test must run on this one.
class WithoutFileAccessOverride {
 public:
  WithoutFileAccessOverride() {
    header_.version = _LINUX_CAPABILITY_VERSION_3;
    header_.pid = 0;
    if (::syscall(SYS_capget, &header_, saved_) != 0) return;
    __user_cap_data_struct lowered[2] = {saved_[0], saved_[1]};
    for (const int cap : {CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH}) {
      lowered[cap / 32].effective &= ~(1U << (cap % 32));
    }
    dropped_ = ::syscall(SYS_capset, &header_, lowered) == 0;
  }
  ~WithoutFileAccessOverride() {
    if (dropped_) ::syscall(SYS_capset, &header_, saved_);
  }
  WithoutFileAccessOverride(const WithoutFileAccessOverride&) = delete;
  WithoutFileAccessOverride& operator=(const WithoutFileAccessOverride&) = delete;

 private:
  __user_cap_header_struct header_{};
  __user_cap_data_struct saved_[2]{};
  bool dropped_ = false;
};

// Whether this thread can list `folder`.
inline bool CanList(const std::filesystem::path& folder) {
  DIR* dir = ::opendir(folder.c_str());
  if (dir == nullptr) return false;
  ::closedir(dir);
  return true;
}

}  // namespace msrf::testing
