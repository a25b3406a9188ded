// Reference: the physical limit of one core, the peak rate of fused multiply-adds (float and double) in
// the widest instruction set this program is compiled for: AVX-512 where __AVX512F__ is defined, else
// AVX2 + FMA, else scalar. The benchmark's "%peak" column divides by the float figure.
//
// Each measurement keeps twelve independent accumulator registers busy (more than latency x throughput
// on current x86 cores, so the FMA ports never wait) for a fixed number of rounds, five times, and the
// fastest of the five counts. Prints one JSON line in the anchors' format:
// {"case":"fma_peak","float_gflops":..,"double_gflops":..,"avx2_float_gflops":..,"avx2_double_gflops":..,
//  "avx512_float_gflops":..,"avx512_double_gflops":..}
// float/double_gflops are the widest instruction set's; avx2_* and avx512_* each set's own (0 where this
// build does not target it; a scalar build reports its figure as float/double_gflops only).
#include <chrono>
#include <cstdio>

#if defined(__AVX2__) || defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace {

constexpr int kAccumulators = 12;
constexpr long kRounds = 100000000L;  // 1.2e9 FMA instructions per measurement
constexpr int kMeasurements = 5;

// One register of T per instruction set: its width in lanes, a broadcast, a fused multiply-add, and the
// first lane (to keep the result alive).
#if defined(__AVX512F__)
struct Avx512Float {
  using Register = __m512;
  static constexpr int lanes = 16;
  static Register broadcast(double x) { return _mm512_set1_ps(static_cast<float>(x)); }
  static Register fused_multiply_add(Register a, Register b, Register c) { return _mm512_fmadd_ps(a, b, c); }
  static double first_lane(Register r) { return static_cast<double>(_mm512_cvtss_f32(r)); }
};
struct Avx512Double {
  using Register = __m512d;
  static constexpr int lanes = 8;
  static Register broadcast(double x) { return _mm512_set1_pd(x); }
  static Register fused_multiply_add(Register a, Register b, Register c) { return _mm512_fmadd_pd(a, b, c); }
  static double first_lane(Register r) { return _mm512_cvtsd_f64(r); }
};
#endif
#if defined(__AVX2__) && defined(__FMA__)
struct Avx2Float {
  using Register = __m256;
  static constexpr int lanes = 8;
  static Register broadcast(double x) { return _mm256_set1_ps(static_cast<float>(x)); }
  static Register fused_multiply_add(Register a, Register b, Register c) { return _mm256_fmadd_ps(a, b, c); }
  static double first_lane(Register r) { return static_cast<double>(_mm256_cvtss_f32(r)); }
};
struct Avx2Double {
  using Register = __m256d;
  static constexpr int lanes = 4;
  static Register broadcast(double x) { return _mm256_set1_pd(x); }
  static Register fused_multiply_add(Register a, Register b, Register c) { return _mm256_fmadd_pd(a, b, c); }
  static double first_lane(Register r) { return _mm256_cvtsd_f64(r); }
};
#endif
template <class T>
struct Scalar {  // a * b + c: one instruction where the target has FMA, a multiply and an add otherwise
  using Register = T;
  static constexpr int lanes = 1;
  static Register broadcast(double x) { return static_cast<T>(x); }
  static Register fused_multiply_add(Register a, Register b, Register c) { return a * b + c; }
  static double first_lane(Register r) { return static_cast<double>(r); }
};

volatile double g_sink;  // where the accumulators end up, so that the loop is not optimized away

/// GFLOPS of one measurement: kAccumulators independent chains acc = acc * scale + offset, kRounds each.
/// scale and offset keep the values near their start (no overflow, no subnormals).
template <class Isa>
double measure_gflops_once() {
  typename Isa::Register acc[kAccumulators];
  for (int i = 0; i < kAccumulators; ++i) acc[i] = Isa::broadcast(1.0 + 0.1 * i);
  const typename Isa::Register scale = Isa::broadcast(0.9999999), offset = Isa::broadcast(1e-7);
  const auto start = std::chrono::steady_clock::now();
  for (long round = 0; round < kRounds; ++round) {
#pragma GCC unroll 12
    for (int i = 0; i < kAccumulators; ++i) acc[i] = Isa::fused_multiply_add(acc[i], scale, offset);
  }
  const auto stop = std::chrono::steady_clock::now();
  double sum = 0;
  for (int i = 0; i < kAccumulators; ++i) sum += Isa::first_lane(acc[i]);
  g_sink = sum;
  const double seconds = std::chrono::duration<double>(stop - start).count();
  return 2.0 * Isa::lanes * kAccumulators * static_cast<double>(kRounds) / seconds / 1e9;
}

/// The fastest of kMeasurements measurements.
template <class Isa>
double peak_gflops() {
  double best = 0;
  for (int i = 0; i < kMeasurements; ++i) {
    const double gflops = measure_gflops_once<Isa>();
    if (gflops > best) best = gflops;
  }
  return best;
}

}  // namespace

int main() {
  double avx2_float = 0, avx2_double = 0, avx512_float = 0, avx512_double = 0, best_float = 0, best_double = 0;
#if defined(__AVX2__) && defined(__FMA__)
  avx2_float = peak_gflops<Avx2Float>();
  avx2_double = peak_gflops<Avx2Double>();
  best_float = avx2_float;
  best_double = avx2_double;
#endif
#if defined(__AVX512F__)
  avx512_float = peak_gflops<Avx512Float>();
  avx512_double = peak_gflops<Avx512Double>();
  if (avx512_float > best_float) best_float = avx512_float;
  if (avx512_double > best_double) best_double = avx512_double;
#endif
  if (best_float == 0) {  // neither AVX2 + FMA nor AVX-512: the scalar unit
    best_float = peak_gflops<Scalar<float>>();
    best_double = peak_gflops<Scalar<double>>();
  }
  std::printf("{\"case\":\"fma_peak\",\"float_gflops\":%.1f,\"double_gflops\":%.1f,\"avx2_float_gflops\":%.1f,"
              "\"avx2_double_gflops\":%.1f,\"avx512_float_gflops\":%.1f,\"avx512_double_gflops\":%.1f}\n",
              best_float, best_double, avx2_float, avx2_double, avx512_float, avx512_double);
}
