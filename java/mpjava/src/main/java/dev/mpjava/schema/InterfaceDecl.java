package dev.mpjava.schema;

import java.util.List;

/**
 * An interface.
 *
 * @param common id, names, scope, parameters, annotations, nested declarations
 * @param methods its own methods, in ordinal order (inherited ones are the superclasses')
 * @param superclasses the interfaces it extends, as bound here
 */
public record InterfaceDecl(Common common, List<MethodDecl> methods, List<TypeRef> superclasses)
        implements Declaration {
    /**
     * Copies the lists, so the record is immutable.
     *
     * @param common see the record
     * @param methods see the record
     * @param superclasses see the record
     */
    public InterfaceDecl {
        methods = List.copyOf(methods);
        superclasses = List.copyOf(superclasses);
    }
}
