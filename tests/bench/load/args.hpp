// "--name value" command-line options as a lookup with defaults; an unknown or missing
// required option stops the generator with a message naming it.
#pragma once

#include <map>
#include <stdexcept>
#include <string>

namespace ask::bench {

class args {
public:
    args(int argc, char** argv, int first) {
        for (int i = first; i + 1 < argc; i += 2) {
            std::string name = argv[i];
            if (!name.starts_with("--"))
                throw std::runtime_error("expected --option, got " + name);
            values_[name.substr(2)] = argv[i + 1];
        }
    }
    std::string str(const std::string& name) const {
        auto it = values_.find(name);
        if (it == values_.end())
            throw std::runtime_error("missing --" + name);
        return it->second;
    }
    std::string str(const std::string& name, const std::string& fallback) const {
        auto it = values_.find(name);
        return it == values_.end() ? fallback : it->second;
    }
    double num(const std::string& name, double fallback) const {
        auto it = values_.find(name);
        return it == values_.end() ? fallback : std::stod(it->second);
    }

private:
    std::map<std::string, std::string> values_;
};

} // namespace ask::bench
