// The config loader on arbitrary files: each is loaded or refused with a config_error that names
// a key (or the file and line); nothing else escapes, nothing crashes.
#include "server/config.hpp"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path = "/tmp/ask-config-fuzz-" + std::to_string(::getpid()) + ".toml";
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    try {
        (void)ask::load_config(path);
    } catch (const ask::config_error& e) {
        if (std::string(e.what()).empty())
            __builtin_trap(); // every refusal says why
    }
    return 0;
}
