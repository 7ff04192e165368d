// Everything a SchemaSet declares, as text lines Java turns into dev.mpjava.schema
// records: the one place that walks Cap'n Proto's schema nodes for tools (generators,
// `mpjava schema`). The format is private to this file and Declarations.java's reader:
//
//   F id loaded path                                       a file
//   N id kind fileId scopeId name qualifiedName params group discriminants   a declaration
//   n childId                                              its nested declarations, in order
//   D name codeOrder ordinal discriminant group type value a struct field
//   E name ordinal                                         an enumerant
//   M name ordinal paramType resultType                    an interface method
//   S type                                                 a superclass
//   C type value                                           a const's or annotation's type (and value)
//   A id name value                                        an annotation on the line before
//
// Fields are tab-separated; ids in hex; names that may hold any byte in hex. Types:
// Void Bool Int8..UInt64 Float32 Float64 Text Data, L(t), s<id>, e<id>, i<id> (with
// <t,t> brand arguments), * (any pointer), p<scope>.<index> (a type parameter).
// Values: - (none), b0/b1, i<n>, u<n>, f<n>, t<hex utf8>, d<hex>, e<name>, x<hex of the
// value in Cap'n Proto text>.
#pragma once

#include <string>

namespace mpjava {

class SchemaSet;

std::string DescribeDeclarations(SchemaSet& set);

} // namespace mpjava
