// Cortex-M check of the assembly micro-kernel (kernels/isa/armv7em.hpp) against the portable one, on
// what the firmware's own checks do not reach: odd and tiny depths (the asm's remainder step), k = 0,
// every alpha/beta path of its store (alpha 1 skips the scaling, beta 0 never reads C), both layouts
// of A, both two-product combinations, C rows further apart than the tile with guard values between;
// and, where the kernel has them, its dense runs (axpy_run, dot_run) against a double loop at every
// count up to 70, with guards after y.
// Run by tests/benchmark/cortex_m4.sh before it counts instructions; exit status 0 when all agree.
#include <cstdint>

#include <lowrank/kernels/target.hpp>

#include "semihosting.hpp"
#include "text.hpp"

namespace {
using lowrank::index;
using lowrank::kernels::segment;
using fast = lowrank::kernels::native_microkernel<float>;
using portable = lowrank::kernels::scalar::microkernel<float, 4, 4>;

std::uint32_t state = 2024u;
float next() noexcept {
  state = state * 1664525u + 1013904223u;
  return static_cast<float>(state >> 8) * (1.0f / 8388608.0f) - 1.0f;
}

constexpr index max_k = 33, lda = 40, ldc = 7;
float a1[lda * lda], b1[max_k * 8], a2[lda * lda], b2[max_k * 8];
float c_fast[4 * ldc], c_ref[4 * ldc];

float magnitude(float x) noexcept { return x < 0.0f ? -x : x; }

/// Runs one case through both kernels from the same C and compares every entry, guards included. With
/// beta = 0 the tile starts as NaN, which must not survive (C is written, never read).
template <class Run>
bool same(Run&& run, index k, float beta) noexcept {
  for (index i = 0; i < 4 * ldc; ++i) c_fast[i] = c_ref[i] = (i % ldc < 4) ? (beta == 0.0f ? __builtin_nanf("") : next()) : 777.0f;
  run(c_fast, c_ref);
  for (index i = 0; i < 4 * ldc; ++i) {
    if (c_fast[i] != c_fast[i] && c_ref[i] != c_ref[i]) continue;  // a NaN entry outside a partial tile
    const float tolerance = 1e-5f * static_cast<float>(2 * k + 4);  // operands in [-1, 1)
    if (!(magnitude(c_fast[i] - c_ref[i]) <= tolerance)) return false;
  }
  return true;
}
/// The dense runs at every count from 0 to 70 (whole blocks of eight, a remainder, both): y += alpha x
/// must change y[0 .. count) only, dot_run must match the sum in double.
template <class K>
std::uint32_t run_failures() noexcept {
  if constexpr (lowrank::kernels::contract::has_run_ops<K>()) {
    constexpr index most = 70;
    static float x[most], y[most + 4], y0[most + 4];
    std::uint32_t failures = 0;
    for (index count = 0; count <= most; ++count) {
      for (index i = 0; i < most; ++i) x[i] = next();
      for (index i = 0; i < most + 4; ++i) y[i] = y0[i] = next();
      K::axpy_run(count, -0.75f, x, y);
      double dot = 0.0;
      for (index i = 0; i < most + 4; ++i) {
        const double expected = i < count ? double(y0[i]) - 0.75 * double(x[i]) : double(y0[i]);
        if (!(magnitude(static_cast<float>(double(y[i]) - expected)) <= 1e-6f)) ++failures;
        if (i < count) dot += double(x[i]) * double(y0[i]);
      }
      const double got = double(K::dot_run(x, y0, count));
      if (!(magnitude(static_cast<float>(got - dot)) <= 1e-6f * static_cast<float>(count + 1))) ++failures;
    }
    return failures;
  } else {
    return 0;
  }
}
}  // namespace

int main() {
  for (float& x : a1) x = next();
  for (float& x : a2) x = next();
  for (float& x : b1) x = next();
  for (float& x : b2) x = next();
  const float alphas[] = {1.0f, -1.0f, 0.5f};
  const float betas[] = {0.0f, 1.0f, -2.0f};
  const index depths[] = {0, 1, 2, 3, 4, 5, 7, 8, 31, 33};
  std::uint32_t cases = 0, failures = 0;
  for (index k : depths) {
    for (float alpha : alphas) {
      for (float beta : betas) {
        // rows apart (A row-major, rows lda apart), rows adjacent (A^T: a column step of lda), B rows 8 apart
        const segment<float> apart{a1, lda, b1, 8, k}, adjacent{a1, lda, b1, 8, k};
        const segment<float> apart2{a2, lda, b2 + 4, 8, k}, adjacent2{a2 + 1, lda, b2 + 4, 8, k};
        const bool ok[] = {
            same([&](float* f, float* r) {
              fast::tile<false>(4, 4, apart, f, ldc, 1, alpha, beta);
              portable::tile<false>(4, 4, apart, r, ldc, 1, alpha, beta);
            }, k, beta),
            same([&](float* f, float* r) {
              fast::tile<true>(4, 4, adjacent, f, ldc, 1, alpha, beta);
              portable::tile<true>(4, 4, adjacent, r, ldc, 1, alpha, beta);
            }, k, beta),
            same([&](float* f, float* r) {
              fast::tile2<false, false, true>(4, 4, apart, apart2, f, ldc, 1, alpha, beta);
              portable::tile2<false, false, true>(4, 4, apart, apart2, r, ldc, 1, alpha, beta);
            }, 2 * k, beta),
            same([&](float* f, float* r) {
              fast::tile2<false, true, true>(4, 4, apart, adjacent2, f, ldc, 1, alpha, beta);
              portable::tile2<false, true, true>(4, 4, apart, adjacent2, r, ldc, 1, alpha, beta);
            }, 2 * k, beta),
            same([&](float* f, float* r) {  // an edge tile and a strided C: the portable path inside
              fast::tile<false>(3, 2, apart, f, ldc, 2, alpha, beta);
              portable::tile<false>(3, 2, apart, r, ldc, 2, alpha, beta);
            }, k, beta),
        };
        for (bool passed : ok) {
          ++cases;
          failures += passed ? 0u : 1u;
        }
      }
    }
  }
  const std::uint32_t run_failed = run_failures<fast>();
  firmware::Line line;
  line << "kernel check (" << lowrank::kernels::native_isa << "): " << cases - failures << '/' << cases
       << " cases agree with the portable kernel; dense runs: " << run_failed << " failures\n";
  semihosting::write(line.c_str());
  return failures + run_failed == 0 ? 0 : 1;
}
