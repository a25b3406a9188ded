// The per-target configuration (BLIS's "config"): which micro-kernel this target uses and how big
// its cache blocks are. This is the only file that asks which CPU it is compiled for; supporting a
// further CPU means one file under isa/ plus an entry here.
//
// Define LOWRANK_FORCE_SCALAR (CMake: -DLOWRANK_FORCE_SCALAR=ON) to use the portable kernel anywhere.
#pragma once

#include "../config.hpp"
#include "contract.hpp"
#include "isa/scalar.hpp"

#if !defined(LOWRANK_FORCE_SCALAR) && defined(__AVX512F__)
#include "isa/avx512.hpp"
#define LOWRANK_KERNEL_AVX512 1
#elif !defined(LOWRANK_FORCE_SCALAR) && defined(__AVX2__) && defined(__FMA__)
#include "isa/avx2.hpp"
#define LOWRANK_KERNEL_AVX2 1
#elif !defined(LOWRANK_FORCE_SCALAR) && defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 2)
#include "isa/mve.hpp"
#define LOWRANK_KERNEL_MVE 1
#elif !defined(LOWRANK_FORCE_SCALAR) && (defined(__ARM_NEON) || defined(__ARM_NEON__))
#include "isa/neon.hpp"
#define LOWRANK_KERNEL_NEON 1
#elif !defined(LOWRANK_FORCE_SCALAR) && defined(__ARM_ARCH_7EM__) && defined(__thumb2__) && defined(__ARM_FP) && \
    (__ARM_FP & 4) && defined(__ARM_PCS_VFP)
#include "isa/armv7em.hpp"
#define LOWRANK_KERNEL_ARMV7EM 1
// RISC-V without RVV: the register tile when optimizing for speed; under -Os the portable kernel, a
// fraction of the tile's code (which unrolls every edge and layout variant) for somewhat more
// instructions per product.
#elif !defined(LOWRANK_FORCE_SCALAR) && defined(__riscv) && defined(__riscv_flen) && !defined(__riscv_vector) && \
    !defined(__OPTIMIZE_SIZE__)
#include <type_traits>

#include "isa/riscv_fpu.hpp"
#define LOWRANK_KERNEL_RISCV_FPU 1
#else
#define LOWRANK_KERNEL_SCALAR 1
#endif

// Cortex-M (any M-profile core, whatever the compiler: ACLE's __ARM_ARCH_PROFILE is the one test GCC
// and clang both define; clang names -mcpu=cortex-m55 only __ARM_ARCH_8_1M_MAIN__).
#if defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M'
#define LOWRANK_TARGET_CORTEX_M 1
#endif

namespace lowrank::kernels {

/// Cache budgets that the block sizes are derived from.
struct cache_budget {
  index l1_bytes;  ///< one packed A micro-panel plus one B micro-panel should stay here
  index l2_bytes;  ///< the packed A block (mc x kc) should stay here
};

#if defined(LOWRANK_KERNEL_AVX512)
inline constexpr const char* native_isa = "avx512f";
template <class T>
using native_microkernel = avx512::microkernel<T>;
inline constexpr cache_budget native_cache{32 * 1024, 1024 * 1024};
#elif defined(LOWRANK_KERNEL_AVX2)
inline constexpr const char* native_isa = "avx2+fma";
template <class T>
using native_microkernel = avx2::microkernel<T>;
inline constexpr cache_budget native_cache{32 * 1024, 512 * 1024};
#elif defined(LOWRANK_KERNEL_MVE)
inline constexpr const char* native_isa = "mve";
template <class T>
using native_microkernel = mve::microkernel<T>;
inline constexpr cache_budget native_cache{2 * 1024, 8 * 1024};
#elif defined(LOWRANK_KERNEL_NEON)
inline constexpr const char* native_isa = "neon";
template <class T>
using native_microkernel = neon::microkernel<T>;
inline constexpr cache_budget native_cache{32 * 1024, 256 * 1024};
#elif defined(LOWRANK_KERNEL_ARMV7EM)
inline constexpr const char* native_isa = "armv7e-m+vfp";
template <class T>
using native_microkernel = armv7em::microkernel<T>;
// No data cache worth blocking for, and RAM is scarce: keep the packing buffers small.
inline constexpr cache_budget native_cache{2 * 1024, 8 * 1024};
#elif defined(LOWRANK_KERNEL_RISCV_FPU)
inline constexpr const char* native_isa = "riscv-fpu";
/// The register tile for the types the FPU has (F: float; D: double too), else the portable kernel.
template <class T>
using native_microkernel =
    std::conditional_t<sizeof(T) * 8 <= __riscv_flen, riscv_fpu::microkernel<T>, scalar::microkernel<T>>;
#if __riscv_xlen == 32
// A microcontroller: no data cache worth blocking for, and RAM is scarce.
inline constexpr cache_budget native_cache{2 * 1024, 8 * 1024};
#else
inline constexpr cache_budget native_cache{32 * 1024, 256 * 1024};
#endif
#else
inline constexpr const char* native_isa = "scalar";
template <class T>
using native_microkernel = scalar::microkernel<T>;
#if defined(LOWRANK_TARGET_CORTEX_M)
// Cortex-M: no data cache worth blocking for, and RAM is scarce: keep the packing buffers small.
inline constexpr cache_budget native_cache{2 * 1024, 8 * 1024};
#else
inline constexpr cache_budget native_cache{32 * 1024, 256 * 1024};
#endif
#endif

/// Whether the native kernel's vector arithmetic flushes subnormal numbers to zero: ARMv7 NEON does,
/// whatever FPSCR says. There, products whose exact values fall below the smallest normal number are
/// lost, so data near the bottom of float's range (residuals below the smallest normal) loses the
/// precision that gradual underflow keeps on other targets.
#if defined(LOWRANK_KERNEL_NEON) && !defined(__aarch64__)
inline constexpr bool native_flushes_subnormals = true;
#else
inline constexpr bool native_flushes_subnormals = false;
#endif

static_assert(contract::check_microkernel<native_microkernel<float>>() &&
                  contract::check_microkernel<native_microkernel<double>>(),
              "this target's micro-kernel breaks kernels/contract.hpp (see the static_assert above)");

/// Depth block for operands read in place (kernels with the direct contract): a tile streams at most
/// this many rows of op(B) through L1 before the next tile re-reads them (256 rows of 16 floats: 16 KB).
/// Without a data cache there is nothing to keep: one block.
#if defined(LOWRANK_TARGET_CORTEX_M)
inline constexpr index native_kc_direct = index{1} << 30;
#else
inline constexpr index native_kc_direct = 256;
#endif

/// Cache-block sizes for micro-kernel K (BLIS's MC, KC, NC), from the target's cache budget:
/// kc so that an mr x kc and a kc x nr micro-panel fill about half of L1, mc so that the packed
/// mc x kc block of A fills about half of L2; nc is bounded only to keep the packed B block modest.
template <class K, index L1Bytes = native_cache.l1_bytes, index L2Bytes = native_cache.l2_bytes>
struct block_sizes {
  using T = typename K::value_type;  ///< the kernel's scalar type
  /// x rounded down to a multiple of `multiple`, and at least `multiple`.
  static constexpr index round_down(index x, index multiple) {
    return x / multiple < 1 ? multiple : x / multiple * multiple;
  }
  static constexpr index kc = round_down(L1Bytes / 2 / ((K::mr + K::nr) * sizeof(T)), 8);  ///< depth block, a multiple of 8
  static constexpr index mc = round_down(L2Bytes / 2 / (kc * sizeof(T)), K::mr);  ///< rows of A's block, a multiple of mr
  static constexpr index nc = round_down(L2Bytes / (kc * sizeof(T)), K::nr);  ///< columns of B's block, a multiple of nr
};

}  // namespace lowrank::kernels
