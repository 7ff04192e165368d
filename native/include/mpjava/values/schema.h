// Runtime schemas: existing .capnp files parsed with capnp::SchemaParser, so a JVM
// process uses the very schemas its C++ peers were built from.
#pragma once

#include <mpjava/runtime/stats.h>

#include <capnp/schema-parser.h>
#include <kj/filesystem.h>

#include <map>
#include <memory>
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

// An interface and all its methods, superclass methods after its own, so that a
// method is one int on both sides of JNI.
class SchemaSet;
class ImportLog;
struct InterfaceInfo {
    SchemaSet* set = nullptr;  // the set it belongs to (alive while the record is held)
    capnp::InterfaceSchema schema;
    std::vector<capnp::InterfaceSchema::Method> methods;
    int indexOf(const capnp::InterfaceSchema::Method& method) const;
    std::shared_ptr<SchemaSet> owner() const;
};

// Files loaded into one parser (so IDs must be unique across them). Thread safe.
// Always owned by a shared_ptr: interface records share its ownership.
class SchemaSet : public std::enable_shared_from_this<SchemaSet> {
public:
    explicit SchemaSet(const std::vector<std::string>& import_paths);

    // The record of `schema` (an interface of this set), made once per set; holding it
    // keeps the whole set alive.
    std::shared_ptr<const InterfaceInfo> interfaceInfo(capnp::InterfaceSchema schema);

    void load(const std::string& file);

    // Dotted names ("Outer.Inner", "ImportAlias.Type") are looked up in every loaded file,
    // then in the files they import; first match wins.
    capnp::InterfaceSchema findInterface(const std::string& name) const;
    capnp::StructSchema findStruct(const std::string& name) const;

    // Every node of the loaded files and of the files they import (parsed whole), and
    // the ids of the files passed to load(), in load order.
    kj::Array<capnp::Schema> allLoaded();
    capnp::SchemaLoader& loader();
    std::vector<uint64_t> loadedFileIds() const;

private:
    void ParseImports();  // with m_mutex held
    capnp::Schema find(const std::string& name) const;

    kj::Own<kj::Filesystem> m_fs;
    std::vector<kj::Own<const kj::ReadableDirectory>> m_import_dirs;
    std::vector<const kj::ReadableDirectory*> m_import_ptrs;
    capnp::SchemaParser m_parser;
    mutable std::mutex m_mutex;
    std::vector<capnp::ParsedSchema> m_files;
    std::vector<capnp::ParsedSchema> m_imported;  // files reached by imports, parsed whole
    std::shared_ptr<ImportLog> m_imports;
    std::map<uint64_t, std::unique_ptr<InterfaceInfo>> m_interfaces;  // guarded by m_mutex
    LiveCounter<Live::SchemaSet> m_live;
};

inline std::shared_ptr<SchemaSet> InterfaceInfo::owner() const { return set->shared_from_this(); }

} // namespace mpjava
