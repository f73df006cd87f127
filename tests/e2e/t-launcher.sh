#!/usr/bin/env bash
# The checkout launcher (bin/jwg, bin/lib/launcher.sh) never builds behind the user's back: in a
# copy of the launcher with this build's jar, and a fake `mvn` that records being called,
#   - an up-to-date build runs, quietly, without Maven;
#   - after a source changed, jwg says so, names the file and how to rebuild, runs the last build
#     and does not call Maven; JWG_NO_BUILD=1 skips even the check;
#   - `bin/jwg build` calls Maven then, and says the build is up to date when there is nothing to do;
#   - without any build (first use), it says what it is doing before calling Maven.
source "$(dirname "$(readlink -f "$0")")/lib.sh"

T="$(mktemp -d /tmp/jwg-launcher.XXXXXX)"
trap 'rm -rf "$T"' EXIT
CO="$T/checkout"
mkdir -p "$CO/bin/lib" "$CO/jwg-cli/target/classes" "$CO/jwg-core/src/main/java" "$T/fakebin"
cp "$E2E_ROOT/bin/jwg" "$CO/bin/"
cp "$E2E_ROOT/bin/lib/launcher.sh" "$CO/bin/lib/"
cp "$E2E_ROOT/pom.xml" "$CO/"
echo "class A {}" >"$CO/jwg-core/src/main/java/A.java"
find "$CO" -exec touch -d '2 hours ago' {} +
cp "$E2E_ROOT/jwg-cli/target/jwg.jar" "$CO/jwg-cli/target/jwg.jar"
touch -d '1 hour ago' "$CO/jwg-cli/target/jwg.jar"
cat >"$T/fakebin/mvn" <<EOF
#!/bin/sh
echo "mvn \$*" >>"$T/mvn.calls"
exit 1
EOF
chmod 755 "$T/fakebin/mvn"
run_jwg() { # ARGS...: bin/jwg of the copy; stdout to $T/out, stderr to $T/err; sets RC
    env -u JWG_NO_BUILD PATH="$T/fakebin:$PATH" "$@" >"$T/out" 2>"$T/err"
    RC=$?
}
mvn_calls() { [ -f "$T/mvn.calls" ] && wc -l <"$T/mvn.calls" || echo 0; }

echo "# --- an up-to-date build"
run_jwg "$CO/bin/jwg" --version
check_eq "jwg --version: exit 0" "0" "$RC"
check "it prints the version" grep -q '^jwg ' "$T/out"
check_eq "nothing on stderr" "" "$(cat "$T/err")"
check_eq "Maven was not called" "0" "$(mvn_calls)"

echo "# --- a source changed after the build"
touch "$CO/jwg-core/src/main/java/A.java"
run_jwg "$CO/bin/jwg" --version
check_eq "jwg --version: exit 0, the last build ran" "0" "$RC"
check "it prints the version" grep -q '^jwg ' "$T/out"
check "it says which source changed and how to rebuild" \
    grep -q "^jwg: jwg-core/src/main/java/A.java changed after the last build; running the last build (rebuild: $CO/bin/jwg build)" "$T/err"
check_eq "Maven was not called" "0" "$(mvn_calls)"
run_jwg env JWG_NO_BUILD=1 "$CO/bin/jwg" --version
check_eq "with JWG_NO_BUILD=1: no note" "" "$(cat "$T/err")"
run_jwg "$CO/bin/jwg" build
check_eq "bin/jwg build calls Maven" "1" "$(mvn_calls)"
check "a failed build says so" grep -q '^jwg: the build failed' "$T/err"
check_eq "and exits 1" "1" "$RC"

echo "# --- nothing to build"
touch -d '2 hours ago' "$CO/jwg-core/src/main/java/A.java"
# caches that fit this build, as far as the launcher can tell (their contents are never read here)
(
    source "$CO/bin/lib/launcher.sh"
    jwg_find_java >/dev/null
    echo "$JWG_JAVA ${JWG_CLI_FLAGS[*]}" >"$CO/jwg-cli/target/jwg.aot.stamp"
    echo "$JWG_JAVA ${JWGD_FLAGS[*]}" >"$CO/jwg-cli/target/jwgd.aot.stamp"
    touch "$CO/jwg-cli/target/jwg.aot" "$CO/jwg-cli/target/jwgd.aot"
)
run_jwg "$CO/bin/jwg" build
check "bin/jwg build without changes says the build is up to date" grep -q "^jwg: the build is up to date" "$T/err"
check_eq "and does not call Maven" "1" "$(mvn_calls)"

echo "# --- first use: no build at all"
rm -f "$CO/jwg-cli/target/jwg.jar"
run_jwg "$CO/bin/jwg" --version
check "it says it builds, and why, before building" grep -q '^jwg: first use of this checkout: building it once' "$T/err"
check_eq "it called Maven" "2" "$(mvn_calls)"
check_eq "the (fake) failure ends it: exit 1" "1" "$RC"
run_jwg env JWG_NO_BUILD=1 "$CO/bin/jwg" --version
check "with JWG_NO_BUILD=1 it tells how to build instead" grep -q "^jwg: not built yet; build with: $CO/bin/jwg build" "$T/err"
check_eq "without calling Maven" "2" "$(mvn_calls)"
finish
