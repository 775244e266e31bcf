# bl_add_test(<name> SOURCES ... LIBS ... [LABELS ...] [TIMEOUT s] [ENV VAR=value ...])
# One QtTest executable, registered with CTest. Every test gets a bounded timeout and touches 127.0.0.1 only.
set(BL_TESTDATA_DIR ${PROJECT_SOURCE_DIR}/tests/data)
get_filename_component(BL_SHARED_DIR ${PROJECT_SOURCE_DIR}/../shared ABSOLUTE)

function(bl_add_test name)
    cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS;LABELS;ENV" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LIBS} bl_hygiene)
    target_compile_definitions(${name} PRIVATE
        BL_TESTDATA_DIR="${BL_TESTDATA_DIR}"
        BL_SHARED_DIR="${BL_SHARED_DIR}"
        BL_BINARY_DIR="${PROJECT_BINARY_DIR}")
    add_test(NAME ${name} COMMAND ${name})
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 120)
    endif()
    set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT}
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;${ARG_ENV}")
    if(ARG_LABELS)
        set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}")
    endif()
endfunction()
