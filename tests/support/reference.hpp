// Independent references for tests: plain loops in double precision over lowrank views, sharing no
// code with the library's kernels.
#pragma once

#include <cmath>
#include <random>

#include <lowrank/matrix.hpp>

namespace lowrank::test {

/// A generator for test data (tests may use <random>; the core may not).
using test_rng = std::mt19937_64;

template <class M>
void fill_uniform(M& m, test_rng& rng, double lo = -1.0, double hi = 1.0) {
  std::uniform_real_distribution<double> dist(lo, hi);
  auto v = as_view(m);
  using T = typename decltype(v)::value_type;
  for (index i = 0; i < v.rows; ++i)
    for (index j = 0; j < v.cols; ++j) v(i, j) = static_cast<T>(dist(rng));
}

/// (op(A) op(B))(i, j) and sum_p |op(A)(i, p)| |op(B)(p, j)| in double, by a naive triple loop.
template <class VA, class VB>
void reference_product_entry(const VA& a, const VB& b, index i, index j, double& value, double& magnitude) {
  value = 0.0;
  magnitude = 0.0;
  for (index p = 0; p < VA::cols; ++p) {
    const double term = static_cast<double>(a(i, p)) * static_cast<double>(b(p, j));
    value += term;
    magnitude += std::fabs(term);
  }
}

}  // namespace lowrank::test
