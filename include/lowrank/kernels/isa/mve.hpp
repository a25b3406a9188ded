// Helium (M-profile Vector Extension, MVE with floating point) op set: Cortex-M55, M85, for the
// register tile of kernels/register_tile.hpp. Selected by target.hpp when the compiler targets MVE
// with floating point (__ARM_FEATURE_MVE & 2: -mcpu=cortex-m55).
//
// Eight 128-bit Q registers: float NV = 2 (8 columns) 3 rows, 6 accumulators + 2 B vectors, the A
// value multiplied in from a general-purpose register (VFMA's vector-by-scalar form); NV = 1 (4
// columns) 4 rows, 4 + 1: six would fit the Q registers, but their six row pointers spill from the
// general-purpose registers, and 4 divides the usual heights where 6 leaves partial tiles. Partial vectors are tail-predicated loads and stores (VCTP), so an edge reads
// and writes nothing past its live lanes. MVE has no float64 vectors: double uses the scalar kernel.
// No compile-time small layouts: flash is scarce.
#pragma once

#include <arm_mve.h>

#include "../../config.hpp"
#include "../register_tile.hpp"
#include "scalar.hpp"

namespace lowrank::kernels::mve {

/// The op set of contract.hpp (float only).
struct vector_ops {
  using value_type = float;
  using reg = float32x4_t;
  using mask = mve_pred16_t;
  static constexpr index lanes = 4;
  static reg zero() noexcept { return vdupq_n_f32(0.0f); }
  static reg splat(float x) noexcept { return vdupq_n_f32(x); }
  static reg load(const float* p) noexcept { return vld1q_f32(p); }
  static void store(float* p, reg v) noexcept { vst1q_f32(p, v); }
  /// The value itself, not a vector: VFMA multiplies by a general-purpose register, which saves the
  /// VDUP and a Q register per row (with eight Q registers, the difference between spilling or not).
  static float broadcast(const float* p) noexcept { return *p; }
  static reg mul(reg a, reg b) noexcept { return vmulq_f32(a, b); }
  static reg fma(reg a, reg b, reg c) noexcept { return vfmaq_f32(c, a, b); }
  static reg fnma(reg a, reg b, reg c) noexcept { return vfmsq_f32(c, a, b); }
  static reg fma(float a, reg b, reg c) noexcept { return vfmaq_n_f32(c, b, a); }
  /// No VFMS by a scalar: b is negated instead of a, once per k step (the same b serves every row).
  static reg fnma(float a, reg b, reg c) noexcept { return vfmaq_n_f32(c, vnegq_f32(b), a); }
  /// Lanes [0, live) active.
  static mask first(index live) noexcept { return vctp32q(static_cast<std::uint32_t>(live)); }
  static reg load(const float* p, mask m) noexcept { return vld1q_z_f32(p, m); }
  static void store(float* p, reg v, index live) noexcept { vst1q_p_f32(p, v, first(live)); }
  static float sum(reg v) noexcept {
    return (vgetq_lane_f32(v, 0) + vgetq_lane_f32(v, 1)) + (vgetq_lane_f32(v, 2) + vgetq_lane_f32(v, 3));
  }
};

template <class T>
struct microkernel;
template <>
struct microkernel<float> : register_tile<vector_ops, 3, 4, false> {};
template <>
struct microkernel<double> : scalar::microkernel<double> {};  // MVE has no float64 lanes

}  // namespace lowrank::kernels::mve
