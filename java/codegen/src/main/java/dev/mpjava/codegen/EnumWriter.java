package dev.mpjava.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.mpjava.schema.EnumDecl;
import dev.mpjava.schema.Enumerant;
import javax.lang.model.element.Modifier;

/** An enum as a Java enum whose constants carry the wire's ordinal and name. */
final class EnumWriter {
    private EnumWriter() {}

    static TypeSpec.Builder write(ClassName name, EnumDecl decl, CodeBlock doc) {
        TypeSpec.Builder e = TypeSpec.enumBuilder(name).addModifiers(Modifier.PUBLIC).addJavadoc(doc);
        for (Enumerant v : decl.enumerants()) {
            e.addEnumConstant(Names.constant(v.name()), TypeSpec.anonymousClassBuilder("$L, $S", v.ordinal(), v.name())
                    .addJavadoc("{@code $L} = $L.\n", v.name(), v.ordinal()).build());
        }
        e.addField(int.class, "wireOrdinal", Modifier.PRIVATE, Modifier.FINAL);
        e.addField(String.class, "wireName", Modifier.PRIVATE, Modifier.FINAL);
        e.addMethod(MethodSpec.constructorBuilder().addParameter(int.class, "wireOrdinal")
                .addParameter(String.class, "wireName")
                .addStatement("this.wireOrdinal = wireOrdinal").addStatement("this.wireName = wireName").build());
        e.addMethod(MethodSpec.methodBuilder("wireOrdinal").addModifiers(Modifier.PUBLIC).returns(int.class)
                .addJavadoc("The enumerant's number on the wire.\n\n@return the ordinal in the schema\n")
                .addStatement("return wireOrdinal").build());
        e.addMethod(MethodSpec.methodBuilder("wireName").addModifiers(Modifier.PUBLIC).returns(String.class)
                .addJavadoc("The enumerant's name in the schema.\n\n@return the name\n")
                .addStatement("return wireName").build());
        e.addMethod(MethodSpec.methodBuilder("fromWire").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(name)
                .addParameter(Object.class, "wire")
                .addJavadoc("The constant of a dynamic value: an enumerant name or number; null gives the default.\n\n"
                        + "@param wire a {@code String}, a {@code Number} or null\n@return the constant\n"
                        + "@throws IllegalArgumentException for an enumerant this schema does not know\n")
                .addStatement("return fromWire(wire, values()[0])").build());
        e.addMethod(MethodSpec.methodBuilder("fromWire").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(name)
                .addParameter(Object.class, "wire").addParameter(name, "dflt")
                .addJavadoc("The constant of a dynamic value, or a field's default when it is null.\n\n"
                        + "@param wire a {@code String}, a {@code Number} or null\n@param dflt the default\n"
                        + "@return the constant\n@throws IllegalArgumentException for an enumerant this schema does not know\n")
                .addStatement("if (wire == null) return dflt")
                .beginControlFlow("for ($T value : values())", name)
                .addStatement("if (value.wireName.equals(wire)$W|| (wire instanceof Number n && n.longValue() == value.wireOrdinal))"
                        + "$Wreturn value")
                .endControlFlow()
                .addStatement("throw new $T($S + wire)", IllegalArgumentException.class, "no " + decl.name() + " enumerant ")
                .build());
        return e;
    }
}
