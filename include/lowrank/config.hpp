// Library-wide constants: the index type and the storage alignment.
#pragma once

#include <cstddef>

namespace lowrank {

/// Type of every dimension, index and stride. Unsigned and pointer-sized, so it is 32 bits on
/// Cortex-M and 64 bits on the host; all dimensions are compile-time constants anyway.
using index = std::size_t;

/// Alignment of every owned matrix: a cache line, which also satisfies AVX2 (32) and NEON (16).
inline constexpr index storage_alignment = 64;

}  // namespace lowrank

#if defined(__GNUC__) || defined(__clang__)
#define LOWRANK_RESTRICT __restrict__
#define LOWRANK_ALWAYS_INLINE inline __attribute__((always_inline))
// The same for a lambda (written after its parameter list): a kernel's accumulators are passed to it
// by reference, and a lambda left out of line keeps them in memory.
#define LOWRANK_INLINE_LAMBDA __attribute__((always_inline))
// Bytes copied between objects without <cstring> (whose glibc header declares ::index, which a user's
// `using namespace lowrank` would make ambiguous); the compiler turns it into a register move.
#define LOWRANK_COPY_BYTES(dst, src, n) __builtin_memcpy(dst, src, n)
#else
#define LOWRANK_RESTRICT
#define LOWRANK_ALWAYS_INLINE inline
#define LOWRANK_INLINE_LAMBDA
#define LOWRANK_COPY_BYTES(dst, src, n) \
  for (std::size_t lowrank_byte = 0; lowrank_byte < (n); ++lowrank_byte) \
  static_cast<unsigned char*>(static_cast<void*>(dst))[lowrank_byte] = \
      static_cast<const unsigned char*>(static_cast<const void*>(src))[lowrank_byte]
#endif
