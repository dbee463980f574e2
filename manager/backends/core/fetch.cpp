#include "manager/backends/core/fetch.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <cstdlib>
#include <string_view>

#include "manager/archive/extract.hpp"
#include "manager/backends/asdf_plugin.hpp"
#include "manager/net/download_cache.hpp"
#include "manager/net/downloader.hpp"
#include "manager/util/fs.hpp"
#include "manager/util/process_runner.hpp"
#include "resolver/file_io.hpp"

namespace rtx::backends::core {

std::string mirror(const char* variable, const char* fallback) {
  const char* v = std::getenv(variable);
  std::string out = (v && *v) ? v : fallback;
  while (!out.empty() && out.back() == '/') out.pop_back();
  return out;
}

Expected<std::string> fetch_text(const BackendEnv& env, const std::string& url, const std::string& hint) {
  std::string dir = env.cache_dir + "/tmp";
  if (auto st = util::make_dirs(dir); !st) return Error{st.error()};
  net::DownloadRequest req;
  req.url = url;
  req.dest = dir + "/index-" + std::to_string(::getpid()) + "-" + net::filename_from_url(url);
  req.hint = hint;
  req.progress_fd = -1;
  auto got = net::download(req);
  if (!got) return Error{got.error()};
  std::string text;
  int err = resolver::read_file(got->path, text);
  ::unlink(got->path.c_str());
  if (err) return make_error("cannot read the download of " + url + ": " + util::errno_text());
  return text;
}

Status fetch_and_extract(const BackendEnv& env, const std::string& url, const net::Checksum& sum,
                         const std::string& install_path, int strip_components, const std::string& hint) {
  net::DownloadRequest req;
  req.url = url;
  req.expected = sum;
  req.cache_dir = env.cache_dir;
  req.hint = hint;
  auto got = net::download(req);
  if (!got) return Error{got.error()};
  archive::ExtractRequest x;
  x.archive = got->path;
  x.destination = install_path;
  x.strip_components = strip_components;
  auto done = archive::extract(x);
  if (!done) return Error{done.error()};
  return ok_status();
}

resolver::BuildMeta bin_dir_meta() {
  resolver::BuildMeta meta;
  meta.bin_dirs = {"bin"};
  return meta;
}

Status run_smoke(const std::string& tool, const std::string& version, const std::string& prefix, const std::string& exe,
                 const std::string& arg) {
  util::RunSpec spec;
  spec.argv = {prefix + "/bin/" + exe, arg};
  spec.timeout = timeouts_from_env().smoke;
  spec.capture_stdout = true;
  auto r = util::run_process(spec);
  if (!r.ok())
    return make_error(tool + " " + version + ": the smoke test (" + spec.argv[0] + " " + arg + ") " +
                      r.describe(spec.timeout) + ": the build is broken");
  return ok_status();
}

namespace {

std::string_view machine() {
  static utsname u{};
  if (!u.machine[0]) ::uname(&u);
  return u.machine;
}

}  // namespace

std::string node_arch() { return machine() == "aarch64" ? "arm64" : "x64"; }
std::string go_arch() { return machine() == "aarch64" ? "arm64" : "amd64"; }
std::string gnu_arch() { return machine() == "aarch64" ? "aarch64" : "x86_64"; }

}  // namespace rtx::backends::core
