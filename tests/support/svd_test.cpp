// The reference SVD: planted spectra are recovered, the factors are orthonormal and reproduce A, and
// the special shapes (diagonal, rank 1, wide, tall, 2 x 2 in closed form) come out right.
#include "support/svd.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "support/reference.hpp"

namespace lowrank::test {
namespace {

/// max |(Q^T Q - I)(i, j)| for a row-major rows x k matrix Q.
double orthonormality_error(const std::vector<double>& q, index rows, index k) {
  double worst = 0.0;
  for (index a = 0; a < k; ++a)
    for (index b = 0; b < k; ++b) {
      double dot = 0.0;
      for (index i = 0; i < rows; ++i) dot += q[i * k + a] * q[i * k + b];
      worst = std::fmax(worst, std::fabs(dot - (a == b ? 1.0 : 0.0)));
    }
  return worst;
}

/// max |(U S V^T - A)(i, j)|.
template <class M>
double reconstruction_error(const SvdResult& r, const M& a) {
  const auto av = as_view(a);
  double worst = 0.0;
  for (index i = 0; i < r.m; ++i)
    for (index j = 0; j < r.n; ++j) {
      double sum = 0.0;
      for (index p = 0; p < r.k; ++p) sum += r.u_at(i, p) * r.s[p] * r.v_at(j, p);
      worst = std::fmax(worst, std::fabs(sum - static_cast<double>(av(i, j))));
    }
  return worst;
}

/// The invariants every SVD must satisfy, to `tol`.
template <class M>
void expect_valid_svd(const SvdResult& r, const M& a, double tol) {
  using V = view_of<const M>;
  constexpr index k = V::rows < V::cols ? V::rows : V::cols;
  ASSERT_EQ(r.m, V::rows);
  ASSERT_EQ(r.n, V::cols);
  ASSERT_EQ(r.k, k);
  ASSERT_EQ(r.u.size(), V::rows * k);
  ASSERT_EQ(r.v.size(), V::cols * k);
  ASSERT_EQ(r.s.size(), k);
  EXPECT_TRUE(r.converged) << "sweeps: " << r.sweeps;
  for (index i = 0; i < k; ++i) {
    EXPECT_GE(r.s[i], 0.0);
    if (i > 0) {
      EXPECT_LE(r.s[i], r.s[i - 1]) << "not descending at " << i;
    }
  }
  EXPECT_LT(orthonormality_error(r.u, r.m, r.k), tol) << "U^T U != I";
  EXPECT_LT(orthonormality_error(r.v, r.n, r.k), tol) << "V^T V != I";
  EXPECT_LT(reconstruction_error(r, a), tol) << "U S V^T != A";
}

TEST(ReferenceSvd, RecoversPlantedSpectrumOfThePapersProblem) {
  // 100 x 100, rank 5, sigma from 1 down to 0.9.
  static Matrix<double, 100, 100> a;
  test_rng rng(20240501);
  const std::vector<double> sigma = linspace(5, 1.0, 0.9);
  const SvdResult planted = make_low_rank(a, sigma, rng);
  EXPECT_EQ(planted.k, 5u);
  EXPECT_LT(orthonormality_error(planted.u, 100, 5), 1e-14);
  EXPECT_LT(orthonormality_error(planted.v, 100, 5), 1e-14);

  const SvdResult r = svd_double(a);
  expect_valid_svd(r, a, 1e-12);
  for (index i = 0; i < 5; ++i) EXPECT_NEAR(r.s[i], sigma[i], 1e-12) << i;
  for (index i = 5; i < 100; ++i) EXPECT_LT(r.s[i], 1e-12) << i;
  EXPECT_LT(best_rank_error_squared(r, 5), 1e-24);
  EXPECT_NEAR(best_rank_error_squared(r, 4), 0.81, 1e-12);
  EXPECT_NEAR(best_rank_error_squared(r, 0), frobenius_norm_squared(a), 1e-12);
  EXPECT_NEAR(sigma_max(a), 1.0, 1e-12);
}

TEST(ReferenceSvd, RecoversUnsortedPlantedSpectrumOfARectangularMatrix) {
  static Matrix<double, 40, 25> a;
  test_rng rng(7);
  const std::vector<double> sigma = {0.5, 3.0, 1e-3, 2.0, 1.0, 1e-6};
  make_low_rank(a, sigma, rng);
  const SvdResult r = svd_double(a);
  expect_valid_svd(r, a, 1e-12);
  const double expected[] = {3.0, 2.0, 1.0, 0.5, 1e-3, 1e-6};
  for (index i = 0; i < 6; ++i) EXPECT_NEAR(r.s[i], expected[i], 1e-12) << i;
  for (index i = 6; i < 25; ++i) EXPECT_LT(r.s[i], 1e-12) << i;
}

TEST(ReferenceSvd, NoiseHasTheRequestedRelativeNorm) {
  static Matrix<double, 60, 50> a;
  test_rng rng(11);
  const std::vector<double> sigma = linspace(5, 1.0, 0.9);
  const SvdResult planted = make_low_rank(a, sigma, rng, 1e-2);
  double noise2 = 0.0, clean2 = 0.0;
  for (index i = 0; i < 60; ++i)
    for (index j = 0; j < 50; ++j) {
      double l = 0.0;
      for (index p = 0; p < 5; ++p) l += planted.u_at(i, p) * planted.s[p] * planted.v_at(j, p);
      noise2 += (a(i, j) - l) * (a(i, j) - l);
      clean2 += l * l;
    }
  EXPECT_NEAR(std::sqrt(noise2 / clean2), 1e-2, 1e-12);
  // The noise floor: the best rank-5 error is a bit under the noise energy (which is 1e-4 ||L||^2),
  // and the best rank-5 approximation is what relative_error_squared reaches with X = U S, Y = V.
  const SvdResult r = svd_double(a);
  expect_valid_svd(r, a, 1e-12);
  const double floor = best_rank_relative_error_squared(a, 5);
  EXPECT_GT(floor, 0.5e-4);
  EXPECT_LT(floor, 1.0e-4);
  static Matrix<double, 60, 5> x;
  static Matrix<double, 50, 5> y;
  for (index p = 0; p < 5; ++p) {
    for (index i = 0; i < 60; ++i) x(i, p) = r.u_at(i, p) * r.s[p];
    for (index j = 0; j < 50; ++j) y(j, p) = r.v_at(j, p);
  }
  EXPECT_NEAR(relative_error_squared(a, x, y), floor, 1e-15);
}

TEST(ReferenceSvd, FloatInputIsConvertedToDouble) {
  static Matrix<float, 30, 20> a;
  test_rng rng(3);
  make_low_rank(a, {2.0, 1.0, 0.5}, rng);
  const SvdResult r = svd_double(a);
  expect_valid_svd(r, a, 1e-12);  // exact for the float-rounded matrix, in double
  EXPECT_NEAR(r.s[0], 2.0, 1e-6);
  EXPECT_NEAR(r.s[1], 1.0, 1e-6);
  EXPECT_NEAR(r.s[2], 0.5, 1e-6);
  EXPECT_LT(r.s[3], 1e-6);
}

TEST(ReferenceSvd, DiagonalMatrix) {
  Matrix<double, 4, 4> a{};
  a(0, 0) = 3.0;
  a(1, 1) = -1.0;
  a(2, 2) = 0.0;
  a(3, 3) = 2.0;
  const SvdResult r = svd_double(a);
  expect_valid_svd(r, a, 1e-15);
  EXPECT_EQ(r.s[0], 3.0);
  EXPECT_EQ(r.s[1], 2.0);
  EXPECT_EQ(r.s[2], 1.0);
  EXPECT_EQ(r.s[3], 0.0);
  EXPECT_EQ(sigma_max(a), 3.0);
  EXPECT_EQ(best_rank_error_squared(a, 1), 5.0);
}

TEST(ReferenceSvd, RankOne) {
  Matrix<double, 6, 4> a;
  const double x[6] = {1.0, -2.0, 0.5, 3.0, 0.0, -1.0};
  const double y[4] = {2.0, 1.0, -1.0, 0.25};
  double nx = 0.0, ny = 0.0;
  for (double v : x) nx += v * v;
  for (double v : y) ny += v * v;
  for (index i = 0; i < 6; ++i)
    for (index j = 0; j < 4; ++j) a(i, j) = x[i] * y[j];
  const SvdResult r = svd_double(a);
  expect_valid_svd(r, a, 1e-14);
  EXPECT_NEAR(r.s[0], std::sqrt(nx * ny), 1e-14);
  for (index i = 1; i < 4; ++i) EXPECT_LT(r.s[i], 1e-14);
  // The singular vectors are x / |x| and y / |y| up to one common sign.
  const double sign = r.u_at(0, 0) > 0.0 ? 1.0 : -1.0;
  for (index i = 0; i < 6; ++i) EXPECT_NEAR(r.u_at(i, 0), sign * x[i] / std::sqrt(nx), 1e-14);
  for (index j = 0; j < 4; ++j) EXPECT_NEAR(r.v_at(j, 0), sign * y[j] / std::sqrt(ny), 1e-14);
}

TEST(ReferenceSvd, ZeroMatrix) {
  Matrix<double, 3, 2> a{};
  const SvdResult r = svd_double(a);
  expect_valid_svd(r, a, 1e-15);
  EXPECT_EQ(r.s[0], 0.0);
  EXPECT_EQ(r.s[1], 0.0);
}

TEST(ReferenceSvd, WideAndTallAgree) {
  Matrix<double, 3, 7> wide;
  test_rng rng(42);
  fill_uniform(wide, rng);
  Matrix<double, 7, 3> tall;
  for (index i = 0; i < 7; ++i)
    for (index j = 0; j < 3; ++j) tall(i, j) = wide(j, i);

  const SvdResult rw = svd_double(wide);
  const SvdResult rt = svd_double(tall);
  expect_valid_svd(rw, wide, 1e-14);
  expect_valid_svd(rt, tall, 1e-14);
  for (index i = 0; i < 3; ++i) EXPECT_NEAR(rw.s[i], rt.s[i], 1e-14) << i;
  // A view of a transpose is accepted as well, and gives the same answer.
  const SvdResult rv = svd_double(transpose(wide));
  expect_valid_svd(rv, transpose(wide), 1e-14);
  for (index i = 0; i < 3; ++i) EXPECT_NEAR(rv.s[i], rt.s[i], 1e-14) << i;
  // sum sigma^2 = ||A||_F^2.
  double ss = 0.0;
  for (double s : rw.s) ss += s * s;
  EXPECT_NEAR(ss, frobenius_norm_squared(wide), 1e-13);
}

TEST(ReferenceSvd, MatchesClosedForm2x2) {
  test_rng rng(5);
  for (int trial = 0; trial < 20; ++trial) {
    Matrix<double, 2, 2> a;
    fill_uniform(a, rng);
    const double p = a(0, 0), q = a(0, 1), s = a(1, 0), t = a(1, 1);
    // sigma_{1,2} = (|(p + t, s - q)| +- |(p - t, q + s)|) / 2.
    const double h1 = std::hypot(p + t, s - q);
    const double h2 = std::hypot(p - t, q + s);
    const double s1 = 0.5 * (h1 + h2);
    const double s2 = 0.5 * std::fabs(h1 - h2);
    // The left singular vectors: eigenvectors of A A^T, rotated by theta.
    const double theta = 0.5 * std::atan2(2.0 * (p * s + q * t), p * p + q * q - s * s - t * t);
    const double u1[2] = {std::cos(theta), std::sin(theta)};
    const double u2[2] = {-std::sin(theta), std::cos(theta)};

    const SvdResult r = svd_double(a);
    expect_valid_svd(r, a, 1e-15);
    EXPECT_NEAR(r.s[0], s1, 1e-14);
    EXPECT_NEAR(r.s[1], s2, 1e-14);
    EXPECT_NEAR(std::fabs(r.u_at(0, 0) * u1[0] + r.u_at(1, 0) * u1[1]), 1.0, 1e-14);
    EXPECT_NEAR(std::fabs(r.u_at(0, 1) * u2[0] + r.u_at(1, 1) * u2[1]), 1.0, 1e-14);
  }
}

TEST(ReferenceSvd, RelativeErrorOfAnExactFactorizationIsZero) {
  Matrix<float, 8, 6> a;
  Matrix<float, 8, 2> x;
  Matrix<float, 6, 2> y;
  test_rng rng(9);
  fill_uniform(x, rng);
  fill_uniform(y, rng);
  for (index i = 0; i < 8; ++i)
    for (index j = 0; j < 6; ++j) a(i, j) = x(i, 0) * y(j, 0) + x(i, 1) * y(j, 1);
  EXPECT_LT(relative_error_squared(a, x, y), 1e-13);
  Matrix<float, 6, 2> zero{};
  EXPECT_DOUBLE_EQ(relative_error_squared(a, x, zero), 1.0);
  EXPECT_LT(best_rank_relative_error_squared(a, 2), 1e-13);
}

}  // namespace
}  // namespace lowrank::test
