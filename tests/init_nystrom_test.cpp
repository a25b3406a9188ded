// Nystrom initialization: on an exactly rank-r matrix with d >= r, X_0 Y_1^T (and, for a PSD matrix,
// X_0 X_0^T) is A to rounding, also when d > r makes X_0^T X_0 singular (no NaN); X_0 lies in the
// column span of A; the factors are balanced; and the solver accepts it as an initialization.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include <lowrank/lowrank.hpp>

#include "support/paper_problem.hpp"
#include "support/svd.hpp"

namespace lowrank::test {
namespace {

template <class T, index D>
struct Paper {
  Matrix<T, paper_m, paper_n> a;
  Matrix<T, paper_m, D> x;
  Matrix<T, paper_n, D> y;
  Workspace<T, paper_m, paper_n, D> w;
};

template <class M>
bool all_finite(const M& m) {
  const auto v = as_view(m);
  for (index i = 0; i < v.rows; ++i)
    for (index j = 0; j < v.cols; ++j)
      if (!std::isfinite(v(i, j))) return false;
  return true;
}

/// ||(I - U U^T) X||_F / ||X||_F for the planted U (m x r).
template <class MX>
double outside_span(const SvdResult& planted, const MX& x_in) {
  const auto x = as_view(x_in);
  const index r = planted.k;
  double outside = 0, total = 0;
  for (index k = 0; k < x.cols; ++k) {
    std::vector<double> coef(r, 0.0);
    for (index c = 0; c < r; ++c)
      for (index i = 0; i < x.rows; ++i) coef[c] += planted.u[i * r + c] * static_cast<double>(x(i, k));
    for (index i = 0; i < x.rows; ++i) {
      double v = static_cast<double>(x(i, k));
      for (index c = 0; c < r; ++c) v -= planted.u[i * r + c] * coef[c];
      outside += v * v;
      total += static_cast<double>(x(i, k)) * static_cast<double>(x(i, k));
    }
  }
  return std::sqrt(outside / total);
}

/// Relative error of X_0 Y_1^T on the rank-5 paper matrix (singular values 1 ... 1/kappa_end).
template <class T, index D>
double nystrom_error(std::uint64_t seed, double last_singular_value) {
  static Paper<T, D> p;
  std::mt19937_64 rng(seed);
  const SvdResult planted = make_low_rank(p.a, linspace(paper_r, 1.0, last_singular_value), rng);
  auto problem = problems::full(p.a);
  EXPECT_EQ(problem.validate(), status::ok);
  EXPECT_EQ(initialize(init::nystrom{seed}, problem, T(0.5), p.x, p.y, p.w), status::ok);
  EXPECT_TRUE(all_finite(p.x) && all_finite(p.y)) << "d=" << D;
  EXPECT_LT(outside_span(planted, p.x), 100 * std::numeric_limits<T>::epsilon()) << "d=" << D;
  // Balanced: equal Frobenius norms (X Y^T does not change).
  const double nx = std::sqrt(frobenius_inner(p.x, p.x)), ny = std::sqrt(frobenius_inner(p.y, p.y));
  EXPECT_NEAR(nx, ny, 1e-3 * nx);
  return relative_error_squared(p.a, p.x, p.y);
}

TEST(Nystrom, ExactOnRankRMatrixDouble) {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    for (double last : {0.9, 0.1}) {
      EXPECT_LT((nystrom_error<double, paper_r>(seed, last)), 1e-20) << "d = r, seed " << seed << " last " << last;
      EXPECT_LT((nystrom_error<double, paper_r + 1>(seed, last)), 1e-20) << "d = r + 1, seed " << seed;
      EXPECT_LT((nystrom_error<double, 2 * paper_r>(seed, last)), 1e-20) << "d = 2r, seed " << seed;
    }
  }
}

TEST(Nystrom, ExactOnRankRMatrixFloat) {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    EXPECT_LT((nystrom_error<float, paper_r>(seed, 0.9)), 1e-10) << "d = r, seed " << seed;
    // d > rank: the singular Gram matrix is damped at its rounding level, and without FMA (the
    // portable kernel on a generic target) the refined start keeps a few hundred eps of it.
    EXPECT_LT((nystrom_error<float, paper_r + 1>(seed, 0.9)), 1e-8) << "d = r + 1, seed " << seed;
    EXPECT_LT((nystrom_error<float, 2 * paper_r>(seed, 0.9)), 1e-10) << "d = 2r, seed " << seed;
  }
}

TEST(Nystrom, IsAnInitializationForTheSolver) {
  static Paper<double, 2 * paper_r> p;
  make_paper_matrix(p.a, 4);
  auto problem = problems::full(p.a);
  solve_options<double> options;
  options.target_relative_error = 1e-20;
  for (int method = 0; method < 2; ++method) {
    const auto report = method == 0
                            ? solve(problem, methods::precgd<double>(0.5), init::nystrom{4}, p.x, p.y, p.w, options)
                            : solve(problem, methods::scaled_gd<double>(0.5), init::nystrom{4}, p.x, p.y, p.w, options);
    EXPECT_EQ(report.status, status::converged);
    EXPECT_EQ(report.iterations, 0u);  // the initialization is already the answer
    EXPECT_LT(relative_error_squared(p.a, p.x, p.y), 1e-20);
  }
  // The start's error is measured exactly (start_may_be_exact), once, and that ends the run.
  int calls = 0;
  bool exact = false;
  const auto report = solve(problem, methods::scaled_agd<double>(1.0), init::nystrom{4}, p.x, p.y, p.w, options,
                            [&](const iteration_info<double>& info) {
                              ++calls;
                              exact = info.exact;
                            });
  EXPECT_EQ(report.status, status::converged);
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(exact);
  EXPECT_TRUE(report.relative_error_exact);
}

TEST(Nystrom, ProjectsOntoTheSampledSpanWhenDIsBelowTheRank) {
  // d < rank A: X_0 Y_1^T = P A with P the projection onto col(A Omega), so its error is at least the
  // best rank-d error and X_0 Y_1^T - A is orthogonal to col(X_0): X_0^T (X_0 Y_1^T - A) = 0.
  static Paper<double, 3> p;
  make_paper_matrix(p.a, 6);
  auto problem = problems::full(p.a);
  ASSERT_EQ(problem.validate(), status::ok);
  ASSERT_EQ(initialize(init::nystrom{6}, problem, 0.5, p.x, p.y, p.w), status::ok);
  const double error = relative_error_squared(p.a, p.x, p.y);
  EXPECT_GE(error, (1 - 1e-9) * best_rank_relative_error_squared(p.a, 3));
  static Matrix<double, paper_m, paper_n> residual;
  gemm(1.0, p.x, transpose(p.y), 0.0, residual, p.w.gemm);
  axpy(-1.0, p.a, residual);
  Matrix<double, 3, paper_n> projected;
  gemm(1.0, transpose(p.x), residual, 0.0, projected, p.w.gemm);
  EXPECT_LT(frobenius_inner(projected, projected), 1e-24 * frobenius_inner(p.x, p.x));
}

// ---- symmetric: X_0 X_0^T = A Omega (Omega^T A Omega)^-1 Omega^T A ----

template <class T, index D>
double symmetric_nystrom_error(std::uint64_t seed) {
  static Matrix<T, paper_m, paper_m> a;
  static Matrix<T, paper_m, D> x;
  static SymmetricWorkspace<T, paper_m, D> w;
  std::mt19937_64 rng(seed);
  const std::vector<double> s = linspace(paper_r, 1.0, 0.5);
  const SvdResult planted = make_low_rank(a, s, rng);
  for (index i = 0; i < paper_m; ++i)
    for (index j = 0; j < paper_m; ++j) {
      double v = 0;
      for (index k = 0; k < paper_r; ++k) v += planted.u[i * paper_r + k] * s[k] * planted.u[j * paper_r + k];
      a(i, j) = static_cast<T>(v);
    }
  auto problem = problems::symmetric(a);
  EXPECT_EQ(problem.validate(), status::ok);
  EXPECT_EQ(initialize(init::nystrom{seed}, problem, T(0.25), x, w), status::ok);
  EXPECT_TRUE(all_finite(x)) << "d=" << D;
  return relative_error_squared(a, x, x);
}

TEST(Nystrom, SymmetricExactOnRankRPsdMatrix) {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    EXPECT_LT((symmetric_nystrom_error<double, paper_r>(seed)), 1e-20) << "d = r, seed " << seed;
    EXPECT_LT((symmetric_nystrom_error<double, paper_r + 1>(seed)), 1e-20) << "d = r + 1, seed " << seed;
    EXPECT_LT((symmetric_nystrom_error<double, 2 * paper_r>(seed)), 1e-20) << "d = 2r, seed " << seed;
    // Float: the damped singular Omega^T A Omega costs accuracy when d > r (measured 2e-10 to 9e-10).
    EXPECT_LT((symmetric_nystrom_error<float, paper_r>(seed)), 1e-10) << "float d = r, seed " << seed;
    EXPECT_LT((symmetric_nystrom_error<float, 2 * paper_r>(seed)), 1e-8) << "float d = 2r, seed " << seed;
  }
}

}  // namespace
}  // namespace lowrank::test
