package dev.mpjava.schema;

/**
 * An annotation applied to a declaration, field, enumerant or method, e.g.
 * {@code $Proxy.name("foo")}.
 *
 * @param id the annotation's id
 * @param name the annotation's qualified name in its file (e.g. "name" in proxy.capnp)
 * @param value its value (see the package comment), null for a Void annotation
 */
public record AnnotationUse(long id, String name, Object value) {}
