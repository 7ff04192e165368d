package dev.mpjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What a client sees of a Java handler's failure: its type and message, without the
 * absolute paths and addresses in the text, which the server's log keeps.
 */
class ErrorReplyTest extends CalculatorPeers {
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{6,}");

    @Test
    void errorReplyHidesBuildTreePathsAndAddressesWhileServerLogKeepsThem() {
        String buildTree = Path.of("").toAbsolutePath().toString();
        String detail = "cannot read " + buildTree + "/target/secret.key at 0x7ffd1234abcd";
        Implementation failing = Implementation.of(schema.interfaceType("CalcInit"))
                .on("fail", (p, r) -> {
                    throw new IllegalStateException(detail);
                });
        server.listen(socket, failing);
        Client client = connect();
        RemoteException failed = assertThrows(RemoteException.class, () -> client.call("fail", p -> p.set("message", "x")));
        System.out.println("client sees: " + failed.reason());
        assertEquals(RemoteException.Type.FAILED, failed.type());
        assertTrue(failed.reason().contains("java.lang.IllegalStateException: cannot read secret.key at 0x?"), failed.reason());
        assertFalse(failed.reason().contains(buildTree), failed.reason());
        assertFalse(ADDRESS.matcher(failed.reason()).find(), failed.reason());
        assertTrue(serverLog.contains(detail), serverLog.dump());
        client.close();
    }
}
