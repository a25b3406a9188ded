#!/usr/bin/env bash
# Instructions per AGD iteration (float) on Cortex-M4, counted under qemu-system-arm (mps2-an386) with the
# anchors' QEMU plugin: builds tests/benchmark/agd_iterations.cpp as bare-metal firmware (examples/firmware's
# startup code, memory map and semihosting) with ITERS = 1 and 11, runs both through
# $ANCHORS/cortex-m/count.sh (a QEMU instruction-count plugin's runner; required), and prints the difference / 10 as a JSON line, next to the
# anchor's figures (cortex-m/measure.sh: the same iteration written with Eigen and as plain loops) and the
# ratio. Counts are deterministic.
# Usage: cortex_m4.sh [--no-anchor] [M N D]...   (default: 32 32 4 and 64 64 8)
# Environment: OPT (default -O2, the anchor's level; the library's cortex-m4 preset builds with -Os).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
anchors=${ANCHORS:?set ANCHORS to a directory with cortex-m/count.sh (runs an ELF under qemu-system-arm with an instruction-count plugin)}
out=${BENCH_M4_BUILD:-$root/build/bench-m4}; mkdir -p "$out"
anchor=1
if [ "${1:-}" = "--no-anchor" ]; then anchor=0; shift; fi
shapes=("$@"); [ ${#shapes[@]} -eq 0 ] && shapes=(32 32 4 64 64 8)
opt=${OPT:--O2}
cpu="-mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard"
flags="$cpu $opt -std=c++17 -fno-exceptions -fno-rtti -ffunction-sections -fdata-sections -DNDEBUG
       -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Werror
       -I$root/include -I$root/examples/firmware"
fw=$root/examples/firmware
link="$fw/startup.cpp $fw/semihosting.cpp $root/src/status.cpp $root/src/random/gaussian.cpp -nostartfiles -T $fw/mps2.ld
      --specs=nano.specs --specs=nosys.specs -Wl,--gc-sections"
# First, the assembly micro-kernel against the portable one (odd depths, every alpha/beta path).
arm-none-eabi-g++ $flags "$here/cortex_m_kernel_check.cpp" $link -o "$out/kernel_check.elf"
qemu-system-arm -M mps2-an386 -nographic -semihosting -kernel "$out/kernel_check.elf" >&2 ||
  { echo "cortex_m4.sh: the Cortex-M micro-kernel disagrees with the portable kernel" >&2; exit 1; }
while [ ${#shapes[@]} -ge 3 ]; do
  m=${shapes[0]} n=${shapes[1]} d=${shapes[2]}; shapes=("${shapes[@]:3}")
  for it in 1 11; do
    elf=$out/agd_${m}_${n}_${d}_$it.elf
    arm-none-eabi-g++ $flags -DDIM_M=$m -DDIM_N=$n -DDIM_D=$d -DITERS=$it "$here/agd_iterations.cpp" $link -o "$elf"
    "$anchors/cortex-m/count.sh" "$elf" mps2-an386 2>"$out/agd_${m}_${n}_${d}_$it.log" >"$out/ic_$it"
  done
  read -r _ i1 _ m1 <"$out/ic_1"; read -r _ i11 _ m11 <"$out/ic_11"
  text=$(arm-none-eabi-size "$out/agd_${m}_${n}_${d}_1.elf" | tail -1 | awk '{print $1}')
  ours="{\"case\":\"cortex_m4_agd_iter\",\"impl\":\"lowrank\",\"m\":$m,\"n\":$n,\"d\":$d,\"insns\":$(( (i11 - i1) / 10 )),\"fp_macs\":$(( (m11 - m1) / 10 )),\"flops_ideal\":$(( 4*m*n*d + 4*(m+n)*d*d )),\"elf_text\":$text,\"opt\":\"$opt\"}"
  echo "$ours"
  if [ $anchor -eq 1 ]; then
    theirs=$("$anchors/cortex-m/measure.sh" "$m" "$n" "$d")
    echo "$theirs"
    eigen=$(echo "$theirs" | grep '"impl":"eigen"' | sed 's/.*"insns":\([0-9]*\).*/\1/')
    awk -v m="$m" -v n="$n" -v d="$d" -v e="$eigen" -v o=$(( (i11 - i1) / 10 )) 'BEGIN {
      printf "cortex-m4 agd iteration %dx%dx%d: %d instructions vs Eigen %d: %.2fx fewer (goal >= 2x: %s)\n",
             m, n, d, o, e, e / o, (e / o >= 2 ? "met" : "missed") }' >&2
  fi
done
