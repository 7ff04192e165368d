package dev.mpjava.codegen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratorHandBuiltTest {
    @TempDir
    Path out;

    @Test
    void handBuiltSchemaGeneratesOneFilePerTopLevelTypeAndTheHolder() throws Exception {
        Generator generator = new Generator(new GeneratorOptions(out, null, "gen.sample", null, List.of()));
        List<Path> written = generator.generate(HandBuilt.sample(), List.of());
        for (Path p : written) System.out.println(p + "\n" + Files.readString(p));
        assertTrue(written.stream().anyMatch(p -> p.endsWith("gen/sample/Hub.java")), written.toString());
    }
}
