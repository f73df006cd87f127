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
    # Maven leaves a jar whose content did not change untouched (a change to tests only): mark
    # the build done, or every start would build again.
    touch "$(jwg_jar)"
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

# jwgd's ahead-of-time cache (JDK 25: JEP 483 loaded and linked classes, JEP 515 method profiles),
# recorded from a training run of the daemon's start-up checks and JIT warm-up
# (`JwgdMain --aot-training`: private socket pairs and loopback sockets, no root, ~6 s). Made on the
# first start after a build, and again when the jars, the JDK or jwgd's JVM flags change; when it
# cannot be made, jwgd starts without it (and the failure is not retried until something changes).
# JWG_AOT=0 switches it off; with JWG_NO_BUILD an existing fresh cache is used but none is made.
# Measured (two namespaces, 20 pings at 0.2 s through a fresh tunnel, 3 alternating pairs): cold
# ping median 0.35-0.40 ms with the cache against 0.44-0.55 ms without; start-up ~70 ms shorter.
jwg_aot_file() { echo "$JWG_ROOT/jwg-cli/target/jwgd.aot"; }

jwg_aot_stamp() { # FLAGS...: what a cache is made from besides the jars: the JDK and the flags
    local java
    java="$(readlink -f "$JWG_JAVA")"
    printf '%s %s\n' "$java" "$(stat -c '%s.%Y' "$java" "$(dirname "$java")/../lib/modules" 2>/dev/null | tr '\n' ' ')"
    printf '%s\n' "$@"
}

jwg_aot_matches() { # FILE FLAGS...: FILE holds this stamp and no jar is newer than it
    local file="$1"
    shift
    [ -f "$file" ] && [ "$(cat "$file")" = "$(jwg_aot_stamp "$@")" ] &&
        [ -z "$(find "$JWG_ROOT/jwg-cli/target" -maxdepth 2 -name '*.jar' -newer "$file" -print -quit 2>/dev/null)" ]
}

jwg_aot_train() { # FLAGS...
    local cache tmp
    cache="$(jwg_aot_file)"
    tmp="$cache.tmp.$$"
    rm -f "$cache" "$cache.stamp" "$cache.failed"
    if timeout 120 "$JWG_JAVA" "$@" -XX:AOTCacheOutput="$tmp" -cp "$JWG_CP" dev.jwg.cli.JwgdMain --aot-training \
            >"$cache.log" 2>&1 && [ -s "$tmp" ]; then
        mv -f "$tmp" "$cache" && jwg_aot_stamp "$@" >"$cache.stamp"
    else
        rm -f "$tmp" "$tmp.config"
        jwg_aot_stamp "$@" >"$cache.failed"
    fi
}

jwg_aot_prepare() { # FLAGS...: sets JWG_AOT_OPTS to the options that use the cache with these JVM flags
    local cache
    cache="$(jwg_aot_file)"
    JWG_AOT_OPTS=()
    case "${JWG_AOT:-1}" in 0|false|off|no) return 0 ;; esac
    if [ -z "${JWG_NO_BUILD:-}" ] && ! jwg_aot_matches "$cache.stamp" "$@" && ! jwg_aot_matches "$cache.failed" "$@"; then
        mkdir -p "$JWG_ROOT/target"
        (
            flock 9
            if ! jwg_aot_matches "$cache.stamp" "$@" && ! jwg_aot_matches "$cache.failed" "$@"; then
                jwg_aot_train "$@"
            fi
        ) 9>"$JWG_ROOT/target/.build.lock"
    fi
    if [ -s "$cache" ] && jwg_aot_matches "$cache.stamp" "$@"; then
        JWG_AOT_OPTS=(-XX:AOTCache="$cache")
    fi
}
