package dev.mpjava.codegen;

import com.palantir.javapoet.CodeBlock;
import dev.mpjava.schema.AnnotationUse;
import dev.mpjava.schema.Declaration;
import dev.mpjava.schema.EnumDecl;
import dev.mpjava.schema.InterfaceDecl;
import dev.mpjava.schema.SchemaFile;
import dev.mpjava.schema.StructDecl;
import java.util.List;

/** Javadoc of generated types: the capnp declaration they come from, its id and annotations. */
final class Docs {
    private Docs() {}

    static CodeBlock of(Declaration d, SchemaFile file) {
        String kind = d instanceof InterfaceDecl ? "interface" : d instanceof EnumDecl ? "enum"
                : d instanceof StructDecl s && s.group() ? "group" : "struct";
        CodeBlock.Builder doc = CodeBlock.builder().add("Cap'n Proto $L <code>$L</code> of <code>$L</code>, id <code>0x$L</code>.\n",
                kind, escape(d.qualifiedName()), escape(file.path().replaceAll(".*/", "")), Long.toHexString(d.id()));
        List<AnnotationUse> annotations = d.common().annotations();
        if (!annotations.isEmpty()) {
            doc.add("Annotated");
            for (AnnotationUse a : annotations) doc.add(" <code>$L</code>", escape(render(a)));
            doc.add(".\n");
        }
        return doc.build();
    }

    static String render(AnnotationUse a) {
        String value = a.value() == null ? "" : a.value() instanceof String s ? "(\"" + s + "\")" : "(" + a.value() + ")";
        return "$" + a.name() + value;
    }

    /** Text safe inside javadoc HTML: no tags, no inline-tag braces, no comment end. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '@' -> out.append("&#64;");
                case '{' -> out.append("&#123;");
                case '}' -> out.append("&#125;");
                case '*' -> out.append("&#42;");
                case '\\' -> out.append("&#92;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
