package dev.mpjava.schema;

import java.util.List;
import java.util.Optional;

/**
 * A method of an interface.
 *
 * @param name its name
 * @param ordinal its ordinal (@N) within its own interface
 * @param params its param struct (usually implicit, named "name$Params")
 * @param results its result struct (usually implicit, named "name$Results")
 * @param annotations the annotations applied to it
 */
public record MethodDecl(String name, int ordinal, TypeRef params, TypeRef results, List<AnnotationUse> annotations) {
    /**
     * Copies the lists, so the record is immutable.
     *
     * @param name see the record
     * @param ordinal see the record
     * @param params see the record
     * @param results see the record
     * @param annotations see the record
     */
    public MethodDecl {
        annotations = List.copyOf(annotations);
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
