// Shared checks for the linalg tests: products and norms in long double by plain loops, independent
// of the library's kernels, and random factors from std::mt19937_64.
#pragma once

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include <lowrank/matrix.hpp>

namespace lowrank::test {

/// ||A^T A - I||_F for an R x C matrix, in long double.
template <class MA>
double orthonormality_error(const MA& a_in) {
  const auto a = as_view(a_in);
  using V = decltype(a);
  long double sum = 0.0L;
  for (index p = 0; p < V::cols; ++p)
    for (index q = 0; q < V::cols; ++q) {
      long double dot = 0.0L;
      for (index i = 0; i < V::rows; ++i)
        dot += static_cast<long double>(a(i, p)) * static_cast<long double>(a(i, q));
      const long double e = dot - (p == q ? 1.0L : 0.0L);
      sum += e * e;
    }
  return static_cast<double>(std::sqrt(sum));
}

/// ||A||_F in long double.
template <class MA>
double frobenius(const MA& a_in) {
  const auto a = as_view(a_in);
  long double sum = 0.0L;
  for (index i = 0; i < decltype(a)::rows; ++i)
    for (index j = 0; j < decltype(a)::cols; ++j) sum += static_cast<long double>(a(i, j)) * a(i, j);
  return static_cast<double>(std::sqrt(sum));
}

/// X Y^T in double (the reference's input), summed in long double.
template <class MX, class MY, class MOut>
void product_transpose(const MX& x_in, const MY& y_in, MOut& out) {
  const auto x = as_view(x_in);
  const auto y = as_view(y_in);
  for (index i = 0; i < decltype(x)::rows; ++i)
    for (index j = 0; j < decltype(y)::rows; ++j) {
      long double sum = 0.0L;
      for (index k = 0; k < decltype(x)::cols; ++k) sum += static_cast<long double>(x(i, k)) * y(j, k);
      out(i, j) = static_cast<double>(sum);
    }
}

/// ||X Y^T - U diag(s) V^T||_F in long double.
template <class MX, class MY, class MU, class MS, class MV>
double factorization_error(const MX& x_in, const MY& y_in, const MU& u_in, const MS& s_in, const MV& v_in) {
  const auto x = as_view(x_in);
  const auto y = as_view(y_in);
  const auto u = as_view(u_in);
  const auto s = as_view(s_in);
  const auto v = as_view(v_in);
  long double sum = 0.0L;
  for (index i = 0; i < decltype(x)::rows; ++i)
    for (index j = 0; j < decltype(y)::rows; ++j) {
      long double e = 0.0L;
      for (index k = 0; k < decltype(x)::cols; ++k) e += static_cast<long double>(x(i, k)) * y(j, k);
      for (index k = 0; k < decltype(u)::cols; ++k)
        e -= static_cast<long double>(u(i, k)) * static_cast<long double>(s(k, 0)) * v(j, k);
      sum += e * e;
    }
  return static_cast<double>(std::sqrt(sum));
}

/// Fills a with independent standard Gaussians.
template <class MA>
void fill_random(MA& a_in, std::mt19937_64& rng) {
  const auto a = as_view(a_in);
  using T = typename decltype(a)::value_type;
  std::normal_distribution<double> gauss(0.0, 1.0);
  for (index i = 0; i < decltype(a)::rows; ++i)
    for (index j = 0; j < decltype(a)::cols; ++j) a(i, j) = static_cast<T>(gauss(rng));
}

/// Whether every entry is finite.
template <class MA>
bool all_finite(const MA& a_in) {
  const auto a = as_view(a_in);
  for (index i = 0; i < decltype(a)::rows; ++i)
    for (index j = 0; j < decltype(a)::cols; ++j)
      if (!std::isfinite(a(i, j))) return false;
  return true;
}

}  // namespace lowrank::test
