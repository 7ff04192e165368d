package dev.mpjava;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * A client run as another user ({@code runuser -u nobody}, python3's socket module): it
 * connects to a socket path and reports what happened. Tests that need it are skipped
 * (an assumption) where the machine cannot run it: not root, or no runuser or python3.
 */
final class SecondUid {
    static final int NOBODY = 65534;
    private static final Path RUNUSER = Path.of("/usr/sbin/runuser");
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    // denied: connect refused by the file's mode; closed: the server closed the connection
    // at once; open: still open after the wait (the server kept it).
    private static final String CLIENT = String.join("\n",
            "import socket, sys",
            "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
            "try:",
            "    s.connect(sys.argv[1])",
            "except PermissionError:",
            "    print('denied'); sys.exit(0)",
            "s.settimeout(float(sys.argv[2]))",
            "try:",
            "    print('closed' if not s.recv(1) else 'data')",
            "except socket.timeout:",
            "    print('open')",
            "except ConnectionResetError:",
            "    print('closed')");

    private SecondUid() {}

    static int ownUid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    static int ownGid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid");
    }

    /** Skips the calling test unless a nobody client can run here. */
    static void assumeAvailable() throws IOException {
        assumeTrue(ownUid() == 0, "needs root to run a client as nobody");
        assumeTrue(Files.isExecutable(RUNUSER), "needs " + RUNUSER);
        assumeTrue(Files.isExecutable(PYTHON), "needs " + PYTHON);
    }

    /** Lets other users reach sockets in the directory of {@code socket}. */
    static void openDirectoryOf(Path socket) throws IOException {
        Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Runs the client as nobody against {@code socket}; its answer (denied, closed, open). */
    static String connectAsNobody(Path socket, double waitSeconds) throws Exception {
        Process p = new ProcessBuilder(RUNUSER.toString(), "-u", "nobody", "--", PYTHON.toString(), "-c", CLIENT,
                socket.toString(), String.valueOf(waitSeconds))
                .redirectErrorStream(true)
                .start();
        if (!p.waitFor((long) waitSeconds + 20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the nobody client did not finish");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.exitValue() != 0) throw new AssertionError("the nobody client failed: " + out);
        return out;
    }
}
