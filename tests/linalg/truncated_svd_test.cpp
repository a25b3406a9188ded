// truncated_svd against the reference SVD of tests/support: on an exactly rank-10 100 x 100 matrix
// (the singular values to the accuracy the target certifies, via Weyl), on a noisy one (the best rank-d
// approximation's singular values, Eckart-Young), and on rejected input (a status, finite output).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include <lowrank/linalg/truncated_svd.hpp>

#include "linalg/linalg_test_support.hpp"
#include "support/svd.hpp"

namespace lowrank::test {
namespace {

template <class T>
class TruncatedSvd : public ::testing::Test {};
using Scalars = ::testing::Types<double, float>;
TYPED_TEST_SUITE(TruncatedSvd, Scalars);

constexpr index m = 100, n = 100, d = 10;

TYPED_TEST(TruncatedSvd, ExactlyLowRankMatrix) {
  using T = TypeParam;
  static Matrix<T, m, n> a;
  static Matrix<T, m, d> u;
  static Matrix<T, n, d> v;
  static Matrix<T, d, 1> s;
  static Workspace<T, m, n, d> w;
  std::mt19937_64 rng(21);
  make_low_rank(a, linspace(d, 1.0, 0.1), rng);
  const SvdResult reference = svd_double(a);  // of A as rounded to T
  solve_options<T> options;
  // double: as accurate as it certifies (16 d eps^2; the run stops at its rounding floor, stationary);
  // float: 1e-9, above the floor its ScaledGD reaches (products in float).
  options.target_relative_error = std::is_same_v<T, double> ? T(0) : T(1e-9);
  const solve_report<T> report = linalg::truncated_svd(a, u, s, v, w, options);
  ASSERT_TRUE(succeeded(report.status));
  // Weyl: |s_k - sigma_k| <= ||A - U S V^T||_2 <= sqrt(error) ||A||_F, plus the SVD's own rounding.
  const double eps = static_cast<double>(std::numeric_limits<T>::epsilon());
  const double frob = frobenius(a);
  const double bound = std::sqrt(static_cast<double>(report.relative_error)) * frob + 40.0 * eps * frob;
  for (index k = 0; k < d; ++k) EXPECT_NEAR(static_cast<double>(s(k, 0)), reference.s[k], bound) << k;
  const double tight = std::is_same_v<T, double> ? 1e-9 : 1e-3;
  EXPECT_LE(bound / reference.s[d - 1], tight);  // the check above is not vacuous
  EXPECT_LE(orthonormality_error(u), 4.0 * d * eps);
  EXPECT_LE(orthonormality_error(v), 4.0 * d * eps);
  static Matrix<T, m, d> us;  // U S V^T reproduces A to the reported error
  for (index i = 0; i < m; ++i)
    for (index k = 0; k < d; ++k) us(i, k) = u(i, k) * s(k, 0);
  EXPECT_LE(relative_error_squared(a, us, v), 1.01 * static_cast<double>(report.relative_error) + 1e3 * eps * eps);
}

TYPED_TEST(TruncatedSvd, NoisyMatrixGivesTheBestRankDSpectrum) {
  using T = TypeParam;
  static Matrix<T, m, n> a;
  static Matrix<T, m, d> u;
  static Matrix<T, n, d> v;
  static Matrix<T, d, 1> s;
  static Workspace<T, m, n, d> w;
  std::mt19937_64 rng(22);
  make_low_rank(a, linspace(d, 1.0, 0.5), rng, 1e-3);
  const SvdResult reference = svd_double(a);
  const solve_report<T> report = linalg::truncated_svd(a, u, s, v, w);
  ASSERT_TRUE(succeeded(report.status)) << to_string(report.status);
  // The error is within the default stationary gap (1e-4) of the Eckart-Young optimum.
  const double optimum = best_rank_relative_error_squared(a, d);
  static Matrix<T, m, d> us;
  for (index i = 0; i < m; ++i)
    for (index k = 0; k < d; ++k) us(i, k) = u(i, k) * s(k, 0);
  const double error = relative_error_squared(a, us, v);
  EXPECT_LE(error, optimum * (1.0 + 1e-3) + 1e-10);
  for (index k = 0; k < d; ++k) EXPECT_NEAR(static_cast<double>(s(k, 0)), reference.s[k], 1e-4 * reference.s[0]) << k;
}

TYPED_TEST(TruncatedSvd, RejectedInputGivesStatusAndFiniteOutput) {
  using T = TypeParam;
  static Matrix<T, 20, 30> a;
  static Matrix<T, 20, 4> u;
  static Matrix<T, 30, 4> v;
  static Matrix<T, 4, 1> s;
  static Workspace<T, 20, 30, 4> w;
  std::mt19937_64 rng(23);
  fill_random(a, rng);
  fill_random(u, rng);
  a(3, 7) = std::numeric_limits<T>::quiet_NaN();
  u(0, 0) = std::numeric_limits<T>::infinity();  // whatever U held before is overwritten
  EXPECT_EQ(linalg::truncated_svd(a, u, s, v, w).status, status::invalid_input);
  EXPECT_TRUE(all_finite(u) && all_finite(s) && all_finite(v));
  EXPECT_LE(orthonormality_error(u), 1e-12);
  for (index i = 0; i < 20; ++i)
    for (index j = 0; j < 30; ++j) a(i, j) = T(0);
  EXPECT_EQ(linalg::truncated_svd(a, u, s, v, w).status, status::zero_input);
  for (index k = 0; k < 4; ++k) EXPECT_EQ(s(k, 0), T(0));
  EXPECT_LE(orthonormality_error(v), 1e-12);
}

}  // namespace
}  // namespace lowrank::test
