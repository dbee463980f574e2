// .npmrc (manager/backends/core/npmrc.cpp): the ini reader, ${VAR} expansion,
// the registry choice and the credential lookup. The input is the user's
// .npmrc; the properties: a registry is an http(s) URL, and its credentials
// never go to another host (npm's rule).
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "manager/backends/core/npmrc.hpp"

using namespace rtx::backends::core;

namespace {
std::string g_npmrc;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  char dir[] = "/dev/shm/rtx-fuzz-npmrc.XXXXXX";
  if (!::mkdtemp(dir) || ::chdir(dir) != 0) std::abort();  // no package.json above: no project .npmrc
  g_npmrc = std::string(dir) + "/user.npmrc";
  ::setenv("NPM_CONFIG_USERCONFIG", g_npmrc.c_str(), 1);
  ::setenv("HOME", dir, 1);
  ::unsetenv("NPM_CONFIG_REGISTRY");
  ::unsetenv("npm_config_registry");
  ::setenv("FUZZ_NPM_TOKEN", "s3cret", 1);
  static std::string dir_path = dir;
  std::atexit([] {
    ::unlink(g_npmrc.c_str());
    ::rmdir(dir_path.c_str());
  });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = rtx::fuzz::as_text(data, size);
  for (const char* key : {"registry", "@scope:registry", "//registry.npmjs.org/:_authToken"}) {
    auto v = npmrc_value(text, key, g_npmrc);
    if (v && *v) FUZZ_CHECK((*v)->find('\n') == std::string::npos);
  }

  std::ofstream(g_npmrc, std::ios::binary | std::ios::trunc).write(text.data(), std::streamsize(text.size()));
  for (const char* package : {"prettier", "@scope/name"}) {
    auto registry = npm_registry(package);
    if (!registry) continue;
    const std::string& url = registry->url;
    FUZZ_CHECK(url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0);
    FUZZ_CHECK(url.empty() || url.back() != '/');
    npm_request_headers(*registry, url + "/" + package);
    auto elsewhere = npm_request_headers(*registry, "https://fuzz-elsewhere.invalid/x.tgz");
    if (!elsewhere.empty()) FUZZ_CHECK(url.find("fuzz-elsewhere.invalid") != std::string::npos);
  }
  return 0;
}
