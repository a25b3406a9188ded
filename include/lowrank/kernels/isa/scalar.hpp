// Portable micro-kernel: plain C++ the compiler keeps in registers. The path for Cortex-M and for
// any target without a SIMD kernel, and the reference the SIMD kernels are tested against.
#pragma once

#include "../../config.hpp"

namespace lowrank::kernels::scalar {

/// C (MR x NR) = alpha * sum_p a_p b_p^T + beta * C, over k packed steps.
///
/// The contract every ISA's micro-kernel follows:
/// - `a` holds k groups of `mr` values (column p of an MR-row panel of op(A)),
/// - `b` holds k groups of `nr` values (row p of an NR-column panel of op(B)),
/// - C's rows are `ldc` apart and contiguous; beta == 0 means C is written, never read.
/// k may be 0. The kernel knows nothing of blocking, matrices or solvers.
///
/// 4 x 4 for float uses 16 accumulators + 8 operands = 24 of a Cortex-M4F's 32 single registers.
template <class T, index MR = 4, index NR = 4>
struct microkernel {
  using value_type = T;
  static constexpr index mr = MR;
  static constexpr index nr = NR;

  static void run(index k, const T* LOWRANK_RESTRICT a, const T* LOWRANK_RESTRICT b,
                  T* LOWRANK_RESTRICT c, index ldc, T alpha, T beta) noexcept {
    T acc[MR][NR] = {};
    for (index p = 0; p < k; ++p) {
      for (index i = 0; i < MR; ++i) {
        for (index j = 0; j < NR; ++j) acc[i][j] += a[i] * b[j];
      }
      a += MR;
      b += NR;
    }
    for (index i = 0; i < MR; ++i) {
      T* ci = c + i * ldc;
      if (beta == T(0)) {
        for (index j = 0; j < NR; ++j) ci[j] = alpha * acc[i][j];
      } else {
        for (index j = 0; j < NR; ++j) ci[j] = alpha * acc[i][j] + beta * ci[j];
      }
    }
  }
};

}  // namespace lowrank::kernels::scalar
