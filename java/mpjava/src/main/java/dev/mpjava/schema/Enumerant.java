package dev.mpjava.schema;

import java.util.List;

/**
 * One value of an enum.
 *
 * @param name its name
 * @param ordinal its number on the wire
 * @param annotations the annotations applied to it
 */
public record Enumerant(String name, int ordinal, List<AnnotationUse> annotations) {
    /**
     * Copies the lists, so the record is immutable.
     *
     * @param name see the record
     * @param ordinal see the record
     * @param annotations see the record
     */
    public Enumerant {
        annotations = List.copyOf(annotations);
    }
}
