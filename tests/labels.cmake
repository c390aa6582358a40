# ctest labels of the GoogleTest cases, by suite (the first name in TEST(Suite, Name)):
#   unit  no external program and fast: the cases `make test-sanitize` runs under ASan + UBSan
#   slow  longer than about 20 s (ctest -LE slow skips them)
#   tool  everything else: Verilator, Icarus, Yosys, OpenSTA, a C compiler... This is the default,
#         so a new suite is never sanitized (or counted as fast) by accident.
# Labelling a suite is one line here: add it to GM_UNIT_SUITES, or a single case to GM_SLOW_CASES.
# Run `ctest -L unit` for the fast model tests, `ctest -LE slow` for all but the slow ones.

set(GM_UNIT_SUITES
  Registry Spec                                              # spec parser and family registry
  Bam Comp42 Drum Etm Mitchell Perf Roba Trunc Udm           # the arithmetic models
  Evo EvoNetlist EvoBitSim                                   # evolved netlists: library, parser, simulator
  EvoWeightedError EvoStreamActivity EvoCgp EvoCellCosts     # the evolutionary search: error, switching, CGP, costs
  ShippedEvo                                                 # the shipped evo library (its verify case is slow)
  GateImportJson                                             # a Yosys gate netlist read as an evo netlist
  Metrics                                                    # error metrics
  DnnIdx DnnQuant DnnGemm DnnNetwork DnnEval DnnPruneChannels  # DNN reader, quantization, golden GEMM, traces
  DnnOperandFit                                              # lower precision: narrow layers and their checks
  DnnLayerCounter                                            # each layer's operand pairs (dnn eval --trace-layers)
  DnnPeStream                                                # the weight-stationary stream of one PE
  SupplyVoltage                                              # the voltage-scaling estimate (alpha-power law)
  WeightTuning                                               # weight tuning for a multiplier (ALWANN)
  DnnLayers                                                  # layer names, per-layer multipliers, sensitivity
  ArrayModel ArrayConfig                                     # golden GEMM of the array, cycle model
  ArrayStream                                                # the array's stream protocol on a fake array
  SeqGateSim TimedGateSim Sdf                                # netlist, gate simulators, SDF reader
  SynthLiberty                                               # Liberty reader
  Process                                                    # argv-only program runner
  CacheStore                                                 # cache entries, checksums, publication
  CacheConcurrency                                           # forked writers racing to publish entries
  HarnessBuildArgv                                           # the Verilator harness command line
  CheckLog                                                   # failed checks decide the exit status
  Shard                                                      # --shard I/N, shard files, merge's checks
  SlurmScripts                                               # greenmac slurm's sbatch files: quoting, array lists
  ShardRecords                                               # characterize's and synth's shard records read back
  Names SpecSyntax ToolNames ToolLog                         # names by content, strict specs, tool names and logs
  NetNames                                                   # emitted net names say where a net sits
  StorageAccesses MemEnergy StorageLayerStats                # storage energy: schedule accesses, table, per-layer stats
  PinEnergyParse InferStats                                  # OpenSTA pin-energy log reader, confidence interval
  InferComposeLayers                                         # per-layer inference energy recomposed from its runs
  ExploreLevers                                              # explore's levers and search sizes
  ProgressReporter                                           # progress lines on a fake clock
  MarkdownHtml SvgInline IndexHtml PngDecode                 # index.html: Markdown, inlined SVG, the page; PNG reader
)

# Single cases (Suite.Name) measured above ~20 s; a whole suite can be given as Suite.*
set(GM_SLOW_CASES
  ExploreCli.SmallSearchChoosesWithinTheBudgetOnValidationAndResumes  # gate-level 1x1 runs, twice
  IndexHtmlChromium.*                                        # a characterize run and two headless Chromium loads
  ExploreCli.PruningLeverKeepsAPointWithFewerCycles          # two fine-tuning runs, gate-level 1x1 runs
  ExploreCli.EvolvedLeverPutsALibraryCircuitOnALayerWithinTheBudget  # an evolve run, gate-level 1x1 runs
  ExploreShard.TwoShardsMergedChooseAndReportAsTheWholeSearch  # whole, then two shards + merge: 31 min loaded
  EvolveCli.OneVerifiedCircuitPerBoundWithinItAndARerunReadsTheCheckpoints  # a Verilator build for verify
  ShippedEvo.EveryCircuitVerifiesExhaustively                # a Verilator build per shipped circuit
  Verify.EveryFamilyBothSignednessesExhaustiveAtWidths468
  Verify.EveryFamilyAtWidth16WithRandomPairsAndCorners
  CacheConcurrencyCli.ParallelVerifiesLeaveOneIntactHarnessEntry  # three cold Verilator builds at once (140 s at load 24)
  ShardCharacterize.DnnSweepWithAPerLayerConfigurationMergesToTheUnshardedReport  # four --dnn runs, 50 images
  ZeroSafeCli.VerifyPassesOnEveryPair                        # a cold Verilator build of six designs (~17 s)
  ProgressCli.VerifyCountsDesignsAndTheGlobalQuietSilencesIt  # a cold Verilator build of two designs (~50 s loaded)
  ProgressCli.GemmCountsTheHarnessBuildAndTheRunAndQuietSilencesIt  # a cold Verilator build of a 2x2 array
  ProgressCli.InferEnergyCountsTheArrayAndItsImages  # a 1x1 array synthesis (cold, ~60 s), one gate-level MLP inference (~40 s loaded)
  TraceCli.VerifyOfAMutantTracesItsFailingPairsFromTheReproduceLine  # a Verilator build, then a traced one
  TraceCli.GemmOfACorrectArrayTracesOnlyTheFirstCycles       # Verilator builds of an array, plain and traced
  TraceCli.GemmMismatchWindowIsAroundTheFirstWrongOutput     # the same for a mutant array
  Sweep.*
  Lint.*
  DnnRtl.*
  DnnRtlMulRtl.MutatedGateIsALogitMismatchWithGatesAndAFailedVerificationWithLut   # cold: ~50 s, cached: ~4 s
  ArrayGemm.GateLevelMixedMapOneHierBlockPerMultiplier       # five hier_block builds
  ArrayGemm.Large8x8And16x16                                 # 8x8 and 16x16 harnesses: 92 s, 281 s cold and loaded
  Mutant.OneFlippedGateIsCaughtByBothSimulators              # a Verilator build and an Icarus run, twice: 48 s cold
  ArraySynth.*
  Fanout.FourByFourArrayHasNoBroadcastControl                # a 4x4 synthesis (~20 s)
  InferenceEnergy.*                                          # an array synthesis and whole inferences
  InferenceEnergyLayers.*                                    # 1x1 syntheses (8- and 6-bit), whole-inference runs
  DnnRtlLayers.TwoSpecCnnOnA4x4ArrayEqualsTheGoldenPerLayerEval   # three 4x4 harnesses (cold)
  DnnRtlLayers.AnArrayOfTheWrongMultiplierForOneLayerIsCaughtInThatLayer  # two 2x2 harnesses (cold)
  ArrayLanes.*                                               # a 2x2 array synthesis, GEMMs in lanes
  Characterize.*
  CharacterizeLayers.ConfigurationRowHasDnnEvalsAccuracyAndNoPerMultiplierFigures   # three syntheses, 200 images
  CharacterizeLayers.EveryLayerOneMultiplierHasThatMultipliersAccuracy               # three syntheses, 200 images
  CharacterizeArray.*                                        # two 1x1 array syntheses and whole inferences
  SynthFlow.*
  Layering.*                                                 # 25 compiles
  Install.GenVerifySynthAndDnnEvalRunFromAMovedPrefix
  SlurmCluster.*                                             # a single-node Slurm, 8 syntheses twice (~40 s)
  ArraySchedule.ResultsAndCyclesEqualTheModelsOnVerilator     # 7 array harnesses (60 s cold)
  ArrayHarnessProfileGuided.*                                # two instrumented builds and one with the profile (~55 s)
  # No external program, but whole networks over thousands of images. About 4 s each in the Release
  # build (the 81 s ctest's cost file showed was its blend with the old COST 100, docs/testing.md), but
  # 30 to 60 s of CPU each under the sanitizers, which would be most of `make test-sanitize`'s run: they
  # are listed here to keep them out of label unit. The sanitizers still run the DNN code through the
  # other DnnLayers, DnnEval and WeightTuning cases.
  WeightTuning.TunedWeightsRecoverAccuracyOnTheTestSet
  DnnNetwork.TruncationNeverGainsMoreThanNoise
  DnnLayers.SensitivityEqualsEvalOfTheSingleLayerConfigurations
  DnnLayers.ValidationSplitIsTheLastTenThousandTrainingImages
  DnnLayers.TrainingSplitStopsWhereTheValidationSplitBegins
)

# gtest filters: unit = the unit suites minus any slow case, slow = the slow cases, tool = the rest.
list(TRANSFORM GM_UNIT_SUITES APPEND ".*" OUTPUT_VARIABLE _gm_unit_patterns)
list(JOIN _gm_unit_patterns ":" _gm_unit)
list(JOIN GM_SLOW_CASES ":" _gm_slow)
set(GM_UNIT_FILTER "${_gm_unit}-${_gm_slow}")
set(GM_SLOW_FILTER "${_gm_slow}")
set(GM_TOOL_FILTER "-${_gm_unit}:${_gm_slow}")

# Keeps in the list VAR only the test files that define a TEST of a unit suite (the sanitizer build
# compiles no more than it runs).
function(gm_files_with_unit_suites var)
  list(JOIN GM_UNIT_SUITES "|" alternatives)
  set(kept)
  foreach(f IN LISTS ${var})
    file(READ ${f} text)
    if(text MATCHES "TEST(_F)?\\((${alternatives}),")
      list(APPEND kept ${f})
    endif()
  endforeach()
  set(${var} ${kept} PARENT_SCOPE)
endfunction()
