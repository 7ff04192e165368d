package dev.mpjava.schema;

import java.util.List;
import java.util.Optional;

/**
 * Something a .capnp file declares: a struct (including groups and the implicit param and
 * result structs of methods), an enum, an interface, a const or an annotation.
 */
public sealed interface Declaration
        permits StructDecl, EnumDecl, InterfaceDecl, ConstDecl, AnnotationDecl {
    /**
     * The common facts of every declaration.
     *
     * @param id the 64-bit id the wire uses
     * @param name the short name ("Inner"); for a method's implicit structs "method$Params" / "method$Results"
     * @param qualifiedName the dotted name within its file ("Outer.Inner")
     * @param scopeId the id of the enclosing declaration or file
     * @param fileId the id of the file that declares it
     * @param typeParameters a generic declaration's own parameter names, in order
     * @param annotations the annotations applied to it
     * @param nested the declarations nested in it, in declaration order (groups and
     *     implicit structs are not listed here; find them through fields and methods)
     */
    record Common(long id, String name, String qualifiedName, long scopeId, long fileId,
            List<String> typeParameters, List<AnnotationUse> annotations, List<Declaration> nested) {
        /**
         * Copies the lists, so the record is immutable.
         *
         * @param id see the record
         * @param name see the record
         * @param qualifiedName see the record
         * @param scopeId see the record
         * @param fileId see the record
         * @param typeParameters see the record
         * @param annotations see the record
         * @param nested see the record
         */
        public Common {
            typeParameters = List.copyOf(typeParameters);
            annotations = List.copyOf(annotations);
            nested = List.copyOf(nested);
        }
    }

    /**
     * The common facts.
     *
     * @return id, names, scope, parameters, annotations and nested declarations
     */
    Common common();

    /**
     * The 64-bit id.
     *
     * @return the id
     */
    default long id() {
        return common().id();
    }

    /**
     * The short name.
     *
     * @return the name
     */
    default String name() {
        return common().name();
    }

    /**
     * The dotted name within its file.
     *
     * @return the qualified name
     */
    default String qualifiedName() {
        return common().qualifiedName();
    }

    /**
     * The annotation with this id, if applied.
     *
     * @param annotationId the annotation's id
     * @return the use, or empty
     */
    default Optional<AnnotationUse> annotation(long annotationId) {
        return common().annotations().stream().filter(a -> a.id() == annotationId).findFirst();
    }
}
