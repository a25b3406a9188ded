#!/usr/bin/env bash
# Prints the README's footprint table (markdown) from real bare-metal builds: flash and RAM of the
# firmware image (the toolchain's size) and its deepest stack chain (-fstack-usage), per target.
# Usage: examples/firmware/footprint_table.sh [PRESET...]   (from the repository root; default: the
#        cortex-m4, cortex-m7, rv32imafc and rv32imac presets, each built from clean)
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "| target | flash (text + data) | static RAM (data + bss, incl. 4 KB stack) | deepest stack chain | library's frames in it |"
echo "|---|---|---|---|---|"
presets=("$@"); [ ${#presets[@]} -eq 0 ] && presets=(cortex-m4 cortex-m7 rv32imafc rv32imac)
for preset in "${presets[@]}"; do
  cmake --preset "$preset" >/dev/null
  log=$(cmake --build --preset "$preset" --clean-first 2>&1)
  read -r text data bss _ < <(echo "$log" | awk '/firmware.elf$/ && $1 ~ /^[0-9]+$/ {print $1, $2, $3}')
  chain=$(echo "$log" | sed -n 's/.*deepest call chain from [A-Za-z_]*: \([0-9]*\) bytes.*/\1/p')
  # The library's frames in that chain (lowrank::...): what the library itself needs of the stack.
  library=$(echo "$log" | awk '/deepest call chain/ {on = 1; next} on && /not counted/ {on = 0}
                               on && $1 ~ /^[0-9]+$/ && /lowrank::/ {sum += $1} END {print sum + 0}')
  echo "| $preset | $((text + data)) B | $((data + bss)) B | $chain B | $library B |"
done
