// PrecGD (Zhang, Fattahi & Zhang): over-parameterized (d = 6 > r = 3) low-rank approximation of
// 64 x 64 matrices with condition numbers 1, 10, 100. PrecGD converges linearly to 1e-10 in a
// number of iterations that hardly depends on kappa, while plain GD at its best fixed step is still
// far above 1e-10 after ten times as many iterations and decreasing sublinearly (with d = r the same
// GD is linear: the slowdown is the over-parameterization's). The symmetric form does the same on
// X X^T problems. Damping keeps every solve finite at singular factors, and bad input gets the
// driver's statuses. Errors are checked against independent double loops.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>

#include <lowrank/lowrank.hpp>

#include "support/reference.hpp"
#include "support/units.hpp"
#include "support/svd.hpp"

namespace lowrank::test {
namespace {

constexpr index n = 64, r = 3, d = 6;

std::vector<double> geometric_spectrum(double kappa) {
  std::vector<double> s(r);
  for (index i = 0; i < r; ++i) s[i] = std::pow(kappa, -static_cast<double>(i) / static_cast<double>(r - 1));
  return s;
}

template <index D>
struct Problem64 {
  Matrix<double, n, n> a;
  Matrix<double, n, D> x;
  Matrix<double, n, D> y;
  Workspace<double, n, n, D> w;
};

/// Runs `method` from init::random on A = U diag(geometric) V^T; `errors` receives the exact
/// relative error of every iterate.
template <index D, class Method>
solve_report<double> run(double kappa, const Method& method, double target, index max_iterations, Problem64<D>& p,
                         std::vector<double>* errors = nullptr) {
  std::mt19937_64 rng(11);
  make_low_rank(p.a, geometric_spectrum(kappa), rng);
  auto problem = problems::full(p.a);
  solve_options<double> options;
  options.target_relative_error = target;
  options.max_iterations = max_iterations;
  options.stall_window = 0;
  options.exact_error_every_iteration = errors != nullptr;
  auto record = [&](const iteration_info<double>& info) {
    if (errors != nullptr) errors->push_back(info.relative_error);
  };
  return solve(problem, method, init::random{3}, p.x, p.y, p.w, options, record);
}

TEST(PrecGD, LinearRateIndependentOfConditionNumberWhereGdIsSublinear) {
  static Problem64<d> p;
  static Problem64<r> exact_rank;
  const double kappas[3] = {1, 10, 100};
  index precgd_iterations[3] = {};
  for (int k = 0; k < 3; ++k) {
    const double kappa = kappas[k];
    const auto report = run<d>(kappa, methods::precgd<double>(0.5), 1e-10, 2000, p);
    ASSERT_EQ(report.status, status::converged) << "kappa=" << kappa;
    EXPECT_LE(relative_error_squared(p.a, p.x, p.y), 1e-10);
    precgd_iterations[k] = report.iterations;
    const auto alternating =
        run<d>(kappa, methods::precgd<double, methods::update_order::alternating>(0.5), 1e-10, 2000, p);
    EXPECT_EQ(alternating.status, status::converged) << "kappa=" << kappa;
    const auto scaled = run<d>(kappa, methods::scaled_gd<double>(0.5), 1e-10, 2000, p);

    // Plain GD, best of a few fixed steps, for ten times PrecGD's iterations.
    const index budget = 10 * report.iterations;
    double best_gd = std::numeric_limits<double>::infinity();
    double best_step = 0;
    std::vector<double> best_curve;
    for (double step : {0.1, 0.2, 0.3, 0.5, 0.7, 0.9}) {
      std::vector<double> curve;
      run<d>(kappa, methods::gd<double>(step), 0.0, budget, p, &curve);
      const double final_error = relative_error_squared(p.a, p.x, p.y);
      if (final_error < best_gd) {
        best_gd = final_error;
        best_step = step;
        best_curve = curve;
      }
    }
    // With d = r the same GD is linear (for kappa = 1 it needs no more iterations than PrecGD's budget).
    const auto gd_exact_rank = run<r>(kappa, methods::gd<double>(best_step), 1e-10, 100000, exact_rank);

    std::printf("kappa = %5.0f, d = %zu: precgd %zu iterations (alternating %zu), scaled_gd %s in %zu; gd "
                "(best step %.1f) after %zu: %.1e (after %zu: %.1e); gd with d = r: %zu iterations\n",
                kappa, static_cast<std::size_t>(d), static_cast<std::size_t>(report.iterations),
                static_cast<std::size_t>(alternating.iterations), to_string(scaled.status),
                static_cast<std::size_t>(scaled.iterations), best_step, static_cast<std::size_t>(budget), best_gd,
                static_cast<std::size_t>(budget / 2), best_curve[budget / 2],
                static_cast<std::size_t>(gd_exact_rank.iterations));
    EXPECT_GT(best_gd, 1e3 * 1e-10) << "GD is far from PrecGD's accuracy, kappa=" << kappa;
    // Sublinear (the error of the vanishing directions decays like 1/t^2): over the second half of
    // its budget GD gains less than a factor 10, where PrecGD gains ten orders of magnitude in a
    // tenth of that budget.
    EXPECT_GT(best_curve[budget], best_curve[budget / 2] / 10) << "kappa=" << kappa;
    EXPECT_EQ(gd_exact_rank.status, status::converged) << "kappa=" << kappa;
    if (kappa == 1) {
      EXPECT_LE(gd_exact_rank.iterations, budget);
    }
  }
  EXPECT_LE(precgd_iterations[2], 3 * precgd_iterations[0]);
  EXPECT_LE(precgd_iterations[1], 3 * precgd_iterations[0]);
}

TEST(PrecGD, FloatReachesItsAccuracyOverParameterized) {
  static Matrix<float, n, n> a;
  static Matrix<float, n, d> x, y;
  static Workspace<float, n, n, d> w;
  for (double kappa : {1.0, 100.0}) {
    std::mt19937_64 rng(11);
    make_low_rank(a, geometric_spectrum(kappa), rng);
    auto problem = problems::full(a);
    solve_options<float> options;
    options.target_relative_error = 1e-7f;
    options.max_iterations = 500;
    const auto report = solve(problem, methods::precgd<float>(0.5f), init::random{3}, x, y, w, options);
    EXPECT_EQ(report.status, status::converged) << "kappa=" << kappa;
    EXPECT_LE(relative_error_squared(a, x, y), 1e-7);
  }
}

// ---- the symmetric form on problems::symmetric: A = U diag(s) U^T PSD, A ~ X X^T ----

struct Symmetric64 {
  Matrix<double, n, n> a;
  Matrix<double, n, d> x;
  SymmetricWorkspace<double, n, d> w;
};

/// A = U diag(s) U^T for the planted U of make_low_rank.
void make_psd(Matrix<double, n, n>& a, double kappa) {
  std::mt19937_64 rng(13);
  const std::vector<double> s = geometric_spectrum(kappa);
  const SvdResult planted = make_low_rank(a, s, rng);
  for (index i = 0; i < n; ++i)
    for (index j = 0; j < n; ++j) {
      double v = 0;
      for (index k = 0; k < r; ++k) v += planted.u[i * r + k] * s[k] * planted.u[j * r + k];
      a(i, j) = v;
    }
}

/// A small random start, X_0 = Phi / (10 sqrt(n)).
template <class MX>
void small_random(MX& x, std::uint64_t seed) {
  random::GaussianGenerator<scalar_of<MX>> gaussian(seed);
  random::fill_gaussian(gaussian, x);
  scale(static_cast<scalar_of<MX>>(0.1 / std::sqrt(static_cast<double>(n))), x);
}

TEST(PrecGD, SymmetricFormIsLinearIndependentOfConditionNumber) {
  static Symmetric64 p;
  index iterations[3] = {};
  const double kappas[3] = {1, 10, 100};
  for (int k = 0; k < 3; ++k) {
    make_psd(p.a, kappas[k]);
    auto problem = problems::symmetric(p.a);
    small_random(p.x, 5);
    solve_options<double> options;
    options.target_relative_error = 1e-10;
    options.max_iterations = 2000;
    options.stall_window = 0;
    // The symmetric gradient carries a factor 2 (grad f = 2 (X X^T - A) X): half the asymmetric step.
    const auto report = solve_symmetric(problem, methods::precgd<double>(0.25), p.x, p.w, options);
    ASSERT_EQ(report.status, status::converged) << "kappa=" << kappas[k];
    EXPECT_LE(relative_error_squared(p.a, p.x, p.x), 1e-10);
    iterations[k] = report.iterations;
  }
  std::printf("symmetric precgd, d = 6 > r = 3, to 1e-10: %zu / %zu / %zu iterations for kappa = 1 / 10 / 100\n",
              static_cast<std::size_t>(iterations[0]), static_cast<std::size_t>(iterations[1]),
              static_cast<std::size_t>(iterations[2]));
  EXPECT_LE(iterations[2], 3 * iterations[0]);
  EXPECT_LE(iterations[1], 3 * iterations[0]);
}

// ---- damping at singular factors ----

bool all_finite(const double* first, index count) {
  for (index i = 0; i < count; ++i)
    if (!std::isfinite(first[i])) return false;
  return true;
}

// At the exact solution with d > r the factors have zero columns: X^T X and Y^T Y are singular
// exactly and f = 0, so lambda = sqrt(f) = 0. The Cholesky of the undamped Gram fails, the
// fallback raises lambda to the rounding level, and the step is finite (zero, as it should be).
TEST(PrecGD, DampingKeepsTheStepFiniteAtSingularFactors) {
  constexpr index m = 12, k = 5, rank = 2;
  test_rng rng(3);
  Matrix<double, m, k> x;
  Matrix<double, m, k> y;
  fill_uniform(x, rng);
  fill_uniform(y, rng);
  for (index i = 0; i < m; ++i)
    for (index c = rank; c < k; ++c) x(i, c) = y(i, c) = 0.0;  // rank-2 factors, d = 5
  Matrix<double, m, m> a;
  gemm(1.0, x, transpose(y), 0.0, a);  // A = X Y^T: the iterate is a solution
  auto problem = problems::full(a);
  ASSERT_EQ(problem.validate(), status::ok);
  Workspace<double, m, m, k> w;
  for (int variant = 0; variant < 3; ++variant) {
    Matrix<double, m, k> x1 = x;
    Matrix<double, m, k> y1 = y;
    if (variant == 0) {
      user_step(problem, methods::precgd<double>(0.5), x1, y1, w);
    } else if (variant == 1) {
      user_step(problem, methods::precgd<double, methods::update_order::alternating>(0.5), x1, y1, w);
    } else {
      user_step(problem, methods::scaled_gd<double>(0.5), x1, y1, w);
    }
    EXPECT_TRUE(all_finite(w.grad_x.data(), m * k)) << "variant " << variant;
    EXPECT_TRUE(all_finite(w.grad_y.data(), m * k)) << "variant " << variant;
    EXPECT_TRUE(all_finite(x1.data(), m * k) && all_finite(y1.data(), m * k)) << "variant " << variant;
    EXPECT_LT(relative_error_squared(a, x1, y1), 1e-28) << "variant " << variant;
  }
  // The symmetric form at X X^T = A with zero columns.
  Matrix<double, m, m> psd;
  gemm(1.0, x, transpose(x), 0.0, psd);
  auto symmetric = problems::symmetric(psd);
  ASSERT_EQ(symmetric.validate(), status::ok);
  SymmetricWorkspace<double, m, k> ws;
  Matrix<double, m, k> x1 = x;
  user_step(symmetric, methods::precgd<double>(0.25), x1, ws);
  EXPECT_TRUE(all_finite(x1.data(), m * k));
  EXPECT_LT(relative_error_squared(psd, x1, x1), 1e-28);
}

TEST(PrecGD, DampedCholeskyRaisesLambdaOnlyWhenItMust) {
  Matrix<double, 3, 3> g;
  Matrix<double, 3, 3> factor;
  // Singular PSD (rank 1): lambda = 0 fails, the fallback succeeds at the rounding level.
  const double v[3] = {1.0, 2.0, -1.0};
  for (index i = 0; i < 3; ++i)
    for (index j = 0; j < 3; ++j) g(i, j) = v[i] * v[j];
  const double used = damped_cholesky_factor(g, 0.0, factor);
  EXPECT_GT(used, 0.0);
  EXPECT_LT(used, 1e-12);
  for (index i = 0; i < 3; ++i) EXPECT_TRUE(std::isfinite(factor(i, i)) && factor(i, i) > 0);
  // Positive definite: the requested lambda is used as is.
  for (index i = 0; i < 3; ++i) g(i, i) += 1.0;
  EXPECT_EQ(damped_cholesky_factor(g, 0.25, factor), 0.25);
  // Zero matrix with lambda = 0 (a zero factor): still a usable factor.
  fill(g, 0.0);
  EXPECT_GT(damped_cholesky_factor(g, 0.0, factor), 0.0);
  // Not finite: nothing helps, and the caller is told.
  g(1, 1) = std::numeric_limits<double>::quiet_NaN();
  EXPECT_TRUE(std::isnan(damped_cholesky_factor(g, 0.0, factor)));
}

TEST(PrecGD, DampingIsSqrtLossWithFactorAndFloor) {
  EXPECT_DOUBLE_EQ(methods::precgd<double>(0.5).damping(4.0), 2.0);
  EXPECT_DOUBLE_EQ(methods::precgd<double>(0.5, 3.0).damping(4.0), 6.0);
  EXPECT_DOUBLE_EQ(methods::precgd<double>(0.5, 1.0, 5.0).damping(4.0), 5.0);
  EXPECT_DOUBLE_EQ(methods::precgd<double>(0.5).damping(-1e-30), 1e-15);  // rounding-level loss
  EXPECT_EQ(methods::precgd<double>(0.5).damping(std::numeric_limits<double>::quiet_NaN()), 0.0);
}

// ---- bad input ----

TEST(PrecGD, BadInputGetsTheDriverStatuses) {
  static Matrix<float, 20, 16> a;
  static Matrix<float, 20, 4> x;
  static Matrix<float, 16, 4> y;
  static Workspace<float, 20, 16, 4> w;
  test_rng rng(2);
  const methods::precgd<float> good(0.5f);
  for (float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
    fill_uniform(a, rng);
    a(7, 2) = bad;
    auto problem = problems::full(a);
    EXPECT_EQ(solve(problem, good, init::random{1}, x, y, w).status, status::invalid_input);
    EXPECT_EQ(solve(problem, good, init::nystrom{1}, x, y, w).status, status::invalid_input);
  }
  fill(a, 0.0f);
  {
    auto problem = problems::full(a);
    EXPECT_EQ(solve(problem, good, init::nystrom{1}, x, y, w).status, status::zero_input);
    EXPECT_EQ(relative_error_squared(a, x, y), 0.0);
  }
  fill_uniform(a, rng);
  auto problem = problems::full(a);
  for (float step : {0.0f, -0.5f, std::numeric_limits<float>::quiet_NaN()}) {
    EXPECT_EQ(solve(problem, methods::precgd<float>(step), init::random{1}, x, y, w).status, status::invalid_argument);
    EXPECT_EQ(solve(problem, methods::precgd<float, methods::update_order::alternating>(step), init::random{1}, x, y, w)
                  .status,
              status::invalid_argument);
  }

  // The symmetric driver, the same statuses.
  static Matrix<float, 16, 16> s;
  static Matrix<float, 16, 4> xs;
  static SymmetricWorkspace<float, 16, 4> ws;
  fill(xs, 0.5f);
  fill(s, 1.0f);
  s(4, 4) = std::numeric_limits<float>::infinity();
  auto infinite = problems::symmetric(s);
  EXPECT_EQ(solve_symmetric(infinite, good, xs, ws).status, status::invalid_input);
  fill(s, 0.0f);
  auto zero = problems::symmetric(s);
  EXPECT_EQ(solve_symmetric(zero, good, xs, ws).status, status::zero_input);
  EXPECT_EQ(xs(3, 2), 0.0f);
  fill(s, 1.0f);
  auto ones = problems::symmetric(s);
  EXPECT_EQ(solve_symmetric(ones, methods::precgd<float>(-1.0f), xs, ws).status, status::invalid_argument);
  EXPECT_EQ(solve_symmetric(ones, methods::scaled_gd<float>(0.0f), xs, ws).status, status::invalid_argument);
}

}  // namespace
}  // namespace lowrank::test
