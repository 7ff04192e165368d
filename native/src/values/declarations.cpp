#include <mpjava/values/declarations.h>

#include <mpjava/values/schema.h>

#include <capnp/dynamic.h>
#include <capnp/schema.capnp.h>
#include <kj/string.h>

#include <algorithm>
#include <map>
#include <cstdio>
#include <string>

namespace mpjava {

namespace {

using capnp::schema::Node;
using capnp::schema::Type;
using capnp::schema::Value;

std::string Hex(kj::ArrayPtr<const kj::byte> bytes)
{
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (kj::byte b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

std::string Hex(kj::StringPtr text) { return Hex(text.asBytes()); }

std::string Id(uint64_t id)
{
    char buf[20];
    std::snprintf(buf, sizeof(buf), "%llx", static_cast<unsigned long long>(id));
    return buf;
}

// Writes one node set's lines; the loader answers type lookups for values and names.
class Describer {
public:
    explicit Describer(capnp::SchemaLoader& loader) : m_loader(loader) {}

    std::string TypeText(Type::Reader type) const
    {
        switch (type.which()) {
        case Type::VOID: return "Void";
        case Type::BOOL: return "Bool";
        case Type::INT8: return "Int8";
        case Type::INT16: return "Int16";
        case Type::INT32: return "Int32";
        case Type::INT64: return "Int64";
        case Type::UINT8: return "UInt8";
        case Type::UINT16: return "UInt16";
        case Type::UINT32: return "UInt32";
        case Type::UINT64: return "UInt64";
        case Type::FLOAT32: return "Float32";
        case Type::FLOAT64: return "Float64";
        case Type::TEXT: return "Text";
        case Type::DATA: return "Data";
        case Type::LIST: return "L(" + TypeText(type.getList().getElementType()) + ")";
        case Type::ENUM: return "e" + Id(type.getEnum().getTypeId());
        case Type::STRUCT: return Branded('s', type.getStruct().getTypeId(), type.getStruct().getBrand());
        case Type::INTERFACE: return Branded('i', type.getInterface().getTypeId(), type.getInterface().getBrand());
        case Type::ANY_POINTER: {
            auto any = type.getAnyPointer();
            if (any.isParameter()) {
                return "p" + Id(any.getParameter().getScopeId()) + "." +
                       std::to_string(any.getParameter().getParameterIndex());
            }
            return "*";
        }
        }
        return "*";
    }

    // The arguments bound to the type's own parameters (outer scopes' bindings are not
    // a generator's concern: nested generics are rare in libmultiprocess schemas).
    std::string Branded(char kind, uint64_t id, capnp::schema::Brand::Reader brand) const
    {
        std::string out = kind + Id(id);
        for (auto scope : brand.getScopes()) {
            if (scope.getScopeId() != id || !scope.isBind()) continue;
            out += '<';
            bool first = true;
            for (auto binding : scope.getBind()) {
                if (!first) out += ',';
                first = false;
                out += binding.isType() ? TypeText(binding.getType()) : "*";
            }
            out += '>';
        }
        return out;
    }

    std::string ValueText(Type::Reader type, Value::Reader value) const
    {
        switch (value.which()) {
        case Value::VOID: return "-";
        case Value::BOOL: return value.getBool() ? "b1" : "b0";
        case Value::INT8: return "i" + std::to_string(value.getInt8());
        case Value::INT16: return "i" + std::to_string(value.getInt16());
        case Value::INT32: return "i" + std::to_string(value.getInt32());
        case Value::INT64: return "i" + std::to_string(value.getInt64());
        case Value::UINT8: return "i" + std::to_string(value.getUint8());
        case Value::UINT16: return "i" + std::to_string(value.getUint16());
        case Value::UINT32: return "i" + std::to_string(value.getUint32());
        case Value::UINT64: return "u" + std::to_string(value.getUint64());
        case Value::FLOAT32: return "f" + std::string(kj::str(value.getFloat32()).cStr());
        case Value::FLOAT64: return "f" + std::string(kj::str(value.getFloat64()).cStr());
        case Value::TEXT: return value.hasText() ? "t" + Hex(value.getText()) : "-";
        case Value::DATA: return value.hasData() ? "d" + Hex(value.getData()) : "-";
        case Value::ENUM: return EnumerantText(type, value.getEnum());
        case Value::LIST:
            if (!value.hasList()) return "-";
            KJ_IF_MAYBE(schema, DynamicType(type)) {
                return "x" + Hex(kj::str(value.getList().getAs<capnp::DynamicList>(schema->asList())));
            }
            return "-";
        case Value::STRUCT:
            if (!value.hasStruct()) return "-";
            KJ_IF_MAYBE(schema, DynamicType(type)) {
                return "x" + Hex(kj::str(value.getStruct().getAs<capnp::DynamicStruct>(schema->asStruct())));
            }
            return "-";
        case Value::INTERFACE:
        case Value::ANY_POINTER: return "-";
        }
        return "-";
    }

    std::string AnnotationLines(capnp::List<capnp::schema::Annotation>::Reader annotations) const
    {
        std::string out;
        for (auto annotation : annotations) {
            std::string name = "?";
            std::string value = "-";
            KJ_IF_MAYBE(decl, m_loader.tryGet(annotation.getId())) {
                auto proto = decl->getProto();
                name = Qualified(proto);
                if (proto.isAnnotation()) value = ValueText(proto.getAnnotation().getType(), annotation.getValue());
            }
            out += "A\t" + Id(annotation.getId()) + "\t" + Hex(kj::StringPtr(name.c_str())) + "\t" + value + "\n";
        }
        return out;
    }

    static std::string Qualified(Node::Reader proto)
    {
        kj::StringPtr display = proto.getDisplayName();
        KJ_IF_MAYBE(colon, display.findFirst(':')) {
            return display.slice(*colon + 1).cStr();
        }
        return display.cStr();
    }

    static std::string FilePath(Node::Reader proto)
    {
        kj::StringPtr display = proto.getDisplayName();
        KJ_IF_MAYBE(colon, display.findFirst(':')) {
            return std::string(display.begin(), *colon);
        }
        return display.cStr();
    }

private:
    std::string EnumerantText(Type::Reader type, uint16_t ordinal) const
    {
        if (type.isEnum()) {
            KJ_IF_MAYBE(decl, m_loader.tryGet(type.getEnum().getTypeId())) {
                auto enumerants = decl->getProto().getEnum().getEnumerants();
                if (ordinal < enumerants.size()) return "e" + std::string(enumerants[ordinal].getName().cStr());
            }
        }
        return "i" + std::to_string(ordinal);
    }

    // The unbranded dynamic type of a list or struct, to print a value in Cap'n Proto text.
    kj::Maybe<capnp::Type> DynamicType(Type::Reader type) const
    {
        switch (type.which()) {
        case Type::STRUCT:
            KJ_IF_MAYBE(s, m_loader.tryGet(type.getStruct().getTypeId())) { return capnp::Type(s->asStruct()); }
            return nullptr;
        case Type::ENUM:
            KJ_IF_MAYBE(s, m_loader.tryGet(type.getEnum().getTypeId())) { return capnp::Type(s->asEnum()); }
            return nullptr;
        case Type::INTERFACE:
            KJ_IF_MAYBE(s, m_loader.tryGet(type.getInterface().getTypeId())) { return capnp::Type(s->asInterface()); }
            return nullptr;
        case Type::LIST:
            KJ_IF_MAYBE(element, DynamicType(type.getList().getElementType())) {
                return capnp::Type(capnp::ListSchema::of(*element));
            }
            return nullptr;
        case Type::ANY_POINTER: return nullptr;
        default: return capnp::Type(type.which());
        }
    }

    capnp::SchemaLoader& m_loader;
};

std::string NestedLines(capnp::List<Node::NestedNode>::Reader nested)
{
    std::string out;
    for (auto child : nested) out += "n\t" + Id(child.getId()) + "\n";
    return out;
}

std::string NodeLines(const Describer& d, Node::Reader proto, uint64_t file_id)
{
    const char* kind = proto.isStruct() ? "struct" : proto.isEnum() ? "enum" : proto.isInterface() ? "interface"
                     : proto.isConst() ? "const" : "annotation";
    std::string params;
    for (auto param : proto.getParameters()) {
        if (!params.empty()) params += ',';
        params += Hex(param.getName());
    }
    bool group = proto.isStruct() && proto.getStruct().getIsGroup();
    int discriminants = proto.isStruct() ? proto.getStruct().getDiscriminantCount() : 0;
    std::string out = "N\t" + Id(proto.getId()) + "\t" + kind + "\t" + Id(file_id) + "\t" + Id(proto.getScopeId()) +
                      "\t" + Hex(proto.getDisplayName().slice(proto.getDisplayNamePrefixLength())) + "\t" +
                      Hex(kj::StringPtr(Describer::Qualified(proto).c_str())) + "\t" + (params.empty() ? "-" : params) +
                      "\t" + (group ? "1" : "0") + "\t" + std::to_string(discriminants) + "\n";
    out += d.AnnotationLines(proto.getAnnotations());
    out += NestedLines(proto.getNestedNodes());
    switch (proto.which()) {
    case Node::STRUCT:
        for (auto field : proto.getStruct().getFields()) {
            int ordinal = field.getOrdinal().isExplicit() ? field.getOrdinal().getExplicit() : -1;
            int discriminant = field.getDiscriminantValue() == capnp::schema::Field::NO_DISCRIMINANT
                                   ? -1 : field.getDiscriminantValue();
            std::string type;
            std::string value = "-";
            if (field.isGroup()) {
                type = "s" + Id(field.getGroup().getTypeId());
            } else {
                type = d.TypeText(field.getSlot().getType());
                value = d.ValueText(field.getSlot().getType(), field.getSlot().getDefaultValue());
            }
            out += "D\t" + std::string(field.getName().cStr()) + "\t" + std::to_string(field.getCodeOrder()) + "\t" +
                   std::to_string(ordinal) + "\t" + std::to_string(discriminant) + "\t" +
                   (field.isGroup() ? "1" : "0") + "\t" + type + "\t" + value + "\n";
            out += d.AnnotationLines(field.getAnnotations());
        }
        break;
    case Node::ENUM: {
        int ordinal = 0;
        for (auto enumerant : proto.getEnum().getEnumerants()) {
            out += "E\t" + std::string(enumerant.getName().cStr()) + "\t" + std::to_string(ordinal++) + "\n";
            out += d.AnnotationLines(enumerant.getAnnotations());
        }
        break;
    }
    case Node::INTERFACE: {
        int ordinal = 0;
        for (auto method : proto.getInterface().getMethods()) {
            out += "M\t" + std::string(method.getName().cStr()) + "\t" + std::to_string(ordinal++) + "\t" +
                   d.Branded('s', method.getParamStructType(), method.getParamBrand()) + "\t" +
                   d.Branded('s', method.getResultStructType(), method.getResultBrand()) + "\n";
            out += d.AnnotationLines(method.getAnnotations());
        }
        for (auto super : proto.getInterface().getSuperclasses()) {
            out += "S\t" + d.Branded('i', super.getId(), super.getBrand()) + "\n";
        }
        break;
    }
    case Node::CONST:
        out += "C\t" + d.TypeText(proto.getConst().getType()) + "\t" +
               d.ValueText(proto.getConst().getType(), proto.getConst().getValue()) + "\n";
        break;
    case Node::ANNOTATION:
        out += "C\t" + d.TypeText(proto.getAnnotation().getType()) + "\t-\n";
        break;
    case Node::FILE:
        break;
    }
    return out;
}

} // namespace

std::string DescribeDeclarations(SchemaSet& set)
{
    auto all = set.allLoaded();
    std::vector<capnp::Schema> nodes(all.begin(), all.end());
    // Stable output whatever order the loader keeps.
    std::sort(nodes.begin(), nodes.end(), [](const capnp::Schema& a, const capnp::Schema& b) {
        return a.getProto().getId() < b.getProto().getId();
    });
    std::vector<uint64_t> loaded = set.loadedFileIds();
    std::map<std::string, uint64_t> file_ids;
    std::string out;
    for (const auto& node : nodes) {
        auto proto = node.getProto();
        if (!proto.isFile()) continue;
        file_ids[proto.getDisplayName().cStr()] = proto.getId();
        bool is_loaded = std::find(loaded.begin(), loaded.end(), proto.getId()) != loaded.end();
        out += "F\t" + Id(proto.getId()) + "\t" + (is_loaded ? "1" : "0") + "\t" + Hex(proto.getDisplayName()) + "\n";
        out += NestedLines(proto.getNestedNodes());
    }
    // Not part of SchemaSet's locked state: the loader is internally synchronized.
    Describer describer(set.loader());
    for (const auto& node : nodes) {
        auto proto = node.getProto();
        if (proto.isFile()) continue;
        auto file = file_ids.find(Describer::FilePath(proto));
        out += NodeLines(describer, proto, file == file_ids.end() ? 0 : file->second);
    }
    return out;
}

} // namespace mpjava
