# bl_add_test(<name> SOURCES ... LIBS ... [LABELS ...] [TIMEOUT s] [ENV VAR=value ...] [XVFB])
# One QtTest executable, registered with CTest. Every test gets a bounded timeout and touches 127.0.0.1 only.
# Widget tests run on the offscreen platform, or with XVFB on a real X server of their own (xcb, a private Xvfb
# started and stopped by tests/gui/with-xvfb.sh; needs the package xvfb), labelled "xvfb".
set(BL_TESTDATA_DIR ${PROJECT_SOURCE_DIR}/tests/data)
get_filename_component(BL_SHARED_DIR ${PROJECT_SOURCE_DIR}/../shared ABSOLUTE)

function(bl_add_test name)
    cmake_parse_arguments(ARG "XVFB" "TIMEOUT" "SOURCES;LIBS;LABELS;ENV" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LIBS} bl_hygiene)
    target_compile_definitions(${name} PRIVATE
        BL_TESTDATA_DIR="${BL_TESTDATA_DIR}"
        BL_SHARED_DIR="${BL_SHARED_DIR}"
        BL_BINARY_DIR="${PROJECT_BINARY_DIR}")
    if(ARG_XVFB)
        add_test(NAME ${name} COMMAND ${PROJECT_SOURCE_DIR}/tests/gui/with-xvfb.sh $<TARGET_FILE:${name}>)
        set(platform xcb)
        list(APPEND ARG_LABELS xvfb)
    else()
        add_test(NAME ${name} COMMAND ${name})
        set(platform offscreen)
    endif()
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 120)
    endif()
    set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT}
        ENVIRONMENT "QT_QPA_PLATFORM=${platform};${ARG_ENV}")
    if(ARG_LABELS)
        set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}")
    endif()
endfunction()
