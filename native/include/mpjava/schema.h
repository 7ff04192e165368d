// Runtime schemas: existing .capnp files parsed with capnp::SchemaParser, so a JVM
// process uses the very schemas its C++ peers were built from.
#pragma once

#include <capnp/schema-parser.h>
#include <kj/filesystem.h>

#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace mpjava {

// A schema that cannot be loaded or a name that is not in it. Parse errors read
// "<file>:<line>: <message>".
class SchemaError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Files loaded into one parser (so IDs must be unique across them). Thread safe.
class SchemaSet {
public:
    explicit SchemaSet(const std::vector<std::string>& import_paths);

    void load(const std::string& file);

    // Dotted names ("Outer.Inner") are looked up in every loaded file, first match wins.
    capnp::InterfaceSchema findInterface(const std::string& name) const;
    capnp::StructSchema findStruct(const std::string& name) const;

private:
    capnp::Schema find(const std::string& name) const;

    kj::Own<kj::Filesystem> m_fs;
    std::vector<kj::Own<const kj::ReadableDirectory>> m_import_dirs;
    std::vector<const kj::ReadableDirectory*> m_import_ptrs;
    capnp::SchemaParser m_parser;
    mutable std::mutex m_mutex;
    std::vector<capnp::ParsedSchema> m_files;
};

} // namespace mpjava
