// Writing into the mirror folder (issue 10 item 5): every file appears whole
// (a temporary file in the same folder, then rename(2), DESIGN.md §2), so a
// web server serving the folder while it is exported never sends half a file;
// an artifact is the download cache's verified file, hard-linked when the
// folder is on the same filesystem, else copied and hashed as it is copied.
//
//   Publisher out("/srv/mirror");
//   out.put_artifact("node/v20.11.1/node-v20.11.1-linux-x64.tar.xz", cached, sum);
//   out.write("node/index.json", text);      // an unchanged file is not rewritten
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "manager/net/checksum.hpp"
#include "resolver/expected.hpp"

namespace rtx::mirror {

class Publisher {
 public:
  explicit Publisher(std::string root) : root_(std::move(root)) {}
  const std::string& root() const { return root_; }
  std::string path(const std::string& rel) const { return root_ + "/" + rel; }

  // The text of <root>/<rel>, nullopt when there is none; an error when it is
  // not a regular file, cannot be read, or is larger than `max_bytes`.
  Expected<std::optional<std::string>> read(const std::string& rel, std::uint64_t max_bytes = 64u << 20) const;
  // <root>/<rel> holds `text` (folders created); not rewritten when it does already.
  Status write(const std::string& rel, std::string_view text);
  // <root>/<rel> is gone (absent already is fine).
  Status remove(const std::string& rel);
  // <root>/<rel> holds the bytes of `cached` (a file of the download cache,
  // verified against `sum` just before): hard-linked, or copied and hashed
  // while copied. A file already there with those bytes stays.
  Status put_artifact(const std::string& rel, const std::string& cached, const net::Checksum& sum);

  struct Counts {
    int documents = 0;            // index and checksum files written
    int artifacts = 0;            // artifacts placed (linked or copied)
    int linked = 0;               // …of which hard links
    int unchanged = 0;            // artifacts already there
    std::uint64_t bytes = 0;      // of the artifacts placed
    std::uint64_t all_bytes = 0;  // of every artifact exported, placed or unchanged
  };
  const Counts& counts() const { return counts_; }

 private:
  std::string root_;
  Counts counts_;
};

// The path of `url` under `base` ("https://nodejs.org/dist/v20.1.0/x.tar.xz"
// under "https://nodejs.org/dist": "v20.1.0/x.tar.xz"), for the same file in
// the mirror folder. Refused (one line naming the URL and `what`): a URL not
// under `base`, and any segment a static server would not map to that very
// file (empty, ".", "..", '%', '?', '#', '\\', control characters).
Expected<std::string> path_under(const std::string& url, const std::string& base, const std::string& what);

// True for a plain file or folder name: what path_under accepts for a segment.
bool plain_segment(std::string_view segment);

}  // namespace rtx::mirror
