# Toolchain: Arm Cortex-M7 bare metal (arm-none-eabi GCC + newlib-nano), run under qemu-system-arm on
# the MPS2 AN500 board (Cortex-M7 with FPU). Use:  cmake --workflow --preset cortex-m7
#
# fpv5-d16 is the FPU of the double-precision Cortex-M7 parts (STM32F76x/H7, i.MX RT 10xx); a
# single-precision part (STM32F74x) would use fpv5-sp-d16. The library is tuned for float on both.
set(_lowrank_cpu cortex-m7)
set(_lowrank_cpu_flags "-mcpu=cortex-m7 -mthumb -mfpu=fpv5-d16 -mfloat-abi=hard")
set(_lowrank_qemu_machine mps2-an500)
include(${CMAKE_CURRENT_LIST_DIR}/cortex-m-common.cmake)
