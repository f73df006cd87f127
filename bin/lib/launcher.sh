# Shared by bin/jwg and bin/jwgd: find a JDK 25+, build jwg on first use (or when sources
# changed), and set JWG_JAVA and JWG_CP. Sourced, not executed.

JWG_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"

jwg_java_major() { # prints the major version of the java binary $1, or nothing
    "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -n 1
}

jwg_find_java() {
    local candidate major
    for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} /usr/lib/jvm/temurin-25-jdk-*/bin/java /usr/lib/jvm/*/bin/java; do
        [ -x "$candidate" ] || continue
        major="$(jwg_java_major "$candidate")"
        if [ -n "$major" ] && [ "$major" -ge 25 ]; then
            JWG_JAVA="$candidate"
            JWG_JAVA_HOME="$(dirname "$(dirname "$candidate")")"
            return 0
        fi
    done
    echo "jwg: no JDK 25 or newer found (looked at \$JAVA_HOME and /usr/lib/jvm/*)." >&2
    echo "jwg: install one, e.g. Temurin 25, or point JAVA_HOME at it." >&2
    return 1
}

jwg_jar() { ls "$JWG_ROOT"/jwg-cli/target/jwg-cli-*.jar 2>/dev/null | grep -v -- '-tests.jar' | head -n 1; }

jwg_needs_build() {
    local jar
    jar="$(jwg_jar)"
    [ -n "$jar" ] && [ -d "$JWG_ROOT/jwg-cli/target/lib" ] || return 0
    [ -n "$(find "$JWG_ROOT" -path "$JWG_ROOT/*/target" -prune -o \( -name '*.java' -o -name 'pom.xml' -o -name '*.properties' \) -newer "$jar" -print -quit 2>/dev/null)" ]
}

jwg_build() {
    local log
    log="$(mktemp)"
    echo "jwg: building (first use or sources changed) with $JWG_JAVA_HOME ..." >&2
    if ! (cd "$JWG_ROOT" && JAVA_HOME="$JWG_JAVA_HOME" mvn -B -q -DskipTests package >"$log" 2>&1); then
        cat "$log" >&2
        rm -f "$log"
        echo "jwg: build failed" >&2
        return 1
    fi
    rm -f "$log"
}

jwg_prepare() {
    jwg_find_java || return 1
    if [ -z "${JWG_NO_BUILD:-}" ] && jwg_needs_build; then
        mkdir -p "$JWG_ROOT/target"
        (
            flock 9
            if jwg_needs_build; then jwg_build; fi
        ) 9>"$JWG_ROOT/target/.build.lock" || return 1
    fi
    local jar
    jar="$(jwg_jar)"
    if [ -z "$jar" ]; then
        echo "jwg: not built; run 'mvn -DskipTests package' in $JWG_ROOT" >&2
        return 1
    fi
    JWG_CP="$jar:$JWG_ROOT/jwg-cli/target/lib/*"
    JWG_JVM_OPTS=(--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto)
}
