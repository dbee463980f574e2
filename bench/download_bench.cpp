// Download throughput: rtx's downloader (libcurl + streaming SHA-256) against
// `curl -s -o` of the same file from the same local server, interleaved
// (A B A B …, same run), plus the time of a cache hit (what a cached reinstall
// pays for its download step).
//
//   rtx-bench-download [--mib 200] [--rounds 7]
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "manager/net/downloader.hpp"
#include "manager/net/hashing.hpp"
#include "tests/support/http_server.hpp"

extern char** environ;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

int run_curl(const std::string& url, const std::string& out) {
  const char* argv[] = {"curl", "-s", "-f", "-o", out.c_str(), url.c_str(), nullptr};
  pid_t pid;
  if (posix_spawnp(&pid, "curl", nullptr, nullptr, const_cast<char**>(argv), environ) != 0) return -1;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

int main(int argc, char** argv) {
  int mib = 200, rounds = 7;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--mib") mib = std::max(1, std::atoi(argv[i + 1]));
    if (a == "--rounds") rounds = std::max(1, std::atoi(argv[i + 1]));
  }
  std::string body(std::size_t(mib) << 20, '\0');
  std::mt19937_64 rng(42);
  for (std::size_t i = 0; i + 8 <= body.size(); i += 8) {
    auto x = rng();
    std::memcpy(&body[i], &x, 8);
  }
  char tmpl[] = "/tmp/rtx-bench-download-XXXXXX";
  if (!mkdtemp(tmpl)) return 1;
  const std::string dir = tmpl;
  rtx::test::HttpServer server;
  server.add_file("/artifact.bin", body);
  const std::string url = server.url("/artifact.bin");
  std::string sum_file = dir + "/sum-source";
  {
    FILE* f = std::fopen(sum_file.c_str(), "wb");
    std::fwrite(body.data(), 1, body.size(), f);
    std::fclose(f);
  }
  auto sum = rtx::net::hash_file(sum_file, rtx::net::HashAlgorithm::sha256);
  if (!sum) return 1;

  std::vector<double> ours, curl;
  for (int r = 0; r < rounds; ++r) {
    for (int which = 0; which < 2; ++which) {
      bool ours_first = r % 2 == 0;
      bool run_ours = (which == 0) == ours_first;
      std::string out = dir + "/out-" + std::to_string(r) + (run_ours ? "-ours" : "-curl");
      auto t = Clock::now();
      if (run_ours) {
        rtx::net::DownloadRequest req;
        req.url = url;
        req.dest = out;
        req.expected = *sum;
        req.progress_fd = -1;
        if (!rtx::net::download(req)) return 1;
        ours.push_back(ms_since(t));
      } else {
        if (run_curl(url, out) != 0) return 1;
        curl.push_back(ms_since(t));
      }
      fs::remove(out);
    }
  }
  // A cache hit: the second download of an artifact already in the cache.
  rtx::net::DownloadRequest cached;
  cached.url = url;
  cached.expected = *sum;
  cached.cache_dir = dir + "/cache";
  cached.progress_fd = -1;
  if (!rtx::net::download(cached)) return 1;
  int before = server.total_requests();
  std::vector<double> hits;
  for (int r = 0; r < rounds; ++r) {
    auto t = Clock::now();
    if (!rtx::net::download(cached)) return 1;
    hits.push_back(ms_since(t));
  }
  double o = median(ours), c = median(curl), h = median(hits);
  std::printf("%d MiB from 127.0.0.1, %d rounds interleaved\n", mib, rounds);
  std::printf("  rtx downloader (with SHA-256): %8.1f ms  (%.0f MiB/s)\n", o, mib / (o / 1000));
  std::printf("  curl -s -o:                    %8.1f ms  (%.0f MiB/s)\n", c, mib / (c / 1000));
  std::printf("  throughput ratio rtx/curl: %.2f\n", c / o);
  std::printf("  cache hit (re-verified): %.1f ms, requests made: %d\n", h, server.total_requests() - before);
  std::printf("RESULT download_ratio=%.2f download_ms=%.1f curl_ms=%.1f cache_hit_ms=%.1f\n", c / o, o, c, h);
  fs::remove_all(dir);
  return 0;
}
