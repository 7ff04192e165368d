package dev.mpjava.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.mpjava.schema.ConstDecl;
import dev.mpjava.schema.Declaration;
import dev.mpjava.schema.EnumDecl;
import dev.mpjava.schema.Enumerant;
import dev.mpjava.schema.FieldDecl;
import dev.mpjava.schema.InterfaceDecl;
import dev.mpjava.schema.MethodDecl;
import dev.mpjava.schema.StructDecl;
import dev.mpjava.schema.TypeRef;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mpjava schema} (alias {@code describe}): what a .capnp file declares, as
 * Cap'n Proto's parser reads it: interfaces with ids and every method (inherited ones
 * included, in the index order calls use) with params and results, then structs, enums
 * and consts.
 */
@Command(name = "schema", aliases = "describe", mixinStandardHelpOptions = true,
        description = {"Lists the interfaces of a .capnp schema with ids, their methods with params and results,",
            "and its structs, enums and consts. Fields marked * (Proxy.Context, Proxy.ThreadMap) are filled by mpjava."})
final class DescribeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCHEMA", description = "the .capnp file")
    private Path schemaFile;

    @Parameters(index = "1", arity = "0..1", paramLabel = "INTERFACE", description = "only this interface")
    private String only;

    @Option(names = {"-I", "--import"}, paramLabel = "DIR",
            description = "a directory searched for absolute imports (/x.capnp); repeatable")
    private List<Path> imports = new ArrayList<>();

    @Option(names = "--json", description = "print JSON")
    private boolean json;

    @Override
    public Integer call() {
        try (SchemaFile file = SchemaFile.load(schemaFile, imports)) {
            List<InterfaceDecl> chosen = new ArrayList<>();
            if (only != null) {
                file.interfaceType(only);  // a usage error naming the file's interfaces if absent
                file.interfaces().stream().filter(i -> i.qualifiedName().equals(only) || i.name().equals(only))
                        .findFirst().ifPresent(chosen::add);
            } else {
                chosen.addAll(file.interfaces());
            }
            JsonArray interfaces = new JsonArray();
            for (InterfaceDecl iface : chosen) interfaces.add(describe(file, iface));
            JsonArray types = only == null ? types(file) : new JsonArray();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                JsonObject all = new JsonObject();
                all.addProperty("file", schemaFile.toString());
                all.addProperty("id", hex(file.declarations().loadedFiles().get(0).id()));
                all.add("interfaces", interfaces);
                if (only == null) all.add("types", types);
                out.println(Values.json(all));
            } else {
                printText(out, interfaces, types);
            }
            out.flush();
        }
        return Main.OK;
    }

    private static String hex(long id) {
        return "0x" + Long.toHexString(id);
    }

    /** One interface: its id, what it extends, and every method callable on it, inherited ones last. */
    private static JsonObject describe(SchemaFile file, InterfaceDecl iface) {
        JsonObject out = new JsonObject();
        out.addProperty("name", iface.qualifiedName());
        out.addProperty("id", hex(iface.id()));
        if (!iface.superclasses().isEmpty()) {
            JsonArray ext = new JsonArray();
            iface.superclasses().forEach(s -> ext.add(file.typeName(s)));
            out.add("extends", ext);
        }
        JsonArray methods = new JsonArray();
        addMethods(file, iface, methods);
        out.add("methods", methods);
        return out;
    }

    private static void addMethods(SchemaFile file, InterfaceDecl iface, JsonArray out) {
        for (MethodDecl m : iface.methods()) {
            JsonObject method = new JsonObject();
            method.addProperty("name", m.name());
            method.addProperty("ordinal", m.ordinal());
            method.add("params", fields(file, file.declarations().struct(m.params().id())));
            method.add("results", fields(file, file.declarations().struct(m.results().id())));
            out.add(method);
        }
        for (TypeRef parent : iface.superclasses()) addMethods(file, file.declarations().interfaceDecl(parent.id()), out);
    }

    private static JsonArray fields(SchemaFile file, StructDecl struct) {
        JsonArray out = new JsonArray();
        for (FieldDecl f : struct.fields()) {
            JsonObject field = new JsonObject();
            field.addProperty("name", f.name());
            field.addProperty("type", f.group() ? "group" : file.typeName(f.type()));
            if (SchemaFile.filledByMpjava(f)) field.addProperty("filledByMpjava", true);
            out.add(field);
        }
        return out;
    }

    private static JsonArray types(SchemaFile file) {
        JsonArray out = new JsonArray();
        for (Declaration d : file.declared()) {
            JsonObject type = new JsonObject();
            if (d instanceof StructDecl s) {
                type.addProperty("kind", "struct");
                type.add("fields", fields(file, s));
            } else if (d instanceof EnumDecl e) {
                type.addProperty("kind", "enum");
                JsonArray names = new JsonArray();
                e.enumerants().stream().map(Enumerant::name).forEach(names::add);
                type.add("enumerants", names);
            } else if (d instanceof ConstDecl c) {
                type.addProperty("kind", "const");
                type.addProperty("type", file.typeName(c.type()));
                type.addProperty("value", String.valueOf(c.value()));
            } else {
                continue;
            }
            type.addProperty("name", d.qualifiedName());
            type.addProperty("id", hex(d.id()));
            out.add(type);
        }
        return out;
    }

    // ---- text ----

    private static void printText(PrintWriter out, JsonArray interfaces, JsonArray types) {
        for (JsonElement e : interfaces) {
            JsonObject i = e.getAsJsonObject();
            out.print("interface " + i.get("name").getAsString() + " @" + i.get("id").getAsString());
            if (i.has("extends")) out.print(" extends(" + join(i.getAsJsonArray("extends")) + ")");
            out.println();
            for (JsonElement me : i.getAsJsonArray("methods")) {
                JsonObject m = me.getAsJsonObject();
                out.println("  " + m.get("name").getAsString() + " " + signature(m.get("params")) + " -> "
                        + signature(m.get("results")));
            }
        }
        for (JsonElement e : types) {
            JsonObject t = e.getAsJsonObject();
            String kind = t.get("kind").getAsString();
            out.print(kind + " " + t.get("name").getAsString());
            if (kind.equals("const")) {
                out.println(" :" + t.get("type").getAsString() + " = " + t.get("value").getAsString());
                continue;
            }
            out.println(" @" + t.get("id").getAsString());
            if (kind.equals("enum")) out.println("  " + join(t.getAsJsonArray("enumerants")));
            else out.println("  " + signature(t.get("fields")));
        }
    }

    private static String signature(JsonElement fields) {
        StringBuilder out = new StringBuilder("(");
        String sep = "";
        for (JsonElement e : fields.getAsJsonArray()) {
            JsonObject f = e.getAsJsonObject();
            out.append(sep).append(f.get("name").getAsString()).append(" :").append(f.get("type").getAsString());
            if (f.has("filledByMpjava")) out.append('*');
            sep = ", ";
        }
        return out.append(')').toString();
    }

    private static String join(JsonArray names) {
        List<String> out = new ArrayList<>();
        names.forEach(n -> out.add(n.getAsString()));
        return String.join(", ", out);
    }
}
