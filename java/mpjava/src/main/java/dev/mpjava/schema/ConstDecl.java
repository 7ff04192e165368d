package dev.mpjava.schema;

/**
 * A named constant.
 *
 * @param common id, names, scope, annotations
 * @param type its type
 * @param value its value (see the package comment)
 */
public record ConstDecl(Common common, TypeRef type, Object value) implements Declaration {}
