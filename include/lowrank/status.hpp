// Errors are values: every operation that can fail returns one of these.
#pragma once

#include <cstdint>

namespace lowrank {

enum class status : std::uint8_t {
  ok,                     ///< the operation did what was asked (kernels, initializations)
  converged,              ///< a solver reached the target relative error (certified by the exact residual)
  max_iterations,         ///< the iteration cap came first; the best iterate is kept
  stalled,                ///< the relative error stopped improving; the best iterate is kept
  diverged,               ///< the loss grew past its bound or turned non-finite; best iterate kept
  invalid_input,          ///< NaN or Inf in the input; nothing was computed
  zero_input,             ///< the matrix is zero; the factors are set to an exact zero factorization
  not_positive_definite,  ///< a Cholesky factorization met a non-positive pivot
  invalid_argument,       ///< a parameter is out of range (a step <= 0, a negative tolerance, ...)
  unobservable,           ///< the data cannot determine the answer (a row or column of A with no observed entry)
  stationary,             ///< a solver stopped at a stationary point above the target: the gradient vanished
                          ///< (to the tolerance) and the error stopped falling; on data that is not exactly
                          ///< low-rank this is the optimum, and the best iterate is returned
  out_of_range,           ///< the data's norm is too close to the largest number of the scalar type (products
                          ///< with it would overflow): scale the data down; nothing was computed
};

/// The status's name, e.g. "converged", for logs and reports (a string literal, never null).
const char* to_string(status s) noexcept;

/// True for the statuses after which the factors hold the answer that was asked for: ok, converged,
/// stationary, zero_input. (After max_iterations, stalled and diverged they hold the best iterate
/// found, finite but not certified.)
constexpr bool succeeded(status s) noexcept {
  return s == status::ok || s == status::converged || s == status::stationary || s == status::zero_input;
}

}  // namespace lowrank
