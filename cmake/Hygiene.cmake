# One INTERFACE target that every first-party target links: the compile hygiene from STYLE.md.
add_library(bl_hygiene INTERFACE)
target_compile_options(bl_hygiene INTERFACE
    -Wall -Wextra -Wpedantic -Wold-style-cast -Wnon-virtual-dtor -Wshadow=local -Wimplicit-fallthrough)
if(BL_WERROR)
    target_compile_options(bl_hygiene INTERFACE -Werror)
endif()
target_compile_definitions(bl_hygiene INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_CAST_FROM_BYTEARRAY
    QT_DISABLE_DEPRECATED_UP_TO=0x060400
    QT_NO_KEYWORDS
    BL_VERSION="${PROJECT_VERSION}")
