# greenmac front end. `make demo` and `make test` install what is missing (Debian packages), build,
# and run; see README.md.

BUILD ?= build
OUT ?= out
JOBS ?= 2
PACKAGES := cmake g++ make verilator yosys opensta iverilog qflow-tech-osu018 \
            libcli11-dev nlohmann-json3-dev libgtest-dev gnuplot zlib1g-dev \
            libtorch-dev dataset-fashion-mnist
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
GREENMAC := $(BUILD)/greenmac

.PHONY: all deps build demo test bench clean

all: build

deps:
	@missing=$$(for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

# The main job on the embedded default set: generate, lint, verify exhaustively, error metrics, and
# characterize (synthesis onto OSU018, power from simulated activity, report with Pareto plots).
demo: build
	@mkdir -p $(OUT)
	$(GREENMAC) gen --set default -o $(OUT)/rtl
	$(GREENMAC) lint --rtl-dir $(OUT)/rtl --set default
	$(GREENMAC) verify --rtl-dir $(OUT)/rtl --set default --json > $(OUT)/verify.json.tmp && mv $(OUT)/verify.json.tmp $(OUT)/verify.json
	$(GREENMAC) metrics --set default --csv > $(OUT)/metrics.csv.tmp && mv $(OUT)/metrics.csv.tmp $(OUT)/metrics.csv
	$(GREENMAC) metrics --set default
	$(GREENMAC) characterize --set default -o $(OUT)/characterize
	@echo "demo: RTL in $(OUT)/rtl, verification in $(OUT)/verify.json, metrics in $(OUT)/metrics.csv,"
	@echo "      characterization in $(OUT)/characterize/report.md"

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	$(GREENMAC) bench verify
	$(GREENMAC) bench synth
	$(GREENMAC) bench array

clean:
	rm -rf $(BUILD) $(OUT)
