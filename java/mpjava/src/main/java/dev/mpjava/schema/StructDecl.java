package dev.mpjava.schema;

import java.util.List;

/**
 * A struct, a group, or a method's implicit param/result struct.
 *
 * @param common id, names, scope, parameters, annotations, nested declarations
 * @param group whether it is a group (its fields live in the enclosing struct's message)
 * @param discriminantCount the number of union members; 0 when it has no union
 * @param fields every field in code order, union members included
 */
public record StructDecl(Common common, boolean group, int discriminantCount, List<FieldDecl> fields)
        implements Declaration {
    /** Immutable components. */
    public StructDecl {
        fields = List.copyOf(fields);
    }
}
