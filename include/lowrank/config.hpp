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
#else
#define LOWRANK_RESTRICT
#define LOWRANK_ALWAYS_INLINE inline
#endif
