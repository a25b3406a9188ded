// Trustworthy at any scale (issue 12): every reproducer found by fuzzing, as a named test, and the
// scale table: s A gives the statuses and relative errors of A for s = 10^k over the whole range of
// the scalar type, for every scale-free method. Every answer is checked against an independent long
// double residual of the factors returned (honest()), never against the solver's own report.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include <lowrank/lowrank.hpp>

#include "support/reference.hpp"

namespace lowrank::test {
namespace {

/// ||A - X Y^T||_F^2 / ||A||_F^2 in long double with A's largest entry scaled out first, so that it
/// is exact for any representable A.
template <class MA, class MX, class MY>
long double true_relative_error(const MA& a, const MX& x, const MY& y) {
  long double largest = 0;
  for (index i = 0; i < MA::rows; ++i)
    for (index j = 0; j < MA::cols; ++j) largest = std::max(largest, std::fabs(static_cast<long double>(a(i, j))));
  if (largest == 0) return 0;
  long double residual = 0, norm = 0;
  for (index i = 0; i < MA::rows; ++i)
    for (index j = 0; j < MA::cols; ++j) {
      long double approx = 0;
      for (index k = 0; k < MX::cols; ++k)
        approx += (static_cast<long double>(x(i, k)) / std::sqrt(largest)) * (static_cast<long double>(y(j, k)) / std::sqrt(largest));
      const long double entry = static_cast<long double>(a(i, j)) / largest;
      residual += (entry - approx) * (entry - approx);
      norm += entry * entry;
    }
  return residual / norm;
}

template <class M>
bool all_finite(const M& m) {
  for (index i = 0; i < M::rows; ++i)
    for (index j = 0; j < M::cols; ++j)
      if (!std::isfinite(m(i, j))) return false;
  return true;
}

/// What every report must satisfy: finite factors; converged only if the true error meets the
/// target the report names; an exact reported error equal to the true one to rounding.
template <class T, class MA, class MX, class MY>
void honest(const solve_report<T>& report, const MA& a, const MX& x, const MY& y, const char* what) {
  EXPECT_TRUE(all_finite(x) && all_finite(y)) << what << ": " << to_string(report.status);
  const long double truth = true_relative_error(a, x, y);
  const long double eps = std::numeric_limits<T>::epsilon();
  if (report.status == status::converged) {
    EXPECT_LE(truth, static_cast<long double>(report.target_relative_error) * 1.001L + 64 * eps * eps) << what;
  }
  if (report.relative_error_exact && report.status != status::zero_input) {
    EXPECT_NEAR(static_cast<double>(report.relative_error), static_cast<double>(truth),
                1e-3 * static_cast<double>(truth) + 64 * static_cast<double>(eps * eps))
        << what;
  }
}

// ---- reproducers -----------------------------------------------------------------------------------------

TEST(Reproducers, SquaresThatUnderflowDoNotFakeConvergence) {
  Matrix<float, 1, 9> a;
  for (index j = 0; j < 9; ++j) a(0, j) = 1e-23f * static_cast<float>(j + 1);
  Matrix<float, 1, 1> x;
  Matrix<float, 9, 1> y;
  x(0, 0) = 1.0f;
  for (index j = 0; j < 9; ++j) y(j, 0) = 0.7f * a(0, j);
  Workspace<float, 1, 9, 1> w;
  auto problem = problems::full(a);
  const Matrix<float, 1, 1> x_start = x;
  const Matrix<float, 9, 1> y_start = y;
  const auto report = solve(problem, methods::agd<float>(), x, y, w);
  honest(report, a, x, y, "1 x 9 at 1e-23");
  // This start is unbalanced by 1e22 (X = 1, Y ~ 1e-23), so the step 1 / sigma_1 is far too long for
  // the Y update: an honest `diverged` keeps the start, the best iterate; never `converged`.
  if (!succeeded(report.status)) {
    EXPECT_EQ(report.status, status::diverged);
    EXPECT_EQ(x(0, 0), x_start(0, 0));
    for (index j = 0; j < 9; ++j) EXPECT_EQ(y(j, 0), y_start(j, 0));
  }
}

TEST(Reproducers, TinyPrecGDNystromIsCertifiedHonestly) {
  Matrix<float, 4, 4> a;
  for (index i = 0; i < 4; ++i)
    for (index j = 0; j < 4; ++j) a(i, j) = 1e-23f * (static_cast<float>((i + 1) * (j + 1)) + (i == j ? 0.5f : 0.0f));
  Matrix<float, 4, 4> x{}, y{};  // read by solve (given back if the start fails): not indeterminate
  Workspace<float, 4, 4, 4> w;
  auto problem = problems::full(a);
  const auto report = solve(problem, methods::precgd<float>(), init::nystrom{}, x, y, w);
  honest(report, a, x, y, "4 x 4 PrecGD at 1e-23");
  EXPECT_LE(true_relative_error(a, x, y), 1e-6L);
}

TEST(Reproducers, DoubleAt1e160MatchesUnitScale) {
  Matrix<double, 8, 6> a, scaled;
  test_rng rng(4);
  fill_uniform(a, rng);
  copy(a, scaled);
  scale(1e-160, scaled);
  Matrix<double, 8, 3> x, x1;
  Matrix<double, 6, 3> y, y1;
  Workspace<double, 8, 6, 3> w;
  auto unit = problems::full(a);
  auto small = problems::full(scaled);
  const auto r1 = solve(unit, methods::scaled_agd<double>(1.0), init::nystrom{}, x1, y1, w);
  const auto r = solve(small, methods::scaled_agd<double>(1.0), init::nystrom{}, x, y, w);
  honest(r, scaled, x, y, "double at 1e-160");
  EXPECT_EQ(r.status, r1.status);
  EXPECT_NEAR(static_cast<double>(true_relative_error(scaled, x, y)), static_cast<double>(true_relative_error(a, x1, y1)),
              1e-9);
}

TEST(Reproducers, TinyNonzeroDataIsNotZeroInput) {
  {
    Matrix<float, 5, 4> a;
    test_rng rng(2);
    fill_uniform(a, rng);
    scale(1e-24f, a);
    auto problem = problems::full(a);
    EXPECT_EQ(problem.validate(), status::ok);
    Matrix<float, 5, 2> x;
    Matrix<float, 4, 2> y;
    Workspace<float, 5, 4, 2> w;
    const auto report = factorize(a, x, y, w);
    honest(report, a, x, y, "float at 1e-24");
    EXPECT_TRUE(succeeded(report.status));
    EXPECT_GT(frobenius_inner(x, x), 0.0);
  }
  {
    Matrix<double, 5, 4> a;
    fill(a, 0.0);
    a(2, 3) = 1e-300;
    auto problem = problems::full(a);
    EXPECT_EQ(problem.validate(), status::ok);
  }
}

TEST(Reproducers, HugeDataNeitherDivergesNorLeavesNonFiniteFactors) {
  Matrix<float, 6, 5> a;
  test_rng rng(8);
  fill_uniform(a, rng);
  scale(1e19f, a);  // ||A||_F^2 overflows float; ||A||_F does not
  Matrix<float, 6, 2> x;
  Matrix<float, 5, 2> y;
  Workspace<float, 6, 5, 2> w;
  auto problem = problems::full(a);
  for (int method = 0; method < 3; ++method) {
    solve_report<float> report;
    if (method == 0) report = solve(problem, methods::scaled_gd<float>(), init::nystrom{}, x, y, w);
    if (method == 1) report = solve(problem, methods::precgd<float>(), init::nystrom{}, x, y, w);
    if (method == 2) report = solve(problem, methods::agd<float>(), init::colspan{}, x, y, w);
    honest(report, a, x, y, "float at 1e19");
    EXPECT_TRUE(succeeded(report.status)) << method << ": " << to_string(report.status);
  }
  Matrix<double, 6, 5> big;
  fill_uniform(big, rng);
  scale(1e156, big);
  Matrix<double, 6, 2> xd;
  Matrix<double, 5, 2> yd;
  Workspace<double, 6, 5, 2> wd;
  const auto report = factorize(big, xd, yd, wd);
  honest(report, big, xd, yd, "double at 1e156");
  EXPECT_TRUE(succeeded(report.status));
  fill(big, std::numeric_limits<double>::max() / 2);  // ||A||_F itself overflows: refused, nothing written
  fill(xd, 3.0);
  EXPECT_EQ(factorize(big, xd, yd, wd).status, status::out_of_range);
  EXPECT_EQ(xd(0, 0), 3.0);
}

TEST(Reproducers, RobustTiesKeepTheQuota) {
  Matrix<float, 8, 8> a;
  fill(a, 1.0f);  // every residual at X = Y = 0 ties
  Matrix<float, 8, 1> x;
  Matrix<float, 8, 1> y;
  RobustWorkspace<float, 8, 8, 1> w;
  auto problem = problems::robust(a, problems::robust_options<float>{0.125f});
  ASSERT_EQ(problem.validate(), status::ok);
  ASSERT_EQ(problem.prepare(w), status::ok);  // not zero_input: at most one entry per row and column in S
  for (index i = 0; i < 8; ++i) {
    EXPECT_LE(w.support.count_in_row(i), 1u);
    EXPECT_LE(w.support.count_in_column(i), 1u);
  }
  fill(x, 1e20f);  // a start whose residuals are all infinite in float
  fill(y, 1e20f);
  const auto report = solve(problem, methods::agd<float>(), x, y, w);
  EXPECT_NE(report.status, status::converged);
  EXPECT_TRUE(all_finite(x) && all_finite(y));
}

TEST(Reproducers, DivergenceKeepsTheBestFiniteIterate) {
  Matrix<double, 10, 8> a;
  test_rng rng(6);
  fill_uniform(a, rng);
  Matrix<double, 10, 3> x;
  Matrix<double, 8, 3> y;
  Workspace<double, 10, 8, 3> w;
  auto problem = problems::full(a);
  const auto report = solve(problem, methods::agd<double>(50.0), init::random{}, x, y, w);
  EXPECT_EQ(report.status, status::diverged);
  honest(report, a, x, y, "diverging AGD");
}

TEST(Reproducers, ArgumentsAreValidatedBeforeAnythingIsWritten) {
  Matrix<float, 6, 5> a;
  test_rng rng(9);
  fill_uniform(a, rng);
  Matrix<float, 6, 2> x;
  Matrix<float, 5, 2> y;
  Workspace<float, 6, 5, 2> w;
  auto problem = problems::full(a);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  auto unchanged = [&](const solve_report<float>& report, status expected, const char* what) {
    EXPECT_EQ(report.status, expected) << what;
    EXPECT_TRUE(std::isnan(report.relative_error)) << what;  // nothing was computed: not "0, a perfect fit"
    for (index i = 0; i < 6; ++i)
      for (index k = 0; k < 2; ++k) EXPECT_EQ(x(i, k), 7.0f) << what;
    fill(x, 7.0f);
  };
  fill(x, 7.0f);
  fill(y, 7.0f);
  unchanged(solve(problem, methods::agd<float>(nan), init::random{}, x, y, w), status::invalid_argument, "agd(NaN)");
  unchanged(solve(problem, methods::agd<float>(inf), init::proposed<float>{}, x, y, w), status::invalid_argument,
            "agd(inf)");
  init::proposed<float> bad_nu;
  bad_nu.nu = inf;
  unchanged(solve(problem, methods::agd<float>(), bad_nu, x, y, w), status::invalid_argument, "nu = inf");
  for (float factor : {nan, -1.0f, 0.5f}) {
    solve_options<float> options;
    options.divergence_factor = factor;
    unchanged(solve(problem, methods::agd<float>(), init::random{}, x, y, w, options), status::invalid_argument,
              "divergence factor");
  }
  x(1, 1) = nan;  // a NaN in the user's start is bad input, like one in A
  EXPECT_EQ(solve(problem, methods::agd<float>(), x, y, w).status, status::invalid_input);
  EXPECT_TRUE(std::isnan(x(1, 1)));
  fill(x, 7.0f);
  a(2, 2) = inf;
  unchanged(solve(problem, methods::agd<float>(), init::random{}, x, y, w), status::invalid_input, "Inf in A");
}

TEST(Reproducers, ATargetBelowWhatFloatCanCertifyIsClampedAndSaidSo) {
  Matrix<float, 12, 10> a;
  Matrix<float, 12, 2> u;
  Matrix<float, 10, 2> v;
  test_rng rng(3);
  fill_uniform(u, rng);
  fill_uniform(v, rng);
  gemm(1.0f, u, transpose(v), 0.0f, a);  // exactly rank 2 (to rounding)
  Matrix<float, 12, 2> x;
  Matrix<float, 10, 2> y;
  Workspace<float, 12, 10, 2> w;
  solve_options<float> options;
  options.target_relative_error = 1e-20f;
  const auto report = factorize(a, x, y, w, options);
  EXPECT_TRUE(report.target_clamped);
  EXPECT_GT(report.target_relative_error, 1e-20f);
  honest(report, a, x, y, "target 1e-20 in float");
}

// ---- the scale table ---------------------------------------------------------------------------------

/// A 20 x 16 matrix of rank 3 with ||A||_F = 1 times s (so s A is representable up to float's 1e35),
/// factorized with d = 3 by each scale-free method; statuses and iteration counts must not depend on
/// s, errors only to rounding.
template <class T>
struct ScaleCase {
  static constexpr index m = 20, n = 16, d = 3;
  Matrix<T, m, n> a, scaled;
  Matrix<T, m, d> x;
  Matrix<T, n, d> y;
  Workspace<T, m, n, d> w;

  ScaleCase() {
    Matrix<T, m, d> u;
    Matrix<T, n, d> v;
    test_rng rng(12);
    fill_uniform(u, rng);
    fill_uniform(v, rng);
    for (index i = 0; i < m; ++i)
      for (index k = 0; k < d; ++k) u(i, k) *= T(1) - T(0.2) * static_cast<T>(k);
    gemm(T(1), u, transpose(v), T(0), a);
    long double norm_squared = 0;
    for (index i = 0; i < m; ++i)
      for (index j = 0; j < n; ++j) norm_squared += static_cast<long double>(a(i, j)) * a(i, j);
    scale(static_cast<T>(1.0L / std::sqrt(norm_squared)), a);
  }

  solve_report<T> run(int method, T s) {
    copy(a, scaled);
    scale(s, scaled);
    auto problem = problems::full(scaled);
    solve_options<T> options;
    options.target_relative_error = std::is_same_v<T, float> ? T(1e-6) : T(1e-12);
    switch (method) {
      case 0: return solve(problem, methods::scaled_gd<T>(), init::nystrom{}, x, y, w, options);
      case 1: return solve(problem, methods::scaled_agd<T>(), init::nystrom{}, x, y, w, options);
      case 2: return solve(problem, methods::precgd<T>(), init::random{}, x, y, w, options);
      case 3: return solve(problem, methods::agd<T>(), init::colspan{}, x, y, w, options);
      default: return solve(problem, methods::gd<T>(), init::random{}, x, y, w, options);
    }
  }
};

template <class T>
void scale_table(int lowest, int highest, int stride) {
  static ScaleCase<T> c;
  const char* names[] = {"scaled_gd + nystrom", "scaled_agd + nystrom", "precgd + random", "agd (1/sigma_1) + colspan",
                         "gd (1/sigma_1) + random"};
  for (int method = 0; method < 5; ++method) {
    const auto reference = c.run(method, T(1));
    ASSERT_TRUE(succeeded(reference.status)) << names[method] << ": " << to_string(reference.status);
    for (int k = lowest; k <= highest; k += stride) {
      const T s = static_cast<T>(std::pow(10.0L, static_cast<long double>(k)));
      const auto report = c.run(method, s);
      EXPECT_EQ(report.status, reference.status) << names[method] << " at 1e" << k;
      EXPECT_LE(report.iterations, reference.iterations + 1) << names[method] << " at 1e" << k;
      EXPECT_GE(report.iterations + 1, reference.iterations) << names[method] << " at 1e" << k;
      honest(report, c.scaled, c.x, c.y, names[method]);
    }
  }
}

// Where the vector unit flushes subnormals (ARMv7 NEON), residuals of data near 1e-35 lose their small
// entries: the table starts where they stay normal.
TEST(ScaleTable, FloatFrom1eMinus35To1e35) { scale_table<float>(kernels::native_flushes_subnormals ? -30 : -35, 35, 1); }
TEST(ScaleTable, DoubleFrom1eMinus300To1e300) { scale_table<double>(-300, 300, 5); }

TEST(ScaleTable, PowersOfFourGiveBitIdenticalRuns) {  // the change of units is exact
  static ScaleCase<double> c;
  const auto reference = c.run(1, 1.0);
  const Matrix<double, 20, 3> x_reference = c.x;
  for (int k : {-200, -7, 3, 150}) {
    const auto report = c.run(1, std::ldexp(1.0, 2 * k));
    EXPECT_EQ(report.iterations, reference.iterations);
    EXPECT_EQ(report.relative_error, reference.relative_error);
    for (index i = 0; i < 20; ++i)
      for (index q = 0; q < 3; ++q) EXPECT_EQ(std::ldexp(c.x(i, q), -k), x_reference(i, q));
  }
}

}  // namespace
}  // namespace lowrank::test
