// solve_least_squares against the pseudo-inverse solution computed from the reference SVD
// (tests/support) on a rank-deficient system, through the exact SVD (thin_svd of A I^T) and through
// truncated_svd at d = rank and d > rank; the cutoff is what makes it the pseudo-inverse's.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include <lowrank/linalg/least_squares.hpp>
#include <lowrank/linalg/truncated_svd.hpp>

#include "linalg/linalg_test_support.hpp"
#include "support/svd.hpp"

namespace lowrank::test {
namespace {

constexpr index m = 30, n = 8, r = 5, k = 3;

/// x = A^+ B from the reference SVD, the rank-r pseudo-inverse: singular values below 1e-4 s_1 are the
/// rank deficiency (those of A rounded to float are at 1e-7 s_1, not 0).
template <class T>
Matrix<double, n, k> pseudo_inverse_solution(const Matrix<T, m, n>& a, const Matrix<T, m, k>& b) {
  const SvdResult svd = svd_double(a);
  Matrix<double, n, k> x;
  for (index i = 0; i < n; ++i)
    for (index c = 0; c < k; ++c) {
      long double sum = 0.0L;
      for (index p = 0; p < svd.k; ++p) {
        if (!(svd.s[p] > 1e-4 * svd.s[0])) continue;
        long double utb = 0.0L;
        for (index q = 0; q < m; ++q) utb += static_cast<long double>(svd.u_at(q, p)) * b(q, c);
        sum += svd.v_at(i, p) * utb / svd.s[p];
      }
      x(i, c) = static_cast<double>(sum);
    }
  return x;
}

/// ||x - reference||_F / ||reference||_F.
template <class T>
double relative_difference(const Matrix<T, n, k>& x, const Matrix<double, n, k>& reference) {
  long double diff = 0.0L, norm = 0.0L;
  for (index i = 0; i < n; ++i)
    for (index c = 0; c < k; ++c) {
      const long double e = static_cast<long double>(x(i, c)) - reference(i, c);
      diff += e * e;
      norm += static_cast<long double>(reference(i, c)) * reference(i, c);
    }
  return static_cast<double>(std::sqrt(diff / norm));
}

template <class T>
class LeastSquares : public ::testing::Test {};
using Scalars = ::testing::Types<double, float>;
TYPED_TEST_SUITE(LeastSquares, Scalars);

TYPED_TEST(LeastSquares, ExactSvdGivesThePseudoInverseSolution) {
  using T = TypeParam;
  static Matrix<T, m, n> a;
  static Matrix<T, m, k> b;
  static Matrix<T, n, n> identity;
  static Matrix<T, m, n> u;
  static Matrix<T, n, n> v;
  static Matrix<T, n, 1> s;
  static Matrix<T, n, k> x;
  static linalg::ThinSvdWorkspace<T, m, n, n> w;
  std::mt19937_64 rng(41);
  make_low_rank(a, linspace(r, 5.0, 1.0), rng);
  fill_random(b, rng);
  for (index i = 0; i < n; ++i)
    for (index j = 0; j < n; ++j) identity(i, j) = i == j ? T(1) : T(0);
  ASSERT_EQ(linalg::thin_svd(a, identity, u, s, v, w), status::ok);  // A = A I^T
  const Matrix<double, n, k> reference = pseudo_inverse_solution(a, b);
  const double tolerance = std::is_same_v<T, double> ? 1e-12 : 1e-5;

  const linalg::least_squares_report report = linalg::solve_least_squares(u, s, v, b, x);
  EXPECT_EQ(report.status, status::ok);
  EXPECT_EQ(report.rank, r);
  EXPECT_LE(relative_difference(x, reference), tolerance);
  // Without the cutoff the three rounding-level singular values are inverted: far from A^+ B.
  const linalg::least_squares_report uncut = linalg::solve_least_squares(u, s, v, b, x, T(0));
  EXPECT_EQ(uncut.rank, n);
  EXPECT_GT(relative_difference(x, reference), 1.0);
}

TYPED_TEST(LeastSquares, TruncatedSvdAtAndAboveTheRank) {
  using T = TypeParam;
  static Matrix<T, m, n> a;
  static Matrix<T, m, k> b;
  static Matrix<T, n, k> x;
  std::mt19937_64 rng(42);
  make_low_rank(a, linspace(r, 5.0, 1.0), rng);
  fill_random(b, rng);
  const Matrix<double, n, k> reference = pseudo_inverse_solution(a, b);
  solve_options<T> options;
  options.target_relative_error = std::is_same_v<T, double> ? T(1e-24) : T(1e-9);
  const double tolerance = std::is_same_v<T, double> ? 1e-9 : 1e-3;
  {  // d = rank: the default cutoff
    static Matrix<T, m, r> u;
    static Matrix<T, n, r> v;
    static Matrix<T, r, 1> s;
    static Workspace<T, m, n, r> w;
    ASSERT_TRUE(succeeded(linalg::truncated_svd(a, u, s, v, w, options).status));
    const auto report = linalg::solve_least_squares(u, s, v, b, x);
    EXPECT_EQ(report.rank, r);
    EXPECT_LE(relative_difference(x, reference), tolerance);
  }
  {  // d = n > rank: the extra singular values are at the factorization's accuracy, cut at 1e-3 s_1
    static Matrix<T, m, n> u;
    static Matrix<T, n, n> v;
    static Matrix<T, n, 1> s;
    static Workspace<T, m, n, n> w;
    const auto svd_report = linalg::truncated_svd(a, u, s, v, w, options);
    ASSERT_TRUE(succeeded(svd_report.status)) << to_string(svd_report.status);
    const auto report = linalg::solve_least_squares(u, s, v, b, x, T(1e-3));
    EXPECT_EQ(report.rank, r);
    EXPECT_LE(relative_difference(x, reference), tolerance);
  }
}

TYPED_TEST(LeastSquares, BadInputGivesStatusAndZeroSolution) {
  using T = TypeParam;
  Matrix<T, 4, 2> u;
  Matrix<T, 2, 1> s;
  Matrix<T, 3, 2> v;
  Matrix<T, 4, 2> b;
  Matrix<T, 3, 2> x;
  std::mt19937_64 rng(43);
  fill_random(u, rng);
  fill_random(v, rng);
  fill_random(b, rng);
  s(0, 0) = T(2);
  s(1, 0) = T(1);
  EXPECT_EQ(linalg::solve_least_squares(u, s, v, b, x, T(-1)).status, status::invalid_argument);
  b(1, 1) = std::numeric_limits<T>::quiet_NaN();
  const auto report = linalg::solve_least_squares(u, s, v, b, x);
  EXPECT_EQ(report.status, status::invalid_input);
  for (index i = 0; i < 3; ++i)
    for (index c = 0; c < 2; ++c) EXPECT_EQ(x(i, c), T(0));
}

}  // namespace
}  // namespace lowrank::test
