// The largest principal angle between a reference subspace (orthonormal columns in double, e.g.
// singular vectors from tests/support/svd.hpp) and the column span of a factor, in double: the
// factor's columns are orthonormalized (modified Gram-Schmidt, twice), and sin(theta_max) is the
// spectral norm of the part of that basis outside the reference, ||Q - U (U^T Q)||_2.
#pragma once

#include <cmath>
#include <vector>

#include <lowrank/matrix.hpp>

#include "support/svd.hpp"

namespace lowrank::test {

/// theta_max between span(first D columns of `u`, row-major Rows x u_cols) and span(X), X Rows x D.
template <index Rows, index D, class MX>
double largest_principal_angle(const std::vector<double>& u, index u_cols, const MX& x_in) {
  const auto x = as_view(x_in);
  static Matrix<double, Rows, D> q;
  for (index i = 0; i < Rows; ++i)
    for (index k = 0; k < D; ++k) q(i, k) = static_cast<double>(x(i, k));
  for (int pass = 0; pass < 2; ++pass)
    for (index k = 0; k < D; ++k) {
      for (index p = 0; p < k; ++p) {
        double dot = 0.0;
        for (index i = 0; i < Rows; ++i) dot += q(i, p) * q(i, k);
        for (index i = 0; i < Rows; ++i) q(i, k) -= dot * q(i, p);
      }
      double norm = 0.0;
      for (index i = 0; i < Rows; ++i) norm += q(i, k) * q(i, k);
      norm = std::sqrt(norm);
      for (index i = 0; i < Rows; ++i) q(i, k) /= norm;
    }
  double utq[D][D] = {};
  for (index a = 0; a < D; ++a)
    for (index b = 0; b < D; ++b)
      for (index i = 0; i < Rows; ++i) utq[a][b] += u[i * u_cols + a] * q(i, b);
  static Matrix<double, Rows, D> outside;
  for (index i = 0; i < Rows; ++i)
    for (index b = 0; b < D; ++b) {
      double s = q(i, b);
      for (index a = 0; a < D; ++a) s -= u[i * u_cols + a] * utq[a][b];
      outside(i, b) = s;
    }
  const double sine = sigma_max(outside);
  return std::asin(sine < 1.0 ? sine : 1.0);
}

}  // namespace lowrank::test
