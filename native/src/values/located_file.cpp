#include "located_file.h"

#include <kj/debug.h>

namespace mpjava {

kj::Maybe<kj::Own<capnp::SchemaFile>> LocatedFile::import(kj::StringPtr path) const
{
    KJ_IF_MAYBE (file, m_inner->import(path)) {
        return kj::Maybe<kj::Own<capnp::SchemaFile>>(kj::heap<LocatedFile>(kj::mv(*file)));
    }
    return nullptr;
}

bool LocatedFile::operator==(const capnp::SchemaFile& other) const
{
    const auto* located = dynamic_cast<const LocatedFile*>(&other);
    return located && *m_inner == *located->m_inner;
}

void LocatedFile::reportError(SourcePos start, SourcePos, kj::StringPtr message) const
{
    // Files are opened relative to the filesystem root, so the display name is the absolute
    // path without its leading '/'.
    kj::StringPtr name = getDisplayName();
    kj::StringPtr root = name.startsWith("/") ? "" : "/";
    kj::throwFatalException(kj::Exception(kj::Exception::Type::FAILED, __FILE__, __LINE__,
                                          kj::str(root, name, ":", start.line + 1, ":", start.column + 1, ": ", message)));
}

} // namespace mpjava
