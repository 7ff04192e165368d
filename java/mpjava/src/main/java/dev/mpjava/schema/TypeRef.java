package dev.mpjava.schema;

import java.util.List;

/**
 * A type as a field, method, const or superclass uses it.
 *
 * @param kind what sort of type
 * @param id the declaration's id for STRUCT, ENUM and INTERFACE; for PARAMETER the id of
 *     the generic declaration whose parameter it is; 0 otherwise
 * @param element the element type of a LIST, null otherwise
 * @param arguments a generic STRUCT's or INTERFACE's type arguments as bound here (empty
 *     when not generic or not bound); an unbound argument is ANY_POINTER
 * @param parameterIndex for PARAMETER, the parameter's index in its declaration; -1 otherwise
 */
public record TypeRef(Kind kind, long id, TypeRef element, List<TypeRef> arguments, int parameterIndex) {
    /** What sort of type a {@link TypeRef} is. */
    public enum Kind {
        /** Void. */ VOID,
        /** Bool. */ BOOL,
        /** Int8. */ INT8,
        /** Int16. */ INT16,
        /** Int32. */ INT32,
        /** Int64. */ INT64,
        /** UInt8. */ UINT8,
        /** UInt16. */ UINT16,
        /** UInt32. */ UINT32,
        /** UInt64. */ UINT64,
        /** Float32. */ FLOAT32,
        /** Float64. */ FLOAT64,
        /** Text. */ TEXT,
        /** Data. */ DATA,
        /** List(element). */ LIST,
        /** An enum declared in a loaded or imported file. */ ENUM,
        /** A struct (or group). */ STRUCT,
        /** An interface. */ INTERFACE,
        /** AnyPointer, AnyStruct, AnyList or Capability. */ ANY_POINTER,
        /** A generic declaration's type parameter. */ PARAMETER
    }

    /**
     * Copies the lists, so the record is immutable.
     *
     * @param kind see the record
     * @param id see the record
     * @param element see the record
     * @param arguments see the record
     * @param parameterIndex see the record
     */
    public TypeRef {
        arguments = List.copyOf(arguments);
    }

    /**
     * True for Void, Bool, the numbers and enums: types stored in a struct's data section.
     *
     * @return whether values of this type are not pointers
     */
    public boolean isPrimitive() {
        return kind.ordinal() <= Kind.FLOAT64.ordinal() || kind == Kind.ENUM;
    }

    @Override
    public String toString() {
        switch (kind) {
            case LIST: return "List(" + element + ")";
            case ENUM: case STRUCT: case INTERFACE:
                return kind.name().toLowerCase() + " 0x" + Long.toHexString(id)
                        + (arguments.isEmpty() ? "" : arguments.toString());
            case PARAMETER: return "parameter " + parameterIndex + " of 0x" + Long.toHexString(id);
            default: return kind.name();
        }
    }
}
