package dev.mpjava.codegen;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.mpjava.codegen.Codecs.Generics;
import dev.mpjava.codegen.Members.Member;
import dev.mpjava.codegen.SchemaModel.Inherited;
import dev.mpjava.schema.FieldDecl;
import dev.mpjava.schema.InterfaceDecl;
import dev.mpjava.schema.TypeRef;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javax.lang.model.element.Modifier;

/**
 * An interface as a Java interface that servers implement, with static {@code connect}
 * and {@code implementation} methods, and a nested {@code Client}: the typed client,
 * blocking and {@code …Async} methods over the dynamic {@code Client} it wraps.
 */
final class InterfaceWriter {
    static final ClassName EVENT_LOOP = ClassName.get("dev.mpjava", "EventLoop");
    static final ClassName CONNECT_OPTIONS = ClassName.get("dev.mpjava", "ConnectOptions");
    static final ClassName IMPLEMENTATION = ClassName.get("dev.mpjava", "Implementation");
    static final ClassName INTERFACE_TYPE = ClassName.get("dev.mpjava", "InterfaceType");
    static final ClassName RAISED = ClassName.get("dev.mpjava", "RaisedException");
    /** Names the interface and its Client declare themselves; capnp methods avoid them. */
    private static final Set<String> RESERVED = Set.of("type", "connect", "implementation", "toWire", "fromWire",
            "close", "dynamic");

    private final SchemaModel model;
    private final Codecs codecs;
    private final StructWriter structs;
    /** Java names of every method, per interface id then method ordinal, shared by inheriting interfaces. */
    private final Map<Long, Map<Integer, String[]>> names = new HashMap<>();

    InterfaceWriter(SchemaModel model, Codecs codecs, StructWriter structs) {
        this.model = model;
        this.codecs = codecs;
        this.structs = structs;
    }

    TypeSpec.Builder write(ClassName name, InterfaceDecl decl, CodeBlock doc) {
        TypeSpec.Builder type = TypeSpec.interfaceBuilder(name).addModifiers(Modifier.PUBLIC).addJavadoc(doc)
                .addJavadoc("\n<p>Implement it to serve ({@link #implementation}); call it through {@link Client}\n"
                        + "({@link #connect(EventLoop, Path)}).\n");
        for (TypeRef sup : decl.superclasses()) {
            model.classOf(sup.id()).ifPresent(type::addSuperinterface);
        }
        List<Inherited> visible = model.allMethods(decl).stream().filter(i -> !model.isHidden(i.method())).toList();
        if (visible.size() == 1) type.addAnnotation(FunctionalInterface.class);
        for (Inherited i : visible) {
            if (i.owner() != decl) continue;
            MethodShape shape = new MethodShape(model, i.method());
            type.addMethod(serverMethod(i.owner(), shape));
            if (defaultedFrom(shape) >= 0) type.addMethod(shorter(i.owner(), shape, true, false));
            if (!shape.isVoid() && !shape.isSingle()) {
                ClassName record = model.classOf(shape.resultsDecl.id()).orElseThrow();
                type.addType(structs.record(record, shape.resultsDecl, shape.results, false,
                        CodeBlock.of("The results of {@code $L}.\n", i.method().name())).addModifiers(Modifier.STATIC).build());
            }
        }
        addStatics(type, name, decl);
        type.addType(client(name, decl, visible));
        return type;
    }

    /** The Java name of a method, and of its async variant (index 0 and 1), unique in the interface's family. */
    String[] javaNames(InterfaceDecl owner, int ordinal) {
        return names.computeIfAbsent(owner.id(), id -> {
            Map<Integer, String[]> out = new HashMap<>();
            Set<String> reserved = new HashSet<>(Names.OBJECT_MEMBERS);
            reserved.addAll(RESERVED);
            Set<String> capnpNames = new HashSet<>();
            List<Inherited> all = model.allMethods(owner);
            for (Inherited i : all) capnpNames.add(i.method().name());
            Set<String> taken = new HashSet<>(reserved);
            for (Inherited i : all) {
                if (i.owner() != owner) continue;
                String base = Names.member(i.method().name(), taken);
                taken.add(base);
                Set<String> asyncTaken = new HashSet<>(taken);
                asyncTaken.addAll(capnpNames);
                String async = Names.member(i.method().name() + "Async", asyncTaken);
                taken.add(async);
                out.put(i.method().ordinal(), new String[] {base, async});
            }
            return out;
        }).get(ordinal);
    }

    private MethodSpec serverMethod(InterfaceDecl owner, MethodShape shape) {
        MethodSpec.Builder m = MethodSpec.methodBuilder(javaNames(owner, shape.method.ordinal())[0])
                .addModifiers(Modifier.PUBLIC, Modifier.ABSTRACT).returns(shape.returnType(model, structs))
                .addException(Exception.class)
                .addJavadoc("Method {@code $L} @$L.\n\n", shape.method.name(), shape.method.ordinal());
        for (Member p : shape.params) {
            if (!p.isComponent()) continue;
            m.addParameter(structs.componentType(p, Generics.NONE), p.name());
            m.addJavadoc("@param $L param {@code $L}\n", p.name(), p.field().name());
        }
        if (!shape.isVoid()) m.addJavadoc("@return $L\n", shape.isSingle() ? "result {@code " + shape.single().field().name() + "}" : "the results");
        m.addJavadoc("@throws Exception to fail the call (the caller gets a remote error)");
        for (FieldDecl f : shape.exceptions) {
            MethodShape.raisedClass(model, f).ifPresent(c -> m.addJavadoc("; {@link $T} sets {@code $L}", c, f.name()));
        }
        return m.addJavadoc("\n").build();
    }

    private void addStatics(TypeSpec.Builder type, ClassName name, InterfaceDecl decl) {
        ClassName client = name.nestedClass("Client");
        String qualified = decl.qualifiedName();
        type.addMethod(MethodSpec.methodBuilder("type").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(INTERFACE_TYPE).addJavadoc("The interface in the schema, for the dynamic API.\n\n@return the type\n")
                .addStatement("return $T.interfaceType($S)", model.holder, qualified).build());
        for (boolean fd : new boolean[] {false, true}) {
            for (boolean options : new boolean[] {false, true}) {
                MethodSpec.Builder m = MethodSpec.methodBuilder("connect").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                        .returns(client).addParameter(EVENT_LOOP, "loop")
                        .addJavadoc("Connects to a server of this interface $L (ThreadMaps are exchanged as usual).\n\n"
                                + "@param loop the client loop\n", fd ? "over a connected socket" : "at a Unix socket");
                if (fd) m.addParameter(int.class, "connectedFd").addJavadoc("@param connectedFd the socket; the client owns it\n");
                else m.addParameter(Path.class, "socket").addJavadoc("@param socket the socket path\n");
                if (options) m.addParameter(CONNECT_OPTIONS, "options").addJavadoc("@param options timeouts, interceptors\n");
                m.addJavadoc("@return the client; close it\n");
                m.addStatement("return new $T(loop.connect($L, type()$L))", client, fd ? "connectedFd" : "socket",
                        options ? ", options" : "");
                type.addMethod(m.build());
            }
        }
        MethodSpec.Builder impl = MethodSpec.methodBuilder("implementation").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(IMPLEMENTATION).addParameter(name, "impl")
                .addJavadoc("Serves {@code impl}: pass the result to {@code EventLoop.listen}, or return it as a\n"
                        + "capability. If {@code impl} is {@link AutoCloseable}, it is closed when the peer destroys\n"
                        + "or releases it.\n\n"
                        + "@param impl the server object\n@return the implementation\n")
                .addStatement("$T.requireNonNull(impl, $S)", java.util.Objects.class, "impl")
                .addStatement("$T implementation = $T.of(type())", IMPLEMENTATION, IMPLEMENTATION);
        for (Inherited i : model.allMethods(decl)) {
            if (model.isHidden(i.method())) continue;
            impl.addCode(handler(i.owner(), new MethodShape(model, i.method())));
        }
        impl.beginControlFlow("if (impl instanceof $T closeable)", AutoCloseable.class)
                .addStatement("implementation.onClose(() -> $T.closeServer(closeable))", model.holder).endControlFlow();
        type.addMethod(impl.addStatement("return implementation").build());
        type.addMethod(MethodSpec.methodBuilder("toWire").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(Object.class).addParameter(name, "value")
                .addJavadoc("A capability for the dynamic API: a client's own capability, or {@code value} served.\n\n"
                        + "@param value a server object or a client, or null\n@return what {@code StructBuilder.set} takes\n")
                .addStatement("if (value == null) return null")
                .addStatement("if (value instanceof $T typed) return typed.dynamic()", model.holder.nestedClass("TypedClient"))
                .addStatement("return implementation(value)").build());
    }

    private CodeBlock handler(InterfaceDecl owner, MethodShape shape) {
        CodeBlock.Builder args = CodeBlock.builder();
        for (Member p : shape.params) {
            if (!p.isComponent()) continue;
            if (!args.isEmpty()) args.add(",$W");
            args.add(structs.decodeMember(p, CodeBlock.of("fields"), Generics.NONE));
        }
        CodeBlock.Builder body = CodeBlock.builder();
        if (!args.isEmpty()) body.addStatement("$T<$T, Object> fields = params.toMap()", Map.class, String.class);
        if (!shape.exceptions.isEmpty()) body.beginControlFlow("try");
        String call = "impl." + javaNames(owner, shape.method.ordinal())[0] + "(";
        if (shape.isVoid()) {
            body.addStatement("$L$L)", call, args.build());
        } else {
            body.addStatement("$T value = $L$L)", shape.returnType(model, structs), call, args.build());
            if (shape.isSingle()) {
                body.add(structs.encodeMember(shape.single(), CodeBlock.of("results"), CodeBlock.of("value"), Generics.NONE));
            } else {
                body.beginControlFlow("if (value != null)");
                for (Member r : shape.results) {
                    body.add(structs.encodeMember(r, CodeBlock.of("results"), CodeBlock.of("value.$N()", r.name()), Generics.NONE));
                }
                body.endControlFlow();
            }
        }
        for (FieldDecl f : shape.exceptions) {
            MethodShape.raisedClass(model, f).ifPresent(raised -> body.nextControlFlow("catch ($T e)", raised)
                    .addStatement("results.set($S, $T.toWire(e.error()))", f.name(), raised.enclosingClassName()));
        }
        if (!shape.exceptions.isEmpty()) body.endControlFlow();
        return CodeBlock.builder().add("implementation.on($S, (params, results) -> {\n$>", shape.method.name())
                .add(body.build()).add("$<});\n").build();
    }

    private TypeSpec client(ClassName name, InterfaceDecl decl, List<Inherited> visible) {
        ClassName client = name.nestedClass("Client");
        TypeSpec.Builder c = TypeSpec.classBuilder(client).addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addSuperinterface(name).addSuperinterface(model.holder.nestedClass("TypedClient"))
                .addSuperinterface(AutoCloseable.class)
                .addJavadoc("A typed client of {@code $L}: blocking methods and {@code …Async} ones returning\n"
                        + "futures. Close it when done ({@code destroy} is sent first when the interface has it).\n",
                        decl.qualifiedName())
                .addField(Codecs.DYNAMIC_CLIENT, "dynamic", Modifier.PRIVATE, Modifier.FINAL)
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                        .addParameter(Codecs.DYNAMIC_CLIENT, "dynamic")
                        .addJavadoc("Wraps a dynamic client of this interface.\n\n@param dynamic the client; this one owns it\n")
                        .addStatement("this.dynamic = $T.requireNonNull(dynamic, $S)", java.util.Objects.class, "dynamic").build())
                .addMethod(MethodSpec.methodBuilder("fromWire").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(client)
                        .addParameter(Object.class, "wire")
                        .addJavadoc("The typed client of a received capability.\n\n@param wire a dynamic {@code Client}, or null\n"
                                + "@return the typed client, or null\n")
                        .addStatement("return wire == null ? null : new $T(($T) wire)", client, Codecs.DYNAMIC_CLIENT).build())
                .addMethod(MethodSpec.methodBuilder("dynamic").addModifiers(Modifier.PUBLIC).addAnnotation(Override.class)
                        .returns(Codecs.DYNAMIC_CLIENT).addStatement("return dynamic").build())
                .addMethod(MethodSpec.methodBuilder("close").addModifiers(Modifier.PUBLIC).addAnnotation(Override.class)
                        .addStatement("dynamic.close()").build())
                .addMethod(MethodSpec.methodBuilder("toString").addModifiers(Modifier.PUBLIC).addAnnotation(Override.class)
                        .returns(String.class).addStatement("return $S + dynamic", decl.qualifiedName() + ".Client over ").build());
        for (Inherited i : visible) clientMethods(c, i.owner(), new MethodShape(model, i.method()));
        return c.build();
    }

    private void clientMethods(TypeSpec.Builder c, InterfaceDecl owner, MethodShape shape) {
        String[] javaNames = javaNames(owner, shape.method.ordinal());
        TypeName result = clientReturn(shape);
        CodeBlock params = paramsLambda(shape);
        MethodSpec.Builder blocking = MethodSpec.methodBuilder(javaNames[0]).addModifiers(Modifier.PUBLIC)
                .addAnnotation(Override.class).returns(result);
        MethodSpec.Builder async = MethodSpec.methodBuilder(javaNames[1]).addModifiers(Modifier.PUBLIC)
                .returns(ParameterizedTypeName.get(ClassName.get(CompletableFuture.class), result.box()))
                .addJavadoc("{@code $L} without waiting.\n\n", shape.method.name());
        for (Member p : shape.params) {
            if (!p.isComponent()) continue;
            TypeName t = structs.componentType(p, Generics.NONE);
            blocking.addParameter(t, p.name());
            async.addParameter(t, p.name());
            async.addJavadoc("@param $L param {@code $L}\n", p.name(), p.field().name());
        }
        async.addJavadoc("@return the future $L\n", shape.isVoid() ? "completion" : "result");
        CodeBlock decode = decodeResults(shape);
        boolean raises = shape.exceptions.stream().anyMatch(f -> MethodShape.raisedClass(model, f).isPresent());
        String raisedName = javaNames[0] + "$raised";
        if (raises) {
            blocking.beginControlFlow("try");
        }
        // Plain lines, not statements: the params lambda holds statements of its own.
        if (shape.isVoid()) blocking.addCode("dynamic.call($S, $L);\n", shape.method.name(), params);
        else blocking.addCode("$T wire = dynamic.call($S, $L);\n", Codecs.STRUCT_VALUE, shape.method.name(), params)
                .addStatement("return $L", decode);
        if (raises) {
            blocking.nextControlFlow("catch ($T e)", RAISED).addStatement("throw $N(e)", raisedName).endControlFlow();
            c.addMethod(raisedMapper(raisedName, shape));
        }
        CodeBlock.Builder future = CodeBlock.builder().add("return dynamic.callAsync($S, $L)", shape.method.name(), params);
        if (raises) future.add("\n$>$>.exceptionally(e -> {\n$>throw $N(e);\n$<})$<$<", raisedName);
        future.add("\n$>$>.thenApply(wire -> $L);\n$<$<", shape.isVoid() ? CodeBlock.of("(Void) null") : decode);
        async.addCode(future.build());
        c.addMethod(blocking.build());
        c.addMethod(async.build());
        if (defaultedFrom(shape) >= 0) {
            c.addMethod(shorter(owner, shape, false, false));
            c.addMethod(shorter(owner, shape, false, true));
        }
    }

    /** Index of the first of the trailing params that have defaults (Bitcoin Core's {@code cooldown: Bool = true}); -1 if none. */
    private int defaultedFrom(MethodShape shape) {
        List<Member> params = shape.params.stream().filter(Member::isComponent).toList();
        int from = params.size();
        while (from > 0) {
            FieldDecl f = params.get(from - 1).field();
            boolean literal = f.type().isPrimitive() || f.type().kind() == TypeRef.Kind.TEXT;
            if (!literal || !isExplicit(f)) break;
            from--;
        }
        return from == params.size() ? -1 : from;
    }

    /** The loader reports zero defaults for every scalar: only a non-zero one is known to be written in the schema. */
    private boolean isExplicit(FieldDecl field) {
        Object dflt = field.defaultValue();
        if (field.type().kind() == TypeRef.Kind.ENUM) {
            return dflt instanceof String name && model.declarations.enumDecl(field.type().id()).enumerants().stream()
                    .anyMatch(e -> e.name().equals(name) && e.ordinal() != 0);
        }
        if (dflt instanceof Boolean b) return b;
        if (dflt instanceof Number n) return n.doubleValue() != 0 || n instanceof java.math.BigInteger;
        return dflt instanceof String text && !text.isEmpty();
    }

    /**
     * The overload without the trailing defaulted params, which passes the schema's defaults:
     * a default method of the interface, or the client's (blocking or async) one.
     */
    private MethodSpec shorter(InterfaceDecl owner, MethodShape shape, boolean inInterface, boolean async) {
        String[] javaNames = javaNames(owner, shape.method.ordinal());
        List<Member> params = shape.params.stream().filter(Member::isComponent).toList();
        int from = defaultedFrom(shape);
        TypeName result = inInterface ? shape.returnType(model, structs) : clientReturn(shape);
        MethodSpec.Builder m = MethodSpec.methodBuilder(javaNames[async ? 1 : 0]).addModifiers(Modifier.PUBLIC)
                .returns(async ? ParameterizedTypeName.get(ClassName.get(CompletableFuture.class), result.box()) : result)
                .addJavadoc("{@code $L} with the schema's defaults for ", shape.method.name());
        if (inInterface) m.addModifiers(Modifier.DEFAULT).addException(Exception.class);
        else if (!async) m.addAnnotation(Override.class);
        CodeBlock.Builder args = CodeBlock.builder();
        for (int i = 0; i < params.size(); i++) {
            Member p = params.get(i);
            if (i > 0) args.add(", ");
            if (i < from) {
                m.addParameter(structs.componentType(p, Generics.NONE), p.name());
                args.add("$N", p.name());
            } else {
                m.addJavadoc(i == from ? "{@code $L}" : ", {@code $L}", p.field().name());
                args.add(codecs.literal(p.field().type(), p.field().defaultValue(), Generics.NONE));
            }
        }
        m.addJavadoc(".\n\n");
        for (int i = 0; i < from; i++) m.addJavadoc("@param $L param {@code $L}\n", params.get(i).name(), params.get(i).field().name());
        if (async || !shape.isVoid()) m.addJavadoc("@return what the full overload returns\n");
        if (inInterface) m.addJavadoc("@throws Exception as the full overload\n");
        boolean returns = async || !shape.isVoid();
        return m.addStatement("$L$N($L)", returns ? "return " : "", javaNames[async ? 1 : 0], args.build()).build();
    }

    private TypeName clientReturn(MethodShape shape) {
        if (shape.isSingle() && !shape.single().isOptional()) {
            return codecs.receivedType(shape.single().field().type(), Generics.NONE);
        }
        return shape.returnType(model, structs);
    }

    private CodeBlock paramsLambda(MethodShape shape) {
        List<Member> set = shape.params.stream().toList();
        if (set.isEmpty()) return CodeBlock.of("params -> { }");
        CodeBlock.Builder b = CodeBlock.builder().add("params -> {\n$>");
        for (Member p : set) b.add(structs.encodeMember(p, CodeBlock.of("params"), CodeBlock.of("$N", p.name()), Generics.NONE));
        return b.add("$<}").build();
    }

    private CodeBlock decodeResults(MethodShape shape) {
        if (shape.isVoid()) return CodeBlock.of("null");
        if (shape.isSingle()) return structs.decodeMember(shape.single(), CodeBlock.of("wire.toMap()"), Generics.NONE);
        return CodeBlock.of("$T.fromWire(wire)", model.classOf(shape.resultsDecl.id()).orElseThrow());
    }

    /** Turns a {@code $Proxy.exception} result into its generated exception; other errors pass through. */
    private MethodSpec raisedMapper(String name, MethodShape shape) {
        MethodSpec.Builder m = MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(RuntimeException.class).addParameter(Throwable.class, "error")
                .addStatement("$T cause = error instanceof $T && error.getCause() != null ? error.getCause() : error",
                        Throwable.class, java.util.concurrent.CompletionException.class);
        m.beginControlFlow("if (cause instanceof $T raised)", RAISED);
        for (FieldDecl f : shape.exceptions) {
            MethodShape.raisedClass(model, f).ifPresent(raised -> m.beginControlFlow("if (raised.field().equals($S))", f.name())
                    .addStatement("return new $T($T.fromWire(raised.error()), raised)", raised, raised.enclosingClassName())
                    .endControlFlow());
        }
        m.endControlFlow();
        m.addStatement("return error instanceof RuntimeException r ? r : new $T(error)",
                java.util.concurrent.CompletionException.class);
        return m.build();
    }
}
