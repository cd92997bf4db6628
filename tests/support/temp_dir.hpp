// A fresh folder under the system temp dir, removed with everything in it on destruction.
#pragma once

#include <filesystem>

namespace ask::test {

class temp_dir {
public:
    temp_dir();
    ~temp_dir();
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

} // namespace ask::test
