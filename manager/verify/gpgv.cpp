#include "manager/verify/gpgv.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string_view>

#include "manager/util/process_runner.hpp"

namespace rtx::verify {

std::string find_gpgv() {
  const char* path = std::getenv("PATH");
  std::string_view rest = path && *path ? path : "/usr/bin:/bin";
  while (true) {
    std::size_t colon = rest.find(':');
    std::string dir(rest.substr(0, colon));
    if (!dir.empty() && dir[0] == '/') {  // a relative PATH entry would depend on the cwd
      std::string candidate = dir + "/gpgv";
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return ::access("/usr/bin/gpgv", X_OK) == 0 ? "/usr/bin/gpgv" : "";
}

Expected<GpgvVerdict> run_gpgv(const GpgvRequest& request) {
  std::string gpgv = find_gpgv();
  if (gpgv.empty())
    return make_error("gpgv is not installed: install it (Debian/Ubuntu: apt-get install gpgv) to check signatures");
  util::RunSpec spec;
  // --logger-fd 1: gpgv's own messages join the status lines on stdout (only
  // "[GNUPG:] " lines are read) instead of reaching the user's terminal.
  spec.argv = {gpgv, "--homedir", request.home, "--status-fd", "1", "--logger-fd", "1", "--keyring", request.keyring};
  if (!request.output.empty()) {
    spec.argv.push_back("--output");
    spec.argv.push_back(request.output);
  }
  spec.argv.push_back("--");
  spec.argv.push_back(request.signature);
  if (!request.data.empty()) spec.argv.push_back(request.data);
  spec.env = {{"LC_ALL", "C"}};  // status lines are not translated, but the log is: keep it stable
  spec.capture_stdout = true;
  // A signature over a few KiB of checksums takes milliseconds; a minute means
  // something is wrong with the machine, not the signature.
  spec.timeout = std::chrono::seconds(60);
  util::RunResult r = util::run_process(spec);
  if (!r.spawn_error.empty()) return make_error("cannot run " + gpgv + ": " + r.spawn_error);
  if (r.timed_out || r.interrupted) return make_error(gpgv + " " + r.describe(spec.timeout));
  return gpgv_verdict(r.out, r.exit_code);
}

}  // namespace rtx::verify
