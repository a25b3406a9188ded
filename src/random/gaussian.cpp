// The compiled part of the random generator: the Box-Muller generator for float and double, and the
// raw-array fills that the Matrix/View fills fall back on for contiguous rows.
//
// The float fill works in batches of pairs, in two steps: the uniform draws, which are serial (each
// xoshiro step needs the previous state), then the transform, which is branch-free arithmetic
// (box_muller.hpp) that the compiler vectorizes: one batch is one AVX2 iteration. The scalar next()
// runs the same function, compiled here with the same flags, so both give the same bits.
#include "lowrank/random/gaussian.hpp"

#include <cstdint>

#include "lowrank/random/box_muller.hpp"

namespace lowrank::random {

template class GaussianGenerator<float>;
template class GaussianGenerator<double>;

void detail::box_muller_float(float u1, float u2, float& z0, float& z1) noexcept {
  box_muller_pair(u1, u2, z0, z1);
}

namespace {

/// Pairs per batch: 8 floats, one AVX2 vector (two SSE or NEON vectors).
constexpr index batch_pairs = 8;

/// The raw 32-bit draws of up to batch_pairs pairs. The conversions to uniforms are exact, so they
/// are left to the vectorized transform.
struct uniform_batch {
  std::uint32_t u1_bits[batch_pairs];
  std::uint32_t u2_bits[batch_pairs];
};

/// Draws `pairs` (<= batch_pairs) pairs in next()'s order: u1 then u2 for each pair.
inline void draw(Xoshiro128StarStar& uniform, uniform_batch& batch, index pairs) noexcept {
  for (index i = 0; i < pairs; ++i) {
    batch.u1_bits[i] = uniform.next_u32();
    batch.u2_bits[i] = uniform.next_u32();
  }
}

/// Writes the Box-Muller pairs of the first `pairs` draws of `batch` to out[0 .. 2 pairs - 1].
inline void transform(const uniform_batch& batch, float* LOWRANK_RESTRICT out, index pairs) noexcept {
  for (index i = 0; i < pairs; ++i) {
    detail::box_muller_pair(unit_float_open_closed(batch.u1_bits[i]), unit_float_closed_open(batch.u2_bits[i]),
                            out[2 * i], out[2 * i + 1]);
  }
}

}  // namespace

void fill_gaussian(GaussianGenerator<float>& generator, float* first, index count) noexcept {
  Xoshiro128StarStar& uniform = generator.uniform_;
  index k = 0;
  if (count > 0 && generator.has_cached_) first[k++] = generator.next();  // the pending sine half
  // Whole batches, software-pipelined: batch b + 1 is drawn (serial integer work) before batch b is
  // transformed (vector floating-point work), so that an out-of-order core overlaps the two (about
  // 10% faster on x86-64 than drawing and transforming each batch in turn).
  index batches = (count - k) / (2 * batch_pairs);
  if (batches > 0) {
    uniform_batch current;
    draw(uniform, current, batch_pairs);
    for (; batches > 1; --batches) {
      uniform_batch following;
      draw(uniform, following, batch_pairs);
      transform(current, first + k, batch_pairs);
      k += 2 * batch_pairs;
      current = following;
    }
    transform(current, first + k, batch_pairs);
    k += 2 * batch_pairs;
  }
  // The last whole pairs (fewer than a batch), then an odd last sample: next() computes its pair
  // and keeps the sine half for the next call, exactly as a sequence of next() calls would.
  const index pairs = (count - k) / 2;
  uniform_batch last;
  draw(uniform, last, pairs);
  transform(last, first + k, pairs);
  k += 2 * pairs;
  if (k < count) first[k] = generator.next();
}

void fill_gaussian(GaussianGenerator<double>& generator, double* first, index count) noexcept {
  for (index k = 0; k < count; ++k) first[k] = generator.next();
}

}  // namespace lowrank::random
