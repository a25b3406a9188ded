// AVX-512 op set (x86-64, AVX-512F), for the register tile of kernels/register_tile.hpp. Selected by
// target.hpp when the compiler targets AVX-512F (__AVX512F__: -march=skylake-avx512, x86-64-v4,
// znver4, native on such a CPU).
//
// Register tiles (32 zmm registers), as BLIS's SkylakeX kernel:
//   NV = 2 (float 32, double 16 columns): 12 rows, 24 accumulators + 2 + 1 = 27 registers;
//   NV = 1 (float 16, double 8 columns):  16 rows, 16 accumulators + 1 + 1 = 18 registers.
// Partial vectors are AVX-512's masked loads and stores: masked-off lanes are neither read nor
// written (and cannot fault), so an edge costs one k-mask and nothing else.
#pragma once

#include <immintrin.h>

#include "../../config.hpp"
#include "../register_tile.hpp"

namespace lowrank::kernels::avx512 {

/// The op set of contract.hpp, per scalar type.
template <class T>
struct vector_ops;

template <>
struct vector_ops<float> {
  using value_type = float;
  using reg = __m512;
  using mask = __mmask16;
  static constexpr index lanes = 16;
  static constexpr bool partial_loads_free = true;  ///< a k-masked load is one load
  static reg zero() noexcept { return _mm512_setzero_ps(); }
  static reg load(const float* p) noexcept { return _mm512_loadu_ps(p); }
  static void store(float* p, reg v) noexcept { _mm512_storeu_ps(p, v); }
  static reg broadcast(const float* p) noexcept { return _mm512_set1_ps(*p); }
  static reg splat(float x) noexcept { return _mm512_set1_ps(x); }
  static reg mul(reg a, reg b) noexcept { return _mm512_mul_ps(a, b); }
  static reg fma(reg a, reg b, reg c) noexcept { return _mm512_fmadd_ps(a, b, c); }
  static reg fnma(reg a, reg b, reg c) noexcept { return _mm512_fnmadd_ps(a, b, c); }
  /// Lanes [0, live) set.
  static mask first(index live) noexcept { return static_cast<mask>((1u << live) - 1u); }
  static reg load(const float* p, mask m) noexcept { return _mm512_maskz_loadu_ps(m, p); }
  static void store(float* p, reg v, index live) noexcept { _mm512_mask_storeu_ps(p, first(live), v); }
  /// The sum of the 16 lanes, through memory: GCC 12's 512-bit reductions, extracts and shuffles
  /// start from an undefined vector and fail -Werror=uninitialized at -O3. Once per entry of C, never
  /// per k step, so the stores cost nothing measurable.
  static float sum(reg v) noexcept {
    alignas(64) float t[16];
    _mm512_store_ps(t, v);
    float s8[8];
    for (int i = 0; i < 8; ++i) s8[i] = t[i] + t[i + 8];
    return ((s8[0] + s8[4]) + (s8[1] + s8[5])) + ((s8[2] + s8[6]) + (s8[3] + s8[7]));
  }
};

template <>
struct vector_ops<double> {
  using value_type = double;
  using reg = __m512d;
  using mask = __mmask8;
  static constexpr index lanes = 8;
  static constexpr bool partial_loads_free = true;  ///< a k-masked load is one load
  static reg zero() noexcept { return _mm512_setzero_pd(); }
  static reg load(const double* p) noexcept { return _mm512_loadu_pd(p); }
  static void store(double* p, reg v) noexcept { _mm512_storeu_pd(p, v); }
  static reg broadcast(const double* p) noexcept { return _mm512_set1_pd(*p); }
  static reg splat(double x) noexcept { return _mm512_set1_pd(x); }
  static reg mul(reg a, reg b) noexcept { return _mm512_mul_pd(a, b); }
  static reg fma(reg a, reg b, reg c) noexcept { return _mm512_fmadd_pd(a, b, c); }
  static reg fnma(reg a, reg b, reg c) noexcept { return _mm512_fnmadd_pd(a, b, c); }
  static mask first(index live) noexcept { return static_cast<mask>((1u << live) - 1u); }
  static reg load(const double* p, mask m) noexcept { return _mm512_maskz_loadu_pd(m, p); }
  static void store(double* p, reg v, index live) noexcept { _mm512_mask_storeu_pd(p, first(live), v); }
  /// The sum of the 8 lanes, through memory (as for float).
  static double sum(reg v) noexcept {
    alignas(64) double t[8];
    _mm512_store_pd(t, v);
    return ((t[0] + t[4]) + (t[1] + t[5])) + ((t[2] + t[6]) + (t[3] + t[7]));
  }
};

/// The AVX-512 micro-kernel: 12 x 2 vectors wide, 16 x 1 narrow, small products laid out at compile time.
template <class T>
using microkernel = register_tile<vector_ops<T>, 12, 16, true>;

}  // namespace lowrank::kernels::avx512
