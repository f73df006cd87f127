# Shared by bin/jwg, bin/jwgd, bin/run-tests, bin/package and the bench scripts: find a JDK 25+,
# check (never silently redo) the build, and the JVM flags and ahead-of-time caches of jwg and
# jwgd. Sourced, not executed.
#
# Every start of jwg or jwgd pays for what runs here, so the checks use shell builtins and at most
# one `find`: the JDK's version comes from its `release` file (no JVM is started to ask), the
# caches are compared by modification time.
#
# The build (Maven, then the AOT caches) runs only
#   - for `bin/jwg build` and for bin/run-tests (explicitly), and
#   - on the very first use of a checkout (there is nothing to run yet), saying so first.
# When sources changed after the last build, jwg and jwgd say so and run the last build.
# JWG_NO_BUILD=1 skips the check and never builds (the tests and benchmarks set it once they built).

JWG_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
JWG_JAR="$JWG_ROOT/jwg-cli/target/jwg.jar"

# The JVM flags. An AOT cache is used only with the flags it was recorded with (its stamp says).
# jwg: one short run: C1 only, serial GC, no hsperfdata file.
JWG_CLI_FLAGS=(--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData)
# jwgd: serial GC (one collector thread, the smallest footprint) with a heap sized for what the
# daemon holds, not 1 GiB: measured ~9 MB live with one peer and ~35 MB with 10,000 peers added by
# one addconf; -Xmx96m leaves room for 10,000 peers with sessions and for a large UAPI request.
# With -Xmx1g a handshake flood grew the old generation with promoted garbage until the limit forced
# a full collection (RSS 106 -> 266..400 MB in 60 s). Floods now allocate nothing that outlives a
# young collection (Device's preallocated handshake ring, the UAPI server's per-request buffers and
# connection limit), so the heap stays put under them and the cap is the backstop.
# Native memory: glibc keeps what threads free, notably the JIT compiler's arenas (one compilation
# of the receive path takes ~50 MB). bin/jwgd exports MALLOC_MMAP_THRESHOLD_=32768: blocks of 32 KiB
# and more get mappings of their own and go back to the system when freed, so a compilation burst
# does not leave the malloc arenas large and full of holes (and the threshold stays put: glibc
# otherwise raises it as large blocks are freed). It costs `jwg up` ~40 ms (a mapping per block in
# the warm-up's compilations); set only after the warm-up (mallopt), it left ~15 MB more resident
# until the next trim (docs/performance.md). MALLOC_ARENA_MAX=2 (also bin/jwgd) keeps the threads
# from spreading their allocations over an arena each (idle RSS ~110 -> ~85-100 MB).
# -XX:TrimNativeHeapInterval hands back what small blocks leave free, every 30 s: a trim walks every
# free block of the arenas again, 0.2-13 ms of CPU each on this VM, so at 2 s it was most of an
# idle daemon's CPU (docs/performance.md, "Idle"). After the JIT warm-up a full collection hands
# back the heap its garbage made grow, at once (-ShrinkHeapInSteps) and down to 30% free.
# The flood bound these flags keep (tests/e2e/t-flood.sh, docs/robustness.md): under any flood RSS
# stays within idle + 32 MB and comes back when it stops. The one-peer RSS target is the "light"
# work's; retune freely, but keep t-flood.sh passing.
# An idle daemon wakes for nothing (docs/performance.md): no hsperfdata file, whose sampler ran every
# 50 ms (-UsePerfData; jcmd still works by pid); idle monitors deflated once a minute instead of
# checked four times a second (AsyncDeflationInterval=0), the service thread's clean-up checked once a
# minute instead of every second (ServiceThreadCleanupInterval; both diagnostic flags).
JWGD_FLAGS=(--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:-ShrinkHeapInSteps -XX:MinHeapFreeRatio=10
    -XX:MaxHeapFreeRatio=30 -Xms8m -Xmx96m -XX:TrimNativeHeapInterval=30000 -XX:+ExitOnOutOfMemoryError
    -XX:-UsePerfData -XX:+UnlockDiagnosticVMOptions -XX:AsyncDeflationInterval=0 -XX:ServiceThreadCleanupInterval=60000)

jwg_release_major() { # JAVA_HOME: prints the feature version its `release` file names, or nothing
    local key value
    [ -r "$1/release" ] || return 0
    while IFS='=' read -r key value; do
        if [ "$key" = JAVA_VERSION ]; then
            value="${value//\"/}"
            echo "${value%%[.+-]*}"
            return 0
        fi
    done <"$1/release"
}

jwg_java_major() { # JAVA: the feature version of a java binary, asking it (for JDKs without `release`)
    "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -n 1
}

jwg_find_java() { # sets JWG_JAVA and JWG_JAVA_HOME to a JDK 25+: $JAVA_HOME, else one under /usr/lib/jvm
    local candidate home major
    for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} /usr/lib/jvm/temurin-25-jdk-*/bin/java /usr/lib/jvm/*/bin/java; do
        [ -x "$candidate" ] || continue
        home="${candidate%/bin/java}"
        major="$(jwg_release_major "$home")"
        [ -n "$major" ] || [ -e "$home/release" ] || major="$(jwg_java_major "$candidate")"
        if [ -n "$major" ] && [ "$major" -ge 25 ] 2>/dev/null && [ -x "$home/bin/javac" ]; then
            JWG_JAVA="$candidate"
            JWG_JAVA_HOME="$home"
            return 0
        fi
    done
    echo "jwg: no JDK 25 or newer found (looked at \$JAVA_HOME and /usr/lib/jvm/*)." >&2
    echo "jwg: install one, e.g. Temurin 25, or point JAVA_HOME at it." >&2
    return 1
}

jwg_changed_source() { # prints the first source file newer than the build, or nothing
    find "$JWG_ROOT"/*/src/main "$JWG_ROOT"/pom.xml "$JWG_ROOT"/*/pom.xml -newer "$JWG_JAR" -print -quit 2>/dev/null
}

jwg_as_owner() { # COMMAND...: as the checkout's owner when root runs it in another user's checkout
    # (so that the build leaves no root-owned files there), if that user has a writable home for
    # Maven's repository; else as the caller
    local uid gid entry home user
    uid="$(stat -c %u "$JWG_ROOT")"
    gid="$(stat -c %g "$JWG_ROOT")"
    if [ "$(id -u)" = 0 ] && [ "$uid" != 0 ] && entry="$(getent passwd "$uid")"; then
        user="${entry%%:*}"
        home="$(echo "$entry" | cut -d: -f6)"
        local as=(setpriv --reuid="$uid" --regid="$gid" --init-groups env HOME="$home" USER="$user" LOGNAME="$user")
        if "${as[@]}" test -w "$home" 2>/dev/null; then
            "${as[@]}" "$@"
            return
        fi
    fi
    "$@"
}

# The AOT caches (JDK 25: JEP 483 classes loaded and linked, JEP 515 method profiles), one per
# program, each recorded from a training run (`JwgMain --aot-training`: the wg commands against an
# in-process socket and the configuration parsers; `JwgdMain --aot-training`: the daemon's start-up
# checks and JIT warm-up on private socket pairs and loopback sockets). Neither needs root.
# A cache is used when it is newer than the jar and the JDK, and its stamp (java binary and flags)
# matches; else the program starts without one. Measured: see docs/performance.md.
jwg_aot_file() { echo "$JWG_ROOT/jwg-cli/target/$1.aot"; } # NAME: jwg | jwgd

jwg_aot_opts() { # NAME FLAGS...: sets JWG_AOT_OPTS to use NAME's cache with these flags, if it fits
    local cache stamp
    cache="$(jwg_aot_file "$1")"
    shift
    JWG_AOT_OPTS=()
    case "${JWG_AOT:-1}" in 0|false|off|no) return 0 ;; esac
    [ -f "$cache" ] && [ "$cache" -nt "$JWG_JAR" ] && [ "$cache" -nt "$JWG_JAVA_HOME/lib/modules" ] || return 0
    read -r stamp <"$cache.stamp" 2>/dev/null || return 0
    [ "$stamp" = "$JWG_JAVA $*" ] && JWG_AOT_OPTS=(-XX:AOTCache="$cache")
}

jwg_aot_fresh() { # NAME FLAGS...: true when NAME's cache fits this build
    jwg_aot_opts "$@"
    [ "${#JWG_AOT_OPTS[@]}" -gt 0 ]
}

jwg_aot_record() { # NAME MAINCLASS FLAGS...: records NAME's cache (as the checkout's owner)
    local name="$1" main="$2" cache tmp
    shift 2
    cache="$(jwg_aot_file "$name")"
    tmp="$cache.tmp.$$"
    rm -f "$cache" "$cache.stamp"
    if jwg_as_owner timeout 180 "$JWG_JAVA" "$@" -XX:AOTCacheOutput="$tmp" -cp "$JWG_JAR" "$main" --aot-training \
            >"$cache.log" 2>&1 && [ -s "$tmp" ]; then
        mv -f "$tmp" "$cache" && echo "$JWG_JAVA $*" >"$cache.stamp"
    else
        rm -f "$tmp" "$tmp.config"
        echo "jwg: recording the start-up cache of $name failed (it starts without one); see $cache.log" >&2
        return 1
    fi
}

# jwg_build [--if-needed]: Maven (skipping the tests), then both AOT caches. With --if-needed,
# Maven runs only when there is no build or sources changed after it, and a cache is recorded only
# when it does not fit the build. One build at a time per checkout (a lock on pom.xml).
jwg_build() {
    local if_needed="" log changed
    [ "${1:-}" = --if-needed ] && if_needed=1
    jwg_find_java || return 1
    (
        flock 9
        if [ -z "$if_needed" ] || [ ! -f "$JWG_JAR" ] || [ -n "$(jwg_changed_source)" ]; then
            if ! command -v mvn >/dev/null; then
                echo "jwg: building needs Maven, which is not installed (Debian: apt-get install maven);" >&2
                echo "jwg: or install jwg's Debian package (bin/package on a machine that has Maven)." >&2
                exit 1
            fi
            echo "jwg: building with Maven and $JWG_JAVA_HOME (about a minute; the tests are not run) ..." >&2
            log="$(mktemp /tmp/jwg-build.XXXXXX)"
            chmod 644 "$log"
            if ! (cd "$JWG_ROOT" && jwg_as_owner env JAVA_HOME="$JWG_JAVA_HOME" mvn -B -q -DskipTests package) >"$log" 2>&1; then
                cat "$log" >&2
                rm -f "$log"
                echo "jwg: the build failed" >&2
                exit 1
            fi
            rm -f "$log"
            # Maven leaves a jar whose content did not change untouched (a change to tests only):
            # mark the build as newer than the sources.
            jwg_as_owner touch "$JWG_JAR"
        fi
        if ! jwg_aot_fresh jwg "${JWG_CLI_FLAGS[@]}" || ! jwg_aot_fresh jwgd "${JWGD_FLAGS[@]}"; then
            echo "jwg: recording the start-up caches of jwg and jwgd (training runs, ~15 s) ..." >&2
            jwg_aot_fresh jwg "${JWG_CLI_FLAGS[@]}" || jwg_aot_record jwg dev.jwg.cli.JwgMain "${JWG_CLI_FLAGS[@]}"
            jwg_aot_fresh jwgd "${JWGD_FLAGS[@]}" || jwg_aot_record jwgd dev.jwg.cli.JwgdMain "${JWGD_FLAGS[@]}"
        fi
        exit 0
    ) 9<"$JWG_ROOT/pom.xml"
}

# jwg_prepare: sets JWG_JAVA and JWG_CP for bin/jwg and bin/jwgd. Builds only when there is no
# build at all (the first use of a checkout); when sources changed after the build, says so.
jwg_prepare() {
    local changed
    jwg_find_java || return 1
    if [ ! -f "$JWG_JAR" ]; then
        if [ -n "${JWG_NO_BUILD:-}" ]; then
            echo "jwg: not built yet; build with: $JWG_ROOT/bin/jwg build" >&2
            return 1
        fi
        echo "jwg: first use of this checkout: building it once (Maven, about a minute, then ~15 s for the start-up caches)." >&2
        jwg_build || return 1
    elif [ -z "${JWG_NO_BUILD:-}" ]; then
        changed="$(jwg_changed_source)"
        if [ -n "$changed" ]; then
            echo "jwg: ${changed#"$JWG_ROOT"/} changed after the last build; running the last build (rebuild: $JWG_ROOT/bin/jwg build)" >&2
        fi
    fi
    JWG_CP="$JWG_JAR"
}
