# Toolchain: RV32IMAC bare metal, no FPU (float and double in software, ILP32 ABI; e.g. ESP32-C3,
# CH32V-class parts), riscv64-unknown-elf GCC + picolibc, run under qemu-system-riscv32 -M virt.
# Use:  cmake --workflow --preset rv32imac
set(_lowrank_march rv32imac)
set(_lowrank_mabi ilp32)
# QEMU's rv32 CPU without F and D: a floating-point instruction would trap, as on the part.
set(_lowrank_qemu_cpu "rv32,f=off,d=off")
include(${CMAKE_CURRENT_LIST_DIR}/riscv32-common.cmake)
