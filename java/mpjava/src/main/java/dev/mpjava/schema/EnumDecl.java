package dev.mpjava.schema;

import java.util.List;

/**
 * An enum.
 *
 * @param common id, names, scope, annotations, nested declarations
 * @param enumerants its values, in ordinal order
 */
public record EnumDecl(Common common, List<Enumerant> enumerants) implements Declaration {
    /**
     * Copies the lists, so the record is immutable.
     *
     * @param common see the record
     * @param enumerants see the record
     */
    public EnumDecl {
        enumerants = List.copyOf(enumerants);
    }
}
