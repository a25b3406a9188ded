// The data of the instruction-count AGD benchmark, shared by the library's iteration
// (agd_iterations.cpp) and the same iteration as plain loops (riscv32_agd_plain.cpp), so that both
// provably run on the same numbers: the shape (DIM_M x DIM_N, rank DIM_D; default 64 x 64, 8), the
// iteration count ITERS, the step and the anchors' LCG with its order of draws.
#pragma once

#include <cstdint>

#ifndef DIM_M
#define DIM_M 64
#define DIM_N 64
#define DIM_D 8
#endif
#ifndef ITERS
#define ITERS 1
#endif

namespace agd_case {

constexpr int m = DIM_M, n = DIM_N, d = DIM_D;
constexpr float step = 0.05f;  ///< eta, in A's units

/// Uniform in [-0.5, 0.5): the anchors' LCG, seeded 12345.
inline float u01() noexcept {
  static std::uint32_t state = 12345u;
  state = state * 1664525u + 1013904223u;
  return static_cast<float>(state >> 8) * (1.0f / 16777216.0f) - 0.5f;
}

/// A (m x n) row by row, then X (m x d), then Y (n x d), the factors at a tenth of A's scale;
/// a(i, j), x(i, k) and y(j, k) return references to the entries.
template <class A, class X, class Y>
void fill(A&& a, X&& x, Y&& y) noexcept {
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) a(i, j) = u01();
  for (int i = 0; i < m; ++i)
    for (int k = 0; k < d; ++k) x(i, k) = 0.1f * u01();
  for (int j = 0; j < n; ++j)
    for (int k = 0; k < d; ++k) y(j, k) = 0.1f * u01();
}

}  // namespace agd_case
