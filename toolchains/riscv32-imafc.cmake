# Toolchain: RV32IMAFC bare metal (single-precision FPU, hard-float ILP32F ABI; e.g. GD32VF103-class,
# ESP32-C-class with F), riscv64-unknown-elf GCC + picolibc, run under qemu-system-riscv32 -M virt.
# Use:  cmake --workflow --preset rv32imafc
set(_lowrank_march rv32imafc)
set(_lowrank_mabi ilp32f)
# QEMU's rv32 CPU without D: a double-precision instruction would trap, as on the part.
set(_lowrank_qemu_cpu "rv32,d=off")
include(${CMAKE_CURRENT_LIST_DIR}/riscv32-common.cmake)
