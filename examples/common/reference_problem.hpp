// One fixed problem and seed that every target solves, so that results can be compared across
// targets: the GoogleTest suite (host, aarch64, armv7) and the Cortex-M firmware both run it and
// compare with the same pinned figures. Heap-free, so it runs on bare metal.
//
// A = U V^T / sqrt(m n) with U (32 x 3), V (32 x 3) drawn from the library's Gaussian generator,
// factored with d = 4 by AGD (eta = 0.5) from the proposed initialization (seed 1).
#pragma once

#include <cmath>
#include <cstdint>

#include <lowrank/lowrank.hpp>

namespace lowrank::reference {

inline constexpr index m = 32, n = 32, r = 3, d = 4;

/// The first uniform outputs of Xoshiro128StarStar(1): every target must produce exactly these.
inline constexpr std::uint32_t uniform_stream_seed_1[4] = {0x650941bau, 0x54d30301u, 0x25d2f321u, 0x3fabdca9u};

/// Iterations to 1e-6 and the final relative error that the host (x86-64) measured; other
/// targets agree within `relative_error_tolerance` (FMA contraction, libm and the kernels' summation
/// order differ, so the last bits do, and the error is a ratio of small numbers near the target).
inline constexpr index expected_iterations = 16;     // +-1 on other targets
inline constexpr double expected_relative_error = 1.369e-7;
inline constexpr double relative_error_tolerance = 0.1;  // |log10(error / expected)| <= this: +-26%

struct outcome {
  status result;
  index iterations;
  float relative_error;
};

struct storage {
  Matrix<float, m, n> a;
  Matrix<float, m, r> u;
  Matrix<float, n, r> v;
  Matrix<float, m, d> x;
  Matrix<float, n, d> y;
  Workspace<float, m, n, d> work;
};

/// A = U V^T / sqrt(m n) into s.a, from the library's generator (the same on every target).
inline void make_reference_matrix(storage& s) noexcept {
  random::GaussianGenerator<float> gaussian(7);
  random::fill_gaussian(gaussian, s.u);
  random::fill_gaussian(gaussian, s.v);
  gemm(1.0f / std::sqrt(static_cast<float>(m * n)), s.u, transpose(s.v), 0.0f, s.a, s.work.gemm);
}

/// Builds the problem in `s` and solves it with AGD. Declare `s` static: it is about 16 KB.
inline outcome solve_reference_problem(storage& s) noexcept {
  make_reference_matrix(s);
  auto problem = problems::full(s.a);
  solve_options<float> options;
  options.target_relative_error = 1e-6f;
  options.max_iterations = 500;
  const auto report = solve(problem, methods::agd<float>(0.5f), init::proposed<float>{1}, s.x, s.y, s.work, options);
  return {report.status, report.iterations, report.relative_error};
}

/// The same matrix by PrecGD (damping sqrt(f)) from a small random start: d = 4 > r = 3, so plain GD
/// would slow to a sublinear rate as X and Y turn singular; the damped preconditioner keeps it linear.
inline outcome solve_reference_problem_precgd(storage& s) noexcept {
  make_reference_matrix(s);
  auto problem = problems::full(s.a);
  solve_options<float> options;
  options.target_relative_error = 1e-9f;
  options.max_iterations = 200;
  const auto report = solve(problem, methods::precgd<float>(0.5f), init::random{1}, s.x, s.y, s.work, options);
  return {report.status, report.iterations, report.relative_error};
}

/// PrecGD's run reaches 1e-9 in this many iterations on the host (+-2 elsewhere).
inline constexpr index expected_precgd_iterations = 26;

/// True when PrecGD's run converged in the pinned number of iterations (+-2).
inline bool matches_precgd_reference(const outcome& o) noexcept {
  return o.result == status::converged && o.iterations + 2 >= expected_precgd_iterations &&
         o.iterations <= expected_precgd_iterations + 2;
}

/// True when `o` matches the pinned figures within the stated tolerances.
inline bool matches_reference(const outcome& o) noexcept {
  const double ratio = static_cast<double>(o.relative_error) / expected_relative_error;
  const index low = expected_iterations - 1, high = expected_iterations + 1;
  return o.result == status::converged && o.iterations >= low && o.iterations <= high && ratio > 0.0 &&
         std::fabs(std::log10(ratio)) <= relative_error_tolerance;
}

}  // namespace lowrank::reference
