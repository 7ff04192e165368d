package dev.mpjava.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.mpjava.InterfaceType;
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
 * {@code mpjava describe}: the interfaces of a schema with their methods, params and
 * results. Method names and their order come from the library (Cap'n Proto's parser,
 * inherited methods included); ids, types and the file's structs and enums from the
 * file's text.
 */
@Command(name = "describe", aliases = "schema", mixinStandardHelpOptions = true,
        description = {"Lists the interfaces of a .capnp schema, their methods with params and results,",
            "and its structs and enums. Fields marked * (Proxy.Context, Proxy.ThreadMap) are filled by mpjava."})
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
            List<String> names = new ArrayList<>();
            if (only != null) names.add(only);
            else names.addAll(file.source().interfaces().keySet());
            JsonArray interfaces = new JsonArray();
            for (String name : names) interfaces.add(describe(file, name));
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                JsonObject all = new JsonObject();
                all.addProperty("file", schemaFile.toString());
                all.add("interfaces", interfaces);
                if (only == null) all.add("types", types(file.source()));
                out.println(Values.json(all));
            } else {
                printText(out, interfaces, only == null ? types(file.source()) : new JsonArray());
            }
            out.flush();
        }
        return Main.OK;
    }

    /** One interface as JSON: the library's method list, with the source's signatures where known. */
    private static JsonObject describe(SchemaFile file, String name) {
        InterfaceType type = file.interfaceType(name);
        CapnpSource source = file.source();
        CapnpSource.Interface declared = source.interfaces().get(name);
        JsonObject out = new JsonObject();
        out.addProperty("name", name);
        out.add("id", declared == null || declared.id() == null ? JsonNull.INSTANCE : new JsonPrimitive(declared.id()));
        if (declared != null && !declared.superclasses().isEmpty()) {
            JsonArray ext = new JsonArray();
            declared.superclasses().forEach(ext::add);
            out.add("extends", ext);
        }
        JsonArray methods = new JsonArray();
        for (String method : type.methods()) methods.add(method(source, declared, method));
        out.add("methods", methods);
        return out;
    }

    // A method declared here or in a superclass of this file; only its name if neither.
    private static JsonObject method(CapnpSource source, CapnpSource.Interface declared, String name) {
        CapnpSource.Method m = declared == null ? null : declared.method(name);
        for (int i = 0; m == null && declared != null && i < declared.superclasses().size(); i++) {
            CapnpSource.Interface parent = source.find(declared.superclasses().get(i));
            if (parent != null) m = parent.method(name);
        }
        JsonObject out = new JsonObject();
        out.addProperty("name", name);
        if (m == null) return out;
        out.addProperty("ordinal", m.ordinal());
        out.add("params", m.paramsType() != null ? new JsonPrimitive(m.paramsType()) : fields(m.params()));
        out.add("results", m.resultsType() != null ? new JsonPrimitive(m.resultsType()) : fields(m.results()));
        return out;
    }

    private static JsonArray fields(List<CapnpSource.Field> fields) {
        JsonArray out = new JsonArray();
        for (CapnpSource.Field f : fields) {
            JsonObject field = new JsonObject();
            field.addProperty("name", f.name());
            if (f.type() != null) field.addProperty("type", f.type());
            if (f.type() != null && Values.PROTOCOL_TYPES.contains(f.type())) field.addProperty("filledByMpjava", true);
            out.add(field);
        }
        return out;
    }

    private static JsonArray types(CapnpSource source) {
        JsonArray out = new JsonArray();
        for (CapnpSource.Type t : source.types()) {
            JsonObject type = new JsonObject();
            type.addProperty("kind", t.kind());
            type.addProperty("name", t.name());
            if (t.id() != null) type.addProperty("id", t.id());
            type.add(t.kind().equals("enum") ? "enumerants" : "fields", t.kind().equals("enum")
                    ? names(t.fields()) : fields(t.fields()));
            out.add(type);
        }
        return out;
    }

    private static JsonArray names(List<CapnpSource.Field> fields) {
        JsonArray out = new JsonArray();
        fields.forEach(f -> out.add(f.name()));
        return out;
    }

    // ---- text ----

    private static void printText(PrintWriter out, JsonArray interfaces, JsonArray types) {
        for (JsonElement e : interfaces) {
            JsonObject i = e.getAsJsonObject();
            out.print("interface " + i.get("name").getAsString());
            if (!i.get("id").isJsonNull()) out.print(" @" + i.get("id").getAsString());
            if (i.has("extends")) out.print(" extends(" + join(i.getAsJsonArray("extends")) + ")");
            out.println();
            for (JsonElement me : i.getAsJsonArray("methods")) {
                JsonObject m = me.getAsJsonObject();
                out.print("  " + m.get("name").getAsString());
                if (m.has("params")) {
                    out.print(" " + signature(m.get("params")) + " -> " + signature(m.get("results")));
                }
                out.println();
            }
        }
        for (JsonElement e : types) {
            JsonObject t = e.getAsJsonObject();
            String kind = t.get("kind").getAsString();
            out.print(kind + " " + t.get("name").getAsString());
            if (t.has("id")) out.print(" @" + t.get("id").getAsString());
            out.println();
            if (kind.equals("enum")) out.println("  " + join(t.getAsJsonArray("enumerants")));
            else out.println("  " + signature(t.get("fields")));
        }
    }

    private static String signature(JsonElement fields) {
        if (fields.isJsonPrimitive()) return fields.getAsString();
        StringBuilder out = new StringBuilder("(");
        String sep = "";
        for (JsonElement e : fields.getAsJsonArray()) {
            JsonObject f = e.getAsJsonObject();
            out.append(sep).append(f.get("name").getAsString());
            if (f.has("type")) out.append(" :").append(f.get("type").getAsString());
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
