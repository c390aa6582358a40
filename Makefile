# greenmac front end. `make demo` and `make test` install what is missing (Debian packages), build,
# and run; see README.md.

BUILD ?= build
OUT ?= out
JOBS ?= 2
PACKAGES := cmake g++ make verilator yosys opensta iverilog qflow-tech-osu018 \
            libcli11-dev nlohmann-json3-dev libgtest-dev gnuplot zlib1g-dev libssl-dev \
            libtorch-dev dataset-fashion-mnist
# Only the tests need these: a single-node Slurm (tests/slurm), headless Chromium for index.html, and
# gtkwave's fst2vcd to read the --trace waveforms back.
TEST_PACKAGES := slurm-wlm munge chromium gtkwave
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
GREENMAC := $(BUILD)/greenmac

.PHONY: all deps deps-test build install install-check demo test test-sanitize bench clean

all: build

define install_missing
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

deps:
	$(call install_missing,$(PACKAGES))

deps-test: deps
	$(call install_missing,$(TEST_PACKAGES))

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

# greenmac with its data under PREFIX (bin/, share/greenmac/, lib/greenmac/; see cmake/install.cmake).
# The binary finds its files relative to itself: the prefix can be moved, and the build tree deleted.
PREFIX ?= /usr/local
install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

# Installs into a temporary prefix, moves it, hides the build tree and runs gen, verify, synth and
# dnn eval from the moved copy (tests/cli/install_test.cpp, which documents what it proves).
install-check: build
	cd $(BUILD) && ctest -R 'Install\.' --output-on-failure

# The main job (issue 5): about ten 8-bit signed variants are generated, linted and verified
# exhaustively; characterized with the DNN's own operands (accuracy on the 10,000 Fashion-MNIST test
# images, DNN-weighted error metrics, synthesis with power from the network's operand stream); each
# design's DEMO_ARRAY array (and the exact one) is synthesized and DEMO_SIM_IMAGES whole inferences
# of the CNN run through its mapped netlist gate by gate (issue 11), every layer output and logit
# checked bit for bit against the golden network (a mismatch fails the demo): energy per inference,
# compute (measured) and storage (table estimate) apart, per layer, with a stacked bar plot.
# out/report.md has the accuracy-vs-energy plot and the tables. The error metrics of the whole
# default set go to out/metrics.csv.
# Time, measured on a fresh clone (cold GREENMAC_CACHE, after the build, this 2-core machine
# otherwise idle): 9 min 26 s. About 2.5 min go to gen, lint, verify, metrics, the DNN evaluation
# and the multiplier syntheses; then the designs' whole inferences run two at a time (`characterize
# -j`, default 2), about 60 s of CPU each. They run on DEMO_ARRAY=4x4 (on 8x8 a design costs about
# twice the synthesis and calibration: docs/energy.md, "Speed") with DEMO_SIM_IMAGES=2 images (one
# lane-parallel pass; two give a 95 % interval, wide with one degree of freedom; with 1 the report
# says there is none). DEMO_SIM_IMAGES=0 leaves the whole inferences out (the demo as before
# issue 11). DEMO_RTL_IMAGES=N adds a sample of N images through the Verilated RTL array of each
# design (0 by default: its per-design Verilator build, about 40 s of CPU, took the demo to 11 min
# 53 s with N=50 in the same clone).
DEMO_SET := 'drum:k=4,s=1' 'drum:k=6,s=1' 'mitchell:s=1' 'mitchell:f=3,s=1' 'roba:s=1' \
            'trunc:t=4,s=1' 'trunc:t=6,comp=1,s=1' 'perf:j=0,m=2,s=1' 'udm:s=1' 'etm:l=2,s=1'

DEMO_ARRAY ?= 4x4
DEMO_SIM_IMAGES ?= 2
DEMO_RTL_IMAGES ?= 0
# The last step: `explore --quick` (docs/explore.md), the levers combined within 0.5 pp on the 4x4
# array (whose exact array the characterize step has synthesized), with its waterfall plot.
DEMO_EXPLORE_MODEL ?= cnn

demo: build
	@mkdir -p $(OUT)
	$(GREENMAC) gen $(DEMO_SET) -o $(OUT)/rtl
	$(GREENMAC) lint --rtl-dir $(OUT)/rtl $(DEMO_SET)
	$(GREENMAC) verify --rtl-dir $(OUT)/rtl $(DEMO_SET) --json > $(OUT)/verify.json.tmp && mv $(OUT)/verify.json.tmp $(OUT)/verify.json
	$(GREENMAC) metrics --set default --csv > $(OUT)/metrics.csv.tmp && mv $(OUT)/metrics.csv.tmp $(OUT)/metrics.csv
	$(GREENMAC) characterize $(DEMO_SET) --dnn --rtl-images $(DEMO_RTL_IMAGES) --array $(DEMO_ARRAY) --sim-images $(DEMO_SIM_IMAGES) -o $(OUT)
	$(GREENMAC) explore --quick --model $(DEMO_EXPLORE_MODEL) -o $(OUT)/explore
	@# characterize wrote out/index.html before explore ran: rebuilt, it links out/explore/index.html too.
	$(GREENMAC) index $(OUT) >/dev/null
	@echo "demo: report in $(OUT)/report.md (plots beside it), RTL in $(OUT)/rtl, verification in $(OUT)/verify.json"
	@echo "demo: the levers combined (explore --quick, waterfall): $(OUT)/explore/report.md"
	@echo "demo: open $(abspath $(OUT))/index.html first (tables, plots, each design's spec, RTL and JSON; no network)"

test: build deps-test
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The unit tests (ctest label `unit`: no external program) built with AddressSanitizer and
# UndefinedBehaviorSanitizer in their own build directory; any report fails the run. No precompiled
# headers there: under the sanitizers, loading one cost 4 to 5 s of CPU per file, more than any file
# saved (cli/explore/options.cpp 6.2 s with, 1.2 s without; docs/testing.md).
SANITIZE_BUILD ?= build-sanitize
test-sanitize: deps
	cmake -S . -B $(SANITIZE_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG='-O0 -g1' \
	  -DGM_SANITIZE=ON -DGM_PCH=OFF >/dev/null
	cmake --build $(SANITIZE_BUILD) -j $(JOBS) --target gm_tests
	cd $(SANITIZE_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest -L unit --output-on-failure -j $(JOBS)

bench: build
	$(GREENMAC) bench verify
	$(GREENMAC) bench synth
	$(GREENMAC) bench array
	$(GREENMAC) bench dnn
	$(GREENMAC) bench mutate

clean:
	rm -rf $(BUILD) $(SANITIZE_BUILD) $(OUT)
