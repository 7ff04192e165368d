package dev.mpjava.maven;

import dev.mpjava.SchemaException;
import dev.mpjava.codegen.Generator;
import dev.mpjava.codegen.GeneratorOptions;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.SourceVersion;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Generates the typed Java API of the project's Cap'n Proto schemas ({@code src/main/capnp}
 * by default) and adds it to the build: the Java source as a compile source root, copies of
 * the schemas (which the generated code loads from the class path) as a resource root.
 * Imports of {@code /capnp/c++.capnp} and {@code /mp/proxy.capnp} resolve to the copies the
 * mpjava library carries, as at run time; other absolute imports are looked up in
 * {@code importPath}. Skipped while nothing changed since the last generation.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class GenerateMojo extends AbstractMojo {
    /** The directory the schemas are taken from; their class-path locations are relative to it. */
    @Parameter(property = "mpjava.schemaDirectory", defaultValue = "${project.basedir}/src/main/capnp")
    private File schemaDirectory;

    /** Ant-style patterns, relative to {@code schemaDirectory}, of the schemas to generate from. */
    @Parameter
    private List<String> includes = new ArrayList<>(List.of("**/*.capnp"));

    /** Ant-style patterns, relative to {@code schemaDirectory}, of files to leave out. */
    @Parameter
    private List<String> excludes = new ArrayList<>();

    /** The Java package of the generated types. */
    @Parameter(property = "mpjava.javaPackage", required = true)
    private String javaPackage;

    /** Directories searched for absolute imports ({@code import "/x.capnp"}), in order. */
    @Parameter
    private List<File> importPath = new ArrayList<>();

    /** Where the Java source goes; added as a compile source root. */
    @Parameter(property = "mpjava.outputDirectory",
            defaultValue = "${project.build.directory}/generated-sources/mpjava")
    private File outputDirectory;

    /** Where the schema copies go; added as a resource root. */
    @Parameter(property = "mpjava.resourceDirectory",
            defaultValue = "${project.build.directory}/generated-resources/mpjava")
    private File resourceDirectory;

    /** Skips the goal: nothing is generated and no root is added. */
    @Parameter(property = "mpjava.generate.skip", defaultValue = "false")
    private boolean skip;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
    private MojoExecution execution;

    /** For Maven, which creates and configures the goal. */
    public GenerateMojo() {}

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("mpjava generate: skipped");
            return;
        }
        if (!SourceVersion.isName(javaPackage)) {
            throw new MojoFailureException("mpjava generate: javaPackage '" + javaPackage + "' is not a Java package name");
        }
        Path root = schemaDirectory.toPath();
        if (!Files.isDirectory(root)) {
            getLog().info("mpjava generate: no schema directory " + root + ", nothing to generate");
            return;
        }
        List<Path> schemas = schemas(root);
        if (schemas.isEmpty()) {
            getLog().info("mpjava generate: no schema in " + root + " matches " + includes);
            return;
        }
        List<Path> imports = new ArrayList<>();
        for (File dir : importPath) {
            if (!dir.isDirectory()) throw new MojoFailureException("mpjava generate: no import directory " + dir);
            imports.add(dir.toPath());
        }
        GeneratorOptions options = new GeneratorOptions(outputDirectory.toPath(), resourceDirectory.toPath(),
                javaPackage, root, imports);
        GenerationStamp stamp = new GenerationStamp(Path.of(project.getBuild().getDirectory(), "mpjava-generate",
                execution.getExecutionId() + ".stamp"));
        List<String> configuration = configuration(options, schemas);
        List<Path> inputs = inputs(schemas, imports);
        if (stamp.upToDate(configuration, inputs)) {
            getLog().info("mpjava generate: " + schemas.size() + " schema(s) unchanged, generated code up to date");
        } else {
            generate(options, schemas, stamp, configuration);
        }
        addRoots();
    }

    private List<Path> schemas(Path root) throws MojoExecutionException {
        try {
            return SchemaFiles.select(root, includes, excludes);
        } catch (IOException e) {
            throw new MojoExecutionException("mpjava generate: cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    private void generate(GeneratorOptions options, List<Path> schemas, GenerationStamp stamp,
            List<String> configuration) throws MojoExecutionException, MojoFailureException {
        try {
            List<Path> previous = stamp.previousOutputs();
            stamp.delete();
            List<Path> written = new Generator(options).generate(schemas);
            Set<Path> kept = new HashSet<>();
            for (Path p : written) kept.add(p.toAbsolutePath());
            // Files of schemas removed since the last run would otherwise still compile.
            for (Path old : previous) {
                if (!kept.contains(old)) Files.deleteIfExists(old);
            }
            stamp.write(configuration, written);
            getLog().info("mpjava generate: " + written.size() + " file(s) from " + schemas.size()
                    + " schema(s) into " + options.outputDirectory());
        } catch (SchemaException e) {
            throw new MojoFailureException("mpjava generate: schema error: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("mpjava generate: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("mpjava generate: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new MojoExecutionException("mpjava generate: the generator failed: " + e, e);
        }
    }

    private void addRoots() {
        String sources = outputDirectory.getAbsolutePath();
        if (!project.getCompileSourceRoots().contains(sources)) project.addCompileSourceRoot(sources);
        String resources = resourceDirectory.getAbsolutePath();
        for (Resource r : project.getResources()) {
            if (resources.equals(new File(r.getDirectory()).getAbsolutePath())) return;
        }
        Resource resource = new Resource();
        resource.setDirectory(resources);
        project.addResource(resource);
    }

    /** Everything a generation depends on besides the inputs' contents. */
    private static List<String> configuration(GeneratorOptions options, List<Path> schemas) {
        List<String> lines = new ArrayList<>();
        lines.add("package " + options.javaPackage());
        lines.add("output " + options.outputDirectory().toAbsolutePath());
        lines.add("resources " + options.resourceDirectory().toAbsolutePath());
        lines.add("root " + options.sourceRoot().toAbsolutePath());
        for (Path dir : options.importPath()) lines.add("import " + dir.toAbsolutePath());
        for (Path schema : schemas) lines.add("schema " + schema.toAbsolutePath());
        Path generator = generatorJar();
        if (generator != null) lines.add("generator " + generator);
        return lines;
    }

    /** The schemas, every file of the import directories, and the generator itself (a rebuilt plugin regenerates). */
    private static List<Path> inputs(List<Path> schemas, List<Path> imports) throws MojoExecutionException {
        List<Path> inputs = new ArrayList<>(schemas);
        try {
            for (Path dir : imports) inputs.addAll(SchemaFiles.all(dir));
        } catch (IOException e) {
            throw new MojoExecutionException("mpjava generate: cannot list " + e.getMessage(), e);
        }
        Path generator = generatorJar();
        if (generator != null && Files.exists(generator)) inputs.add(generator);
        return inputs;
    }

    private static Path generatorJar() {
        CodeSource source = Generator.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) return null;
        try {
            return Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
