// thin_svd against the double Jacobi SVD of tests/support (run on X Y^T formed in long double), on
// random, graded, clustered and rank-deficient factors, in double and float; orthonormality and the
// factorization error against the backward-stability bound c eps ||X|| ||Y||.
#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <vector>

#include <lowrank/linalg/thin_svd.hpp>

#include "linalg/linalg_test_support.hpp"
#include "support/svd.hpp"

namespace lowrank::test {
namespace {

/// Tolerances of one case: singular values to `relative` of each value plus `absolute` times s_1
/// (Weyl: a backward error E moves every singular value by at most ||E||_2, so the values of a
/// graded spectrum are guaranteed only to about eps s_1). The eps bounds are c d eps: the errors of d
/// Householder reflectors and of Jacobi rotations on d columns add up (Higham, ch. 19).
struct tolerance {
  double relative;
  double absolute;
  double c = 4.0;
};

/// Runs thin_svd on (X, Y) and checks it against the reference SVD of X Y^T.
template <class T, index M, index N, index D>
void check_thin_svd(const Matrix<T, M, D>& x, const Matrix<T, N, D>& y, tolerance tol,
                    linalg::left_factor x_is = linalg::left_factor::general) {
  static Matrix<T, M, D> u;
  static Matrix<T, N, D> v;
  static Matrix<T, D, 1> s;
  static linalg::ThinSvdWorkspace<T, M, N, D> w;
  ASSERT_EQ(linalg::thin_svd(x, y, u, s, v, w, x_is), status::ok);

  static Matrix<double, M, N> product;
  product_transpose(x, y, product);
  const SvdResult reference = svd_double(product);
  const double eps = static_cast<double>(std::numeric_limits<T>::epsilon());
  const double s1 = reference.s[0];
  const double bound = tol.c * static_cast<double>(D) * eps;
  // Weyl: the backward error allowed below (bound ||X|| ||Y||) may move every value that much.
  const double backward = bound * frobenius(x) * frobenius(y);
  const double absolute = tol.absolute * s1 > backward ? tol.absolute * s1 : backward;
  for (index k = 0; k < D; ++k) {
    const double expected = k < reference.k ? reference.s[k] : 0.0;
    EXPECT_NEAR(static_cast<double>(s(k, 0)), expected, tol.relative * expected + absolute) << "singular value " << k;
    if (k > 0) {
      EXPECT_GE(s(k - 1, 0), s(k, 0));
    }
    EXPECT_GE(s(k, 0), T(0));
  }
  EXPECT_LE(orthonormality_error(u), bound);
  EXPECT_LE(orthonormality_error(v), bound);
  EXPECT_LE(factorization_error(x, y, u, s, v), bound * frobenius(x) * frobenius(y));
}

/// X = U diag(sigma) Q and Y = V Q (U, V, Q random orthonormal): X Y^T = U diag(sigma) V^T, with
/// the spectrum spread over both factors' columns by Q.
template <class T, index M, index N, index D>
void make_factors(const std::vector<double>& sigma, Matrix<T, M, D>& x, Matrix<T, N, D>& y,
                  std::mt19937_64& rng) {
  const std::vector<double> u = detail::random_orthonormal(M, D, rng);
  const std::vector<double> v = detail::random_orthonormal(N, D, rng);
  const std::vector<double> q = detail::random_orthonormal(D, D, rng);
  for (index i = 0; i < M; ++i)
    for (index j = 0; j < D; ++j) {
      long double sum = 0.0L;
      for (index k = 0; k < D; ++k) sum += static_cast<long double>(u[i * D + k]) * sigma[k] * q[k * D + j];
      x(i, j) = static_cast<T>(sum);
    }
  for (index i = 0; i < N; ++i)
    for (index j = 0; j < D; ++j) {
      long double sum = 0.0L;
      for (index k = 0; k < D; ++k) sum += static_cast<long double>(v[i * D + k]) * q[k * D + j];
      y(i, j) = static_cast<T>(sum);
    }
}

template <class T>
tolerance value_tolerance() {
  return std::is_same_v<T, double> ? tolerance{1e-12, 1e-14} : tolerance{1e-5, 1e-6};
}

template <class T>
class ThinSvd : public ::testing::Test {};
using Scalars = ::testing::Types<double, float>;
TYPED_TEST_SUITE(ThinSvd, Scalars);

TYPED_TEST(ThinSvd, RandomTallAndWideFactors) {
  using T = TypeParam;
  std::mt19937_64 rng(11);
  static Matrix<T, 100, 10> x;
  static Matrix<T, 100, 10> y;
  fill_random(x, rng);
  fill_random(y, rng);
  check_thin_svd(x, y, value_tolerance<T>());
  static Matrix<T, 10, 10> xs;  // 10 x 100 product: m < n
  fill_random(xs, rng);
  check_thin_svd(xs, y, value_tolerance<T>());
}

TYPED_TEST(ThinSvd, GradedSpectrum) {  // singular values 1 .. 1e-6, geometric
  using T = TypeParam;
  std::mt19937_64 rng(12);
  std::vector<double> sigma(10);
  for (index k = 0; k < 10; ++k) sigma[k] = std::pow(10.0, -6.0 * static_cast<double>(k) / 9.0);
  static Matrix<T, 60, 10> x;
  static Matrix<T, 40, 10> y;
  make_factors(sigma, x, y, rng);
  check_thin_svd(x, y, value_tolerance<T>());
}

TYPED_TEST(ThinSvd, ClusteredSpectrum) {  // three clusters, each of values within 1e-9 of each other
  using T = TypeParam;
  std::mt19937_64 rng(13);
  const std::vector<double> sigma = {1.0, 1.0 - 1e-9, 1.0 - 2e-9, 0.5, 0.5 - 1e-9, 0.5 - 2e-9, 0.5 - 3e-9,
                                     1e-3, 1e-3, 1e-3};
  static Matrix<T, 50, 10> x;
  static Matrix<T, 70, 10> y;
  make_factors(sigma, x, y, rng);
  check_thin_svd(x, y, value_tolerance<T>());
}

TYPED_TEST(ThinSvd, RankDeficientFactors) {  // d = 8 columns, rank 3: five zero singular values
  using T = TypeParam;
  std::mt19937_64 rng(14);
  std::vector<double> sigma = {3.0, 2.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0};
  static Matrix<T, 40, 8> x;
  static Matrix<T, 30, 8> y;
  make_factors(sigma, x, y, rng);
  check_thin_svd(x, y, value_tolerance<T>());
  fill_random(y, rng);  // rank(X) = 3 alone, Y of full rank
  check_thin_svd(x, y, value_tolerance<T>());
  static Matrix<T, 40, 8> zero_x;
  for (index i = 0; i < 40; ++i)
    for (index j = 0; j < 8; ++j) zero_x(i, j) = T(0);
  check_thin_svd(zero_x, y, value_tolerance<T>());  // X Y^T = 0: s = 0, U and V still orthonormal
}

TYPED_TEST(ThinSvd, ScaledBasisLeftFactor) {  // X = c Q (Q^T Q = I): R_X = c I, not computed
  using T = TypeParam;
  std::mt19937_64 rng(17);
  const auto scaled_basis = [&](auto& x, double c) {
    using MX = std::remove_reference_t<decltype(x)>;
    const std::vector<double> q = detail::random_orthonormal(MX::rows, MX::cols, rng);
    for (index i = 0; i < MX::rows; ++i)
      for (index j = 0; j < MX::cols; ++j) x(i, j) = static_cast<T>(c * q[i * MX::cols + j]);
  };
  std::vector<double> sigma(10);
  for (index k = 0; k < 10; ++k) sigma[k] = std::pow(10.0, -6.0 * static_cast<double>(k) / 9.0);
  static Matrix<T, 60, 10> x, graded_x;
  static Matrix<T, 40, 10> y;
  make_factors(sigma, graded_x, y, rng);  // Y with a graded spectrum
  scaled_basis(x, 3.7e5);
  check_thin_svd(x, y, value_tolerance<T>(), linalg::left_factor::scaled_basis);
  scaled_basis(x, 1e-7);
  fill_random(y, rng);
  check_thin_svd(x, y, value_tolerance<T>(), linalg::left_factor::scaled_basis);
  static Matrix<T, 10, 10> square;  // d = m: Q orthogonal
  scaled_basis(square, 2.0);
  check_thin_svd(square, y, value_tolerance<T>(), linalg::left_factor::scaled_basis);
  static Matrix<T, 60, 10> zero_x;  // not a basis: the general path
  check_thin_svd(zero_x, y, value_tolerance<T>(), linalg::left_factor::scaled_basis);
}

TYPED_TEST(ThinSvd, OneByOneAndFullRank) {
  using T = TypeParam;
  Matrix<T, 1, 1> x, y;
  x(0, 0) = T(-3);
  y(0, 0) = T(0.5);
  check_thin_svd(x, y, value_tolerance<T>());
  std::mt19937_64 rng(15);
  static Matrix<T, 6, 6> xf;  // d = min(m, n) = 6
  static Matrix<T, 20, 6> yf;
  fill_random(xf, rng);
  fill_random(yf, rng);
  check_thin_svd(xf, yf, value_tolerance<T>());
}

TYPED_TEST(ThinSvd, ExtremeScalesAreExact) {  // factors near overflow and underflow: scaled exactly
  using T = TypeParam;
  std::mt19937_64 rng(16);
  static Matrix<T, 30, 5> x;
  static Matrix<T, 20, 5> y;
  fill_random(x, rng);
  fill_random(y, rng);
  const T big = std::ldexp(T(1), std::numeric_limits<T>::max_exponent / 2 - 4);
  scale(big, x);
  scale(T(1) / big, y);
  check_thin_svd(x, y, value_tolerance<T>());
}

/// The core's Jacobi SVD itself (C = U diag(s) V^T, C given in `w` and overwritten by U) against the
/// reference, for C at `scale`: near the top and the bottom of T's range, unscaled, the squared
/// column norms would overflow or fall among the subnormal numbers.
template <class T, class MW>
void check_jacobi_svd(MW&& w, T scale_factor, std::mt19937_64& rng) {
  constexpr index n = std::decay_t<decltype(as_view(w))>::rows;
  static Matrix<T, n, n> unscaled, c;
  fill_random(unscaled, rng);
  copy(unscaled, c);
  scale(scale_factor, c);  // a power of two: exact
  copy(c, w);
  static Matrix<T, n, n> v;
  static Matrix<T, n, 1> s;
  ASSERT_EQ(linalg::jacobi_svd(w, s, v), status::ok);
  const SvdResult reference = svd_double(unscaled);  // in double's range whatever the scale
  const double eps = static_cast<double>(std::numeric_limits<T>::epsilon());
  const double bound = 4.0 * static_cast<double>(n) * eps;
  for (index k = 0; k < n; ++k)
    EXPECT_NEAR(static_cast<double>(s(k, 0) / scale_factor) / reference.s[0], reference.s[k] / reference.s[0], bound)
        << "singular value " << k;
  static Matrix<T, n, n> u;
  copy(w, u);
  EXPECT_LE(orthonormality_error(u), bound);
  EXPECT_LE(orthonormality_error(v), bound);
  static Matrix<T, n, n> identity;  // C I^T = C against U diag(s) V^T
  for (index i = 0; i < n; ++i)
    for (index j = 0; j < n; ++j) identity(i, j) = i == j ? T(1) : T(0);
  EXPECT_LE(factorization_error(c, identity, u, s, v), bound * frobenius(c));
}

TYPED_TEST(ThinSvd, CoreJacobiAtExtremeScales) {
  using T = TypeParam;
  std::mt19937_64 rng(18);
  const T big = std::ldexp(T(1), std::numeric_limits<T>::max_exponent / 2 - 3);
  for (const T scale_factor : {T(1), big, T(1) / big}) {
    SCOPED_TRACE(static_cast<double>(scale_factor));
    static Matrix<T, 7, 7> row_major;  // rows of C contiguous: the strided loops
    check_jacobi_svd(row_major, scale_factor, rng);
    static Matrix<T, 7, 7> transposed;  // columns of C contiguous, as thin_svd passes it
    check_jacobi_svd(transpose(transposed.view()), scale_factor, rng);
  }
  // A singular value above the largest T: out_of_range, saturated, U and V still orthogonal.
  static Matrix<T, 3, 3> w, v;
  static Matrix<T, 3, 1> s;
  fill(w, std::numeric_limits<T>::max() / T(2));  // rank one, sigma_1 = 3 max / 2
  EXPECT_EQ(linalg::jacobi_svd(w, s, v), status::out_of_range);
  EXPECT_EQ(s(0, 0), std::numeric_limits<T>::max());
  EXPECT_LE(orthonormality_error(w), 1e-5);
  EXPECT_LE(orthonormality_error(v), 1e-5);
  // A NaN: invalid_input, s = 0 and U = V = I.
  fill(w, T(1));
  w(1, 2) = std::numeric_limits<T>::quiet_NaN();
  EXPECT_EQ(linalg::jacobi_svd(w, s, v), status::invalid_input);
  for (index i = 0; i < 3; ++i) {
    EXPECT_EQ(s(i, 0), T(0));
    for (index j = 0; j < 3; ++j) {
      EXPECT_EQ(w(i, j), i == j ? T(1) : T(0));
      EXPECT_EQ(v(i, j), i == j ? T(1) : T(0));
    }
  }
}

TYPED_TEST(ThinSvd, NonFiniteInputGivesStatusAndFiniteOutput) {
  using T = TypeParam;
  std::mt19937_64 rng(17);
  static Matrix<T, 12, 3> x;
  static Matrix<T, 9, 3> y;
  static Matrix<T, 12, 3> u;
  static Matrix<T, 9, 3> v;
  static Matrix<T, 3, 1> s;
  static linalg::ThinSvdWorkspace<T, 12, 9, 3> w;
  fill_random(x, rng);
  fill_random(y, rng);
  x(4, 1) = std::numeric_limits<T>::quiet_NaN();
  EXPECT_EQ(linalg::thin_svd(x, y, u, s, v, w), status::invalid_input);
  EXPECT_TRUE(all_finite(u) && all_finite(s) && all_finite(v));
  EXPECT_LE(orthonormality_error(u), 1e-12);
  x(4, 1) = T(1);
  y(0, 0) = std::numeric_limits<T>::infinity();
  EXPECT_EQ(linalg::thin_svd(x, y, u, s, v, w), status::invalid_input);
  EXPECT_TRUE(all_finite(u) && all_finite(s) && all_finite(v));
}

TYPED_TEST(ThinSvd, OutputsMayOverwriteTheFactors) {  // U = X, V = Y in place, as truncated_svd does
  using T = TypeParam;
  std::mt19937_64 rng(18);
  static Matrix<T, 25, 4> x, x0, u;
  static Matrix<T, 15, 4> y, y0, v;
  static Matrix<T, 4, 1> s, s_in_place;
  static linalg::ThinSvdWorkspace<T, 25, 15, 4> w;
  fill_random(x, rng);
  fill_random(y, rng);
  copy(x, x0);
  copy(y, y0);
  ASSERT_EQ(linalg::thin_svd(x, y, u, s, v, w), status::ok);
  ASSERT_EQ(linalg::thin_svd(x, y, x, s_in_place, y, w), status::ok);
  for (index k = 0; k < 4; ++k) EXPECT_EQ(s(k, 0), s_in_place(k, 0));
  for (index i = 0; i < 25; ++i)
    for (index k = 0; k < 4; ++k) EXPECT_EQ(u(i, k), x(i, k));
  EXPECT_LE(factorization_error(x0, y0, x, s, y), 20.0 * std::numeric_limits<T>::epsilon() *
                                                      frobenius(x0) * frobenius(y0));
}

}  // namespace
}  // namespace lowrank::test
