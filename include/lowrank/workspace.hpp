// Everything a solver needs besides A, X and Y, in one object whose size is a compile-time constant.
// Declare it `static` next to the matrices; sizeof(Workspace<T, M, N, D>) is the solver's extra RAM.
#pragma once

#include "kernels/gemm.hpp"
#include "matrix.hpp"

namespace lowrank {

namespace detail {
constexpr index larger(index x, index y) { return x > y ? x : y; }
}  // namespace detail

/// Checks the factorization's shape at compile time: 1 <= d <= min(m, n).
template <index M, index N, index D>
constexpr void require_factor_rank() {
  static_assert(D >= 1, "lowrank: the factor rank d must be at least 1");
  static_assert(D <= M && D <= N, "lowrank: the factor rank d must not exceed min(m, n)");
}

/// Scratch for factorizing an M x N matrix into X (M x D) Y^T (Y is N x D).
template <class T, index M, index N, index D>
struct Workspace {
  static_assert((require_factor_rank<M, N, D>(), true));
  using value_type = T;

  Matrix<T, M, D> grad_x;   ///< gradient (or preconditioned step) for X
  Matrix<T, N, D> grad_y;   ///< gradient (or preconditioned step) for Y
  Matrix<T, D, D> gram_x;   ///< X^T X
  Matrix<T, D, D> gram_y;   ///< Y^T Y
  Matrix<T, D, D> factor;   ///< a Cholesky factor, for the preconditioned methods
  Matrix<T, M, D> best_x;   ///< the best iterate so far, restored when a run diverges or stalls
  Matrix<T, N, D> best_y;
  /// Packing buffers for every product of an iteration: (M x N)(N x D), (N x M)(M x D), Grams.
  GemmWorkspace<T, detail::larger(M, N), D, detail::larger(M, N)> gemm;
  bool gram_x_current = false;  ///< gram_x already holds X^T X for the current X
  T damping = T(0);  ///< lambda of the preconditioners (G + lambda I), kept from evaluate to advance
};

}  // namespace lowrank
