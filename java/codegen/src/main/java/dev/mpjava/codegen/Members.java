package dev.mpjava.codegen;

import dev.mpjava.schema.FieldDecl;
import dev.mpjava.schema.StructDecl;
import dev.mpjava.schema.TypeRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Java members of a struct's fields: one record component per data field, a
 * {@code hasX}/{@code x} pair folded into one {@code Optional} component (Bitcoin Core's
 * convention for optional values), union members tagged with their {@code Which}
 * constant (Void members are only a constant), Java names escaped and unique.
 */
final class Members {
    /** Member names of every generated record and its builder. */
    static final Set<String> RECORD_MEMBERS = Set.of("fromWire", "toWire", "builder", "toBuilder", "build");

    /**
     * One member.
     *
     * @param name its Java name (component, accessor and builder setter)
     * @param field the field
     * @param has the Bool field that says whether it is set, for an Optional member; else null
     * @param unionConstant its {@code Which} constant when it is a union member; else null
     */
    record Member(String name, FieldDecl field, FieldDecl has, String unionConstant) {
        boolean isComponent() {
            return field.type().kind() != TypeRef.Kind.VOID || field.group();
        }

        boolean isOptional() {
            return has != null;
        }
    }

    private Members() {}

    /** Whether the struct has a union, so its record has a {@code which} component. */
    static boolean hasUnion(StructDecl struct) {
        return struct.discriminantCount() > 0;
    }

    /**
     * The members of these fields (a struct's, or a method's data fields).
     *
     * @param fields fields in code order
     * @param union whether they include union members
     * @param extraTaken names the members must avoid beyond the records' own
     */
    static List<Member> of(List<FieldDecl> fields, boolean union, Set<String> extraTaken) {
        return of(fields, union, extraTaken, true);
    }

    /** As {@link #of(List, boolean, Set)}; {@code fold} false keeps hasX/x pairs apart (method params). */
    static List<Member> of(List<FieldDecl> fields, boolean union, Set<String> extraTaken, boolean fold) {
        Map<String, FieldDecl> byName = new HashMap<>();
        for (FieldDecl f : fields) byName.put(f.name(), f);
        Set<FieldDecl> folded = new HashSet<>();
        Map<FieldDecl, FieldDecl> hasOf = new HashMap<>();
        for (FieldDecl f : fields) {
            FieldDecl has = byName.get("has" + Names.capitalize(f.name()));
            if (fold && has != null && !f.inUnion() && !has.inUnion() && !f.group()
                    && has.type().kind() == TypeRef.Kind.BOOL && f.type().kind() != TypeRef.Kind.VOID) {
                hasOf.put(f, has);
                folded.add(has);
            }
        }
        Set<String> taken = new HashSet<>(Names.OBJECT_MEMBERS);
        taken.addAll(RECORD_MEMBERS);
        taken.addAll(extraTaken);
        if (union) taken.add("which");
        List<Member> out = new ArrayList<>();
        for (FieldDecl f : fields) {
            if (folded.contains(f)) continue;
            if (f.type().kind() == TypeRef.Kind.VOID && !f.inUnion()) continue;
            String name = Names.member(f.name(), taken);
            taken.add(name);
            out.add(new Member(name, f, hasOf.get(f), f.inUnion() ? Names.constant(f.name()) : null));
        }
        return out;
    }
}
