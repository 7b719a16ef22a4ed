# sd_add_test(NAME LABEL <unit|ui|integration|bench> SOURCES ... [LIBS ...])
# One Qt Test executable per unit, run headless with a fixed locale.
function(sd_add_test name)
  cmake_parse_arguments(ARG "" "LABEL" "SOURCES;LIBS" ${ARGN})
  add_executable(tst_${name} ${ARG_SOURCES})
  target_link_libraries(tst_${name} PRIVATE sellerdesk_testsupport sellerdesk_core sellerdesk_options Qt6::Test ${ARG_LIBS})
  add_test(NAME ${name} COMMAND tst_${name})
  set_tests_properties(${name} PROPERTIES
    LABELS "${ARG_LABEL}"
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;LANG=C.UTF-8;LC_ALL=C.UTF-8;SD_CLI=$<TARGET_FILE:sellerdesk-cli>")
endfunction()
