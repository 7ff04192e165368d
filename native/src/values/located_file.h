// A schema file that reports parse errors with their real location. Cap'n Proto's own disk
// file reports an error as a kj::Exception whose file name points into a string freed right
// after (0.9.2): the path comes out truncated or garbled, and the column is dropped. This
// wrapper formats "<absolute path>:<line>:<column>: <message>" itself (1-based, as compilers
// print them) and throws that; imports are wrapped the same way, and each one is also
// noted in an ImportLog, so SchemaSet can parse imported files whole (the parser itself
// only compiles the declarations an importer uses). Private to SchemaSet.
#pragma once

#include <capnp/schema-parser.h>

#include <memory>
#include <mutex>
#include <vector>

namespace mpjava {

// Files imported since the last take(); the compiler may import lazily from any thread.
class ImportLog {
public:
    void add(kj::Own<capnp::SchemaFile> file);
    std::vector<kj::Own<capnp::SchemaFile>> take();

private:
    std::mutex m_mutex;
    std::vector<kj::Own<capnp::SchemaFile>> m_files;  // guarded by m_mutex
};

class LocatedFile final : public capnp::SchemaFile {
public:
    LocatedFile(kj::Own<capnp::SchemaFile> inner, std::shared_ptr<ImportLog> imports)
        : m_inner(kj::mv(inner)), m_imports(std::move(imports)) {}

    kj::StringPtr getDisplayName() const override { return m_inner->getDisplayName(); }
    kj::Array<const char> readContent() const override { return m_inner->readContent(); }
    kj::Maybe<kj::Own<capnp::SchemaFile>> import(kj::StringPtr path) const override;
    bool operator==(const capnp::SchemaFile& other) const override;
    bool operator!=(const capnp::SchemaFile& other) const override { return !(*this == other); }
    size_t hashCode() const override { return m_inner->hashCode(); }
    void reportError(SourcePos start, SourcePos end, kj::StringPtr message) const override;

private:
    kj::Own<capnp::SchemaFile> m_inner;
    std::shared_ptr<ImportLog> m_imports;
};

} // namespace mpjava
