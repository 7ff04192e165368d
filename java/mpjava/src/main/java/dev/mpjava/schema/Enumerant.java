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
    /** Immutable components. */
    public Enumerant {
        annotations = List.copyOf(annotations);
    }
}
