// What the reference programs share with lowrank_bench: the timing rule and the JSON number format.
// A case runs repeatedly, at least three times and until a time budget has passed, and its fastest run
// counts (the other tenants of a machine only ever make a run slower).
#pragma once

#include <chrono>

namespace reference {

/// The fastest of repeated runs of `work`, in seconds: at least three runs, and runs until
/// `budget_seconds` have passed since the first one started.
template <class Work>
double fastest_seconds(Work&& work, double budget_seconds) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  double fastest = 1e30;
  for (int runs = 0;; ++runs) {
    const auto now = clock::now();
    if (runs >= 3 && std::chrono::duration<double>(now - start).count() >= budget_seconds) break;
    work();
    const double seconds = std::chrono::duration<double>(clock::now() - now).count();
    if (seconds < fastest) fastest = seconds;
  }
  return fastest;
}

/// How many products one GEMM timing runs back to back: 2e6 / (m n k), at least one, so that the small
/// products are not timed one call at a time (the rule of lowrank_bench and the anchors).
constexpr int products_per_timing(int m, int n, int k) {
  return 2000000 / (m * n * k) > 1 ? 2000000 / (m * n * k) : 1;
}

/// GFLOPS of an m x n x k product (2 m n k flops) that took `seconds`.
constexpr double gemm_gflops(int m, int n, int k, double seconds) {
  return 2.0 * m * n * k / seconds / 1e9;
}

}  // namespace reference
