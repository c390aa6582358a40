# ---- `cmake --install build --prefix P` (or `make install PREFIX=P`) ---------------------------------
# An installed greenmac has the build tree's shape (models/install_layout.hpp), so the binary finds
# its files relative to itself and the prefix can be copied or moved anywhere:
#
#   P/bin/greenmac, P/bin/greenmac-train (when libtorch was found)
#   P/share/greenmac/rtl/*.v                    the hand-written Verilog the generator reads
#   P/share/greenmac/tb/harness/*.{cpp,v}, tb/**/*.hpp  the harnesses and benches greenmac compiles at run time
#   P/share/greenmac/synth/scripts/*             the Yosys and OpenSTA scripts
#   P/share/greenmac/models/**/*.hpp             the headers the harnesses compile against
#   P/share/greenmac/models/dnn/weights/*.json   the shipped networks
#   P/lib/greenmac/libgm_models.a               the models library the harnesses link
#
# The folders are installed by pattern, so a file added to rtl/ or tb/harness/ is installed without
# an edit here. Nothing of the source or build tree's location is written into the installed files.
include(GNUInstallDirs)
set(GM_INSTALL_DATA share/greenmac)  # fixed, not CMAKE_INSTALL_DATADIR: install_layout.cpp looks here

if(TARGET greenmac)
  install(TARGETS greenmac RUNTIME DESTINATION bin)
endif()
if(TARGET greenmac-train)
  install(TARGETS greenmac-train RUNTIME DESTINATION bin)
endif()
install(TARGETS gm_models ARCHIVE DESTINATION lib/greenmac)

# rtl/ is always created (data_dir() recognises a data directory by its rtl/ folder).
install(DIRECTORY ${CMAKE_SOURCE_DIR}/rtl/ DESTINATION ${GM_INSTALL_DATA}/rtl
        FILES_MATCHING PATTERN "*.v" PATTERN "*.vh" PATTERN "*.svh")
install(DIRECTORY ${CMAKE_SOURCE_DIR}/tb/ DESTINATION ${GM_INSTALL_DATA}/tb
        FILES_MATCHING PATTERN "*.hpp" REGEX "/harness/[^/]*\\.(cpp|v)$")
install(DIRECTORY ${CMAKE_SOURCE_DIR}/synth/scripts/ DESTINATION ${GM_INSTALL_DATA}/synth/scripts)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/models/ DESTINATION ${GM_INSTALL_DATA}/models
        FILES_MATCHING PATTERN "*.hpp" REGEX "/dnn/weights/[^/]*\\.json$"
        REGEX "/evo/lib/[^/]*\\.(gmnet|json|md)$"  # the shipped library of evolved circuits
        REGEX "/models/dnn/train$" EXCLUDE)  # greenmac-train's own sources
