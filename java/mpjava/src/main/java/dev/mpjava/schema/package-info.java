/**
 * What a loaded {@link dev.mpjava.Schema} declares, for tools such as code generators and
 * the {@code mpjava schema} command: files, structs (with groups and unions), enums,
 * interfaces (with their methods and superclasses), consts and annotations, each with the
 * ID and ordinals the wire uses. Obtained from {@link dev.mpjava.Schema#declarations()}.
 *
 * <p>Values (field defaults, consts, annotation values) use the dynamic API's Java types:
 * {@code Boolean}, {@code Long} for every integer type except a UInt64 above
 * {@code Long.MAX_VALUE} ({@code BigInteger}), {@code Double}, {@code String} for Text and
 * for an enumerant's name, {@code byte[]} for Data; a struct or list value is given as its
 * Cap'n Proto text (a {@code String}); {@code null} means no value (Void, or a pointer
 * field without a default).
 */
package dev.mpjava.schema;
