# Install rules: headers, the stage libraries, and a package config so that a pipeline can
# `find_package(msrf)` and link `msrf::msrf`.
include(CMakePackageConfigHelpers)

get_property(_msrf_libraries GLOBAL PROPERTY MSRF_LIBRARIES)
install(TARGETS ${_msrf_libraries} msrf
  EXPORT msrfTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/msrf DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES "${PROJECT_BINARY_DIR}/include/msrf/core/version.h"
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/msrf/core)

set(_msrf_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/msrf)
install(EXPORT msrfTargets NAMESPACE msrf:: DESTINATION ${_msrf_cmake_dir})
configure_package_config_file(cmake/msrfConfig.cmake.in
  "${PROJECT_BINARY_DIR}/msrfConfig.cmake"
  INSTALL_DESTINATION ${_msrf_cmake_dir})
write_basic_package_version_file("${PROJECT_BINARY_DIR}/msrfConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/msrfConfig.cmake" "${PROJECT_BINARY_DIR}/msrfConfigVersion.cmake"
        DESTINATION ${_msrf_cmake_dir})
if(TARGET msrf_cli_app)
  install(TARGETS msrf_cli_app RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
