// householder_qr and form_householder_q against long double references: Q R = A and Q^T Q = I to a few
// ulps, in both column orders, on random, rank-deficient and extremely scaled tall matrices; with
// largest-first pivoting |R_kk| decreases and Q's span contains A's columns.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include <lowrank/linalg/householder_qr.hpp>

#include "linalg/linalg_test_support.hpp"

namespace lowrank::test {
namespace {

template <class T>
class HouseholderQr : public ::testing::Test {};
using Scalars = ::testing::Types<double, float>;
TYPED_TEST_SUITE(HouseholderQr, Scalars);

/// Factors a copy of `a`; checks that Q is orthonormal, R upper triangular with Q R = A (as given) or
/// |R_kk| decreasing and ||A - Q Q^T A|| small (largest first); returns R's diagonal magnitudes.
template <class T, index R, index C>
std::vector<double> check_qr(const Matrix<T, R, C>& a, linalg::column_order order) {
  static Matrix<T, R, C> storage;  // the column-major work array: entry (i, j) at data()[i + j R]
  const linalg::column_major<T, R, C> qr{storage.data()};
  for (index i = 0; i < R; ++i)
    for (index j = 0; j < C; ++j) qr(i, j) = a(i, j);
  Matrix<T, C, 1> tau;
  linalg::householder_qr(qr, tau, order);
  Matrix<T, C, C> r;
  std::vector<double> diagonal(C);
  for (index i = 0; i < C; ++i) {
    diagonal[i] = std::fabs(static_cast<double>(qr(i, i)));
    for (index j = 0; j < C; ++j) r(i, j) = j >= i ? qr(i, j) : T(0);
  }
  linalg::form_householder_q(qr, tau);
  static Matrix<T, R, C> q;
  for (index i = 0; i < R; ++i)
    for (index j = 0; j < C; ++j) q(i, j) = qr(i, j);
  const double eps = static_cast<double>(std::numeric_limits<T>::epsilon());
  const double bound = 4.0 * static_cast<double>(C) * eps;
  EXPECT_LE(orthonormality_error(q), bound);
  // ||A - Q (Q^T A)|| (both orders: A's columns lie in span(Q)) and, as given, ||A - Q R||.
  long double residual = 0, residual_qr = 0;
  for (index j = 0; j < C; ++j) {
    std::vector<long double> coefficient(C, 0.0L);
    for (index k = 0; k < C; ++k)
      for (index i = 0; i < R; ++i) coefficient[k] += static_cast<long double>(q(i, k)) * a(i, j);
    for (index i = 0; i < R; ++i) {
      long double projected = 0, product = 0;
      for (index k = 0; k < C; ++k) {
        projected += static_cast<long double>(q(i, k)) * coefficient[k];
        product += static_cast<long double>(q(i, k)) * r(k, j);
      }
      residual += (a(i, j) - projected) * (a(i, j) - projected);
      residual_qr += (a(i, j) - product) * (a(i, j) - product);
    }
  }
  EXPECT_LE(static_cast<double>(std::sqrt(residual)), bound * frobenius(a));
  if (order == linalg::column_order::as_given) {
    EXPECT_LE(static_cast<double>(std::sqrt(residual_qr)), bound * frobenius(a));
  } else {
    for (index k = 1; k < C; ++k) EXPECT_LE(diagonal[k], diagonal[k - 1] * (1 + bound)) << "k = " << k;
  }
  return diagonal;
}

TYPED_TEST(HouseholderQr, RandomTallMatricesInBothOrders) {
  using T = TypeParam;
  std::mt19937_64 rng(21);
  static Matrix<T, 100, 10> a;
  fill_random(a, rng);
  check_qr(a, linalg::column_order::as_given);
  check_qr(a, linalg::column_order::largest_first);
  static Matrix<T, 7, 7> square;  // R = C, and 1 x 1
  fill_random(square, rng);
  check_qr(square, linalg::column_order::as_given);
  Matrix<T, 1, 1> one;
  one(0, 0) = T(-3);
  EXPECT_DOUBLE_EQ(check_qr(one, linalg::column_order::as_given)[0], 3.0);
}

TYPED_TEST(HouseholderQr, PivotingRevealsTheRank) {  // 40 x 8 of rank 3: R_kk at rounding level from k = 3
  using T = TypeParam;
  std::mt19937_64 rng(22);
  static Matrix<T, 40, 3> left;
  static Matrix<T, 8, 3> right;
  fill_random(left, rng);
  fill_random(right, rng);
  static Matrix<T, 40, 8> a;
  for (index i = 0; i < 40; ++i)
    for (index j = 0; j < 8; ++j) {
      long double sum = 0;
      for (index k = 0; k < 3; ++k) sum += static_cast<long double>(left(i, k)) * right(j, k);
      a(i, j) = static_cast<T>(sum);
    }
  const std::vector<double> diagonal = check_qr(a, linalg::column_order::largest_first);
  const double eps = static_cast<double>(std::numeric_limits<T>::epsilon());
  EXPECT_GT(diagonal[2], 1e-3 * diagonal[0]);
  for (index k = 3; k < 8; ++k) EXPECT_LT(diagonal[k], 40.0 * eps * diagonal[0]) << "k = " << k;
  check_qr(a, linalg::column_order::as_given);  // Q still orthonormal without pivoting
}

TYPED_TEST(HouseholderQr, ExtremeScalesNeitherOverflowNorUnderflow) {  // the scaled norm's fallback
  using T = TypeParam;
  std::mt19937_64 rng(23);
  static Matrix<T, 30, 4> a;
  for (const T scale : {std::numeric_limits<T>::min() * T(16), std::numeric_limits<T>::max() / T(64)}) {
    fill_random(a, rng);
    for (index i = 0; i < 30; ++i)
      for (index j = 0; j < 4; ++j) a(i, j) = a(i, j) / T(8) * scale;
    EXPECT_TRUE(all_finite(a));
    const std::vector<double> diagonal = check_qr(a, linalg::column_order::largest_first);
    EXPECT_GT(diagonal[3], 0.0) << "scale " << scale;
  }
}

TYPED_TEST(HouseholderQr, SubnormalColumnBesideANormalOne) {  // the reflector is formed in the normal range
  using T = TypeParam;
  std::mt19937_64 rng(24);
  static Matrix<T, 20, 4> a;
  fill_random(a, rng);
  for (index i = 0; i < 20; ++i) {
    a(i, 0) = a(i, 0) * std::numeric_limits<T>::denorm_min() * T(64);  // subnormal entries
    a(i, 2) = a(i, 2) * std::numeric_limits<T>::min() * T(2);  // near the smallest normal
  }
  EXPECT_TRUE(all_finite(a));
  check_qr(a, linalg::column_order::as_given);
  check_qr(a, linalg::column_order::largest_first);
}

}  // namespace
}  // namespace lowrank::test
