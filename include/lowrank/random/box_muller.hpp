// The float Box-Muller transform in plain arithmetic: no libm logf, sinf, cosf or even sqrtf.
//
// Why not libm: with three transcendental calls per pair, the transform dominated the time of an
// initialization (about 9 ns a sample on an AVX2 host); the calls keep the compiler from
// vectorizing the fill; and on Cortex-M4, newlib's logf, sinf and cosf are large, slow routines.
// The functions below are branch-free float arithmetic, so that a loop over them vectorizes (AVX2,
// NEON) and a Cortex-M4 runs them on its single-precision FPU. The polynomials are Cephes' (Moshier)
// logf, sinf and cosf minimax polynomials; the argument reductions are exact here because the
// uniforms have 24 bits. Accuracy, measured over all 2^24 values of each uniform: ln within 0.92
// ulp, radius within 1.3e-7 r, cos and sin within 1e-7.
//
// Bit-identity: src/random/gaussian.cpp compiles both the vectorized fill and, through
// detail::box_muller_float, GaussianGenerator<float>::next() from box_muller_pair, in one file
// with one set of flags. Compilers fuse a * b + c into an FMA in vector and scalar code alike, but
// where both operands of an addition are products, which one gets fused depends on the order of
// the statements, which vectorization changes (GCC for aarch64 did: fills and next() differed in
// the last bit). So in every addition below, at most one operand is a product that is used only
// there (or the product is exact): a compiler has a single way to contract each one.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

namespace lowrank::random::detail {

/// ln(x) for a normal float x > 0 (Cephes logf without its branches and special cases); about 1
/// ulp, and ln(1) = 0 exactly.
inline float log_positive(float x) noexcept {
  // x = 2^e m with m in [sqrt(1/2), sqrt(2)): subtracting the bits of sqrt(1/2) puts the exponent
  // that m needs into the top bits (the same integer trick as musl's logf), then m gets the rest.
  std::uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  const std::uint32_t shifted = bits - 0x3F3504F3u;  // 0x3F3504F3: sqrt(1/2) rounded up
  const std::int32_t e = static_cast<std::int32_t>(shifted) >> 23;  // arithmetic shift: e < 0 too
  const std::uint32_t m_bits = bits - (shifted & 0xFF800000u);
  float m;
  std::memcpy(&m, &m_bits, sizeof m);
  const float f = m - 1.0f;  // exact (Sterbenz): m in [1/2, 2]
  // ln(1 + f) = f + f^2 (f P(f) - 1/2) on [sqrt(1/2) - 1, sqrt(2) - 1], P from Cephes logf.c.
  float p = 7.0376836292E-2f;
  p = p * f - 1.1514610310E-1f;
  p = p * f + 1.1676998740E-1f;
  p = p * f - 1.2420140846E-1f;
  p = p * f + 1.4249322787E-1f;
  p = p * f - 1.6668057665E-1f;
  p = p * f + 2.0000714765E-1f;
  p = p * f - 2.4999993993E-1f;
  p = p * f + 3.3333331174E-1f;
  p = p * f - 0.5f;
  // Then + e ln 2 with ln 2 = 0.693359375 - 2.12194440e-4 (Cephes): the first part has 9 bits, so
  // e times it is exact, and the small correction joins before it.
  const float fe = static_cast<float>(e);
  const float ln_m = f + (f * f) * p;
  return (ln_m - 2.12194440e-4f * fe) + 0.693359375f * fe;
}

/// cos(2 pi u) and sin(2 pi u) for u in [0, 1) a multiple of 2^-24 (a 24-bit uniform).
inline void cos_sin_two_pi(float u, float& cos_out, float& sin_out) noexcept {
  // Exact range reduction: 4u is exact (a power-of-two scale) and lies in [0, 4); q is its nearest
  // integer (4u + 1/2 truncated: no rounding can cross an integer there); t = 4u - q is exact
  // (4u and q are multiples of 2^-22 and |t| <= 1/2). Then 2 pi u = q pi/2 + t pi/2 with
  // |t pi/2| <= pi/4, where the Cephes polynomials hold, and the only rounding is in t * pi/2.
  const float x = 4.0f * u;
  const std::int32_t q = static_cast<std::int32_t>(x + 0.5f);
  const float t = x - static_cast<float>(q);
  const float r = t * 1.57079632679489661923f;
  const float z = r * r;
  // sin r = r + r^3 S(r^2), cos r = 1 + r^2 (r^2 C(r^2) - 1/2) on [-pi/4, pi/4] (Cephes sinf.c).
  const float s = r + (r * z) * ((-1.9515295891E-4f * z + 8.3321608736E-3f) * z - 1.6666654611E-1f);
  const float c =
      1.0f + z * (((2.443315711809948E-5f * z - 1.388731625493765E-3f) * z + 4.166664568298827E-2f) * z - 0.5f);
  // Rotate by q quarter turns: q mod 4 = 0: (c, s), 1: (-s, c), 2: (-c, -s), 3: (s, -c). Done on
  // the bits (a swap by xor under a mask, sign flips by xor) rather than by ?: on floats, which
  // GCC turns into branches (a float operation could trap), and those stop the vectorizer.
  std::uint32_t c_bits;
  std::uint32_t s_bits;
  std::memcpy(&c_bits, &c, sizeof c_bits);
  std::memcpy(&s_bits, &s, sizeof s_bits);
  const std::uint32_t uq = static_cast<std::uint32_t>(q);
  const std::uint32_t swap = (c_bits ^ s_bits) & (0u - (uq & 1u));  // c ^ s for odd q, else 0
  const std::uint32_t cos_bits = c_bits ^ swap ^ (((uq + 1u) << 30) & 0x80000000u);  // q = 1, 2
  const std::uint32_t sin_bits = s_bits ^ swap ^ ((uq << 30) & 0x80000000u);         // q = 2, 3
  std::memcpy(&cos_out, &cos_bits, sizeof cos_out);
  std::memcpy(&sin_out, &sin_bits, sizeof sin_out);
}

/// sqrt(x) for finite x >= 0 (+0 included), within an ulp, in plain arithmetic. std::sqrt is one
/// instruction on x86 and on Cortex-M4, but under GCC's default -fmath-errno it is a call that may
/// set errno, which keeps GCC (12) from vectorizing any loop containing it, whatever its argument.
inline float sqrt_nonnegative(float x) noexcept {
  // 1/sqrt(x) from the bits (the classic 0x5F3759DF estimate, within 3.5%), two Newton steps
  // (within 5e-6), then sqrt(x) ~ x y and one Newton (Heron) step on it, which leaves the rounding.
  // x = 0 gives y ~ 3e19 (finite: the products are (x/2 y) y, never y y) and exactly 0.
  std::uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  const std::uint32_t y_bits = 0x5F3759DFu - (bits >> 1);
  float y;
  std::memcpy(&y, &y_bits, sizeof y);
  const float half_x = 0.5f * x;
  y = y * (1.5f - (half_x * y) * y);
  y = y * (1.5f - (half_x * y) * y);
  const float s = x * y;
  return s + (0.5f * y) * (x - s * s);
}

/// One Box-Muller pair from u1 in (0, 1] and u2 in [0, 1) (24-bit uniforms): z0 = r cos(2 pi u2),
/// z1 = r sin(2 pi u2), r = sqrt(-2 ln u1). Branch-free, so loops over it vectorize. Within 3e-7 r
/// of the exact values (the errors above plus the last rounding; tests/random/gaussian_test.cpp).
inline void box_muller_pair(float u1, float u2, float& z0, float& z1) noexcept {
  // -2 ln u1 = 2 |ln u1| as u1 <= 1 (ln(1) = 0 exactly), so the radicand is never negative.
  const float minus_ln_u1 = std::fabs(log_positive(u1));
  const float radius = sqrt_nonnegative(minus_ln_u1 + minus_ln_u1);
  float c;
  float s;
  cos_sin_two_pi(u2, c, s);
  z0 = radius * c;
  z1 = radius * s;
}

}  // namespace lowrank::random::detail
