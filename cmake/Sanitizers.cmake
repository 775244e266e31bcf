# -DBL_SANITIZE=ON builds everything with ASan + UBSan; the test command runs the suite once this way.
if(BL_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()
