#!/usr/bin/env bash
# Runs the real Conductor OSS server (the test oracle for Baton's compatibility suite).
#
#   conductor.sh fetch            download the boot jar into the cache (no-op when present) and,
#                                 when a JDK >= 21 is found, extract it (faster start, allows a JVM cache)
#   conductor.sh start            fetch if needed, start a fresh server on a free 127.0.0.1 port with a
#                                 fresh SQLite file, wait for /health, print BASE_URL=... and STATE_FILE=...
#   conductor.sh stop STATEFILE   stop that server (TERM, then KILL) and delete its temp dir
#   conductor.sh java             print the JDK (>= 21) that would be used
#
# Environment:
#   CONDUCTOR_VERSION   server version (default 3.32.1)
#   BATON_CACHE         cache root (default $HOME/.cache/baton); the jar goes to $BATON_CACHE/conductor
#   CONDUCTOR_CACHE     overrides that jar directory itself
#   JAVA21_HOME         JDK to use (must be >= 21); otherwise the newest >= 21 among JAVA_HOME,
#                       /usr/lib/jvm/*, /opt/java/*, /opt/*jdk*, PATH
#   CONDUCTOR_XMX       JVM max heap (default 1g)
#   CONDUCTOR_START_TIMEOUT  seconds to wait for /health (default 180)
#   CONDUCTOR_EXTRA_PROPS    file whose lines are appended to the generated properties
#   CONDUCTOR_AOT       1 (default): keep a JVM class cache next to the extracted jar. JDK >= 25 uses an
#                       AOT cache (the first run trains it and writes it when stopped, which makes that
#                       one stop take ~15 s); JDK 21-24 a dynamic CDS archive. 0 disables.
#   CONDUCTOR_JAVA_OPTS extra JVM options;  CONDUCTOR_JAR: run this jar instead of the cached one
#
# Nothing of the server is kept in the repository; the jar lives only in the cache.
set -euo pipefail

VERSION="${CONDUCTOR_VERSION:-3.32.1}"
CACHE="${CONDUCTOR_CACHE:-${BATON_CACHE:-$HOME/.cache/baton}/conductor}"
JAR="$CACHE/conductor-server-$VERSION-boot.jar"
EXDIR="$CACHE/conductor-server-$VERSION-extracted" # `java -Djarmode=tools -jar JAR extract` output
EXJAR="$EXDIR/conductor-server-$VERSION-boot.jar"
XMX="${CONDUCTOR_XMX:-1g}"
START_TIMEOUT="${CONDUCTOR_START_TIMEOUT:-180}"
TMPROOT="${TMPDIR:-/tmp}"
TMPROOT="${TMPROOT%/}"

log() { printf 'conductor.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

cmd_fetch() {
  if [[ -s "$JAR" ]]; then
    log "jar already cached: $JAR ($(stat -c %s "$JAR") bytes)"
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found (install Debian's 'maven' package)"
  mkdir -p "$CACHE"
  log "downloading org.conductoross:conductor-server:$VERSION:jar:boot into $CACHE"
  # Run from the cache dir so a stray pom.xml in the caller's directory cannot interfere.
  (cd "$CACHE" && mvn -q -B dependency:copy \
      -Dartifact="org.conductoross:conductor-server:$VERSION:jar:boot" \
      -DoutputDirectory="$CACHE" 1>&2) || die "mvn dependency:copy failed"
  [[ -s "$JAR" ]] || die "download finished but $JAR is missing or empty"
  log "fetched $JAR ($(stat -c %s "$JAR") bytes)"
}

# java_major BIN -> prints the feature version (e.g. 21, 25) or nothing
java_major() {
  local v
  v="$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1)" || true
  v="${v#1.}"
  [[ "$v" =~ ^[0-9]+$ ]] && printf '%s\n' "$v"
  return 0
}

find_java() {
  local cand major best="" best_major=0
  if [[ -n "${JAVA21_HOME:-}" ]]; then
    [[ -x "$JAVA21_HOME/bin/java" ]] || die "JAVA21_HOME=$JAVA21_HOME has no bin/java"
    major="$(java_major "$JAVA21_HOME/bin/java")"
    [[ -n "$major" && "$major" -ge 21 ]] || die "JAVA21_HOME=$JAVA21_HOME is Java ${major:-?}, need >= 21"
    printf '%s\n' "$JAVA21_HOME/bin/java"; return 0
  fi
  local -a cands=()
  [[ -n "${JAVA_HOME:-}" ]] && cands+=("$JAVA_HOME/bin/java")
  for cand in /usr/lib/jvm/*/bin/java /opt/java/*/bin/java /opt/*jdk*/bin/java /usr/local/*jdk*/bin/java; do
    [[ -x "$cand" ]] && cands+=("$cand")
  done
  cand="$(command -v java 2>/dev/null || true)"
  [[ -n "$cand" ]] && cands+=("$cand")
  for cand in "${cands[@]}"; do
    [[ -x "$cand" ]] || continue
    major="$(java_major "$cand")"
    [[ -n "$major" ]] || continue
    if (( major >= 21 && major > best_major )); then best="$cand"; best_major="$major"; fi
  done
  [[ -n "$best" ]] || die "no JDK >= 21 found (looked at JAVA21_HOME, JAVA_HOME, /usr/lib/jvm/*, /opt/java/*, /opt/*jdk*, PATH); Conductor $VERSION needs Java 21+. Install one (e.g. Debian's openjdk-21-jdk-headless where available, or a Temurin JDK) or set JAVA21_HOME."
  printf '%s\n' "$best"
}

# extract JAVA: unpack the boot jar once (Spring Boot's jarmode tools) so the JVM reads plain jars;
# that alone saves ~30% of startup and is what makes an AOT/CDS cache possible.
extract() {
  local java="$1" tmp
  [[ -s "$EXJAR" && -d "$EXDIR/lib" ]] && return 0
  tmp="$(mktemp -d "$CACHE/.extract.XXXXXX")"
  log "extracting $JAR into $EXDIR"
  if "$java" -Djarmode=tools -jar "$JAR" extract --destination "$tmp/x" >"$tmp/log" 2>&1 \
      && [[ -s "$tmp/x/conductor-server-$VERSION-boot.jar" && -d "$tmp/x/lib" ]]; then
    rm -rf "$EXDIR"
    mv "$tmp/x" "$EXDIR" || true
  else
    log "warning: extraction failed, will run the boot jar directly:"
    tail -n 5 "$tmp/log" >&2 || true
  fi
  rm -rf "$tmp"
}

cmd_fetch_all() {
  cmd_fetch
  local java
  if java="$(find_java 2>/dev/null)"; then extract "$java"; else log "no JDK >= 21 found; not extracting"; fi
}

free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
    return
  fi
  local p i
  for i in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then printf '%s\n' "$p"; return; fi
  done
  die "could not find a free port"
}

write_props() { # DIR PORT
  local dir="$1" port="$2"
  cat >"$dir/conductor.properties" <<EOF
# generated by compat/server/conductor.sh (loaded via CONDUCTOR_CONFIG_FILE as system properties,
# so it overrides the jar's application.properties)
server.address=127.0.0.1
server.port=$port
# fresh SQLite file per run: metadata, queues and index (search + task logs)
conductor.db.type=sqlite
conductor.queue.type=sqlite
conductor.indexing.enabled=true
conductor.indexing.type=sqlite
spring.datasource.url=jdbc:sqlite:$dir/conductor.db?busy_timeout=15000&journal_mode=WAL
conductor.workflow-execution-lock.type=local_only
# nothing optional (AI workers/mappers, scheduler, sample definitions, message queue)
conductor.integrations.ai.enabled=false
conductor.scheduler.enabled=false
conductor.workflow-message-queue.enabled=false
conductor.app.ownerEmailMandatory=false
conductor.app.workflow.name-validation.enabled=false
loadSample=false
conductor.file-storage.parentDir=$dir/files
# faster sweeper / postpone cadence for tests (defaults: 30s, 60s, 30s)
conductor.app.workflow-offset-timeout=1s
conductor.app.taskExecutionPostponeDuration=1s
conductor.app.systemTaskWorkerCallbackDuration=1s
# quieter and lighter
spring.main.banner-mode=off
management.endpoints.web.exposure.include=health,info
conductor.metrics-prometheus.enabled=false
springdoc.api-docs.enabled=false
springdoc.swagger-ui.enabled=false
logging.level.root=WARN
logging.level.com.netflix.conductor=WARN
logging.level.org.conductoross=WARN
EOF
  if [[ -n "${CONDUCTOR_EXTRA_PROPS:-}" ]]; then
    cat "$CONDUCTOR_EXTRA_PROPS" >>"$dir/conductor.properties"
  fi
}

cmd_start() {
  cmd_fetch
  local java major port dir pid base t0 now jar key aot_final="" aot_out="" aot_final_note=""
  local -a jvm_cache=()
  java="$(find_java)"
  major="$(java_major "$java")"
  extract "$java"
  jar="$JAR"
  [[ -s "$EXJAR" ]] && jar="$EXJAR"
  [[ -n "${CONDUCTOR_JAR:-}" ]] && jar="$CONDUCTOR_JAR"
  port="$(free_port)"
  dir="$(mktemp -d "$TMPROOT/baton-conductor.XXXXXX")"
  write_props "$dir" "$port"
  base="http://127.0.0.1:$port"
  if [[ "${CONDUCTOR_AOT:-1}" == 1 && "$jar" == "$EXJAR" ]]; then
    # A cache is valid only for the same JVM build, jar and heap settings: key it on them.
    key="$( { printf '%s|%s|%s|' "$java" "$XMX" "$(stat -c %s "$EXJAR")"; "$java" -version 2>&1; } | sha256sum | cut -c1-16)"
    mkdir -p "$EXDIR/jvm-cache"
    if (( major >= 25 )); then
      aot_final="$EXDIR/jvm-cache/$key.aot"
      if [[ -s "$aot_final" ]]; then
        jvm_cache=(-XX:AOTCache="$aot_final")
      else
        # Training run: the JVM writes the cache when it exits; stop moves it into place.
        aot_out="$aot_final.$(basename "$dir").tmp"
        jvm_cache=(-XX:AOTCacheOutput="$aot_out")
        aot_final_note=" (training run: the cache is written when this server is stopped)"
      fi
    else
      jvm_cache=(-XX:SharedArchiveFile="$EXDIR/jvm-cache/$key.jsa" -XX:+AutoCreateSharedArchive)
    fi
  fi
  log "java: $java ($major); jar: $jar; dir: $dir; port: $port; jvm cache: ${jvm_cache[*]:-none}${aot_final_note:-}"
  t0=$(date +%s%N)
  # setsid: the server outlives this script and leads its own process group, which stop signals.
  # shellcheck disable=SC2086 # CONDUCTOR_JAVA_OPTS is a list of options
  (cd "$dir" && CONDUCTOR_CONFIG_FILE="$dir/conductor.properties" exec setsid "$java" \
      -Xms256m -Xmx"$XMX" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss1m \
      -Djava.awt.headless=true -Djava.io.tmpdir="$dir" "${jvm_cache[@]}" ${CONDUCTOR_JAVA_OPTS:-} \
      -jar "$jar" >"$dir/server.log" 2>&1 </dev/null) &
  pid=$!
  cat >"$dir/state" <<EOF
PID=$pid
DIR=$dir
PORT=$port
BASE_URL=$base/api
AOT_OUT=$aot_out
AOT_FINAL=$aot_final
EOF
  local deadline=$(( $(date +%s) + START_TIMEOUT ))
  until curl -fsS -o /dev/null --max-time 2 "$base/health" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "server exited during startup; log tail ($dir/server.log):"
      tail -n 60 "$dir/server.log" >&2 || true
      stop_dir "$pid" "$dir" "$aot_out" ""
      die "server did not start"
    fi
    if (( $(date +%s) >= deadline )); then
      log "server not healthy after ${START_TIMEOUT}s; log tail ($dir/server.log):"
      tail -n 60 "$dir/server.log" >&2 || true
      stop_dir "$pid" "$dir" "$aot_out" ""
      die "server start timed out"
    fi
    sleep 0.25
  done
  now=$(date +%s%N)
  log "healthy after $(( (now - t0) / 1000000 )) ms"
  echo "STARTUP_MS=$(( (now - t0) / 1000000 ))" >>"$dir/state"
  printf 'BASE_URL=%s/api\n' "$base"
  printf 'STATE_FILE=%s\n' "$dir/state"
}

stop_dir() { # PID DIR [AOT_OUT AOT_FINAL]
  local pid="$1" dir="$2" aot_out="${3:-}" aot_final="${4:-}" i waits=60 killed=0
  # A training run writes its AOT cache (~130 MB) on exit: give it time.
  [[ -n "$aot_out" && -n "$aot_final" ]] && waits=240
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    # The java process leads its own process group (setsid): signal the group, else the pid.
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for (( i = 0; i < waits; i++ )); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "server $pid ignored TERM for $(( waits / 2 ))s; sending KILL"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
      killed=1
      sleep 0.5
    fi
  fi
  if [[ -n "$aot_out" ]]; then
    if (( killed == 0 )) && [[ -n "$aot_final" && -s "$aot_out" && ! -e "$aot_final" ]]; then
      mv -f "$aot_out" "$aot_final" && log "saved JVM AOT cache $aot_final"
    fi
    rm -f "$aot_out"
  fi
  case "$dir" in
    "$TMPROOT"/baton-conductor.*) rm -rf "$dir" ;;
    *) log "not removing unexpected dir '$dir'" ;;
  esac
}

cmd_stop() {
  local state="${1:-}"
  [[ -n "$state" ]] || die "usage: conductor.sh stop STATEFILE"
  [[ -f "$state" ]] || die "no state file $state (already stopped?)"
  local PID DIR AOT_OUT AOT_FINAL
  PID="$(sed -n 's/^PID=//p' "$state")"
  DIR="$(sed -n 's/^DIR=//p' "$state")"
  AOT_OUT="$(sed -n 's/^AOT_OUT=//p' "$state")"
  AOT_FINAL="$(sed -n 's/^AOT_FINAL=//p' "$state")"
  [[ -n "$PID" && -n "$DIR" ]] || die "malformed state file $state"
  stop_dir "$PID" "$DIR" "$AOT_OUT" "$AOT_FINAL"
  log "stopped server $PID and removed $DIR"
}

case "${1:-}" in
  fetch) cmd_fetch_all ;;
  start) cmd_start ;;
  stop) shift; cmd_stop "$@" ;;
  java) find_java ;;
  *) sed -n '2,25p' "$0" >&2; exit 2 ;;
esac
