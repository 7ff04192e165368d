# Deliberately broken: line 9 lacks the ':' before the field type, so the
# parser must reject this file and report line 9. Do not "fix" it.

@0xdc889db961178d82;

struct Broken {
    ok @0 :Int32;
    alsoOk @1 :Text;
    missingColon @2 UInt32;
}
