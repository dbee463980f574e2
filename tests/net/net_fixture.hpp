// Shared by the download tests: a real server on 127.0.0.1, a real temporary
// folder, an environment without proxies or RTX_HTTP_STALL_TIMEOUT (unless a
// test sets them), and requests with test-sized backoffs and timeouts.
#pragma once

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "manager/net/checksum.hpp"
#include "manager/net/downloader.hpp"
#include "tests/support/http_server.hpp"
#include "tests/support/scoped_env.hpp"
#include "tests/support/temp_dir.hpp"

namespace rtx::test {

// Bytes that no two tests share by accident (and no compression flatters).
inline std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::string out(n, '\0');
  for (char& c : out) c = char(gen() & 0xff);
  return out;
}

// One-shot EVP_Digest: independent of net::Hasher's streaming code, so a
// wrong Hasher cannot agree with itself.
inline std::string digest_bytes(const std::string& data, const EVP_MD* md) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, md, nullptr);
  return std::string(reinterpret_cast<const char*>(out), len);
}

inline net::Checksum sha256_of(const std::string& data) {
  net::Checksum c;
  c.algorithm = net::HashAlgorithm::sha256;
  c.hex = net::to_hex(digest_bytes(data, EVP_sha256()));
  return c;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void write_file(const std::string& path, const std::string& data) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << data;
}

inline bool exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

// Every file under `dir` (relative paths, sorted); empty when it is missing.
inline std::vector<std::string> files_under(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
    if (!it->is_directory()) out.push_back(std::filesystem::relative(it->path(), dir).string());
  std::sort(out.begin(), out.end());
  return out;
}

// The names directly in `dir`, files and folders, sorted; empty when it is missing.
inline std::vector<std::string> entries_in(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

class NetTest : public ::testing::Test {
 protected:
  // Fast retries, quick stall detection, silent: each test states what it changes.
  net::DownloadRequest request_for(const std::string& path, const std::string& dest_name = "out/file.bin") {
    net::DownloadRequest r;
    r.url = server.url(path);
    r.dest = tmp / dest_name;
    r.retry.first_backoff = std::chrono::milliseconds(10);
    r.stall_timeout = std::chrono::seconds(5);
    r.connect_timeout = std::chrono::seconds(5);
    r.timeout = std::chrono::seconds(8);  // a broken watchdog fails the test instead of hanging it
    r.progress_fd = -1;
    return r;
  }

  // The environment the downloader reads, cleared so a developer's proxy or
  // setting cannot change a test's outcome.
  ScopedEnv env_[9] = {{"http_proxy", nullptr},  {"HTTP_PROXY", nullptr}, {"https_proxy", nullptr},
                       {"HTTPS_PROXY", nullptr}, {"all_proxy", nullptr},  {"ALL_PROXY", nullptr},
                       {"no_proxy", nullptr},    {"NO_PROXY", nullptr},   {"RTX_HTTP_STALL_TIMEOUT", nullptr}};
  ScopedTempDir tmp;
  HttpServer server;
};

}  // namespace rtx::test
