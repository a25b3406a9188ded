// Robust PCA (problems/robust.hpp): the double thresholding operator against a reference that sorts
// every row and column; gradients (fit + balancing, several balancing weights) against central finite
// differences; recovery of a 100 x 100 low-rank matrix under 5% gross outliers of magnitude
// 10 sigma_1 (L to relative error 1e-4, the support of S exactly), fully and partially observed,
// with AGD, GD, ScaledGD and PrecGD; and clear statuses for bad parameters and hopeless data.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <random>
#include <type_traits>
#include <vector>

#include <lowrank/lowrank.hpp>
#include <lowrank/problems/robust.hpp>

#include "support/reference.hpp"
#include "support/units.hpp"
#include "support/svd.hpp"

namespace lowrank::test {
namespace {

// ---- T_alpha against a sorting reference ---------------------------------------------------------------

/// The support of T_alpha(R) by sorting: (i, j) is kept when |R_ij| > floor and |R_ij| is at least
/// the k-th largest magnitude of its row (k = floor(alpha * observed in the row)) and of its column.
template <index M, index N>
std::vector<bool> reference_support(const std::function<double(index, index)>& r, const std::function<bool(index, index)>& seen,
                                    double alpha, double floor_value) {
  auto kth = [&](std::vector<double> v) {
    const auto k = static_cast<std::size_t>(alpha * static_cast<double>(v.size()) + 1e-9);
    if (k == 0) return std::numeric_limits<double>::infinity();
    std::sort(v.begin(), v.end(), std::greater<double>());
    return v[k - 1];
  };
  std::vector<double> row_threshold(M), column_threshold(N);
  for (index i = 0; i < M; ++i) {
    std::vector<double> v;
    for (index j = 0; j < N; ++j)
      if (seen(i, j)) v.push_back(std::fabs(r(i, j)));
    row_threshold[i] = kth(v);
  }
  for (index j = 0; j < N; ++j) {
    std::vector<double> v;
    for (index i = 0; i < M; ++i)
      if (seen(i, j)) v.push_back(std::fabs(r(i, j)));
    column_threshold[j] = kth(v);
  }
  std::vector<bool> support(M * N);
  for (index i = 0; i < M; ++i)
    for (index j = 0; j < N; ++j) {
      const double magnitude = std::fabs(r(i, j));
      support[i * N + j] = seen(i, j) && magnitude > floor_value && magnitude >= row_threshold[i] &&
                           magnitude >= column_threshold[j];
    }
  return support;
}

constexpr index m = 17, n = 12, d = 3;

class Thresholding : public ::testing::Test {
 protected:
  void SetUp() override {
    test_rng rng(31);
    fill_uniform(a, rng);
    fill_uniform(x, rng, -0.5, 0.5);
    fill_uniform(y, rng, -0.5, 0.5);
    std::bernoulli_distribution spike(0.15);
    for (index i = 0; i < m; ++i)
      for (index j = 0; j < n; ++j)
        if (spike(rng)) a(i, j) += (i + j) % 2 == 0 ? 8.0 : -8.0;
  }
  void expect_support(const std::vector<bool>& expected) {
    index count = 0;
    for (index i = 0; i < m; ++i)
      for (index j = 0; j < n; ++j) {
        EXPECT_EQ(w.support.test(i, j), expected[i * n + j]) << "entry " << i << ", " << j;
        count += expected[i * n + j] ? 1 : 0;
      }
    EXPECT_EQ(w.support.count(), count);
  }
  Matrix<double, m, n> a;
  Matrix<double, m, d> x;
  Matrix<double, n, d> y;
  RobustWorkspace<double, m, n, d> w;
};

TEST_F(Thresholding, MatchesSortingReferenceAtZeroAndAtAnIterate) {
  for (double alpha : {0.0, 0.1, 0.25, 0.4}) {
    for (double floor_value : {0.0, 0.5}) {
      auto problem = problems::robust(a, problems::robust_options<double>{alpha, 0.25, floor_value});
      ASSERT_EQ(problem.validate(), status::ok);
      ASSERT_EQ(problem.prepare(w), status::ok);  // S = T_alpha(A): the estimate at X = Y = 0
      const auto all = [](index, index) { return true; };
      expect_support(reference_support<m, n>([&](index i, index j) { return a(i, j); }, all, alpha, floor_value));
      // norm_squared is 2 g(0, 0): ||A||^2 outside T_alpha(A), plus floor^2 per entry of T_alpha(A).
      double outside = 0;
      for (index i = 0; i < m; ++i)
        for (index j = 0; j < n; ++j)
          if (!w.support.test(i, j)) outside += a(i, j) * a(i, j);
      outside += floor_value * floor_value * static_cast<double>(w.support.count());
      EXPECT_NEAR(user_norm_squared(problem), outside, 1e-12 * outside);

      const index count = problem.estimate_sparse(x, y, w);  // S = T_alpha(A - X Y^T)
      auto residual = [&](index i, index j) {
        double s = a(i, j);
        for (index k = 0; k < d; ++k) s -= x(i, k) * y(j, k);
        return s;
      };
      expect_support(reference_support<m, n>(residual, all, alpha, floor_value));
      EXPECT_EQ(count, w.support.count());
      for (index i = 0; i < m; ++i)
        for (index j = 0; j < n; ++j)
          EXPECT_NEAR(problem.sparse_value(i, j, x, y, w), w.support.test(i, j) ? residual(i, j) : 0.0, 1e-13);
    }
  }
}

TEST_F(Thresholding, PartiallyObservedCountsOnlyObservedEntries) {
  BitMask<m, n> observed;
  test_rng rng(4);
  std::bernoulli_distribution seen(0.7);
  for (index i = 0; i < m; ++i)
    for (index j = 0; j < n; ++j) observed.set(i, j, seen(rng) || i % n == j);
  for (index i = 0; i < m; ++i)
    for (index j = 0; j < n; ++j)
      if (!observed.test(i, j)) a(i, j) = std::numeric_limits<double>::quiet_NaN();  // never read
  auto problem = problems::robust(a, observed, problems::robust_options<double>{0.3, 0.25, 0.0});
  ASSERT_EQ(problem.validate(), status::ok);
  problem.estimate_sparse(x, y, w);
  auto residual = [&](index i, index j) {
    double s = a(i, j);
    for (index k = 0; k < d; ++k) s -= x(i, k) * y(j, k);
    return s;
  };
  expect_support(reference_support<m, n>(residual, [&](index i, index j) { return observed.test(i, j); }, 0.3, 0.0));
  for (index i = 0; i < m; ++i)
    for (index j = 0; j < n; ++j)
      if (!observed.test(i, j)) {
        EXPECT_EQ(a(i, j), 0.0);
      }
}

// ---- gradients -------------------------------------------------------------------------------------------

/// f = 1/2 ||P_keep(X Y^T - A)||^2 + (c/4) ||X^T X - Y^T Y||^2 for a fixed set of kept entries.
double robust_loss(const Matrix<double, m, n>& a, const std::vector<bool>& outlier, double c,
                   const Matrix<double, m, d>& x, const Matrix<double, n, d>& y) {
  double f = 0;
  for (index i = 0; i < m; ++i)
    for (index j = 0; j < n; ++j) {
      if (outlier[i * n + j]) continue;
      double v = -a(i, j);
      for (index k = 0; k < d; ++k) v += x(i, k) * y(j, k);
      f += 0.5 * v * v;
    }
  double imbalance = 0;
  for (index p = 0; p < d; ++p)
    for (index q = 0; q < d; ++q) {
      double g = 0;
      for (index i = 0; i < m; ++i) g += x(i, p) * x(i, q);
      for (index j = 0; j < n; ++j) g -= y(j, p) * y(j, q);
      imbalance += g * g;
    }
  return f + 0.25 * c * imbalance;
}

TEST_F(Thresholding, GradientsOfFitPlusBalancingMatchFiniteDifferences) {
  for (double c : {0.0, 1.0 / 16, 0.25, 1.0}) {
    auto problem = problems::robust(a, problems::robust_options<double>{0.2, c, 0.0});
    ASSERT_EQ(problem.validate(), status::ok);
    const double fit = user_gradients(problem, x, y, w);  // also forms S at (X, Y)
    std::vector<bool> outlier(m * n);
    for (index i = 0; i < m; ++i)
      for (index j = 0; j < n; ++j) outlier[i * n + j] = w.support.test(i, j);
    ASSERT_GT(w.support.count(), 0u);
    // The reported loss is the fit term; plus the balancing term it is the f differentiated here.
    const double f = robust_loss(a, outlier, c, x, y);
    const double unit = problem.scale().unit;
    EXPECT_NEAR(fit + problem.balance_term(w.gram_x, w.gram_y) * unit * unit, f, 1e-12 * f);
    EXPECT_NEAR(user_residual(problem, x, y, w), 2 * robust_loss(a, outlier, 0.0, x, y), 1e-12 * f);
    const double h = 1e-5;  // S's support is held fixed: the gradient is of f with that support
    for (index i = 0; i < m; ++i)
      for (index k = 0; k < d; ++k) {
        Matrix<double, m, d> xp = x, xm = x;
        xp(i, k) += h;
        xm(i, k) -= h;
        EXPECT_NEAR(w.grad_x(i, k), (robust_loss(a, outlier, c, xp, y) - robust_loss(a, outlier, c, xm, y)) / (2 * h), 1e-7)
            << "c = " << c;
      }
    for (index j = 0; j < n; ++j)
      for (index k = 0; k < d; ++k) {
        Matrix<double, n, d> yp = y, ym = y;
        yp(j, k) += h;
        ym(j, k) -= h;
        EXPECT_NEAR(w.grad_y(j, k), (robust_loss(a, outlier, c, x, yp) - robust_loss(a, outlier, c, x, ym)) / (2 * h), 1e-7)
            << "c = " << c;
      }
  }
}

// ---- recovery ----------------------------------------------------------------------------------------------

constexpr index big = 100;

/// L: rank r, 100 x 100, singular values 1 .. 0.9 (sigma_1 = 1); S: about 5% of the entries, at
/// uniformly random places, +-10 sigma_1. Optionally only a random fraction of A is observed.
template <class T, index R>
struct Corrupted {
  Matrix<T, big, big> low_rank;
  Matrix<T, big, big> a;
  BitMask<big, big> planted;
  BitMask<big, big> observed;
  Matrix<T, big, R> x;
  Matrix<T, big, R> y;
  RobustWorkspace<T, big, big, R> w;

  void make(std::uint64_t seed, double outlier_fraction, double observed_fraction = 1.0) {
    std::mt19937_64 rng(seed);
    make_low_rank(low_rank, linspace(R, 1.0, 0.9), rng);
    std::bernoulli_distribution corrupt(outlier_fraction), seen(observed_fraction), positive(0.5);
    planted.clear();
    observed.clear();
    for (index i = 0; i < big; ++i)
      for (index j = 0; j < big; ++j) {
        observed.set(i, j, seen(rng));
        planted.set(i, j, corrupt(rng) && observed.test(i, j));
        const T spike = planted.test(i, j) ? T(positive(rng) ? 10 : -10) : T(0);
        a(i, j) = observed.test(i, j) ? low_rank(i, j) + spike : std::numeric_limits<T>::quiet_NaN();
      }
  }
  /// The largest fraction of planted outliers in any row or column (of its observed entries).
  double worst_fraction() const {
    double worst = 0;
    for (index i = 0; i < big; ++i)
      worst = std::max(worst, static_cast<double>(planted.count_in_row(i)) / static_cast<double>(observed.count_in_row(i)));
    for (index j = 0; j < big; ++j)
      worst = std::max(worst, static_cast<double>(planted.count_in_column(j)) /
                                  static_cast<double>(observed.count_in_column(j)));
    return worst;
  }
  index support_mismatches(const BitMask<big, big>& found) const {
    index wrong = 0;
    for (index i = 0; i < big; ++i)
      for (index j = 0; j < big; ++j) wrong += planted.test(i, j) != found.test(i, j) ? 1 : 0;
    return wrong;
  }
};

// alpha = 0.2: at least the largest fraction of outliers in any row or column of these draws
// (asserted: up to 15 of 100 with 5% on average), as T_alpha needs. No outlier floor in the solve (exact data: the fit goes to 0); S is read back
// with a tolerance of 1e-3 sigma_1, which leaves out the entries at rounding level that T_alpha also
// keeps once the outliers are fitted.
/// A Gaussian start of size 1 / (10 sqrt(m)) in A's units, as Ward & Kolda's random start for data of
/// unit scale: here it is small against L. (init::random is small against ||A||_F, which the outliers
/// dominate: too large against L for AGD's step 1 / sigma_1(L).)
struct small_start {};

template <class T, index R, class Method, class Init>
void recovers(const char* name, const Method& method, const Init& init, double observed_fraction = 1.0) {
  static Corrupted<T, R> c;
  for (std::uint64_t seed : {1u, 2u}) {
    c.make(seed, 0.05, observed_fraction);
    ASSERT_LE(c.worst_fraction(), 0.2);
    const problems::robust_options<T> options{T(0.2), T(0.25), T(0)};
    auto problem = observed_fraction < 1.0 ? problems::robust(c.a, c.observed, options) : problems::robust(c.a, options);
    solve_options<T> solver;
    solver.target_relative_error = std::is_same_v<T, float> ? T(1e-9) : T(1e-12);
    solver.max_iterations = 5000;
    solve_report<T> report;
    if constexpr (std::is_same_v<Init, small_start>) {
      random::GaussianGenerator<T> gaussian(1);
      random::fill_gaussian(gaussian, c.x);
      random::fill_gaussian(gaussian, c.y);
      scale(T(0.01), c.x);  // 1 / (10 sqrt(100)): small against L, sigma_1(L) = 1
      scale(T(0.01), c.y);
      report = solve(problem, method, c.x, c.y, c.w, solver);
    } else {
      report = solve(problem, method, init, c.x, c.y, c.w, solver);
    }
    EXPECT_EQ(report.status, status::converged) << name;
    const double l_error = relative_error_squared(c.low_rank, c.x, c.y);
    EXPECT_LE(l_error, 1e-4) << name << " seed " << seed;
    problem.estimate_sparse(c.x, c.y, c.w, T(1e-3));  // S at the factors returned, rounding-level entries out
    const index wrong = c.support_mismatches(c.w.support);
    EXPECT_EQ(wrong, 0u) << name << " seed " << seed;
    std::printf("  %-40s seed %llu: %s after %zu iterations, ||L - XY^T||^2/||L||^2 %.2e, outliers %zu planted, "
                "%zu found, %zu misplaced\n",
                name, static_cast<unsigned long long>(seed), to_string(report.status),
                static_cast<std::size_t>(report.iterations), l_error, static_cast<std::size_t>(c.planted.count()),
                static_cast<std::size_t>(c.w.support.count()), static_cast<std::size_t>(wrong));
  }
}

TEST(RobustPca, AgdRecoversLowRankAndSupportDouble) {
  recovers<double, 5>("agd eta=1 = 1/sigma_1(L), small start, r=5", methods::agd<double>(1.0), small_start{});
  recovers<double, 3>("agd eta=1 = 1/sigma_1(L), small start, r=3", methods::agd<double>(1.0), small_start{});
}

TEST(RobustPca, OtherMethodsRecoverLowRankAndSupportDouble) {
  recovers<double, 5>("gd eta=1, small start", methods::gd<double>(1.0), small_start{});
  recovers<double, 5>("scaled_gd eta=0.5, random init", methods::scaled_gd<double>(0.5), init::random{1});
  recovers<double, 5>("precgd eta=0.5, random init", methods::precgd<double>(0.5), init::random{1});
}

TEST(RobustPca, AgdRecoversLowRankAndSupportFloat) {
  recovers<float, 5>("agd eta=1 = 1/sigma_1(L), small start (float)", methods::agd<float>(1.0f), small_start{});
}

TEST(RobustPca, PartiallyObservedWithOutliers) {
  recovers<double, 5>("agd eta=1 = 1/sigma_1(L), 70% observed", methods::agd<double>(1.0), small_start{}, 0.7);
  recovers<float, 3>("agd eta=1 = 1/sigma_1(L), 50% observed (float)", methods::agd<float>(1.0f), small_start{}, 0.5);
}

// ---- statuses ------------------------------------------------------------------------------------------------

TEST(RobustPca, OutOfRangeOptionsAreInvalidArguments) {
  static Corrupted<double, 3> c;
  c.make(3, 0.05);
  for (const problems::robust_options<double> options :
       {problems::robust_options<double>{0.6, 0.25, 0.0}, problems::robust_options<double>{0.5, 0.25, 0.0},
        problems::robust_options<double>{-0.1, 0.25, 0.0}, problems::robust_options<double>{0.1, -1.0, 0.0},
        problems::robust_options<double>{0.1, 0.25, -1.0},
        problems::robust_options<double>{std::numeric_limits<double>::quiet_NaN(), 0.25, 0.0}}) {
    auto problem = problems::robust(c.a, options);
    fill(c.x, 3.0);
    const auto report = solve(problem, methods::agd<double>(), init::random{1}, c.x, c.y, c.w);
    EXPECT_EQ(report.status, status::invalid_argument);
    EXPECT_EQ(c.x(0, 0), 3.0);  // untouched
  }
}

TEST(RobustPca, OutliersEverywhereEndWithAClearStatusAndFiniteFactors) {
  // 60% of the entries corrupted: far beyond any tolerance (alpha must stay below 1/2, and even the
  // largest legal alpha leaves most outliers in every row). The run must say it failed, not NaN.
  static Corrupted<double, 5> c;
  c.make(4, 0.6);
  for (double alpha : {0.2, 0.45}) {
    auto problem = problems::robust(c.a, problems::robust_options<double>{alpha, 0.25, 1e-3});
    solve_options<double> solver;
    solver.target_relative_error = 1e-12;
    solver.max_iterations = 2000;
    const auto report = solve(problem, methods::agd<double>(), init::random{1}, c.x, c.y, c.w, solver);
    EXPECT_TRUE(report.status == status::diverged || report.status == status::stalled ||
                report.status == status::max_iterations)
        << to_string(report.status);
    EXPECT_TRUE(std::isfinite(report.relative_error));
    EXPECT_GT(report.relative_error, 0.1f);
    for (index i = 0; i < big; ++i)
      for (index k = 0; k < 5; ++k) ASSERT_TRUE(std::isfinite(c.x(i, k)) && std::isfinite(c.y(i, k)));
    EXPECT_GT(relative_error_squared(c.low_rank, c.x, c.y), 0.1);  // and L is indeed not recovered
  }
}

TEST(RobustPca, BadDataStatuses) {
  static Corrupted<double, 3> c;
  c.make(5, 0.05, 0.8);
  {  // NaN where observed (unobserved entries are NaN already, and harmless)
    index j0 = 0;
    while (!c.observed.test(0, j0)) ++j0;
    const double saved = c.a(0, j0);
    c.a(0, j0) = std::numeric_limits<double>::quiet_NaN();
    auto problem = problems::robust(c.a, c.observed, problems::robust_options<double>{0.2});
    EXPECT_EQ(problem.validate(), status::invalid_input);
    c.a(0, j0) = saved;
  }
  {  // a column never observed
    BitMask<big, big> no_column = c.observed;
    for (index i = 0; i < big; ++i) no_column.reset(i, 42);
    auto problem = problems::robust(c.a, no_column, problems::robust_options<double>{0.2});
    const auto report = solve(problem, methods::agd<double>(), init::random{1}, c.x, c.y, c.w);
    EXPECT_EQ(report.status, status::unobservable);
  }
  {  // nothing but outliers: X = Y = 0 with S = A is exact
    static Matrix<double, big, big> spikes;
    fill(spikes, 0.0);
    for (index i = 0; i < big; ++i) spikes(i, (7 * i) % big) = 5.0;  // one per row and column
    auto problem = problems::robust(spikes, problems::robust_options<double>{0.05});
    const auto report = solve(problem, methods::agd<double>(), init::random{1}, c.x, c.y, c.w);
    EXPECT_EQ(report.status, status::zero_input);
    EXPECT_EQ(c.w.support.count(), big);
    EXPECT_EQ(frobenius_inner(c.x, c.x), 0.0);
  }
}

}  // namespace
}  // namespace lowrank::test
