# Compiler settings shared by every msrf target.

set(CMAKE_CXX_STANDARD 17)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
set(CMAKE_POSITION_INDEPENDENT_CODE ON)

add_library(msrf_warnings INTERFACE)
target_compile_options(msrf_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                 -Wold-style-cast -Wcast-align -Woverloaded-virtual
                                 -Wnull-dereference -Wformat=2>
  $<$<AND:$<CXX_COMPILER_ID:GNU,Clang>,$<BOOL:${MSRF_WARNINGS_AS_ERRORS}>>:-Werror>
  # A unity build includes each .cpp into a generated one, and gcc then takes a class with a
  # member from the .cpp's anonymous namespace for one declared in a header.
  $<$<AND:$<CXX_COMPILER_ID:GNU>,$<BOOL:${CMAKE_UNITY_BUILD}>>:-Wno-subobject-linkage>)

if(MSRF_SANITIZE)
  string(REPLACE "," ";" _msrf_sanitizers "${MSRF_SANITIZE}")
  foreach(_s IN LISTS _msrf_sanitizers)
    add_compile_options(-fsanitize=${_s})
    add_link_options(-fsanitize=${_s})
  endforeach()
  add_compile_options(-fno-omit-frame-pointer -fno-sanitize-recover=all)
  # ThreadSanitizer cannot see inside Debian's uninstrumented oneTBB: msrf's ParallelFor runs
  # on std::threads instead (include/msrf/core/parallel.h), so races between bodies show.
  if("thread" IN_LIST _msrf_sanitizers)
    add_compile_definitions(MSRF_PARALLEL_STD_THREADS=1)
  endif()
endif()

# Fuzzing: libFuzzer's coverage hooks and AddressSanitizer + UndefinedBehaviorSanitizer in
# every target; the fuzz executables add -fsanitize=fuzzer (libFuzzer's main) themselves.
if(MSRF_BUILD_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "MSRF_BUILD_FUZZERS needs clang (libFuzzer): configure with "
                        "-DCMAKE_CXX_COMPILER=clang++ (and libclang-rt-14-dev installed)")
  endif()
  if(MSRF_SANITIZE)
    message(FATAL_ERROR "MSRF_BUILD_FUZZERS chooses its own sanitizers: leave MSRF_SANITIZE empty")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

# msrf_add_library(NAME stage SOURCES ... PUBLIC_DEPS ... PRIVATE_DEPS ...)
# Defines the library msrf_<stage>, exported and aliased as msrf::<stage>.
function(msrf_add_library stage)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  set(target msrf_${stage})
  add_library(${target} ${ARG_SOURCES})
  add_library(msrf::${stage} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${stage} OUTPUT_NAME msrf_${stage})
  target_include_directories(${target} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_link_libraries(${target} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS}
                        $<BUILD_INTERFACE:msrf_warnings>)
  target_compile_features(${target} PUBLIC cxx_std_17)
  set_property(GLOBAL APPEND PROPERTY MSRF_LIBRARIES ${target})
endfunction()
