// AVX2 + FMA micro-kernel (x86-64): 6 rows x 2 vectors of accumulators, as BLIS's Haswell kernel.
// 12 accumulators + 2 B vectors + 1 broadcast A value = 15 of the 16 ymm registers.
// Tiles: float 6 x 16, double 6 x 8. Same contract as scalar::microkernel.
#pragma once

#include <immintrin.h>

#include "../../config.hpp"

namespace lowrank::kernels::avx2 {

/// The handful of vector operations the kernel needs, per scalar type.
template <class T>
struct vector_ops;

template <>
struct vector_ops<float> {
  using reg = __m256;
  static constexpr index lanes = 8;
  static reg zero() noexcept { return _mm256_setzero_ps(); }
  static reg load(const float* p) noexcept { return _mm256_loadu_ps(p); }
  static void store(float* p, reg v) noexcept { _mm256_storeu_ps(p, v); }
  static reg broadcast(const float* p) noexcept { return _mm256_broadcast_ss(p); }
  static reg splat(float x) noexcept { return _mm256_set1_ps(x); }
  static reg mul(reg a, reg b) noexcept { return _mm256_mul_ps(a, b); }
  static reg fma(reg a, reg b, reg c) noexcept { return _mm256_fmadd_ps(a, b, c); }
};

template <>
struct vector_ops<double> {
  using reg = __m256d;
  static constexpr index lanes = 4;
  static reg zero() noexcept { return _mm256_setzero_pd(); }
  static reg load(const double* p) noexcept { return _mm256_loadu_pd(p); }
  static void store(double* p, reg v) noexcept { _mm256_storeu_pd(p, v); }
  static reg broadcast(const double* p) noexcept { return _mm256_broadcast_sd(p); }
  static reg splat(double x) noexcept { return _mm256_set1_pd(x); }
  static reg mul(reg a, reg b) noexcept { return _mm256_mul_pd(a, b); }
  static reg fma(reg a, reg b, reg c) noexcept { return _mm256_fmadd_pd(a, b, c); }
};

template <class T>
struct microkernel {
  using value_type = T;
  using V = vector_ops<T>;
  static constexpr index mr = 6;
  static constexpr index nr = 2 * V::lanes;

  static void run(index k, const T* LOWRANK_RESTRICT a, const T* LOWRANK_RESTRICT b,
                  T* LOWRANK_RESTRICT c, index ldc, T alpha, T beta) noexcept {
    typename V::reg acc[mr][2];
#pragma GCC unroll 6
    for (index i = 0; i < mr; ++i) acc[i][0] = acc[i][1] = V::zero();
    for (index p = 0; p < k; ++p) {
      const typename V::reg b0 = V::load(b);
      const typename V::reg b1 = V::load(b + V::lanes);
#pragma GCC unroll 6
      for (index i = 0; i < mr; ++i) {
        const typename V::reg ai = V::broadcast(a + i);
        acc[i][0] = V::fma(ai, b0, acc[i][0]);
        acc[i][1] = V::fma(ai, b1, acc[i][1]);
      }
      a += mr;
      b += nr;
    }
    const typename V::reg va = V::splat(alpha);
    if (beta == T(0)) {
#pragma GCC unroll 6
      for (index i = 0; i < mr; ++i) {
        V::store(c + i * ldc, V::mul(va, acc[i][0]));
        V::store(c + i * ldc + V::lanes, V::mul(va, acc[i][1]));
      }
    } else {
      const typename V::reg vb = V::splat(beta);
#pragma GCC unroll 6
      for (index i = 0; i < mr; ++i) {
        T* ci = c + i * ldc;
        V::store(ci, V::fma(va, acc[i][0], V::mul(vb, V::load(ci))));
        V::store(ci + V::lanes, V::fma(va, acc[i][1], V::mul(vb, V::load(ci + V::lanes))));
      }
    }
  }
};

}  // namespace lowrank::kernels::avx2
