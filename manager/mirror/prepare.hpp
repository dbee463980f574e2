// The first phase of an export (export.hpp): what each wanted version's
// artifacts are, each one verified in the download cache (fetched into it
// when missing). Nothing is written into the mirror folder here.
#pragma once

#include <string>
#include <vector>

#include "manager/mirror/export.hpp"
#include "manager/mirror/layouts.hpp"
#include "resolver/expected.hpp"

namespace rtx::mirror {

// node, go, python, rust: an installed version's artifact for this machine's
// platform (from the backend's index, as `rtx lock` finds it), or every
// artifact its lock entry records. `exported` gets one line per version.
Expected<std::vector<PreparedVersion>> prepare_core(const ExportOptions& options, Layout layout,
                                                    const std::vector<const Wanted*>& wanted,
                                                    std::vector<std::string>& exported);

// npm: every package of each tool's tree (the installed build's, or the
// locked tarball's with its dependencies resolved through the registry, as
// an install would), each tarball as the registry's document gives it, with
// its signatures and the registry's keys. `notes`: the keys could not be read.
Expected<PreparedNpmSet> prepare_npm(const ExportOptions& options, const std::vector<const Wanted*>& wanted,
                                     std::vector<std::string>& exported, std::vector<std::string>& notes);

}  // namespace rtx::mirror
