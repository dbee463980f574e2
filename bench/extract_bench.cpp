// rtx-bench-extract: rtx::archive::extract() against `tar -xf` on the same
// archive (issue 4 item 7; target: throughput ours/tar ≥ 0.9 per format).
//
// A toolchain-like tree (3000 files of mixed sizes, ~100 MiB, ~150 folders, a
// few symlinks; half the bytes random like machine code, half text-like) is
// packed once as tar.gz and tar.xz with libarchive and cached in /tmp (reused
// by later runs with the same parameters). Then R rounds, interleaved
// (ours, tar, ours, tar …, the order swapped every other round), each
// extraction into a fresh folder on the same filesystem, dropped after its
// round; `sync` runs untimed before every extraction so no run pays for the
// previous one's writeback. tar runs as a child (posix_spawn + wait, as rtx
// would spawn it) and, as usual, decompresses through a gzip/xz child.
// Medians of wall time; throughput = uncompressed bytes / time.
//
//   rtx-bench-extract [--rounds R] [--files N] [--mib M] [--dir DIR]
#include <archive.h>
#include <archive_entry.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/flags.hpp"
#include "manager/archive/extract.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;

[[noreturn]] void die(const std::string& msg) { throw std::runtime_error(msg); }

struct Options {
  int rounds = 7;
  int files = 3000;
  int mib = 100;
  std::string dir = "/tmp";
};

Options parse(int argc, char** argv) {
  Options o;
  rtx::bench::parse_flags(argc, argv, "extract_bench.cpp", [&o](const std::string& a, const std::string& v) {
    if (a == "--rounds")
      o.rounds = std::atoi(v.c_str());
    else if (a == "--files")
      o.files = std::atoi(v.c_str());
    else if (a == "--mib")
      o.mib = std::atoi(v.c_str());
    else if (a == "--dir")
      o.dir = v;
    else
      return false;
    return true;
  });
  if (o.rounds < 1 || o.files < 10 || o.mib < 1) die("--rounds ≥ 1, --files ≥ 10 and --mib ≥ 1, please");
  return o;
}

double now_ms() {
  timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// --- the tree ---------------------------------------------------------------

struct FileSpec {
  std::string path;
  std::size_t size;
  bool text;
  mode_t perm;
};

// Sizes like an unpacked toolchain: most files small, a few large binaries.
std::vector<FileSpec> plan_tree(const Options& o, std::mt19937_64& rng) {
  std::vector<std::string> dirs;
  for (int top = 0; top < 6; ++top)
    for (int mid = 0; mid < 5; ++mid)
      for (int leaf = 0; leaf < 5; ++leaf)
        dirs.push_back("toolchain/d" + std::to_string(top) + "/m" + std::to_string(mid) + "/l" + std::to_string(leaf));
  std::vector<double> weight(std::size_t(o.files));
  std::lognormal_distribution<double> sizes(9.0, 1.6);  // median ~8 KiB, a long tail
  double sum = 0;
  for (auto& w : weight) sum += (w = sizes(rng));
  const double total = double(o.mib) * 1024 * 1024;
  std::vector<FileSpec> files;
  for (int i = 0; i < o.files; ++i) {
    FileSpec f;
    f.path = dirs[std::size_t(i) % dirs.size()] + "/f" + std::to_string(i) + (i % 3 ? ".txt" : ".so");
    f.size = std::size_t(weight[std::size_t(i)] / sum * total);
    f.text = i % 3 != 0;
    f.perm = i % 7 == 0 ? 0755 : 0644;
    files.push_back(f);
  }
  return files;
}

void fill(std::string& out, std::size_t size, bool text, std::mt19937_64& rng) {
  static const char* const kWords[] = {"the ",    "toolchain ", "version ", "install ", "return ",
                                       "static ", "const ",     "struct ",  "{\n",      "}\n",
                                       "if (",    ") ",         "0x",       "error ",   "path "};
  out.clear();
  out.reserve(size);
  if (text) {
    while (out.size() < size) out += kWords[rng() % (sizeof kWords / sizeof *kWords)];
    out.resize(size);
  } else {
    while (out.size() + 8 <= size) {
      std::uint64_t x = rng();
      out.append(reinterpret_cast<const char*>(&x), 8);
    }
    out.resize(size, '\0');
  }
}

struct WriteFree {
  void operator()(struct archive* a) const { archive_write_free(a); }
};

void write_archive(const std::string& out, const std::vector<FileSpec>& files, bool xz, std::uint64_t seed) {
  std::unique_ptr<struct archive, WriteFree> a(archive_write_new());
  if (xz) {
    archive_write_add_filter_xz(a.get());
    archive_write_set_filter_option(a.get(), "xz", "threads", "0");  // packing is set-up, not measured
  } else {
    archive_write_add_filter_gzip(a.get());
  }
  archive_write_set_format_pax_restricted(a.get());
  std::string tmp = out + ".part";
  if (archive_write_open_filename(a.get(), tmp.c_str()) != ARCHIVE_OK) die("cannot write " + tmp);
  std::mt19937_64 rng(seed);
  std::string data;
  std::vector<std::string> made_dirs;
  auto add = [&](const std::string& path, mode_t type, mode_t perm, const std::string& body, const char* link) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, path.c_str());
    archive_entry_set_filetype(e, type);
    archive_entry_set_perm(e, perm);
    archive_entry_set_mtime(e, 1'700'000'000, 0);
    archive_entry_set_size(e, std::int64_t(body.size()));
    if (link) archive_entry_set_symlink(e, link);
    if (archive_write_header(a.get(), e) < ARCHIVE_WARN) die(std::string("header: ") + archive_error_string(a.get()));
    if (!body.empty() && archive_write_data(a.get(), body.data(), body.size()) < 0)
      die(std::string("data: ") + archive_error_string(a.get()));
    archive_entry_free(e);
  };
  for (std::size_t i = 0; i < files.size(); ++i) {
    const FileSpec& f = files[i];
    // Folders first, as tar writes them.
    fs::path parent = fs::path(f.path).parent_path();
    std::vector<std::string> chain;
    for (fs::path p = parent; !p.empty(); p = p.parent_path()) chain.push_back(p.string());
    for (auto it = chain.rbegin(); it != chain.rend(); ++it)
      if (std::find(made_dirs.begin(), made_dirs.end(), *it) == made_dirs.end()) {
        made_dirs.push_back(*it);
        add(*it + "/", AE_IFDIR, 0755, {}, nullptr);
      }
    fill(data, f.size, f.text, rng);
    add(f.path, AE_IFREG, f.perm, data, nullptr);
    if (i % 100 == 1) add(f.path + ".link", AE_IFLNK, 0777, {}, fs::path(f.path).filename().c_str());
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK) die(std::string("close: ") + archive_error_string(a.get()));
  fs::rename(tmp, out);
}

// --- one extraction each way -------------------------------------------------

double time_ours(const std::string& archive, const std::string& dest) {
  rtx::archive::ExtractRequest request;
  request.archive = archive;
  request.destination = dest;
  double t0 = now_ms();
  auto stats = rtx::archive::extract(request);
  double t = now_ms() - t0;
  if (!stats) die(stats.error());
  return t;
}

double time_tar(const std::string& archive, const std::string& dest) {
  fs::create_directory(dest);
  std::vector<std::string> args = {"tar", "-xf", archive, "-C", dest};
  std::vector<char*> argv;
  for (auto& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);
  double t0 = now_ms();
  pid_t pid;
  if (::posix_spawnp(&pid, "tar", nullptr, nullptr, argv.data(), environ) != 0) die("cannot run tar");
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  double t = now_ms() - t0;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) die("tar -xf " + archive + " failed");
  return t;
}

std::uint64_t tree_bytes(const std::string& dir) {
  std::uint64_t n = 0;
  for (auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && !e.is_symlink()) n += e.file_size();
  return n;
}

// The extraction folders, removed at exit whatever happens.
struct WorkDir {
  explicit WorkDir(const std::string& parent) : path(parent + "/rtx-bench-extract-out.XXXXXX") {
    if (!::mkdtemp(path.data())) die("mkdtemp in " + parent + ": " + std::strerror(errno));
  }
  ~WorkDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
  std::string path;
};

}  // namespace

int main(int argc, char** argv) try {
  Options o = parse(argc, argv);
  const std::string cache = o.dir + "/rtx-bench-extract-" + std::to_string(o.files) + "-" + std::to_string(o.mib);
  fs::create_directories(cache);
  std::mt19937_64 rng(42);
  auto files = plan_tree(o, rng);
  struct Format {
    const char* name;
    bool xz;
    std::string path;
  };
  std::vector<Format> formats = {{"gz", false, cache + "/tree.tar.gz"}, {"xz", true, cache + "/tree.tar.xz"}};
  for (auto& f : formats)
    if (!fs::exists(f.path)) {
      std::printf("packing %s (once; cached in %s)…\n", f.path.c_str(), cache.c_str());
      std::fflush(stdout);
      write_archive(f.path, files, f.xz, 7);
    }

  WorkDir out(o.dir);
  const std::string& work = out.path;

  std::string results;
  for (auto& f : formats) {
    std::uint64_t bytes = 0;
    std::vector<double> ours, tar;
    int run = 0;
    for (int round = 0; round < o.rounds; ++round) {
      for (int k = 0; k < 2; ++k) {
        bool mine = (k == 0) == (round % 2 == 0);  // ours first in even rounds, tar first in odd ones
        std::string dest = work + "/r" + std::to_string(run++);
        ::sync();
        double t = mine ? time_ours(f.path, dest) : time_tar(f.path, dest);
        (mine ? ours : tar).push_back(t);
        if (bytes == 0) bytes = tree_bytes(dest);
        fs::remove_all(dest);
      }
    }
    double mo = median(ours), mt = median(tar);
    double mib = double(bytes) / (1024 * 1024);
    double ratio = mo > 0 ? mt / mo : 0;
    std::printf("tar.%s  %.1f MiB compressed to %.1f MiB, %d files, %d rounds interleaved, medians:\n", f.name, mib,
                double(fs::file_size(f.path)) / (1024 * 1024), o.files, o.rounds);
    std::printf("  rtx extract()  %8.1f ms  %7.1f MiB/s  (min %.1f, max %.1f)\n", mo, mib / mo * 1000,
                *std::min_element(ours.begin(), ours.end()), *std::max_element(ours.begin(), ours.end()));
    std::printf("  tar -xf        %8.1f ms  %7.1f MiB/s  (min %.1f, max %.1f)\n", mt, mib / mt * 1000,
                *std::min_element(tar.begin(), tar.end()), *std::max_element(tar.begin(), tar.end()));
    std::printf("  throughput ours/tar = %.2f (target ≥ 0.9)\n", ratio);
    std::fflush(stdout);
    char part[64];
    std::snprintf(part, sizeof part, " extract_ratio_%s=%.2f", f.name, ratio);
    results += part;
  }
  std::printf("RESULT%s\n", results.c_str());
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "rtx-bench-extract: %s\n", e.what());
  return 1;
}
