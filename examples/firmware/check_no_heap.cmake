# Proof of no heap: fails when the linked firmware image contains an allocator, operator new/delete,
# sbrk, or the C++ exception-throwing entry points. The image links newlib-nano with the nosys stubs
# (a working _sbrk), so a stray malloc does link; this check is what turns it into an error, and names
# who pulled each symbol in (from the linker map).
#
# cmake -DNM=<arm-none-eabi-nm> -DELF=<firmware.elf> [-DMAP=<firmware.map>] -P check_no_heap.cmake
cmake_minimum_required(VERSION 3.25)

foreach(var NM ELF)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_no_heap.cmake: pass -D${var}=...")
  endif()
endforeach()

set(forbidden
  # C allocation (newlib and its reentrant _r forms)
  malloc _malloc_r free _free_r calloc _calloc_r realloc _realloc_r reallocf _reallocf_r
  memalign _memalign_r aligned_alloc posix_memalign valloc pvalloc
  _sbrk _sbrk_r sbrk
  # C++ exceptions (their objects are heap-allocated)
  __cxa_allocate_exception __cxa_free_exception __cxa_throw __cxa_rethrow)
# Every operator new/new[] (_Znw*, _Zna*) and delete/delete[] (_Zdl*, _Zda*) overload, aligned and
# nothrow ones included: _Znwj, _Znaj, _ZdlPv, _ZdlPvj, _ZdaPv, ...
set(forbidden_regex "^_Z(nw|na|dl|da)")

execute_process(COMMAND "${NM}" "${ELF}" RESULT_VARIABLE nm_result OUTPUT_VARIABLE nm_output
                ERROR_VARIABLE nm_error)
if(NOT nm_result EQUAL 0)
  message(FATAL_ERROR "check_no_heap: ${NM} ${ELF} failed: ${nm_error}")
endif()

string(REPLACE ";" "\\;" nm_output "${nm_output}")
string(REPLACE "\n" ";" nm_lines "${nm_output}")
set(found "")
set(symbol_count 0)
foreach(line IN LISTS nm_lines)
  # "<address> <type> <name>" (defined) or "         U <name>" (undefined)
  if(NOT line MATCHES "^[0-9a-fA-F ]* [A-Za-z] ([^ ]+)$")
    continue()
  endif()
  set(symbol "${CMAKE_MATCH_1}")
  math(EXPR symbol_count "${symbol_count} + 1")
  if(symbol IN_LIST forbidden OR symbol MATCHES "${forbidden_regex}")
    list(APPEND found "${symbol}")
  endif()
endforeach()
list(REMOVE_DUPLICATES found)
list(SORT found)

if(symbol_count EQUAL 0)
  message(FATAL_ERROR "check_no_heap: no symbols in ${ELF} (stripped?): cannot prove anything")
endif()

get_filename_component(elf_name "${ELF}" NAME)
if(NOT found)
  message(STATUS "no heap: ${elf_name} has none of malloc/free/calloc/realloc/_sbrk, operator "
                 "new/delete or __cxa_allocate_exception/__cxa_throw (${symbol_count} symbols checked)")
  return()
endif()

# Who pulled them in: the map's "Archive member included to satisfy reference by file (symbol)"
# section lists "<archive>(<member>)" followed by "<referencing object> (<symbol>)".
set(culprits "")
if(DEFINED MAP AND EXISTS "${MAP}")
  file(STRINGS "${MAP}" map_lines)
  set(member "")
  foreach(line IN LISTS map_lines)
    if(line MATCHES "^Allocating common symbols|^Discarded input sections|^Memory Configuration")
      break()
    endif()
    # "<archive>(<member>)" then, on the same line or the next, "<referrer> (<symbol>)"; C++ symbols
    # appear demangled there ("operator new[](unsigned int)").
    set(referrer "")
    if(line MATCHES "^([^ ]+\\([^)]*\\)) +([^ ]+) \\((.+)\\)$")
      set(member "${CMAKE_MATCH_1}")
      set(referrer "${CMAKE_MATCH_2}")
      set(symbol "${CMAKE_MATCH_3}")
    elseif(line MATCHES "^[^ ].*\\(.*\\)$")
      set(member "${line}")
    elseif(line MATCHES "^ +([^ ]+) \\((.+)\\)$")
      set(referrer "${CMAKE_MATCH_1}")
      set(symbol "${CMAKE_MATCH_2}")
    endif()
    if(referrer AND (symbol IN_LIST found OR symbol MATCHES "^operator (new|delete)"))
      get_filename_component(member_name "${member}" NAME)  # "libc_nano.a(lib_a-malloc.o)"
      get_filename_component(referrer_name "${referrer}" NAME)
      string(APPEND culprits "\n    ${symbol}: ${member_name}, pulled in by ${referrer_name}")
    endif()
  endforeach()
endif()

list(JOIN found " " found_text)
message(FATAL_ERROR "NO-HEAP CHECK FAILED: ${elf_name} links heap or exception code: ${found_text}"
                    "${culprits}\n"
                    "The firmware and the lowrank library must not allocate (no malloc/new, no "
                    "newlib stdio such as printf, no throw).")
