// How a cost grows with n: O(1), O(log n) or O(n), from a few (n, cost)
// points, by least squares. Bench-only, header-only (one user).
#pragma once

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace rtx::bench {

struct GrowthFit {
  std::string klass;     // "O(1)", "O(log n)", "O(n)"
  double per_item = 0;   // cost per item (O(n)), per doubling of n (O(log n)), 0 for O(1)
  double intercept = 0;  // cost at n = 0 (O(n)) or n = 1 (O(log n)); the mean for O(1)
  std::string describe(const char* unit = "us") const {
    char buf[200];
    if (klass == "O(n)")
      std::snprintf(buf, sizeof buf, "O(n): %+.3f %s per item (%+.0f %s per 1,000), %.1f %s at n=0", per_item, unit,
                    per_item * 1000, unit, intercept, unit);
    else if (klass == "O(log n)")
      std::snprintf(buf, sizeof buf, "O(log n): %+.2f %s per doubling of n, %.1f %s at n=1", per_item, unit, intercept,
                    unit);
    else
      std::snprintf(buf, sizeof buf, "O(1): %.1f %s whatever n (spread below the noise floor)", intercept, unit);
    return buf;
  }
};

// Least squares y = a + b·x; returns the sum of squared residuals.
inline double growth_least_squares(const std::vector<double>& x, const std::vector<double>& y, double& a, double& b) {
  double n = double(x.size()), sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) sx += x[i], sy += y[i], sxx += x[i] * x[i], sxy += x[i] * y[i];
  double den = n * sxx - sx * sx;
  b = den != 0 ? (n * sxy - sx * sy) / den : 0;
  a = (sy - b * sx) / n;
  double sse = 0;
  for (std::size_t i = 0; i < x.size(); ++i) sse += (y[i] - a - b * x[i]) * (y[i] - a - b * x[i]);
  return sse;
}

// `noise_us`: a total rise (largest n minus smallest) below it is O(1). Else
// the better of the linear and the logarithmic fits.
inline GrowthFit classify_growth(const std::vector<double>& n, const std::vector<double>& cost, double noise_us) {
  GrowthFit f;
  double mean = 0;
  for (double c : cost) mean += c / double(cost.size());
  double rise = cost.back() - cost.front();
  if (n.size() < 2 || rise < noise_us) {
    f.klass = "O(1)";
    f.intercept = mean;
    return f;
  }
  std::vector<double> logn;
  for (double v : n) logn.push_back(std::log2(v));
  double al, bl, ag, bg;
  double sse_lin = growth_least_squares(n, cost, al, bl);
  double sse_log = growth_least_squares(logn, cost, ag, bg);
  if (sse_lin <= sse_log) {
    f.klass = "O(n)";
    f.per_item = bl;
    f.intercept = al;
  } else {
    f.klass = "O(log n)";
    f.per_item = bg;
    f.intercept = ag;
  }
  return f;
}

}  // namespace rtx::bench
