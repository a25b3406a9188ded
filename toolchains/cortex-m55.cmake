# Toolchain: Arm Cortex-M55 bare metal (arm-none-eabi GCC 12 + newlib-nano), Helium (MVE) with floating
# point, run under qemu-system-arm on the MPS3 AN547 board (SSE-300, Cortex-M55: 512 KB ITCM at
# 0x00000000, 512 KB DTCM at 0x20000000). Use:  cmake --workflow --preset cortex-m55
#
# -mcpu=cortex-m55 implies MVE with floating point and the FPv5 FPU (__ARM_FEATURE_MVE == 3), which is
# what selects the Helium kernel (kernels/isa/mve.hpp); the startup code's CPACR write (CP10, CP11)
# enables both. examples/firmware's mps2.ld serves this board too: its code at 0x0 and RAM at
# 0x20000000 fall in the ITCM and DTCM (the image must stay under the ITCM's 512 KB, which the 1 MB
# code region of mps2.ld does not check).
set(_lowrank_cpu cortex-m55)
set(_lowrank_cpu_flags "-mcpu=cortex-m55 -mthumb -mfloat-abi=hard")
set(_lowrank_qemu_machine mps3-an547)
include(${CMAKE_CURRENT_LIST_DIR}/cortex-m-common.cmake)
