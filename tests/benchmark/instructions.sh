#!/usr/bin/env bash
# Instruction counts under QEMU, deterministic (no wall time under emulation), with the instruction-count
# plugin of tests/benchmark/icount_plugin.c (built on first use with the host's cc). Each count is the
# difference between builds with 1 and 11 iterations (or frames 3 and 13), divided by 10, so start-up
# and data generation cancel. Prints one JSON line per case:
#   aarch64     {"case":"aarch64_agd_iter",...}     agd_iterations.cpp, static Linux, qemu-aarch64, -O3
#   cortex-m4   {"case":"cortex_m4_agd_iter",...}   agd_iterations.cpp, bare metal, mps2-an386, -O2
#   cortex-m55  {"case":"cortex_m55_agd_iter",...}  the same on mps3-an547 (Helium)
#   riscv32     {"case":"riscv32_agd_iter","impl":"lowrank"|"plain_loops",...}  agd_iterations.cpp and
#               riscv32_agd_plain.cpp (the same iteration as plain loops, the same flags), rv32imafc,
#               virt, -O2; fails unless both print the same ||X||^2 (to 1e-4)
#   stream      {"case":"cortex_m4_stream_frame",...}  one tracked frame of the firmware's sensor
#               stream (stream_frame.cpp) on Cortex-M4, -Os as the firmware presets build
#   footprint   {"case":"footprint","target":"cortex-m4","lowrank_text_bytes":...}  the sizes of the
#               lowrank:: code symbols of the one-AGD image (agd_iterations.cpp, 32 x 32, d = 4, -Os)
# An AGD iteration has 2mnd + 2(m + n)d^2 multiply-accumulates ("macs"); "fp_macs" counts the executed
# floating-point multiply-add instructions (a vector one counts once; null on Helium, whose instructions
# QEMU's disassembler does not decode).
#
# Usage: instructions.sh [CASE...]   (default: every case; shapes (32, 32, 4) and (64, 64, 8), aarch64
#        also (100, 100, 10) and (256, 256, 16))
# Environment: BENCH_INSNS_BUILD (output directory, default build/bench-instructions), ICOUNT_PLUGIN (use
#   another plugin that writes "insns N macs M" at exit), PICOLIBC (riscv32: release, picolibc's speed
#   build, or default, its size build).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
out=${BENCH_INSNS_BUILD:-$root/build/bench-instructions}; mkdir -p "$out"
plugin=${ICOUNT_PLUGIN:-$out/libicount.so}
if [ -z "${ICOUNT_PLUGIN:-}" ] && ! [ "$plugin" -nt "$here/icount_plugin.c" ]; then
  cc -shared -fPIC -O2 -Wall -Wextra -Werror "$here/icount_plugin.c" -o "$plugin"
fi
cases=("$@"); [ ${#cases[@]} -eq 0 ] && cases=(aarch64 cortex-m4 cortex-m55 riscv32 stream footprint)
fw=$root/examples/firmware
warnings="-Wall -Wextra -Wpedantic -Wconversion -Wshadow -Werror"
common="-std=c++17 -fno-exceptions -fno-rtti -ffunction-sections -fdata-sections -DNDEBUG $warnings
        -I$root/include -I$fw -I$root/examples"
library_sources="$root/src/status.cpp $root/src/random/gaussian.cpp"

# count LOG MAC_PREFIXES QEMU_COMMAND...: runs it with the plugin; prints "insns macs"; output to LOG.
count() {
  local log=$1 prefixes=$2; shift 2
  local result=$out/icount.txt
  rm -f "$result"
  ICOUNT_OUT=$result timeout 900 "$@" >"$log" 2>&1 || { cat "$log" >&2; echo "$0: $* failed" >&2; exit 1; }
  read -r _ insns _ macs <"$result" || { echo "$0: the plugin wrote no count for $*" >&2; exit 1; }
  echo "$insns $macs"
}
plugin_arg() { echo "$plugin${1:+,macs=$1}"; }

# agd_case NAME SHAPES BUILD RUN PREFIXES: NAME_agd_iter lines; BUILD ELF M N D ITERS builds, RUN ELF runs.
agd_case() {
  local name=$1 shapes=($2) build=$3 run=$4 prefixes=$5
  while [ ${#shapes[@]} -ge 3 ]; do
    local m=${shapes[0]} n=${shapes[1]} d=${shapes[2]}; shapes=("${shapes[@]:3}")
    local counts=()
    for it in 1 11; do
      local elf=$out/${name}_${m}_${n}_${d}_$it.elf
      $build "$elf" "$m" "$n" "$d" "$it"
      counts+=($(count "$elf.log" "$prefixes" $run "$elf"))
    done
    local fp_macs=null  # unknown where QEMU's disassembler does not decode the ISA's multiply-adds
    [ -n "$prefixes" ] && fp_macs=$(( (counts[3] - counts[1]) / 10 ))
    echo "{\"case\":\"${name}_agd_iter\",\"impl\":\"lowrank\",\"m\":$m,\"n\":$n,\"d\":$d,\"insns\":$(( (counts[2] - counts[0]) / 10 )),\"fp_macs\":$fp_macs,\"macs\":$(( 2*m*n*d + 2*(m+n)*d*d ))}"
  done
}

arm_m() {  # arm_m CPU_FLAGS OPT ELF SOURCE DEFINES...: a bare-metal Cortex-M image
  local cpu=$1 opt=$2 elf=$3 src=$4; shift 4
  arm-none-eabi-g++ $cpu $opt $common "$@" "$src" "$fw/startup.cpp" "$fw/semihosting.cpp" $library_sources \
    -nostartfiles -T "$fw/mps2.ld" --specs=nano.specs --specs=nosys.specs -Wl,--gc-sections -o "$elf"
}
m4_cpu="-mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard"
m55_cpu="-mcpu=cortex-m55 -mthumb -mfloat-abi=hard"
arm_macs="vfma:vfms:vmla:vmls:vfnm"
build_m4() { arm_m "$m4_cpu" -O2 "$1" "$here/agd_iterations.cpp" -DDIM_M=$2 -DDIM_N=$3 -DDIM_D=$4 -DITERS=$5; }
build_m55() { arm_m "$m55_cpu" -O2 "$1" "$here/agd_iterations.cpp" -DDIM_M=$2 -DDIM_N=$3 -DDIM_D=$4 -DITERS=$5; }
build_a64() {
  aarch64-linux-gnu-g++ -O3 -static $common -DDIM_M=$2 -DDIM_N=$3 -DDIM_D=$4 -DITERS=$5 "$here/agd_iterations.cpp" \
    $library_sources -o "$1"
}

# RISC-V: the compiler, headers and flags of toolchains/riscv32-common.cmake (see there why the C++
# headers come from the bare-metal newlib libstdc++ and why the link goes through the C driver).
riscv32() {
  local picolibc_build=${PICOLIBC:-release} buildtype=()
  [ "$picolibc_build" = default ] || buildtype=(--picolibc-buildtype="$picolibc_build")
  local cxx_headers
  cxx_headers=${LOWRANK_RISCV_CXX_HEADERS:-$(ls -d /usr/include/newlib/c++/12* | sort | tail -1)}
  local flags="-march=rv32imafc -mabi=ilp32f -O2 $common -isystem $cxx_headers -isystem $cxx_headers/arm-none-eabi
               -isystem /usr/lib/picolibc/riscv64-unknown-elf/include"
  local objects=()
  for src in "$fw/riscv_startup.cpp" "$fw/riscv_semihosting.cpp" $library_sources; do
    riscv64-unknown-elf-g++ $flags -c "$src" -o "$out/rv_$(basename "$src" .cpp).o"
    objects+=("$out/rv_$(basename "$src" .cpp).o")
  done
  local qemu="qemu-system-riscv32 -M virt -cpu rv32,d=off -bios none -nographic -semihosting-config
              enable=on,target=native -plugin $(plugin_arg fmadd:fmsub:fnmadd:fnmsub) -d plugin -kernel"
  for shape in "32 32 4" "64 64 8"; do
    read -r m n d <<<"$shape"
    local norms=()
    for impl in lowrank plain_loops; do
      local src=$here/agd_iterations.cpp counts=()
      [ $impl = plain_loops ] && src=$here/riscv32_agd_plain.cpp
      for it in 1 11; do
        local elf=$out/rv32_${impl}_${m}_${n}_${d}_$it.elf
        riscv64-unknown-elf-g++ $flags -DDIM_M=$m -DDIM_N=$n -DDIM_D=$d -DITERS=$it -c "$src" -o "$elf.o"
        riscv64-unknown-elf-gcc -march=rv32imafc -mabi=ilp32f "$elf.o" "${objects[@]}" -nostartfiles \
          -T "$fw/virt_riscv.ld" --specs=picolibc.specs "${buildtype[@]}" -Wl,--gc-sections -o "$elf"
        counts+=($(count "$elf.log" "" $qemu "$elf"))
      done
      norms+=("$(sed -n 's/.*||X||^2 \([-+0-9.e]*\).*/\1/p' "$elf.log" | head -1)")
      local insns=$(( (counts[2] - counts[0]) / 10 )) macs=$(( 2*m*n*d + 2*(m+n)*d*d ))
      echo "{\"case\":\"riscv32_agd_iter\",\"impl\":\"$impl\",\"m\":$m,\"n\":$n,\"d\":$d,\"insns\":$insns,\"fp_macs\":$(( (counts[3] - counts[1]) / 10 )),\"macs\":$macs,\"insns_per_mac\":$(awk -v i=$insns -v k=$macs 'BEGIN{printf "%.3f", i/k}'),\"picolibc\":\"$picolibc_build\"}"
    done
    awk -v a="${norms[0]}" -v b="${norms[1]}" 'BEGIN { r = (a - b) / (b < 0 ? -b : b); exit !(a != "" && b != "" && r < 1e-4 && r > -1e-4) }' ||
      { echo "$0: riscv32 ${m}x${n}x${d}: the library's ||X||^2 (${norms[0]}) differs from the plain loops' (${norms[1]})" >&2; exit 1; }
  done
}

stream() {
  local counts=()
  for tracked in 3 13; do
    arm_m "$m4_cpu" -Os "$out/stream_frame_$tracked.elf" "$here/stream_frame.cpp" -DFRAMES=13 -DTRACKED=$tracked
    counts+=($(count "$out/stream_frame_$tracked.log" "$arm_macs" qemu-system-arm -M mps2-an386 -nographic \
      -semihosting -plugin "$(plugin_arg $arm_macs)" -d plugin -kernel "$out/stream_frame_$tracked.elf"))
  done
  echo "{\"case\":\"cortex_m4_stream_frame\",\"impl\":\"lowrank\",\"channels\":16,\"samples\":32,\"d\":3,\"insns\":$(( (counts[2] - counts[0]) / 10 )),\"fp_macs\":$(( (counts[3] - counts[1]) / 10 ))}"
}

footprint() {
  local elf=$out/footprint_m4.elf
  arm_m "$m4_cpu" -Os "$elf" "$here/agd_iterations.cpp" -DDIM_M=32 -DDIM_N=32 -DDIM_D=4 -DITERS=1
  local bytes
  bytes=0
  while read -r size; do bytes=$(( bytes + 16#$size )); done < <(arm-none-eabi-nm -C -S "$elf" |
    awk '$3 ~ /^[tTwW]$/ && /lowrank::/ {print $2}')
  echo "{\"case\":\"footprint\",\"target\":\"cortex-m4\",\"lowrank_text_bytes\":$bytes,\"elf_text\":$(arm-none-eabi-size "$elf" | tail -1 | awk '{print $1}')}"
}

for c in "${cases[@]}"; do
  case $c in
    aarch64) agd_case aarch64 "32 32 4 64 64 8 100 100 10 256 256 16" build_a64 \
               "qemu-aarch64 -plugin $(plugin_arg fmla:fmls:fmadd:fmsub:fnmadd:fnmsub) -d plugin" \
               fmla:fmls:fmadd:fmsub:fnmadd:fnmsub ;;
    cortex-m4) agd_case cortex_m4 "32 32 4 64 64 8" build_m4 \
                 "qemu-system-arm -M mps2-an386 -nographic -semihosting -plugin $(plugin_arg $arm_macs) -d plugin -kernel" "$arm_macs" ;;
    cortex-m55) agd_case cortex_m55 "32 32 4 64 64 8" build_m55 \
                  "qemu-system-arm -M mps3-an547 -nographic -semihosting -plugin $plugin -d plugin -kernel" "" ;;
    riscv32) riscv32 ;;
    stream) stream ;;
    footprint) footprint ;;
    *) echo "$0: unknown case $c (aarch64 cortex-m4 cortex-m55 riscv32 stream footprint)" >&2; exit 2 ;;
  esac
done
