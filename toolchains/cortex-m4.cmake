# Toolchain: Arm Cortex-M4F bare metal (arm-none-eabi GCC + newlib-nano), run under qemu-system-arm on
# the MPS2 AN386 board (Cortex-M4 with single-precision FPU). Use:  cmake --workflow --preset cortex-m4
set(_lowrank_cpu cortex-m4)
set(_lowrank_cpu_flags "-mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard")
set(_lowrank_qemu_machine mps2-an386)
include(${CMAKE_CURRENT_LIST_DIR}/cortex-m-common.cmake)
