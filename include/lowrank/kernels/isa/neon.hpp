// NEON op set (AArch64 Advanced SIMD and 32-bit Arm NEON), for the register tile of
// kernels/register_tile.hpp. Selected by target.hpp when the compiler targets NEON (__ARM_NEON).
// The operands are read in place, as on x86 (no packing of A per product).
//
// Register tiles:
// - AArch64, 32 x 128-bit v registers, by-element multiply-adds (fma_lane): float NV = 2 (8 columns)
//   8 rows, 16 accumulators + 2 of op(B) + up to 8 of op(A) (a vector per row along k); NV = 1
//   (4 columns) 12 rows, 12 + 1 + 12, and 2 rows for the last rows of X^T A (register_tile's quarter
//   height); the last 2 columns of a product in the dot form. double the same shapes over 2-lane vectors.
// - ARMv7 NEON, 16 x 128-bit q registers, no float64 vectors, no fused by-element form: float 4 x 2
//   vectors (8 + 2 + 1 broadcast) and 8 x 1 (8 + 1 + 1); double uses the scalar kernel.
// NEON has no masked loads: a partial vector is loaded lane by lane into zeros, so nothing past the
// live lanes is read.
#pragma once

#include <arm_neon.h>

#include "../../config.hpp"
#include "../register_tile.hpp"
#include "scalar.hpp"

namespace lowrank::kernels::neon {

/// The op set of contract.hpp, per scalar type.
template <class T>
struct vector_ops;

template <>
struct vector_ops<float> {
  using value_type = float;
  using reg = float32x4_t;
  using mask = index;  ///< the number of live lanes
  static constexpr index lanes = 4;
  static reg zero() noexcept { return vdupq_n_f32(0.0f); }
  static reg splat(float x) noexcept { return vdupq_n_f32(x); }
  static reg load(const float* p) noexcept { return vld1q_f32(p); }
  static void store(float* p, reg v) noexcept { vst1q_f32(p, v); }
  static reg broadcast(const float* p) noexcept { return vld1q_dup_f32(p); }
  static reg mul(reg a, reg b) noexcept { return vmulq_f32(a, b); }
#if defined(__aarch64__) || defined(__ARM_FEATURE_FMA)
  static reg fma(reg a, reg b, reg c) noexcept { return vfmaq_f32(c, a, b); }
  static reg fnma(reg a, reg b, reg c) noexcept { return vfmsq_f32(c, a, b); }
#else
  static reg fma(reg a, reg b, reg c) noexcept { return vmlaq_f32(c, a, b); }  // NEONv1: unfused
  static reg fnma(reg a, reg b, reg c) noexcept { return vmlsq_f32(c, a, b); }
#endif
#if defined(__aarch64__)
  /// By-element multiply-adds: the tile loads op(A) as vectors instead of broadcasting each value.
  template <int L>
  static reg fma_lane(reg a, reg b, reg c) noexcept { return vfmaq_laneq_f32(c, b, a, L); }
  template <int L>
  static reg fnma_lane(reg a, reg b, reg c) noexcept { return vfmsq_laneq_f32(c, b, a, L); }
  /// Two columns per dot block (6 x 2 accumulators fit the 32 registers): the last 2 columns of A Y
  /// with d = 10 go to the dot form, where the narrow tile would leave half of each vector idle.
  static constexpr index dot_cols = 2;
#endif
  static mask first(index live) noexcept { return live; }
  /// Lanes [0, live) from p, the others zero.
  static reg load(const float* p, mask live) noexcept {
    if (live >= lanes) return vld1q_f32(p);
    const float32x2_t z = vdup_n_f32(0.0f);
    if (live >= 2) {
      return vcombine_f32(vld1_f32(p), live == 3 ? vld1_lane_f32(p + 2, z, 0) : z);
    }
    return vcombine_f32(vld1_lane_f32(p, z, 0), z);
  }
  static void store(float* p, reg v, index live) noexcept {
    if (live >= 2) {
      vst1_f32(p, vget_low_f32(v));
      if (live == 3) vst1q_lane_f32(p + 2, v, 2);
      if (live >= 4) vst1_f32(p + 2, vget_high_f32(v));
      return;
    }
    vst1q_lane_f32(p, v, 0);
  }
  static float sum(reg v) noexcept {
#if defined(__aarch64__)
    return vaddvq_f32(v);
#else
    const float32x2_t x = vadd_f32(vget_low_f32(v), vget_high_f32(v));
    return vget_lane_f32(vpadd_f32(x, x), 0);
#endif
  }
};

#if defined(__aarch64__)
template <>
struct vector_ops<double> {
  using value_type = double;
  using reg = float64x2_t;
  using mask = index;
  static constexpr index lanes = 2;
  static reg zero() noexcept { return vdupq_n_f64(0.0); }
  static reg splat(double x) noexcept { return vdupq_n_f64(x); }
  static reg load(const double* p) noexcept { return vld1q_f64(p); }
  static void store(double* p, reg v) noexcept { vst1q_f64(p, v); }
  static reg broadcast(const double* p) noexcept { return vld1q_dup_f64(p); }
  static reg mul(reg a, reg b) noexcept { return vmulq_f64(a, b); }
  static reg fma(reg a, reg b, reg c) noexcept { return vfmaq_f64(c, a, b); }
  static reg fnma(reg a, reg b, reg c) noexcept { return vfmsq_f64(c, a, b); }
  template <int L>
  static reg fma_lane(reg a, reg b, reg c) noexcept { return vfmaq_laneq_f64(c, b, a, L); }
  template <int L>
  static reg fnma_lane(reg a, reg b, reg c) noexcept { return vfmsq_laneq_f64(c, b, a, L); }
  static mask first(index live) noexcept { return live; }
  static reg load(const double* p, mask live) noexcept {
    return live >= lanes ? vld1q_f64(p) : vcombine_f64(vld1_f64(p), vdup_n_f64(0.0));
  }
  static void store(double* p, reg v, index live) noexcept {
    if (live >= lanes) vst1q_f64(p, v);
    else vst1q_lane_f64(p, v, 0);
  }
  static double sum(reg v) noexcept { return vaddvq_f64(v); }
};

template <class T>
using microkernel = register_tile<vector_ops<T>, 8, 12, false>;
#else
template <class T>
struct microkernel;
template <>
struct microkernel<float> : register_tile<vector_ops<float>, 4, 8, false> {};
template <>
struct microkernel<double> : scalar::microkernel<double> {};  // ARMv7 NEON has no float64 lanes
#endif

}  // namespace lowrank::kernels::neon
