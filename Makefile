# The two commands the README promises: `make run` and `make test`.
# Both install what is missing (Debian 12, as root), configure with CMake and build with -j2.

BUILD      ?= build
JOBS       ?= 2
CMAKE_ARGS ?=

DEBIAN_PACKAGES := g++ cmake make pkg-config \
    libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev \
    libsqlite3-dev libssl-dev libgtest-dev libspdlog-dev libfmt-dev \
    libtomlplusplus-dev libcli11-dev libsodium-dev tzdata chromium

.PHONY: run test test-asan fuzz bench bench-deps build deps fuzz-deps clean

FUZZ_SECONDS ?= 30

run: build
	$(BUILD)/server/askd demo --data data

test: build
	cd $(BUILD) && ctest --output-on-failure --timeout 300 -j$(JOBS)

build: deps
	cmake -S . -B $(BUILD) $(CMAKE_ARGS)
	cmake --build $(BUILD) -j$(JOBS)

# Installs only the packages that are missing, so a ready machine pays nothing. Node and npm (for the
# browser tests) come from Debian only when none are on PATH already.
deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	    echo "Installing missing Debian packages:" $$missing; \
	    if [ "$$(id -u)" -ne 0 ]; then echo "Run as root (or install them yourself): apt-get install $$missing"; exit 1; fi; \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	fi

# Benchmarks against peers measured in the same run (tests/bench/RESULTS.md): scenario 5 (the store),
# then scenarios 1-4 and 6 against nginx, mosquitto and a Node push peer (tests/bench/run_bench.sh).
bench: bench-deps build
	$(BUILD)/tests/bench/store_bench 20000 64
	tests/bench/run_bench.sh $(BUILD)

# The peers and taskset for make bench, installed only when missing (the Node peer's `ws` comes from
# npm at bench time, pinned in tests/bench/peers/package.json).
bench-deps: deps
	@missing=$$(for p in nginx-light mosquitto util-linux; do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	    echo "Installing missing Debian packages:" $$missing; \
	    if [ "$$(id -u)" -ne 0 ]; then echo "Run as root (or install them yourself): apt-get install $$missing"; exit 1; fi; \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	fi

# The whole suite again under AddressSanitizer and UndefinedBehaviorSanitizer (browser tests aside:
# they exercise the pages, not askd's memory).
test-asan: deps
	cmake -S . -B build-asan -DASK_SANITIZE=ON -DASK_BROWSER_TESTS=OFF $(CMAKE_ARGS)
	cmake --build build-asan -j$(JOBS) --target askd unit_tests gateway_tests integration_tests
	cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    ctest --output-on-failure --timeout 300 -j$(JOBS)

# libFuzzer (clang) on the protocol parsers, every webhook parser and signature check, the config
# loader and what askd reads from an HTTP request before authentication, $(FUZZ_SECONDS) s each,
# starting from tests/fuzz/corpus (new inputs stay in build-fuzz).
fuzz: deps fuzz-deps
	cmake -S tests/fuzz -B build-fuzz -DCMAKE_CXX_COMPILER=clang++
	cmake --build build-fuzz -j$(JOBS)
	@for target in protocol webhook config request; do \
	    mkdir -p build-fuzz/corpus/$$target; \
	    echo "fuzzing $$target for $(FUZZ_SECONDS) s"; \
	    build-fuzz/$${target}_fuzz -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -print_final_stats=1 \
	        -artifact_prefix=build-fuzz/$$target- build-fuzz/corpus/$$target tests/fuzz/corpus/$$target \
	        > build-fuzz/$$target.log 2>&1 || { tail -40 build-fuzz/$$target.log; exit 1; }; \
	    grep -E '^Done' build-fuzz/$$target.log; \
	done

fuzz-deps:
	@missing=$$(for p in clang libclang-rt-14-dev; do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	fi

clean:
	rm -rf $(BUILD) build-asan build-fuzz
