// Fuzz target: lowrank::gemm, C = alpha op(A) op(B) + beta C, against a naive long-double loop, for
// every op combination, a few shapes, float and double, entries across the exponent range. Each
// entry of C must be within the classical bound (k + 2) eps (|alpha| sum |a||b| + |beta c|) of the
// reference (plus the subnormal spacing per operation), finite whenever that bound is; beta = 0
// must ignore C (it holds NaN then).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

#include <lowrank/kernels/gemm.hpp>

#include "checks.hpp"
#include "entry.hpp"
#include "fuzz_input.hpp"
#include "solve_choices.hpp"

namespace lowrank::fuzz {
namespace {

/// Fills a matrix with finite entries from the input (specials turned into 0: the bound needs
/// finite operands).
template <class T, index R, index C>
void fill_finite(fuzz_input& in, Matrix<T, R, C>& m) noexcept {
  fill_entries(in, m);
  for (index i = 0; i < R; ++i)
    for (index j = 0; j < C; ++j)
      if (!std::isfinite(m(i, j))) m(i, j) = T(0);
}

/// Checks one product with op(A) = va (M x K) and op(B) = vb (K x N).
template <class T, index M, index N, index K, class VA, class VB>
void check_product(fuzz_input& in, VA va, VB vb) noexcept {
  Matrix<T, M, N> c, c0;
  const T alpha = in.entry(in.scale<T>());
  const std::uint8_t which_beta = in.byte();
  const T beta = which_beta < 64 ? T(0) : (which_beta < 128 ? T(1) : in.entry(T(1)));
  fill_finite(in, c0);
  for (index i = 0; i < M; ++i)
    for (index j = 0; j < N; ++j) c(i, j) = beta == T(0) ? std::numeric_limits<T>::quiet_NaN() : c0(i, j);
  if (!std::isfinite(alpha) || !std::isfinite(beta)) return;
  gemm(alpha, va, vb, beta, c);
  const long double eps = std::numeric_limits<T>::epsilon();
  const long double tiny = std::numeric_limits<T>::denorm_min();
  const long double huge = std::numeric_limits<T>::max();
  for (index i = 0; i < M; ++i)
    for (index j = 0; j < N; ++j) {
      long double value = 0, magnitude = 0;
      for (index p = 0; p < K; ++p) {
        const long double term = static_cast<long double>(va(i, p)) * static_cast<long double>(vb(p, j));
        value += term;
        magnitude += std::fabs(term);
      }
      const long double old = beta == T(0) ? 0.0L : static_cast<long double>(c0(i, j));
      const long double expected = static_cast<long double>(alpha) * value + static_cast<long double>(beta) * old;
      const long double scale = std::fabs(static_cast<long double>(alpha)) * magnitude +
                                std::fabs(static_cast<long double>(beta) * old);
      // Below the normal range each operation may lose up to the subnormal spacing, scaled by
      // whichever of alpha and beta multiplies it afterwards.
      const long double spacing = 4 * tiny * std::fmax(1.0L, std::fmax(std::fabs(static_cast<long double>(alpha)),
                                                                         std::fabs(static_cast<long double>(beta))));
      const long double bound = static_cast<long double>(K + 2) * (eps * scale + spacing);
      if (scale * 4 > huge || magnitude * 4 > huge) continue;  // an intermediate may overflow: nothing to certify
      check(std::isfinite(c(i, j)), "gemm_finite_when_the_bound_is", "");
      check(std::fabs(static_cast<long double>(c(i, j)) - expected) <= bound, "gemm_within_the_rounding_bound", "");
    }
}

template <class T, index M, index N, index K>
void run(fuzz_input& in) noexcept {
  const index ops = in.choice(4);
  Matrix<T, M, K> a;
  Matrix<T, K, M> at;
  Matrix<T, K, N> b;
  Matrix<T, N, K> bt;
  if (ops == 0) { fill_finite(in, a); fill_finite(in, b); check_product<T, M, N, K>(in, a.view(), b.view()); }
  if (ops == 1) { fill_finite(in, at); fill_finite(in, b); check_product<T, M, N, K>(in, transpose(at), b.view()); }
  if (ops == 2) { fill_finite(in, a); fill_finite(in, bt); check_product<T, M, N, K>(in, a.view(), transpose(bt)); }
  if (ops == 3) { fill_finite(in, at); fill_finite(in, bt); check_product<T, M, N, K>(in, transpose(at), transpose(bt)); }
}

}  // namespace
}  // namespace lowrank::fuzz

extern "C" int LOWRANK_FUZZ_ENTRY(gemm)(const std::uint8_t* data, std::size_t size) {
  using namespace lowrank::fuzz;
  fuzz_input in(data, size);
  switch (in.choice(6)) {
    case 0: run<float, 1, 1, 1>(in); break;
    case 1: run<float, 3, 2, 5>(in); break;
    case 2: run<float, 8, 3, 8>(in); break;
    case 3: run<float, 17, 9, 13>(in); break;
    case 4: run<double, 6, 5, 7>(in); break;
    default: run<double, 13, 16, 33>(in); break;
  }
  return 0;
}
