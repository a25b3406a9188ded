// NEON micro-kernels (AArch64 Advanced SIMD and 32-bit Arm NEON). Same contract as
// scalar::microkernel. One register-tile kernel serves every case; only the vector type, the lane
// FMA and the tile shape differ between AArch64 and ARMv7, and those are the only #if below.
//
// Each k step loads MR/lanes vectors of A and NR/lanes vectors of B, then for every row i adds
// a[i] * b to that row's accumulators with a by-lane multiply-add, so A is never broadcast into
// registers of its own. Tiles (accumulators + B vectors + A vectors of the register file):
// - AArch64, 32 x 128-bit v registers:
//     float  8 x 8: 16 + 2 + 2 = 20, double 4 x 8: 16 + 4 + 2 = 22.
//   16 accumulators leave a third of the file free, so the compiler can overlap the next step's
//   loads with this step's FMAs without spilling, and the tile stays small enough that the padded
//   edges of the small fixed-size products this library is for waste little work. (BLIS's hand-
//   scheduled 8 x 12 / 6 x 8 use 29-31 registers, which compiled intrinsics would spill.)
// - ARMv7 NEON, 16 x 128-bit q registers, no float64 vectors:
//     float  4 x 8: 8 + 2 + 1, plus 1 to 4 for the lane broadcasts that VFMA needs (it has no
//   by-scalar form) = 12 to 15 of 16; 6 x 8 would need more than 16 and spill. double uses the
//   scalar kernel.
#pragma once

#include <arm_neon.h>

#include <utility>

#include "../../config.hpp"
#include "scalar.hpp"

namespace lowrank::kernels::neon {

/// The handful of vector operations the kernel needs, per scalar type.
template <class T>
struct vector_ops;

template <>
struct vector_ops<float> {
  using reg = float32x4_t;
  static constexpr int lanes = 4;
  static reg zero() noexcept { return vdupq_n_f32(0.0f); }
  static reg splat(float x) noexcept { return vdupq_n_f32(x); }
  static reg load(const float* p) noexcept { return vld1q_f32(p); }
  static void store(float* p, reg v) noexcept { vst1q_f32(p, v); }
  static reg mul(reg x, reg y) noexcept { return vmulq_f32(x, y); }
#if defined(__aarch64__)
  /// acc + b * a[Lane]
  template <int Lane>
  static reg fma_lane(reg acc, reg b, reg a) noexcept { return vfmaq_laneq_f32(acc, b, a, Lane); }
  static reg fma(reg acc, reg x, reg y) noexcept { return vfmaq_f32(acc, x, y); }
#else
  template <int Lane>
  static reg fma_lane(reg acc, reg b, reg a) noexcept {
    const float32x2_t half = Lane < 2 ? vget_low_f32(a) : vget_high_f32(a);
#if defined(__ARM_FEATURE_FMA)
    return vfmaq_f32(acc, b, vdupq_lane_f32(half, Lane % 2));
#else
    return vmlaq_lane_f32(acc, b, half, Lane % 2);  // NEONv1 (Cortex-A8/A9): unfused
#endif
  }
  static reg fma(reg acc, reg x, reg y) noexcept {
#if defined(__ARM_FEATURE_FMA)
    return vfmaq_f32(acc, x, y);
#else
    return vmlaq_f32(acc, x, y);
#endif
  }
#endif
};

#if defined(__aarch64__)
template <>
struct vector_ops<double> {
  using reg = float64x2_t;
  static constexpr int lanes = 2;
  static reg zero() noexcept { return vdupq_n_f64(0.0); }
  static reg splat(double x) noexcept { return vdupq_n_f64(x); }
  static reg load(const double* p) noexcept { return vld1q_f64(p); }
  static void store(double* p, reg v) noexcept { vst1q_f64(p, v); }
  static reg mul(reg x, reg y) noexcept { return vmulq_f64(x, y); }
  template <int Lane>
  static reg fma_lane(reg acc, reg b, reg a) noexcept { return vfmaq_laneq_f64(acc, b, a, Lane); }
  static reg fma(reg acc, reg x, reg y) noexcept { return vfmaq_f64(acc, x, y); }
};
#endif

/// An MR x NR register tile: MR rows of NR / lanes accumulator vectors.
template <class T, index MR, index NR>
struct register_tile {
  using value_type = T;
  using V = vector_ops<T>;
  using reg = typename V::reg;
  static constexpr index mr = MR;
  static constexpr index nr = NR;
  static constexpr index lanes = static_cast<index>(V::lanes);
  static constexpr index av = MR / lanes;  // A vectors per step
  static constexpr index bv = NR / lanes;  // B vectors (and accumulators) per row
  static_assert(MR % lanes == 0 && NR % lanes == 0, "the tile must be whole vectors");

  static void run(index k, const T* LOWRANK_RESTRICT a, const T* LOWRANK_RESTRICT b,
                  T* LOWRANK_RESTRICT c, index ldc, T alpha, T beta) noexcept {
    reg acc[MR][bv];
#pragma GCC unroll 8
    for (index i = 0; i < MR; ++i) {
#pragma GCC unroll 4
      for (index j = 0; j < bv; ++j) acc[i][j] = V::zero();
    }
    for (index p = 0; p < k; ++p) {
      reg as[av];
      reg bs[bv];
#pragma GCC unroll 4
      for (index i = 0; i < av; ++i) as[i] = V::load(a + i * lanes);
#pragma GCC unroll 4
      for (index j = 0; j < bv; ++j) bs[j] = V::load(b + j * lanes);
      update_rows(acc, as, bs, std::make_integer_sequence<int, static_cast<int>(MR)>{});
      a += MR;
      b += NR;
    }
    const reg va = V::splat(alpha);
    if (beta == T(0)) {
#pragma GCC unroll 8
      for (index i = 0; i < MR; ++i) {
#pragma GCC unroll 4
        for (index j = 0; j < bv; ++j) V::store(c + i * ldc + j * lanes, V::mul(va, acc[i][j]));
      }
    } else {
      const reg vb = V::splat(beta);
#pragma GCC unroll 8
      for (index i = 0; i < MR; ++i) {
#pragma GCC unroll 4
        for (index j = 0; j < bv; ++j) {
          T* cij = c + i * ldc + j * lanes;
          V::store(cij, V::fma(V::mul(vb, V::load(cij)), va, acc[i][j]));
        }
      }
    }
  }

 private:
  // Rows are a parameter pack so that each row's lane number is a constant, as the intrinsics need.
  template <int... I>
  static LOWRANK_ALWAYS_INLINE void update_rows(reg (&acc)[MR][bv], const reg (&as)[av],
                                                const reg (&bs)[bv],
                                                std::integer_sequence<int, I...>) noexcept {
    (update_row<I>(acc[I], as[static_cast<index>(I) / lanes], bs), ...);
  }

  template <int I>
  static LOWRANK_ALWAYS_INLINE void update_row(reg (&row)[bv], reg a, const reg (&bs)[bv]) noexcept {
#pragma GCC unroll 4
    for (index j = 0; j < bv; ++j) row[j] = V::template fma_lane<I % V::lanes>(row[j], bs[j], a);
  }
};

template <class T>
struct microkernel;

#if defined(__aarch64__)
template <>
struct microkernel<float> : register_tile<float, 8, 8> {};
template <>
struct microkernel<double> : register_tile<double, 4, 8> {};
#else
template <>
struct microkernel<float> : register_tile<float, 4, 8> {};
template <>
struct microkernel<double> : scalar::microkernel<double> {};  // ARMv7 NEON has no float64 lanes
#endif

}  // namespace lowrank::kernels::neon
