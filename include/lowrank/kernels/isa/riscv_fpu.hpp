// RISC-V F/D op set (no vector extension): 32 floating-point registers and nothing wider, for the
// register tile of kernels/register_tile.hpp. Selected by target.hpp for the scalar types that the
// compiler's RISC-V target has in hardware (__riscv_flen) when it has no RVV.
//
// A "vector" here is a group of `Lanes` scalar registers, each operation an unrolled loop over the
// group that GCC keeps in registers, so the one register-tile algorithm also serves an FPU without
// SIMD. The shapes leave room in the register file for GCC's schedule, which loads every row's value
// of op(A) before the multiply-adds: 2-lane groups, NV = 2 (4 columns) 5 rows, 20 accumulators + 4 of
// op(B) + 5 of op(A) = 29 of the 32 f registers (6 rows spill); NV = 1 (2 columns) 8 rows, 16 + 2 + 8.
// The value of op(A) is multiplied in from its own register (broadcast returns the scalar). Where the
// FPU is single precision only (rv32imafc), double runs in software on the portable kernel. No
// compile-time small layouts: flash is scarce.
//
// RVV 1.0 intrinsics need GCC 13 or later (the toolchains used here are GCC 12); a vector op set would
// be one more file of this kind.
#pragma once

#include "../../config.hpp"
#include "../register_tile.hpp"

namespace lowrank::kernels::riscv_fpu {

/// The op set of contract.hpp over groups of Lanes scalar registers.
template <class T, index Lanes>
struct register_group_ops {
  using value_type = T;
  struct reg {
    T v[Lanes];
  };
  using mask = index;  ///< the number of live lanes
  static constexpr index lanes = Lanes;
  /// No indexed loads: a pointer per row of op(A), moved once per four k steps (register_tile.hpp).
  static constexpr index k_unroll = 4;

  static LOWRANK_ALWAYS_INLINE reg zero() noexcept { return splat(T(0)); }
  static LOWRANK_ALWAYS_INLINE reg splat(T x) noexcept {
    reg r;
#pragma GCC unroll 8
    for (index l = 0; l < Lanes; ++l) r.v[l] = x;
    return r;
  }
  static LOWRANK_ALWAYS_INLINE reg load(const T* p) noexcept {
    reg r;
#pragma GCC unroll 8
    for (index l = 0; l < Lanes; ++l) r.v[l] = p[l];
    return r;
  }
  static LOWRANK_ALWAYS_INLINE void store(T* p, reg x) noexcept {
#pragma GCC unroll 8
    for (index l = 0; l < Lanes; ++l) p[l] = x.v[l];
  }
  /// The value itself: fmadd takes it from its own register, no copy per lane.
  static LOWRANK_ALWAYS_INLINE T broadcast(const T* p) noexcept { return *p; }
  static LOWRANK_ALWAYS_INLINE reg mul(reg a, reg b) noexcept {
#pragma GCC unroll 8
    for (index l = 0; l < Lanes; ++l) a.v[l] *= b.v[l];
    return a;
  }
  static LOWRANK_ALWAYS_INLINE reg fma(reg a, reg b, reg c) noexcept {
#pragma GCC unroll 8
    for (index l = 0; l < Lanes; ++l) c.v[l] += a.v[l] * b.v[l];
    return c;
  }
  static LOWRANK_ALWAYS_INLINE reg fnma(reg a, reg b, reg c) noexcept {
#pragma GCC unroll 8
    for (index l = 0; l < Lanes; ++l) c.v[l] -= a.v[l] * b.v[l];
    return c;
  }
  static LOWRANK_ALWAYS_INLINE reg fma(T a, reg b, reg c) noexcept {
#pragma GCC unroll 8
    for (index l = 0; l < Lanes; ++l) c.v[l] += a * b.v[l];
    return c;
  }
  static LOWRANK_ALWAYS_INLINE reg fnma(T a, reg b, reg c) noexcept {
#pragma GCC unroll 8
    for (index l = 0; l < Lanes; ++l) c.v[l] -= a * b.v[l];
    return c;
  }
  static LOWRANK_ALWAYS_INLINE mask first(index live) noexcept { return live; }
  /// Lanes [0, live) from p, the others zero.
  static LOWRANK_ALWAYS_INLINE reg load(const T* p, mask live) noexcept {
    reg r;
#pragma GCC unroll 8
    for (index l = 0; l < Lanes; ++l) r.v[l] = l < live ? p[l] : T(0);
    return r;
  }
  static LOWRANK_ALWAYS_INLINE void store(T* p, reg x, index live) noexcept {
#pragma GCC unroll 8
    for (index l = 0; l < Lanes; ++l) {
      if (l < live) p[l] = x.v[l];
    }
  }
  static LOWRANK_ALWAYS_INLINE T sum(reg x) noexcept {
    T s = x.v[0];
#pragma GCC unroll 8
    for (index l = 1; l < Lanes; ++l) s += x.v[l];
    return s;
  }
};

/// The register tile. Plain C++, so it builds and is tested on any host too.
template <class T>
using microkernel = register_tile<register_group_ops<T, 2>, 5, 8, false>;

}  // namespace lowrank::kernels::riscv_fpu
