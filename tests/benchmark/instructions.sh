#!/usr/bin/env bash
# Instructions per AGD iteration (float) on rv32imafc, counted under qemu-system-riscv32 (-M virt) with a
# QEMU TCG plugin that counts executed guest instructions: the library's iteration
# (tests/benchmark/cortex_m4_agd.cpp, which is target-independent) and the same iteration as plain loops
# (tests/benchmark/riscv32_agd_plain.cpp), both compiled with the same flags, each built with ITERS = 1
# and 11; the difference / 10 is one iteration. Counts are deterministic. Both programs print ||X||^2
# after 11 iterations, and the script fails unless they agree (to 1e-4 relative).
#
# Usage: instructions.sh [M N D]...   (default shapes: 32 32 4 and 64 64 8)
#   The instruction counter is tests/benchmark/icount_plugin.c, a QEMU TCG plugin built on first use
#   with the host's cc; ICOUNT_PLUGIN=path.so uses another plugin that writes "insns N" at exit.
# Environment: OPT (default -O2), MARCH/MABI (default rv32imafc/ilp32f), BENCH_RV32_BUILD (output dir),
#   PICOLIBC (default release: picolibc's speed build, whose memset stores words; "default" links its
#   size build, whose memset stores bytes, which the portable kernel's accumulator zeroing calls).
# Prints one JSON line per shape and implementation:
#   {"case":"riscv32_agd_iter","impl":"lowrank"|"plain_loops","m":..,"n":..,"d":..,"insns":..,...}
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
out=${BENCH_RV32_BUILD:-$root/build/bench-rv32}; mkdir -p "$out"
plugin=${ICOUNT_PLUGIN:-$out/libicount.so}
if [ -z "${ICOUNT_PLUGIN:-}" ] && ! [ "$plugin" -nt "$here/icount_plugin.c" ]; then
  cc -shared -fPIC -O2 -Wall -Wextra -Werror "$here/icount_plugin.c" -o "$plugin"
fi
shapes=("$@"); [ ${#shapes[@]} -eq 0 ] && shapes=(32 32 4 64 64 8)
opt=${OPT:--O2}; march=${MARCH:-rv32imafc}; mabi=${MABI:-ilp32f}; picolibc_build=${PICOLIBC:-release}
buildtype=(); [ "$picolibc_build" = default ] || buildtype=(--picolibc-buildtype="$picolibc_build")
qemu_cpu="rv32,d=off"; [ "$mabi" = ilp32 ] && qemu_cpu="rv32,f=off,d=off"

# The same compiler, headers and flags as toolchains/riscv32-common.cmake (see there why the C++
# headers come from the bare-metal newlib libstdc++ and why the link goes through the C driver).
cxx_headers=${LOWRANK_RISCV_CXX_HEADERS:-$(ls -d /usr/include/newlib/c++/12* | sort | tail -1)}
picolibc=/usr/lib/picolibc/riscv64-unknown-elf/include
flags="-march=$march -mabi=$mabi $opt -std=c++17 -fno-exceptions -fno-rtti -ffunction-sections -fdata-sections
       -DNDEBUG -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Werror
       -isystem $cxx_headers -isystem $cxx_headers/arm-none-eabi -isystem $picolibc
       -I$root/include -I$root/examples/firmware"
fw=$root/examples/firmware
objects=()
for src in "$fw/riscv_startup.cpp" "$fw/riscv_semihosting.cpp" "$root/src/status.cpp" "$root/src/random/gaussian.cpp"; do
  obj=$out/$(basename "$src" .cpp).o
  riscv64-unknown-elf-g++ $flags -c "$src" -o "$obj"
  objects+=("$obj")
done
link() { riscv64-unknown-elf-gcc -march=$march -mabi=$mabi "$@" "${objects[@]}" -nostartfiles -T "$fw/virt_riscv.ld" \
           --specs=picolibc.specs "${buildtype[@]}" -Wl,--gc-sections; }

# Runs one ELF under QEMU with the plugin; prints its instruction count; its console output goes to $2.
count() {
  local elf=$1 console=$2 result=$out/icount.txt
  rm -f "$result"
  ICOUNT_OUT=$result timeout 600 qemu-system-riscv32 -M virt -cpu "$qemu_cpu" -bios none -nographic \
    -semihosting-config enable=on,target=native -kernel "$elf" -plugin "$plugin" -d plugin \
    >"$console" 2>"$console.err" || { cat "$console" "$console.err" >&2; echo "$0: $elf failed" >&2; exit 1; }
  local line
  line=$(cat "$result" "$console.err" 2>/dev/null | grep -m1 -oE 'insns[ :=]+[0-9]+' || true)
  [ -n "$line" ] || { echo "$0: the plugin reported no 'insns N' line for $elf" >&2; exit 1; }
  echo "${line##*[ :=]}"
}

# ||X||^2 as the program printed it (QEMU writes the semihosting console to its stderr).
norm_of() { cat "$1" "$1.err" | sed -n 's/.*||X||^2 \([-+0-9.e]*\).*/\1/p' | head -1; }

while [ ${#shapes[@]} -ge 3 ]; do
  m=${shapes[0]} n=${shapes[1]} d=${shapes[2]}; shapes=("${shapes[@]:3}")
  macs=$(( 2*m*n*d + 2*(m+n)*d*d ))  # multiply-accumulates of one iteration: A Y, A^T X, two Grams, X G, Y G
  for impl in lowrank plain_loops; do
    src=$here/cortex_m4_agd.cpp; [ $impl = plain_loops ] && src=$here/riscv32_agd_plain.cpp
    declare -A ic=()
    for it in 1 11; do
      elf=$out/${impl}_${m}_${n}_${d}_$it.elf
      riscv64-unknown-elf-g++ $flags -DDIM_M=$m -DDIM_N=$n -DDIM_D=$d -DITERS=$it -c "$src" -o "$elf.o"
      link "$elf.o" -o "$elf"
      ic[$it]=$(count "$elf" "$out/${impl}_${m}_${n}_${d}_$it.log")
    done
    insns=$(( (ic[11] - ic[1]) / 10 ))
    text=$(riscv64-unknown-elf-size "$out/${impl}_${m}_${n}_${d}_1.elf" | tail -1 | awk '{print $1}')
    echo "{\"case\":\"riscv32_agd_iter\",\"impl\":\"$impl\",\"m\":$m,\"n\":$n,\"d\":$d,\"insns\":$insns,\"macs\":$macs,\"insns_per_mac\":$(awk -v i=$insns -v k=$macs 'BEGIN{printf "%.3f", i/k}'),\"elf_text\":$text,\"march\":\"$march\",\"opt\":\"$opt\",\"picolibc\":\"$picolibc_build\"}"
  done
  ours=$(norm_of "$out/lowrank_${m}_${n}_${d}_11.log"); plain=$(norm_of "$out/plain_loops_${m}_${n}_${d}_11.log")
  awk -v a="$ours" -v b="$plain" 'BEGIN { r = (a - b) / (b < 0 ? -b : b); exit !(a != "" && b != "" && r < 1e-4 && r > -1e-4) }' ||
    { echo "$0: ${m}x${n}x${d}: the library's ||X||^2 ($ours) differs from the plain loops' ($plain)" >&2; exit 1; }
done
