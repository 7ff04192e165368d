package dev.mpjava.schema;

/**
 * An annotation's declaration (e.g. {@code annotation name(field, method) :Text} in proxy.capnp).
 *
 * @param common id, names, scope, annotations
 * @param type the type of its value
 */
public record AnnotationDecl(Common common, TypeRef type) implements Declaration {}
