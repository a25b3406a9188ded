// AVX2 + FMA op set (x86-64), for the register tile of kernels/register_tile.hpp. Selected by
// target.hpp when the compiler targets AVX2 and FMA (__AVX2__, __FMA__: -march=haswell, x86-64-v3,
// native) and not AVX-512.
//
// Register tiles (16 ymm registers), as BLIS's Haswell kernel:
//   NV = 2 (float 16, double 8 columns): 6 rows, 12 accumulators + 2 + 1 = 15 registers;
//   NV = 1 (float 8, double 4 columns):  12 rows, 12 accumulators + 1 + 1 = 14 registers.
// Twelve independent accumulators cover the FMA latency (4 cycles) times its throughput (2 per cycle).
#pragma once

#include <immintrin.h>

#include "../../config.hpp"
#include "../register_tile.hpp"

namespace lowrank::kernels::avx2 {

/// The op set of contract.hpp, per scalar type.
template <class T>
struct vector_ops;

template <>
struct vector_ops<float> {
  using value_type = float;
  using reg = __m256;
  using mask = __m256i;
  static constexpr index lanes = 8;
  static reg zero() noexcept { return _mm256_setzero_ps(); }
  static reg load(const float* p) noexcept { return _mm256_loadu_ps(p); }
  static void store(float* p, reg v) noexcept { _mm256_storeu_ps(p, v); }
  static reg broadcast(const float* p) noexcept { return _mm256_broadcast_ss(p); }
  static reg splat(float x) noexcept { return _mm256_set1_ps(x); }
  static reg mul(reg a, reg b) noexcept { return _mm256_mul_ps(a, b); }
  static reg fma(reg a, reg b, reg c) noexcept { return _mm256_fmadd_ps(a, b, c); }
  static reg fnma(reg a, reg b, reg c) noexcept { return _mm256_fnmadd_ps(a, b, c); }
  /// Lanes [0, live) set.
  static mask first(index live) noexcept {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(live)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
  static reg load(const float* p, mask m) noexcept { return _mm256_maskload_ps(p, m); }
  /// The first `live` lanes of v to p, by 4-, 2- and 1-lane stores. Not VMASKMOVPS: as a store it is
  /// microcoded on AMD cores (tens of cycles).
  static void store(float* p, reg v, index live) noexcept {
    __m128 x = _mm256_castps256_ps128(v);
    if (live >= 4) {
      _mm_storeu_ps(p, x);
      x = _mm256_extractf128_ps(v, 1);
      p += 4;
      live -= 4;
    }
    if (live >= 2) {
      _mm_storel_pi(reinterpret_cast<__m64*>(p), x);
      x = _mm_movehl_ps(x, x);
      p += 2;
      live -= 2;
    }
    if (live >= 1) _mm_store_ss(p, x);
  }
  /// The sum of the 8 lanes.
  static float sum(reg v) noexcept {
    __m128 x = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    x = _mm_add_ps(x, _mm_movehl_ps(x, x));
    x = _mm_add_ss(x, _mm_movehdup_ps(x));
    return _mm_cvtss_f32(x);
  }
};

template <>
struct vector_ops<double> {
  using value_type = double;
  using reg = __m256d;
  using mask = __m256i;
  static constexpr index lanes = 4;
  static reg zero() noexcept { return _mm256_setzero_pd(); }
  static reg load(const double* p) noexcept { return _mm256_loadu_pd(p); }
  static void store(double* p, reg v) noexcept { _mm256_storeu_pd(p, v); }
  static reg broadcast(const double* p) noexcept { return _mm256_broadcast_sd(p); }
  static reg splat(double x) noexcept { return _mm256_set1_pd(x); }
  static reg mul(reg a, reg b) noexcept { return _mm256_mul_pd(a, b); }
  static reg fma(reg a, reg b, reg c) noexcept { return _mm256_fmadd_pd(a, b, c); }
  static reg fnma(reg a, reg b, reg c) noexcept { return _mm256_fnmadd_pd(a, b, c); }
  static mask first(index live) noexcept {
    return _mm256_cmpgt_epi64(_mm256_set1_epi64x(static_cast<long long>(live)), _mm256_setr_epi64x(0, 1, 2, 3));
  }
  static reg load(const double* p, mask m) noexcept { return _mm256_maskload_pd(p, m); }
  static void store(double* p, reg v, index live) noexcept {
    __m128d x = _mm256_castpd256_pd128(v);
    if (live >= 2) {
      _mm_storeu_pd(p, x);
      x = _mm256_extractf128_pd(v, 1);
      p += 2;
      live -= 2;
    }
    if (live >= 1) _mm_store_sd(p, x);
  }
  /// The sum of the 4 lanes.
  static double sum(reg v) noexcept {
    __m128d x = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
    x = _mm_add_sd(x, _mm_unpackhi_pd(x, x));
    return _mm_cvtsd_f64(x);
  }
};

/// The AVX2 micro-kernel: 6 x 2 vectors wide, 12 x 1 narrow, small products laid out at compile time.
template <class T>
using microkernel = register_tile<vector_ops<T>, 6, 12, true>;

}  // namespace lowrank::kernels::avx2
