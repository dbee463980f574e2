// Whole archives through rtx::archive::extract (DESIGN.md §9), with libarchive
// reading tar (gz, xz, zst, bz2) and zip. Each input is extracted into a
// fresh destination in a scratch folder on /dev/shm; after it, nothing may
// exist outside the destination: the scratch folder holds only the archive
// and the destination, a sentinel sibling folder stays empty, the fixed
// absolute path the seeds aim at (kEscape) does not exist, and every symlink
// in the result resolves inside the destination.
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "manager/archive/extract.hpp"

namespace fs = std::filesystem;

namespace {

// Seeds carry entries aimed at this absolute path; it must never appear.
constexpr const char* kEscape = "/dev/shm/rtx-fuzz-escape";

std::string g_root;  // <root>/{sentinel/, work/{archive, out/}}
std::string g_work;
std::string g_sentinel;

std::set<std::string> names_in(const std::string& dir) {
  std::set<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) names.insert(e.path().filename().string());
  return names;
}

bool inside(const std::string& path, const std::string& dir) {
  return path == dir || (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 && path[dir.size()] == '/');
}

void check_tree(const std::string& out) {
  char real_out[PATH_MAX];
  FUZZ_CHECK(::realpath(out.c_str(), real_out) != nullptr);
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(out, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_symlink(ec)) continue;
    char real[PATH_MAX];
    // A dangling link points nowhere yet; one that resolves must stay inside.
    if (::realpath(it->path().c_str(), real) != nullptr) FUZZ_CHECK(inside(real, real_out));
  }
}

// Removes a result whatever modes its directories were given.
void remove_tree(const std::string& dir) {
  std::error_code ec;
  fs::remove_all(dir, ec);
  if (!ec) return;
  ::chmod(dir.c_str(), 0700);
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->is_directory(ec) && !it->is_symlink(ec)) ::chmod(it->path().c_str(), 0700);
  ec.clear();
  fs::remove_all(dir, ec);
  FUZZ_CHECK(!ec);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  char dir[] = "/dev/shm/rtx-fuzz-extract.XXXXXX";
  if (!::mkdtemp(dir)) std::abort();
  g_root = dir;
  g_work = g_root + "/work";
  g_sentinel = g_root + "/sentinel";
  if (::mkdir(g_work.c_str(), 0755) != 0 || ::mkdir(g_sentinel.c_str(), 0755) != 0) std::abort();
  std::atexit([] {
    std::error_code ec;
    fs::remove_all(g_root, ec);
  });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string archive = g_work + "/archive", out = g_work + "/out";
  std::ofstream(archive, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), std::streamsize(size));

  for (int strip : {0, 1}) {
    rtx::archive::ExtractRequest request;
    request.archive = archive;
    request.destination = out;
    request.strip_components = strip;
    request.max_total_bytes = 64 << 20;  // the limits' logic, without filling /dev/shm
    request.max_entries = 10'000;
    auto stats = rtx::archive::extract(request);

    auto expected = stats ? std::set<std::string>{"archive", "out"} : std::set<std::string>{"archive"};
    FUZZ_CHECK(names_in(g_work) == expected);  // nothing beside it, no staging folder left
    FUZZ_CHECK(names_in(g_sentinel).empty());
    FUZZ_CHECK((names_in(g_root) == std::set<std::string>{"sentinel", "work"}));
    struct stat st {};
    FUZZ_CHECK(::lstat(kEscape, &st) != 0);
    if (stats) {
      check_tree(out);
      remove_tree(out);
    }
  }
  return 0;
}
