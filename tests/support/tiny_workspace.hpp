// Test support for the GEMM tests: a workspace with deliberately tiny cache blocks, so that every
// blocking loop and every padded edge runs even on small matrices.
#pragma once

#include <lowrank/kernels/gemm.hpp>

namespace lowrank::test {

/// Packing buffers of 2 MR x 5 and 5 x 2 NR for micro-kernel Kernel (gemm's Workspace contract).
template <class Kernel>
struct TinyWorkspace {
  using kernel = Kernel;
  using T = typename Kernel::value_type;
  static constexpr index mc = 2 * Kernel::mr, kc = 5, nc = 2 * Kernel::nr;
  alignas(64) T a[mc * kc];
  alignas(64) T b[kc * nc];
  kernels::packing_buffers<T> buffers() { return {a, b, mc, kc, nc}; }
};

/// alpha and beta of one checked product C = alpha (...) + beta C.
struct Coefficients {
  double alpha, beta;
};

}  // namespace lowrank::test
