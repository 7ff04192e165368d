package dev.mpjava;

/** A schema file could not be loaded ({@code <file>:<line>: <message>}) or a name is not in it. */
public class SchemaException extends IpcException {
    /**
     * Creates the exception.
     *
     * @param message the problem, with file and line for a parse error
     */
    public SchemaException(String message) {
        super(message);
    }
}
