package dev.mpjava.cli;

import dev.mpjava.cli.Main.CliException;
import dev.mpjava.codegen.Generator;
import dev.mpjava.codegen.GeneratorOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javax.lang.model.SourceVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mpjava generate}: the typed Java API of .capnp files, written by the same generator
 * as mpjava-maven-plugin's {@code generate} goal. Prints each file written.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Generates the typed Java API of .capnp files: Java source under --out, and copies of",
            "the schemas (which the generated code loads from the class path) under --resources."})
final class GenerateCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "the .capnp files")
    private List<Path> files = new ArrayList<>();

    @Option(names = {"-I", "--import"}, paramLabel = "DIR",
            description = "a directory searched for absolute imports (/x.capnp); repeatable")
    private List<Path> imports = new ArrayList<>();

    @Option(names = "--package", required = true, paramLabel = "P", description = "the Java package of the generated types")
    private String javaPackage;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "where the Java source goes")
    private Path out;

    @Option(names = "--resources", paramLabel = "DIR",
            description = "where the schema copies go (default: the --out directory)")
    private Path resources;

    @Option(names = "--source-root", paramLabel = "DIR",
            description = "the directory the schemas' class-path locations are relative to (default: each file's own)")
    private Path sourceRoot;

    @Override
    public Integer call() {
        if (!SourceVersion.isName(javaPackage)) {
            throw new CliException(Main.USAGE, "not a Java package name: '" + javaPackage + "'");
        }
        for (Path file : files) {
            if (!Files.isRegularFile(file)) throw new CliException(Main.USAGE, "no schema file " + file);
        }
        for (Path dir : imports) {
            if (!Files.isDirectory(dir)) throw new CliException(Main.USAGE, "no import directory " + dir);
        }
        if (sourceRoot != null && !Files.isDirectory(sourceRoot)) {
            throw new CliException(Main.USAGE, "no source root directory " + sourceRoot);
        }
        GeneratorOptions options = new GeneratorOptions(out, resources == null ? out : resources, javaPackage,
                sourceRoot, imports);
        List<Path> written;
        try {
            written = new Generator(options).generate(files);
        } catch (IOException e) {
            throw new CliException(Main.USAGE, "cannot write the generated files: " + e.getMessage(), e);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        for (Path file : written) stdout.println(file);
        stdout.flush();
        return Main.OK;
    }
}
