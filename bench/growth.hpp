// How a cost grows with n (issue 11 item 2): a table n → cost, the growth
// class read off the growth exponent of the cost above a baseline (the same
// command with nothing to do, measured in the same rounds), and the per-item
// cost fitted by least squares. Bench-only code.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

namespace rtx::bench {

struct GrowthPoint {
  double n = 0;
  double cost = 0;      // median, in the unit printed
  double baseline = 0;  // median of the same rounds with nothing to do
};

struct Growth {
  double per_item = 0;  // least-squares slope of (cost − baseline) over n
  double exponent = 0;  // log-log slope of (cost − baseline) between the two largest n
  std::string klass;    // "O(1)", "O(log n)", "O(n)", "O(n^k)"
};

inline Growth fit_growth(const std::vector<GrowthPoint>& pts) {
  Growth g;
  if (pts.size() < 2) return g;
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const auto& p : pts) {
    double y = p.cost - p.baseline;
    sx += p.n;
    sy += y;
    sxx += p.n * p.n;
    sxy += p.n * y;
  }
  double k = double(pts.size());
  g.per_item = (k * sxy - sx * sy) / (k * sxx - sx * sx);
  // The exponent: the log-log slope of the cost above the baseline between
  // the two largest sizes, where fixed costs and noise weigh least (a + b·n
  // tends to 1, a + b·n² to 2, a constant to 0). Costs below a floor (noise)
  // count as the floor.
  const auto& lo = pts[pts.size() - 2];
  const auto& hi = pts.back();
  double floor = 0.02 * std::max({lo.baseline, hi.baseline, 1.0});
  double y0 = std::max(lo.cost - lo.baseline, floor), y1 = std::max(hi.cost - hi.baseline, floor);
  g.exponent = std::log(y1 / y0) / std::log(hi.n / lo.n);
  char buf[64];
  if (g.exponent < 0.2)
    g.klass = "O(1)";
  else if (g.exponent < 0.7)
    g.klass = "O(log n)";
  else if (g.exponent < 1.3)
    g.klass = "O(n)";
  else {
    std::snprintf(buf, sizeof buf, "O(n^%.1f): worse than linear", g.exponent);
    g.klass = buf;
  }
  return g;
}

// The table and the verdict, with `what` naming n and `unit` the cost.
inline Growth print_growth(const char* what, const char* unit, const std::vector<GrowthPoint>& pts,
                           const char* result_key) {
  std::printf("  %10s  %12s  %12s  %12s\n", what, ("cost " + std::string(unit)).c_str(),
              ("base " + std::string(unit)).c_str(), "extra/item");
  for (const auto& p : pts)
    std::printf("  %10.0f  %12.2f  %12.2f  %12.4f\n", p.n, p.cost, p.baseline, (p.cost - p.baseline) / p.n);
  Growth g = fit_growth(pts);
  std::printf("  growth: %s (exponent %.2f), fitted %.4f %s per %s\n", g.klass.c_str(), g.exponent, g.per_item, unit,
              what);
  std::printf("RESULT %s_per_item=%.4f %s_exponent=%.2f\n", result_key, g.per_item, result_key, g.exponent);
  return g;
}

// "100,1000,10000" → {100, 1000, 10000}; throws on anything else.
inline std::vector<int> parse_sizes(const std::string& text) {
  std::vector<int> out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t comma = text.find(',', pos);
    std::string item = text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    std::size_t used = 0;
    int v = 0;
    try {
      v = std::stoi(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size() || v < 1) throw std::runtime_error("bad size list '" + text + "': want e.g. 10,100,1000");
    out.push_back(v);
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return out;
}

}  // namespace rtx::bench
