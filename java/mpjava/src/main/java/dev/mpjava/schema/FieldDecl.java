package dev.mpjava.schema;

import java.util.List;
import java.util.Optional;

/**
 * A field of a struct or group.
 *
 * @param name the field's name
 * @param codeOrder its position in the declaration
 * @param ordinal its ordinal (@N); -1 for a group, which has none
 * @param discriminant its value of the enclosing union's discriminant; -1 when not a union member
 * @param type its type; for a group, a STRUCT whose id is the group's {@link StructDecl}
 * @param group whether it is a group (or an unnamed-union group)
 * @param defaultValue its default (see the package comment); null when none
 * @param annotations the annotations applied to it
 */
public record FieldDecl(String name, int codeOrder, int ordinal, int discriminant, TypeRef type, boolean group,
        Object defaultValue, List<AnnotationUse> annotations) {
    /**
     * Copies the lists, so the record is immutable.
     *
     * @param name see the record
     * @param codeOrder see the record
     * @param ordinal see the record
     * @param discriminant see the record
     * @param type see the record
     * @param group see the record
     * @param defaultValue see the record
     * @param annotations see the record
     */
    public FieldDecl {
        annotations = List.copyOf(annotations);
    }

    /**
     * True when the field is a member of its struct's union.
     *
     * @return whether it has a discriminant value
     */
    public boolean inUnion() {
        return discriminant >= 0;
    }

    /**
     * The annotation with this id, if applied.
     *
     * @param annotationId the annotation's id
     * @return the use, or empty
     */
    public Optional<AnnotationUse> annotation(long annotationId) {
        return annotations.stream().filter(a -> a.id() == annotationId).findFirst();
    }
}
