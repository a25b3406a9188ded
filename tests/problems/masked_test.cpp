// Matrix completion (problems/masked.hpp): the bit mask; gradients, loss and residual against central
// finite differences and plain double loops; validation (NaN only matters where observed, empty rows
// and columns are unobservable, all-zero observations are zero_input); the initializations see
// P_Omega(A); and recovery of a 100 x 100 low-rank matrix from 30% of its entries, measured on the
// unobserved entries by a plain double loop, with AGD, GD, ScaledGD and PrecGD, in double and float.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <random>

#include <lowrank/lowrank.hpp>
#include <lowrank/problems/masked.hpp>

#include "support/reference.hpp"
#include "support/units.hpp"
#include "support/svd.hpp"

namespace lowrank::test {
namespace {

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

// ---- the mask ------------------------------------------------------------------------------------

TEST(BitMask, SetTestCountAndPacking) {
  BitMask<7, 9> mask;  // 63 bits: two words, the second one partly padding
  static_assert(BitMask<7, 9>::word_count == 2);
  EXPECT_EQ(mask.count(), 0u);
  mask.set(0, 0);
  mask.set(3, 5);
  mask.set(6, 8);
  EXPECT_TRUE(mask.test(0, 0));
  EXPECT_TRUE(mask.test(3, 5));
  EXPECT_TRUE(mask.test(6, 8));
  EXPECT_FALSE(mask.test(3, 4));
  EXPECT_EQ(mask.count(), 3u);
  // Row-major bit order: (3, 5) is bit 32, the first bit of word 1; (6, 8) is bit 62.
  EXPECT_EQ(mask.words()[0], 1u);
  EXPECT_EQ(mask.words()[1], (1u << 0) | (1u << 30));
  EXPECT_EQ(mask.count_in_row(3), 1u);
  EXPECT_EQ(mask.count_in_column(8), 1u);
  EXPECT_EQ(mask.count_in_row(1), 0u);
  mask.reset(3, 5);
  EXPECT_FALSE(mask.test(3, 5));
  mask.set(6, 8, false);
  EXPECT_EQ(mask.count(), 1u);
  EXPECT_FALSE(mask.covers_every_row_and_column());
  mask.set_all();
  EXPECT_EQ(mask.count(), 63u);  // the padding bit stays clear
  EXPECT_TRUE(mask.covers_every_row_and_column());
  EXPECT_EQ(mask.count_in_row(2), 9u);
  EXPECT_EQ(mask.count_in_column(4), 7u);
  mask.clear();
  EXPECT_EQ(mask.count(), 0u);
}

TEST(BitMask, OneBitPerEntry) {
  static_assert(sizeof(BitMask<16, 128>) == 16 * 128 / 8, "16 x 128 entries in 256 bytes");
  static_assert(sizeof(BitMask<100, 100>) == 313 * 4, "10000 bits in 313 words");
}

TEST(BitMask, ObserveFiniteMarksTheFiniteEntries) {
  Matrix<float, 3, 4> a;
  fill(a, 1.0f);
  a(0, 1) = std::numeric_limits<float>::quiet_NaN();
  a(2, 3) = std::numeric_limits<float>::infinity();
  BitMask<3, 4> mask;
  observe_finite(a, mask);
  EXPECT_EQ(mask.count(), 10u);
  EXPECT_FALSE(mask.test(0, 1));
  EXPECT_FALSE(mask.test(2, 3));
  EXPECT_TRUE(mask.test(1, 1));
}

// ---- gradients, loss and residual against references ---------------------------------------------

constexpr index m = 13, n = 9, d = 4;

/// f(X, Y) = 1/2 ||P_Omega(X Y^T - A)||_F^2 by a plain loop.
double masked_loss(const Matrix<double, m, n>& a, const BitMask<m, n>& mask, const Matrix<double, m, d>& x,
                   const Matrix<double, n, d>& y) {
  double f = 0;
  for (index i = 0; i < m; ++i)
    for (index j = 0; j < n; ++j) {
      if (!mask.test(i, j)) continue;
      double v = -a(i, j);
      for (index k = 0; k < d; ++k) v += x(i, k) * y(j, k);
      f += 0.5 * v * v;
    }
  return f;
}

class MaskedProblem : public ::testing::Test {
 protected:
  void SetUp() override {
    test_rng rng(23);
    fill_uniform(a, rng);
    fill_uniform(x, rng);
    fill_uniform(y, rng);
    std::bernoulli_distribution observed(0.5);
    for (index i = 0; i < m; ++i)
      for (index j = 0; j < n; ++j) mask.set(i, j, observed(rng) || i == j);  // every row and column seen
    for (index i = 0; i < m; ++i)
      for (index j = 0; j < n; ++j)
        if (!mask.test(i, j)) a(i, j) = nan_value;  // never read by the problem
  }
  Matrix<double, m, n> a;
  BitMask<m, n> mask;
  Matrix<double, m, d> x;
  Matrix<double, n, d> y;
  Workspace<double, m, n, d> w;
};

TEST_F(MaskedProblem, GradientsMatchFiniteDifferences) {
  auto problem = problems::masked(a, mask);
  ASSERT_EQ(problem.validate(), status::ok);
  // The Gram arguments are documented as unused: NaN there must change nothing.
  fill(w.gram_x, nan_value);
  fill(w.gram_y, nan_value);
  const auto xs = in_problem_units(problem, x);
  const auto ys = in_problem_units(problem, y);
  problem.gradient_x(xs, ys, w.gram_x, w.gram_y, w.grad_x, w);
  problem.gradient_y(xs, ys, w.gram_x, w.grad_y, w);
  scale(problem.scale().unit * problem.scale().root, w.grad_x);  // to the user's units
  scale(problem.scale().unit * problem.scale().root, w.grad_y);
  const double h = 1e-5;
  for (index i = 0; i < m; ++i)
    for (index k = 0; k < d; ++k) {
      Matrix<double, m, d> xp = x, xm = x;
      xp(i, k) += h;
      xm(i, k) -= h;
      EXPECT_NEAR(w.grad_x(i, k), (masked_loss(a, mask, xp, y) - masked_loss(a, mask, xm, y)) / (2 * h), 1e-8);
    }
  for (index j = 0; j < n; ++j)
    for (index k = 0; k < d; ++k) {
      Matrix<double, n, d> yp = y, ym = y;
      yp(j, k) += h;
      ym(j, k) -= h;
      EXPECT_NEAR(w.grad_y(j, k), (masked_loss(a, mask, x, yp) - masked_loss(a, mask, x, ym)) / (2 * h), 1e-8);
    }
}

TEST_F(MaskedProblem, LossIsExactAndResidualIsOverObservedEntries) {
  auto problem = problems::masked(a, mask);
  ASSERT_EQ(problem.validate(), status::ok);
  const double f = masked_loss(a, mask, x, y);
  EXPECT_NEAR(user_gradients(problem, x, y, w), f, 1e-13 * f);
  EXPECT_NEAR(user_residual(problem, x, y, w), 2 * f, 1e-13 * f);
  double observed_norm = 0;
  for (index i = 0; i < m; ++i)
    for (index j = 0; j < n; ++j)
      if (mask.test(i, j)) observed_norm += a(i, j) * a(i, j);
  EXPECT_NEAR(user_norm_squared(problem), observed_norm, 1e-13 * observed_norm);
}

TEST_F(MaskedProblem, ResidualTimesAnyMatrix) {  // what feedback alignment's X step uses
  auto problem = problems::masked(a, mask);
  ASSERT_EQ(problem.validate(), status::ok);
  Matrix<double, n, 2> b;
  test_rng rng(5);
  fill_uniform(b, rng);
  Matrix<double, m, 2> out;
  Matrix<double, d, 2> unused;
  problem.residual_times(in_problem_units(problem, x), in_problem_units(problem, y), b, unused, out, w);
  scale(problem.scale().unit, out);  // (X Y^T - A) B = s (X' Y'^T - A / s) B
  for (index i = 0; i < m; ++i)
    for (index q = 0; q < 2; ++q) {
      double expected = 0;
      for (index j = 0; j < n; ++j) {
        if (!mask.test(i, j)) continue;
        double r = -a(i, j);
        for (index k = 0; k < d; ++k) r += x(i, k) * y(j, k);
        expected += r * b(j, q);
      }
      EXPECT_NEAR(out(i, q), expected, 1e-13);
    }
}

// ---- validation ------------------------------------------------------------------------------------

TEST_F(MaskedProblem, NaNOrInfOnlyMattersWhereObserved) {
  {
    auto problem = problems::masked(a, mask);  // every unobserved entry is NaN already
    EXPECT_EQ(problem.validate(), status::ok);
    // ... and validate() zeroed them: matrix() is P_Omega(A), what the initializations sample.
    for (index i = 0; i < m; ++i)
      for (index j = 0; j < n; ++j)
        if (!mask.test(i, j)) {
          EXPECT_EQ(problem.matrix()(i, j), 0.0);
        }
  }
  for (double bad : {nan_value, std::numeric_limits<double>::infinity()}) {
    a(2, 2) = bad;  // the diagonal is observed
    auto problem = problems::masked(a, mask);
    EXPECT_EQ(problem.validate(), status::invalid_input);
    fill(x, 3.0);
    const auto report = solve(problem, methods::agd<double>(0.1), init::random{1}, x, y, w);
    EXPECT_EQ(report.status, status::invalid_input);
    EXPECT_EQ(x(0, 0), 3.0);  // untouched
  }
}

TEST_F(MaskedProblem, AllObservedZeroIsZeroInput) {
  for (index i = 0; i < m; ++i)
    for (index j = 0; j < n; ++j)
      if (mask.test(i, j)) a(i, j) = 0.0;
  auto problem = problems::masked(a, mask);
  const auto report = solve(problem, methods::agd<double>(0.1), init::colspan{1}, x, y, w);
  EXPECT_EQ(report.status, status::zero_input);
  EXPECT_EQ(report.relative_error, 0.0);
  EXPECT_EQ(frobenius_inner(x, x) + frobenius_inner(y, y), 0.0);  // X Y^T = 0 fits every observation
}

TEST_F(MaskedProblem, EmptyRowOrColumnIsUnobservableNotNaN) {
  BitMask<m, n> no_row = mask;
  for (index j = 0; j < n; ++j) no_row.reset(4, j);
  BitMask<m, n> no_column = mask;
  for (index i = 0; i < m; ++i) no_column.reset(i, 7);
  for (const BitMask<m, n>* pattern : {&no_row, &no_column}) {
    auto problem = problems::masked(a, *pattern);
    fill(x, 3.0);
    fill(y, 4.0);
    const auto report = solve(problem, methods::agd<double>(0.1), init::colspan{1}, x, y, w);
    EXPECT_EQ(report.status, status::unobservable);
    EXPECT_STREQ(to_string(report.status), "unobservable");
    EXPECT_FALSE(succeeded(report.status));
    EXPECT_EQ(x(0, 0), 3.0);  // nothing computed, nothing NaN
    EXPECT_EQ(y(0, 0), 4.0);
  }
}

TEST_F(MaskedProblem, InitializationsSampleTheZeroFilledMatrix) {
  // init::colspan: X_0 = A Phi / (10 sqrt(d) ||A||_F^(1/2)), with Phi drawn first from the seed. With
  // A's unobserved entries NaN on entry, X_0 must be that of the zero-filled P_Omega(A): finite.
  Matrix<double, m, n> zero_filled = a;
  for (index i = 0; i < m; ++i)
    for (index j = 0; j < n; ++j)
      if (!mask.test(i, j)) zero_filled(i, j) = 0.0;
  auto problem = problems::masked(a, mask);
  solve_options<double> options;
  options.max_iterations = 0;  // initialize and evaluate only
  const auto report = solve(problem, methods::agd<double>(0.1), init::colspan{7}, x, y, w, options);
  ASSERT_EQ(report.status, status::max_iterations);
  double norm_squared = 0;
  for (index i = 0; i < m; ++i)
    for (index j = 0; j < n; ++j) norm_squared += zero_filled(i, j) * zero_filled(i, j);
  const double norm = std::sqrt(norm_squared);
  random::GaussianGenerator<double> gaussian(7);
  Matrix<double, n, d> phi;
  random::fill_gaussian(gaussian, phi);
  for (index i = 0; i < m; ++i)
    for (index k = 0; k < d; ++k) {
      double expected = 0;
      for (index j = 0; j < n; ++j) expected += zero_filled(i, j) * phi(j, k);
      expected /= 10 * std::sqrt(static_cast<double>(d)) * std::sqrt(norm);
      EXPECT_NEAR(x(i, k), expected, 1e-14);
    }
}

// ---- recovery ----------------------------------------------------------------------------------------

constexpr index big = 100;

/// A rank-r 100 x 100 matrix (singular values 1 .. 0.9, random orthonormal U, V) observed on a
/// uniformly random 30% of its entries; the others are NaN in the problem's copy of A.
template <class T, index D>
struct Completion {
  Matrix<T, big, big> truth;
  Matrix<T, big, big> a;
  BitMask<big, big> observed;
  Matrix<T, big, D> x;
  Matrix<T, big, D> y;
  Workspace<T, big, big, D> w;

  void make(std::uint64_t seed, double fraction = 0.3) {
    std::mt19937_64 rng(seed);
    make_low_rank(truth, linspace(D, 1.0, 0.9), rng);
    std::bernoulli_distribution keep(fraction);
    observed.clear();
    for (index i = 0; i < big; ++i)
      for (index j = 0; j < big; ++j) {
        observed.set(i, j, keep(rng));
        a(i, j) = observed.test(i, j) ? truth(i, j) : std::numeric_limits<T>::quiet_NaN();
      }
  }

  /// ||P_Omega^c(X Y^T - A)||^2 / ||P_Omega^c(A)||^2 by a plain double loop over the unobserved entries.
  double unobserved_relative_error() const {
    double error = 0, norm = 0;
    for (index i = 0; i < big; ++i)
      for (index j = 0; j < big; ++j) {
        if (observed.test(i, j)) continue;
        double approx = 0;
        for (index k = 0; k < D; ++k) approx += static_cast<double>(x(i, k)) * static_cast<double>(y(j, k));
        const double t = static_cast<double>(truth(i, j));
        error += (approx - t) * (approx - t);
        norm += t * t;
      }
    return error / norm;
  }
};

template <class T, index R, class Method, class Init>
void recovers(const char* name, const Method& method, const Init& init, T target, double required) {
  static Completion<T, R> c;
  for (std::uint64_t seed : {1u, 2u}) {
    c.make(seed);
    ASSERT_TRUE(c.observed.covers_every_row_and_column());
    auto problem = problems::masked(c.a, c.observed);
    solve_options<T> options;
    options.target_relative_error = target;  // measured on the observed entries
    options.max_iterations = 20000;
    const auto report = solve(problem, method, init, c.x, c.y, c.w, options);
    EXPECT_EQ(report.status, status::converged) << name;
    const double unobserved = c.unobserved_relative_error();
    EXPECT_LE(unobserved, required) << name << " seed " << seed;
    std::printf("  %-34s r=%zu seed %llu: %s after %zu iterations, observed %.2e, unobserved %.2e\n", name,
                static_cast<std::size_t>(R), static_cast<unsigned long long>(seed), to_string(report.status),
                static_cast<std::size_t>(report.iterations), static_cast<double>(report.relative_error), unobserved);
  }
}

// The masked loss is about p = 0.3 times the full one, so the steps are about 1/p times AGD's usual.
TEST(Completion, AgdRecoversUnobservedEntriesDouble) {
  recovers<double, 5>("agd eta=2, proposed init", methods::agd<double>(2.0), init::proposed<double>{1}, 1e-13, 1e-10);
  recovers<double, 3>("agd eta=2, proposed init", methods::agd<double>(2.0), init::proposed<double>{1}, 1e-13, 1e-10);
  recovers<double, 5>("agd eta=2, random init", methods::agd<double>(2.0), init::random{1}, 1e-13, 1e-10);
}

TEST(Completion, GdRecoversUnobservedEntriesDouble) {
  recovers<double, 5>("gd eta=2, colspan init", methods::gd<double>(2.0), init::colspan{1}, 1e-13, 1e-10);
}

TEST(Completion, ScaledGdAndPrecGdRecoverUnobservedEntriesDouble) {
  recovers<double, 5>("scaled_gd eta=1, random init", methods::scaled_gd<double>(1.0), init::random{1}, 1e-13, 1e-10);
  recovers<double, 5>("precgd eta=1, nystrom init", methods::precgd<double>(1.0), init::nystrom{1}, 1e-13, 1e-10);
  recovers<double, 3>("scaled_agd eta=1, random init", methods::scaled_agd<double>(1.0), init::random{1}, 1e-13, 1e-10);
}

TEST(Completion, RecoversUnobservedEntriesFloat) {
  recovers<float, 5>("agd eta=1, proposed init (float)", methods::agd<float>(1.0f), init::proposed<float>{1}, 1e-9f, 1e-6);
  recovers<float, 3>("agd eta=1, proposed init (float)", methods::agd<float>(1.0f), init::proposed<float>{1}, 1e-9f, 1e-6);
  recovers<float, 5>("precgd eta=1, random init (float)", methods::precgd<float>(1.0f), init::random{1}, 1e-9f, 1e-6);
}

}  // namespace
}  // namespace lowrank::test
