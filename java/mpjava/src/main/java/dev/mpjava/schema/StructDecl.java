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
    /**
     * Copies the lists, so the record is immutable.
     *
     * @param common see the record
     * @param group see the record
     * @param discriminantCount see the record
     * @param fields see the record
     */
    public StructDecl {
        fields = List.copyOf(fields);
    }
}
