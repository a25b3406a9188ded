// Gram matrices and Cholesky solves against independent double-precision loops.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include <lowrank/kernels/small.hpp>

#include "support/reference.hpp"

namespace lowrank::test {
namespace {

TEST(Gram, MatchesNaiveLoop) {
  test_rng rng(11);
  static Matrix<float, 257, 7> x;
  Matrix<float, 7, 7> g;
  GemmWorkspace<float, 7, 7, 257> ws;
  fill_uniform(x, rng);
  gram(x, g, ws);
  for (index a = 0; a < 7; ++a)
    for (index b = 0; b < 7; ++b) {
      double v = 0, mag = 0;
      reference_product_entry(transpose(x.view()), x.view(), a, b, v, mag);
      EXPECT_NEAR(g(a, b), v, 300 * 1.2e-7 * mag);
    }
}

/// A random SPD matrix with a chosen condition number: Q diag Q^T is avoided (it needs a QR); a
/// random B gives B B^T + shift I, which is SPD with smallest eigenvalue >= shift.
template <index D>
Matrix<double, D, D> random_spd(test_rng& rng, double shift) {
  Matrix<double, D, D> b, g;
  fill_uniform(b, rng);
  for (index i = 0; i < D; ++i)
    for (index j = 0; j < D; ++j) {
      double s = i == j ? shift : 0.0;
      for (index p = 0; p < D; ++p) s += b(i, p) * b(j, p);
      g(i, j) = s;
    }
  return g;
}

TEST(Cholesky, FactorReproducesTheMatrix) {
  test_rng rng(5);
  const Matrix<double, 9, 9> g = random_spd<9>(rng, 0.1);
  Matrix<double, 9, 9> l = g;
  ASSERT_EQ(cholesky_factor(l), status::ok);
  for (index i = 0; i < 9; ++i)
    for (index j = 0; j <= i; ++j) {
      double s = 0;
      for (index p = 0; p <= j; ++p) s += l(i, p) * l(j, p);
      EXPECT_NEAR(s, g(i, j), 1e-12 * 10);
    }
}

TEST(Cholesky, SolveRowsInvertsTheMatrix) {
  test_rng rng(6);
  const Matrix<double, 6, 6> g = random_spd<6>(rng, 0.5);
  Matrix<double, 6, 6> l = g;
  ASSERT_EQ(cholesky_factor(l), status::ok);
  Matrix<double, 31, 6> r, z;
  fill_uniform(r, rng);
  z = r;
  cholesky_solve_rows(l, z);  // z = r G^-1, so z G must give r back
  for (index i = 0; i < 31; ++i)
    for (index j = 0; j < 6; ++j) {
      double s = 0;
      for (index p = 0; p < 6; ++p) s += z(i, p) * g(p, j);
      EXPECT_NEAR(s, r(i, j), 1e-10);
    }
}

TEST(Cholesky, SolveWorksInFloat) {
  test_rng rng(8);
  const Matrix<double, 4, 4> gd = random_spd<4>(rng, 1.0);
  Matrix<float, 4, 4> l;
  for (index i = 0; i < 4; ++i)
    for (index j = 0; j < 4; ++j) l(i, j) = static_cast<float>(gd(i, j));
  ASSERT_EQ(cholesky_factor(l), status::ok);
  Matrix<float, 3, 4> z;
  for (index i = 0; i < 3; ++i)
    for (index j = 0; j < 4; ++j) z(i, j) = static_cast<float>(gd(i, j));  // rows of G: z G^-1 = e_i
  cholesky_solve_rows(l, z);
  for (index i = 0; i < 3; ++i)
    for (index j = 0; j < 4; ++j) EXPECT_NEAR(z(i, j), i == j ? 1.0f : 0.0f, 1e-4f);
}

TEST(Cholesky, RejectsIndefiniteSingularAndNaN) {
  Matrix<double, 2, 2> indefinite;
  indefinite(0, 0) = 1;
  indefinite(0, 1) = indefinite(1, 0) = 2;
  indefinite(1, 1) = 1;
  EXPECT_EQ(cholesky_factor(indefinite), status::not_positive_definite);
  Matrix<double, 2, 2> singular;
  singular(0, 0) = singular(0, 1) = singular(1, 0) = singular(1, 1) = 1;
  EXPECT_EQ(cholesky_factor(singular), status::not_positive_definite);
  Matrix<double, 2, 2> nan;
  nan(0, 0) = std::numeric_limits<double>::quiet_NaN();
  nan(0, 1) = nan(1, 0) = 0;
  nan(1, 1) = 1;
  EXPECT_EQ(cholesky_factor(nan), status::not_positive_definite);
}

}  // namespace
}  // namespace lowrank::test
