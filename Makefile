# The two commands the README promises: `make run` and `make test`.
# Both install what is missing (Debian 12, as root), configure with CMake and build with -j2.

BUILD      ?= build
JOBS       ?= 2
CMAKE_ARGS ?=

DEBIAN_PACKAGES := g++ cmake make pkg-config \
    libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev \
    libsqlite3-dev libssl-dev libgtest-dev libspdlog-dev libfmt-dev \
    libtomlplusplus-dev libcli11-dev libsodium-dev tzdata chromium

.PHONY: run test build deps clean

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

clean:
	rm -rf $(BUILD)
