// Cortex-M4F / M7 (ARMv7E-M with a single-precision FPU: FPv4-SP, FPv5) micro-kernel for float: a
// 4 x 4 register tile whose loops are written in assembly, so that the instruction count per
// multiply-accumulate is what the register file allows rather than what the compiler schedules.
// Same contracts as scalar::microkernel (scalar.hpp); double goes to the portable kernel, partial tiles
// and strided C to its edge loops (the least code). Selected by target.hpp only.
//
// Why assembly: on these cores an instruction costs about a cycle and there is no cache to hide
// anything behind, so the instruction count is the running time. The tile keeps 16 accumulators in
// s0-s15 and two k-steps of operands in s16-s31 (8 values of A, 8 of B): all 32 single-precision
// registers. Per two k-steps: 4 loads of A (VLDMIA loads a row's two values and moves its pointer; or
// 2 loads and 2 pointer moves when A's rows are adjacent), 2 loads of B and 2 pointer moves, 32 VFMA,
// 2 loop instructions: 42 to 44 instructions for 32 multiply-accumulates, 1.3 per MAC. GCC's schedule
// of the same C++ (scalar.hpp) needs about 2: one VLDR per value and pointer arithmetic for the
// run-time strides.
//
// One asm statement per tile: clear s0-s15 (one VLDMIA of 16 zeros), accumulate one or two products
// (the second added or subtracted: a gradient X (Y^T Y) - A Y in one pass), scale and store. Its only
// input is the address of a tile_args block, so the register allocator has nothing to satisfy but one
// pointer; the asm uses r0-r6 and r12, and leaves r7 (the Thumb frame pointer), r8-r11 and lr to the
// compiler, which it needs at -O0.
#pragma once

#include "../../config.hpp"
#include "scalar.hpp"

namespace lowrank::kernels::armv7em {

// clang-format off
// Accumulates a segment of the argument block into s0-s15; OP is "vfma.f32" (add the product) or
// "vfms.f32" (subtract it); A, AS, B, RSB, K are the byte offsets of the segment's fields, as strings:
// LOWRANK_M4_FIRST for the segment at offset 0, LOWRANK_M4_SECOND for the one at offset 20.
#define LOWRANK_M4_FIRST "0", "4", "8", "12", "16"
#define LOWRANK_M4_SECOND "20", "24", "28", "32", "36"
#define LOWRANK_M4_APPLY(MACRO, ARGS) MACRO ARGS
#define LOWRANK_M4_ROWS_APART(OP, A, AS, B, RSB, K) \
  "ldr r0, [%[p], #" A "]\n" \
  "ldr r1, [%[p], #" AS "]\n" \
  "lsls r1, r1, #2\n" \
  "adds r2, r0, r1\n" \
  "adds r3, r2, r1\n" \
  "adds r4, r3, r1\n" \
  "ldr r5, [%[p], #" B "]\n" \
  "ldr r6, [%[p], #" RSB "]\n" \
  "lsls r6, r6, #2\n" \
  "ldr r12, [%[p], #" K "]\n" \
  "lsrs r1, r12, #1\n" \
  "beq 2f\n" \
  "1:\n" \
  "vldmia r0!, {s16-s17}\n" \
  "vldmia r2!, {s18-s19}\n" \
  "vldmia r3!, {s20-s21}\n" \
  "vldmia r4!, {s22-s23}\n" \
  "vldmia r5, {s24-s27}\n" \
  "adds r5, r5, r6\n" \
  "vldmia r5, {s28-s31}\n" \
  "adds r5, r5, r6\n" \
  OP " s0, s16, s24\n" \
  OP " s1, s16, s25\n" \
  OP " s2, s16, s26\n" \
  OP " s3, s16, s27\n" \
  OP " s4, s18, s24\n" \
  OP " s5, s18, s25\n" \
  OP " s6, s18, s26\n" \
  OP " s7, s18, s27\n" \
  OP " s8, s20, s24\n" \
  OP " s9, s20, s25\n" \
  OP " s10, s20, s26\n" \
  OP " s11, s20, s27\n" \
  OP " s12, s22, s24\n" \
  OP " s13, s22, s25\n" \
  OP " s14, s22, s26\n" \
  OP " s15, s22, s27\n" \
  OP " s0, s17, s28\n" \
  OP " s1, s17, s29\n" \
  OP " s2, s17, s30\n" \
  OP " s3, s17, s31\n" \
  OP " s4, s19, s28\n" \
  OP " s5, s19, s29\n" \
  OP " s6, s19, s30\n" \
  OP " s7, s19, s31\n" \
  OP " s8, s21, s28\n" \
  OP " s9, s21, s29\n" \
  OP " s10, s21, s30\n" \
  OP " s11, s21, s31\n" \
  OP " s12, s23, s28\n" \
  OP " s13, s23, s29\n" \
  OP " s14, s23, s30\n" \
  OP " s15, s23, s31\n" \
  "subs r1, r1, #1\n" \
  "bne 1b\n" \
  "2:\n" \
  "tst r12, #1\n" \
  "beq 3f\n" \
  "vldr s16, [r0]\n" \
  "vldr s18, [r2]\n" \
  "vldr s20, [r3]\n" \
  "vldr s22, [r4]\n" \
  "vldmia r5, {s24-s27}\n" \
  OP " s0, s16, s24\n" \
  OP " s1, s16, s25\n" \
  OP " s2, s16, s26\n" \
  OP " s3, s16, s27\n" \
  OP " s4, s18, s24\n" \
  OP " s5, s18, s25\n" \
  OP " s6, s18, s26\n" \
  OP " s7, s18, s27\n" \
  OP " s8, s20, s24\n" \
  OP " s9, s20, s25\n" \
  OP " s10, s20, s26\n" \
  OP " s11, s20, s27\n" \
  OP " s12, s22, s24\n" \
  OP " s13, s22, s25\n" \
  OP " s14, s22, s26\n" \
  OP " s15, s22, s27\n" \
  "3:\n"

#define LOWRANK_M4_ROWS_ADJACENT(OP, A, AS, B, RSB, K) \
  "ldr r0, [%[p], #" A "]\n" \
  "ldr r1, [%[p], #" AS "]\n" \
  "lsls r1, r1, #2\n" \
  "ldr r5, [%[p], #" B "]\n" \
  "ldr r6, [%[p], #" RSB "]\n" \
  "lsls r6, r6, #2\n" \
  "ldr r12, [%[p], #" K "]\n" \
  "lsrs r2, r12, #1\n" \
  "beq 2f\n" \
  "1:\n" \
  "vldmia r0, {s16-s19}\n" \
  "adds r0, r0, r1\n" \
  "vldmia r0, {s20-s23}\n" \
  "adds r0, r0, r1\n" \
  "vldmia r5, {s24-s27}\n" \
  "adds r5, r5, r6\n" \
  "vldmia r5, {s28-s31}\n" \
  "adds r5, r5, r6\n" \
  OP " s0, s16, s24\n" \
  OP " s1, s16, s25\n" \
  OP " s2, s16, s26\n" \
  OP " s3, s16, s27\n" \
  OP " s4, s17, s24\n" \
  OP " s5, s17, s25\n" \
  OP " s6, s17, s26\n" \
  OP " s7, s17, s27\n" \
  OP " s8, s18, s24\n" \
  OP " s9, s18, s25\n" \
  OP " s10, s18, s26\n" \
  OP " s11, s18, s27\n" \
  OP " s12, s19, s24\n" \
  OP " s13, s19, s25\n" \
  OP " s14, s19, s26\n" \
  OP " s15, s19, s27\n" \
  OP " s0, s20, s28\n" \
  OP " s1, s20, s29\n" \
  OP " s2, s20, s30\n" \
  OP " s3, s20, s31\n" \
  OP " s4, s21, s28\n" \
  OP " s5, s21, s29\n" \
  OP " s6, s21, s30\n" \
  OP " s7, s21, s31\n" \
  OP " s8, s22, s28\n" \
  OP " s9, s22, s29\n" \
  OP " s10, s22, s30\n" \
  OP " s11, s22, s31\n" \
  OP " s12, s23, s28\n" \
  OP " s13, s23, s29\n" \
  OP " s14, s23, s30\n" \
  OP " s15, s23, s31\n" \
  "subs r2, r2, #1\n" \
  "bne 1b\n" \
  "2:\n" \
  "tst r12, #1\n" \
  "beq 3f\n" \
  "vldmia r0, {s16-s19}\n" \
  "vldmia r5, {s24-s27}\n" \
  OP " s0, s16, s24\n" \
  OP " s1, s16, s25\n" \
  OP " s2, s16, s26\n" \
  OP " s3, s16, s27\n" \
  OP " s4, s17, s24\n" \
  OP " s5, s17, s25\n" \
  OP " s6, s17, s26\n" \
  OP " s7, s17, s27\n" \
  OP " s8, s18, s24\n" \
  OP " s9, s18, s25\n" \
  OP " s10, s18, s26\n" \
  OP " s11, s18, s27\n" \
  OP " s12, s19, s24\n" \
  OP " s13, s19, s25\n" \
  OP " s14, s19, s26\n" \
  OP " s15, s19, s27\n" \
  "3:\n"

// C (4 x 4, rows rsc apart) := alpha s0-s15 + beta C, from {c, rsc, alpha, beta} at byte offset 40.
#define LOWRANK_M4_STORE \
  "ldr r0, [%[p], #40]\n" \
  "ldr r1, [%[p], #44]\n" \
  "lsls r1, r1, #2\n" \
  "vldr s16, [%[p], #48]\n" \
  "vldr s17, [%[p], #52]\n" \
  "ldr r2, [%[p], #48]\n" \
  "vcmp.f32 s17, #0\n" \
  "vmrs APSR_nzcv, fpscr\n" \
  "bne 2f\n" \
  "cmp r2, #0x3f800000\n" \
  "beq 1f\n" \
  "vmul.f32 s0, s0, s16\n" \
  "vmul.f32 s1, s1, s16\n" \
  "vmul.f32 s2, s2, s16\n" \
  "vmul.f32 s3, s3, s16\n" \
  "vmul.f32 s4, s4, s16\n" \
  "vmul.f32 s5, s5, s16\n" \
  "vmul.f32 s6, s6, s16\n" \
  "vmul.f32 s7, s7, s16\n" \
  "vmul.f32 s8, s8, s16\n" \
  "vmul.f32 s9, s9, s16\n" \
  "vmul.f32 s10, s10, s16\n" \
  "vmul.f32 s11, s11, s16\n" \
  "vmul.f32 s12, s12, s16\n" \
  "vmul.f32 s13, s13, s16\n" \
  "vmul.f32 s14, s14, s16\n" \
  "vmul.f32 s15, s15, s16\n" \
  "1:\n" \
  "vstmia r0, {s0-s3}\n" \
  "adds r0, r0, r1\n" \
  "vstmia r0, {s4-s7}\n" \
  "adds r0, r0, r1\n" \
  "vstmia r0, {s8-s11}\n" \
  "adds r0, r0, r1\n" \
  "vstmia r0, {s12-s15}\n" \
  "adds r0, r0, r1\n" \
  "b 3f\n" \
  "2:\n" \
  "vldmia r0, {s20-s23}\n" \
  "vmul.f32 s20, s20, s17\n" \
  "vmul.f32 s21, s21, s17\n" \
  "vmul.f32 s22, s22, s17\n" \
  "vmul.f32 s23, s23, s17\n" \
  "vfma.f32 s20, s0, s16\n" \
  "vfma.f32 s21, s1, s16\n" \
  "vfma.f32 s22, s2, s16\n" \
  "vfma.f32 s23, s3, s16\n" \
  "vstmia r0, {s20-s23}\n" \
  "adds r0, r0, r1\n" \
  "vldmia r0, {s20-s23}\n" \
  "vmul.f32 s20, s20, s17\n" \
  "vmul.f32 s21, s21, s17\n" \
  "vmul.f32 s22, s22, s17\n" \
  "vmul.f32 s23, s23, s17\n" \
  "vfma.f32 s20, s4, s16\n" \
  "vfma.f32 s21, s5, s16\n" \
  "vfma.f32 s22, s6, s16\n" \
  "vfma.f32 s23, s7, s16\n" \
  "vstmia r0, {s20-s23}\n" \
  "adds r0, r0, r1\n" \
  "vldmia r0, {s20-s23}\n" \
  "vmul.f32 s20, s20, s17\n" \
  "vmul.f32 s21, s21, s17\n" \
  "vmul.f32 s22, s22, s17\n" \
  "vmul.f32 s23, s23, s17\n" \
  "vfma.f32 s20, s8, s16\n" \
  "vfma.f32 s21, s9, s16\n" \
  "vfma.f32 s22, s10, s16\n" \
  "vfma.f32 s23, s11, s16\n" \
  "vstmia r0, {s20-s23}\n" \
  "adds r0, r0, r1\n" \
  "vldmia r0, {s20-s23}\n" \
  "vmul.f32 s20, s20, s17\n" \
  "vmul.f32 s21, s21, s17\n" \
  "vmul.f32 s22, s22, s17\n" \
  "vmul.f32 s23, s23, s17\n" \
  "vfma.f32 s20, s12, s16\n" \
  "vfma.f32 s21, s13, s16\n" \
  "vfma.f32 s22, s14, s16\n" \
  "vfma.f32 s23, s15, s16\n" \
  "vstmia r0, {s20-s23}\n" \
  "adds r0, r0, r1\n" \
  "3:\n"
#define LOWRANK_M4_ZERO "ldr r0, [%[p], #56]\n" "vldmia r0, {s0-s15}\n"
#define LOWRANK_M4_CLOBBERS \
  "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r12", "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "s12", "s13", "s14", "s15", "s16", "s17", "s18", "s19", "s20", "s21", "s22", "s23", "s24", "s25", "s26", "s27", "s28", "s29", "s30", "s31", "cc", "memory"
// clang-format on

/// Sixteen zeros: one VLDMIA clears the accumulators.
alignas(8) inline constexpr float zero_tile[16] = {};

/// What one asm tile reads, at fixed byte offsets: segments at 0 and 20, C's tile at 40, the zeros at 56.
struct tile_args {
  segment<float> s1;
  segment<float> s2;
  float* c;
  index rsc;
  float alpha;
  float beta;
  const float* zero = zero_tile;
};
static_assert(sizeof(index) == 4 && sizeof(float*) == 4 && sizeof(segment<float>) == 20 && sizeof(tile_args) == 60,
              "armv7em: the asm reads 32-bit fields at fixed offsets");

template <class T>
struct microkernel : scalar::microkernel<T> {};  // double is soft-float on these cores: the portable kernel

template <>
struct microkernel<float> {
  using portable = scalar::microkernel<float, 4, 4>;
  using value_type = float;
  static constexpr index mr = 4;
  static constexpr index nr = 4;
  static constexpr index lanes = 1;
  static constexpr index rows_for(index /*cols*/) noexcept { return 4; }

  static void run(index k, const float* LOWRANK_RESTRICT a, const float* LOWRANK_RESTRICT b,
                  float* LOWRANK_RESTRICT c, index ldc, float alpha, float beta) noexcept {
    tile<true>(mr, nr, segment<float>{a, mr, b, nr, k}, c, ldc, 1, alpha, beta);
  }

  template <bool RowsAdjacent>
  static void tile(index rows, index cols, const segment<float>& s, float* c, index rsc, index csc, float alpha,
                   float beta) noexcept {
    if (rows != 4 || cols != 4 || csc != 1) return portable::edge_tile<RowsAdjacent>(rows, cols, s, c, rsc, csc, alpha, beta);
    const tile_args args{s, s, c, rsc, alpha, beta};
    if constexpr (RowsAdjacent) {
      asm volatile(LOWRANK_M4_ZERO LOWRANK_M4_APPLY(LOWRANK_M4_ROWS_ADJACENT, ("vfma.f32", LOWRANK_M4_FIRST)) LOWRANK_M4_STORE
                   : : [p] "r"(&args) : LOWRANK_M4_CLOBBERS);
    } else {
      asm volatile(LOWRANK_M4_ZERO LOWRANK_M4_APPLY(LOWRANK_M4_ROWS_APART, ("vfma.f32", LOWRANK_M4_FIRST)) LOWRANK_M4_STORE
                   : : [p] "r"(&args) : LOWRANK_M4_CLOBBERS);
    }
  }

  /// y[i] += alpha x[i] (the contract's dense runs): per eight values one VLDMIA of x, one of y,
  /// eight VFMA and one VSTMIA, where GCC's loop spends a load, a move, a multiply-add and a store on
  /// each value.
  static void axpy_run(index count, float alpha, const float* x, float* y) noexcept {
    index blocks = count / 8;
    if (blocks != 0) {
      asm volatile(
          "1:\n"
          "vldmia %[x]!, {s0-s7}\n"
          "vldmia %[y], {s8-s15}\n"
          "vfma.f32 s8, s0, %[alpha]\n"
          "vfma.f32 s9, s1, %[alpha]\n"
          "vfma.f32 s10, s2, %[alpha]\n"
          "vfma.f32 s11, s3, %[alpha]\n"
          "vfma.f32 s12, s4, %[alpha]\n"
          "vfma.f32 s13, s5, %[alpha]\n"
          "vfma.f32 s14, s6, %[alpha]\n"
          "vfma.f32 s15, s7, %[alpha]\n"
          "vstmia %[y]!, {s8-s15}\n"
          "subs %[blocks], %[blocks], #1\n"
          "bne 1b\n"
          : [x] "+r"(x), [y] "+r"(y), [blocks] "+r"(blocks)
          : [alpha] "t"(alpha)
          : "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "s12", "s13", "s14", "s15",
            "cc", "memory");
    }
    for (index i = 0; i < count % 8; ++i) y[i] += alpha * x[i];
  }

  /// sum a[i] b[i] in the contract's order: eight running sums in s8-s15, eight values of each
  /// operand per pair of VLDMIA.
  static float dot_run(const float* a, const float* b, index count) noexcept {
    float sum = 0.0f;
    index blocks = count / 8;
    if (blocks != 0) {
      asm volatile(
          "vldmia %[zero], {s8-s15}\n"
          "1:\n"
          "vldmia %[a]!, {s0-s7}\n"
          "vldmia %[b]!, {s16-s23}\n"
          "vfma.f32 s8, s0, s16\n"
          "vfma.f32 s9, s1, s17\n"
          "vfma.f32 s10, s2, s18\n"
          "vfma.f32 s11, s3, s19\n"
          "vfma.f32 s12, s4, s20\n"
          "vfma.f32 s13, s5, s21\n"
          "vfma.f32 s14, s6, s22\n"
          "vfma.f32 s15, s7, s23\n"
          "subs %[blocks], %[blocks], #1\n"
          "bne 1b\n"
          "vadd.f32 s8, s8, s12\n"
          "vadd.f32 s10, s10, s14\n"
          "vadd.f32 s9, s9, s13\n"
          "vadd.f32 s11, s11, s15\n"
          "vadd.f32 s8, s8, s10\n"
          "vadd.f32 s9, s9, s11\n"
          "vadd.f32 %[sum], s8, s9\n"
          : [a] "+r"(a), [b] "+r"(b), [blocks] "+r"(blocks), [sum] "=t"(sum)
          : [zero] "r"(zero_tile)
          : "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "s12", "s13", "s14", "s15",
            "s16", "s17", "s18", "s19", "s20", "s21", "s22", "s23", "cc", "memory");
    }
    for (index i = 0; i < count % 8; ++i) sum += a[i] * b[i];
    return sum;
  }

  template <bool RowsAdjacent1, bool RowsAdjacent2, bool Subtract2>
  static void tile2(index rows, index cols, const segment<float>& s1, const segment<float>& s2, float* c, index rsc,
                    index csc, float alpha, float beta) noexcept {
    if (rows != 4 || cols != 4 || csc != 1) {
      return portable::edge_tile2<RowsAdjacent1, RowsAdjacent2, Subtract2>(rows, cols, s1, s2, c, rsc, csc, alpha, beta);
    }
    // The solvers' two combinations (blocking.hpp): X G - A Y and Y G - A^T X; others as two tiles.
    if constexpr (!RowsAdjacent1 && !RowsAdjacent2 && Subtract2) {
      const tile_args args{s1, s2, c, rsc, alpha, beta};
      asm volatile(LOWRANK_M4_ZERO LOWRANK_M4_APPLY(LOWRANK_M4_ROWS_APART, ("vfma.f32", LOWRANK_M4_FIRST)) LOWRANK_M4_APPLY(LOWRANK_M4_ROWS_APART, ("vfms.f32", LOWRANK_M4_SECOND))
                   LOWRANK_M4_STORE : : [p] "r"(&args) : LOWRANK_M4_CLOBBERS);
    } else if constexpr (!RowsAdjacent1 && RowsAdjacent2 && Subtract2) {
      const tile_args args{s1, s2, c, rsc, alpha, beta};
      asm volatile(LOWRANK_M4_ZERO LOWRANK_M4_APPLY(LOWRANK_M4_ROWS_APART, ("vfma.f32", LOWRANK_M4_FIRST)) LOWRANK_M4_APPLY(LOWRANK_M4_ROWS_ADJACENT, ("vfms.f32", LOWRANK_M4_SECOND))
                   LOWRANK_M4_STORE : : [p] "r"(&args) : LOWRANK_M4_CLOBBERS);
    } else {
      tile<RowsAdjacent1>(rows, cols, s1, c, rsc, csc, alpha, beta);
      tile<RowsAdjacent2>(rows, cols, s2, c, rsc, csc, Subtract2 ? -alpha : alpha, 1.0f);
    }
  }
};

}  // namespace lowrank::kernels::armv7em
