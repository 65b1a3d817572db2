#!/usr/bin/env bash
# A local OrleansMl cluster for development, one process each: Azurite (Azure Storage emulator),
# two silos and the HTTP gateway, all on 127.0.0.1, with state, logs and PIDs in .local-cluster/.
#
#   scripts/local-cluster.sh start    install Azurite if missing, build, start everything, wait until ready
#   scripts/local-cluster.sh status   what runs, and whether it is ready
#   scripts/local-cluster.sh stop     gateway, then silos, then Azurite; safe to run when nothing runs
#
# Gateway authentication is OFF by default (every caller acts as admin). To switch it on, pass the
# SHA-256 of a key of your choice; callers then send the key in the X-Api-Key header:
#   LOCAL_CLUSTER_API_KEY_SHA256=$(printf %s 'my-key' | sha256sum | cut -d' ' -f1) scripts/local-cluster.sh start
#   curl -H 'X-Api-Key: my-key' http://127.0.0.1:5080/v1/cluster
# (`dotnet src/OrleansMl.Silo/bin/Release/net10.0/OrleansMl.Silo.dll hash-key my-key` prints the same hash.)
#
# Data (blobs, tables) stays in .local-cluster/azurite between runs; delete that directory to start empty.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$ROOT/.local-cluster"
LOGS="$STATE/logs"
PIDS="$STATE/pids"
AZURITE_VERSION=3.35.0
AZURITE_JS="$ROOT/.tools/azurite/node_modules/azurite/dist/src/azurite.js"
SILO_PROJECT="$ROOT/src/OrleansMl.Silo/OrleansMl.Silo.csproj"
SILO_DLL="$ROOT/src/OrleansMl.Silo/bin/Release/net10.0/OrleansMl.Silo.dll"
GATEWAY_URL=http://127.0.0.1:5080
READY_TIMEOUT_SECONDS=90
SILOS=(1 2)
# Stop order: callers before what they call.
COMPONENTS=(gateway silo-2 silo-1 azurite)
PORTS=(10000 10001 10002 11111 11112 30001 30002 5181 5182 5080)
STORAGE_ARGS=(--OrleansMl:Storage:Mode=AzureStorage --OrleansMl:Storage:ConnectionString=UseDevelopmentStorage=true)

log() { printf '[local-cluster] %s\n' "$*"; }

pid_file() { printf '%s/%s.pid' "$PIDS" "$1"; }

# Prints the component's PID when it runs; the command line must match, so a reused PID is never taken for ours.
running_pid() {
    local file pid marker
    file="$(pid_file "$1")"
    [[ -f "$file" ]] || return 1
    pid="$(<"$file")"
    [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
    if [[ "$1" == azurite ]]; then marker=azurite.js; else marker=OrleansMl.Silo.dll; fi
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$marker" || return 1
    printf '%s' "$pid"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# launch NAME COMMAND...: runs the command in the background from .local-cluster/, logging to logs/NAME.log.
launch() {
    local name="$1"
    shift
    (cd "$STATE" && exec nohup "$@" >"$LOGS/$name.log" 2>&1 </dev/null) &
    local pid=$! tries=0
    echo "$pid" >"$(pid_file "$name")"
    # The background subshell execs into the command; until it has, its command line is this
    # script's and running_pid would not recognise it.
    until running_pid "$name" >/dev/null || ! kill -0 "$pid" 2>/dev/null || ((++tries > 50)); do sleep 0.1; done
    log "started $name (pid $pid), log: ${LOGS#"$ROOT"/}/$name.log"
}

http_status() { curl -s -o /dev/null -m 5 -w '%{http_code}' "$1" || true; }

dump_logs() {
    local name
    for name in "${COMPONENTS[@]}"; do
        if [[ -f "$LOGS/$name.log" ]]; then
            printf '\n===== %s (last 40 lines of %s) =====\n' "$name" "$LOGS/$name.log"
            tail -n 40 "$LOGS/$name.log"
        fi
    done
}

ensure_azurite() {
    if [[ -f "$AZURITE_JS" ]]; then
        return
    fi
    log "installing azurite@$AZURITE_VERSION into .tools/azurite"
    npm install --prefix "$ROOT/.tools/azurite" "azurite@$AZURITE_VERSION" --no-audit --no-fund --loglevel=error
}

build() {
    log "building OrleansMl.Silo (Release)"
    if ! dotnet build -c Release "$SILO_PROJECT" -nologo -v q >"$LOGS/build.log" 2>&1; then
        tail -n 40 "$LOGS/build.log"
        log "build failed; full log: $LOGS/build.log"
        exit 1
    fi
}

wait_for_port() {
    local port="$1" deadline=$((SECONDS + 30))
    until port_in_use "$port"; do
        if ((SECONDS >= deadline)) || ! running_pid azurite >/dev/null; then
            dump_logs
            log "Azurite did not listen on port $port"
            stop
            exit 1
        fi
        sleep 0.2
    done
}

# wait_until_ready URL...: until every URL answers 200 (/health/ready: the process has made a grain
# call and reached the artifact store); fails when a started component exits or time runs out.
wait_until_ready() {
    local deadline=$((SECONDS + READY_TIMEOUT_SECONDS)) name url ready
    while ((SECONDS < deadline)); do
        for name in "${COMPONENTS[@]}"; do
            if [[ -f "$(pid_file "$name")" ]] && ! running_pid "$name" >/dev/null; then
                dump_logs
                log "$name exited during start-up"
                return 1
            fi
        done
        ready=1
        for url in "$@"; do
            if [[ "$(http_status "$url")" != 200 ]]; then
                ready=0
                break
            fi
        done
        if ((ready)); then
            return 0
        fi
        sleep 1
    done
    dump_logs
    log "not ready within ${READY_TIMEOUT_SECONDS}s: $*"
    return 1
}

start() {
    local name port busy=() n
    for name in "${COMPONENTS[@]}"; do
        if running_pid "$name" >/dev/null; then
            log "already running; 'scripts/local-cluster.sh stop' first"
            status
            exit 1
        fi
    done
    for port in "${PORTS[@]}"; do
        if port_in_use "$port"; then busy+=("$port"); fi
    done
    if ((${#busy[@]} > 0)); then
        log "ports in use by another process: ${busy[*]}"
        exit 1
    fi

    mkdir -p "$LOGS" "$PIDS" "$STATE/azurite"
    # Left by an earlier run: none of its processes runs (checked above).
    rm -f "$PIDS"/*.pid "$LOGS"/*.log
    ensure_azurite
    build

    launch azurite node "$AZURITE_JS" --silent --location "$STATE/azurite" \
        --blobHost 127.0.0.1 --tableHost 127.0.0.1 --queueHost 127.0.0.1 \
        --skipApiVersionCheck --disableTelemetry --loose
    wait_for_port 10000
    wait_for_port 10002

    # Explicit environment and flags, so that an inherited ASPNETCORE_ENVIRONMENT=Development changes nothing.
    local env=(env ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production) silo_urls=()
    for n in "${SILOS[@]}"; do
        launch "silo-$n" "${env[@]}" dotnet "$SILO_DLL" --role silo "${STORAGE_ARGS[@]}" \
            "--OrleansMl:SiloPort=1111$n" "--OrleansMl:GatewayPort=3000$n" --urls "http://127.0.0.1:518$n"
        silo_urls+=("http://127.0.0.1:518$n/health/ready")
    done
    # The gateway starts once the silos have joined, so it finds them in the membership table at once.
    log "waiting up to ${READY_TIMEOUT_SECONDS}s for the silos to be ready"
    if ! wait_until_ready "${silo_urls[@]}"; then
        stop
        exit 1
    fi

    local auth=(--OrleansMl:Gateway:Authentication:Enabled=false)
    if [[ -n "${LOCAL_CLUSTER_API_KEY_SHA256:-}" ]]; then
        auth=(--OrleansMl:Gateway:Authentication:Enabled=true
            --OrleansMl:Gateway:Authentication:ApiKeys:0:Name=local-cluster
            "--OrleansMl:Gateway:Authentication:ApiKeys:0:Sha256=$LOCAL_CLUSTER_API_KEY_SHA256"
            --OrleansMl:Gateway:Authentication:ApiKeys:0:Role=Admin)
    fi
    launch gateway "${env[@]}" dotnet "$SILO_DLL" --role gateway "${STORAGE_ARGS[@]}" "${auth[@]}" --urls "$GATEWAY_URL"

    log "waiting up to ${READY_TIMEOUT_SECONDS}s for the gateway to be ready"
    if ! wait_until_ready "$GATEWAY_URL/health/ready"; then
        stop
        exit 1
    fi

    log "ready"
    if [[ -z "${LOCAL_CLUSTER_API_KEY_SHA256:-}" ]]; then
        log "WARNING: gateway authentication is DISABLED: every caller acts as admin. Local development only; set LOCAL_CLUSTER_API_KEY_SHA256 to require a key."
    fi
    cat <<EOF
  gateway        $GATEWAY_URL   (API /v1/..., OpenAPI /openapi/v1.json, /health/ready)
  cluster        $GATEWAY_URL/v1/cluster
  silo 1 health  http://127.0.0.1:5181/health/ready   (silo port 11111, gateway port 30001)
  silo 2 health  http://127.0.0.1:5182/health/ready   (silo port 11112, gateway port 30002)
  Azurite        blob http://127.0.0.1:10000, queue :10001, table :10002 (UseDevelopmentStorage=true)
  logs           $LOGS/
  stop with      scripts/local-cluster.sh stop
EOF
}

stop_one() {
    local name="$1" pid
    if ! pid="$(running_pid "$name")"; then
        rm -f "$(pid_file "$name")"
        return
    fi
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 20))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
        log "$name (pid $pid) did not stop within 20 s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$(pid_file "$name")"
    log "stopped $name (pid $pid)"
}

stop() {
    local name
    for name in "${COMPONENTS[@]}"; do stop_one "$name"; done
}

status() {
    local name pid url
    for name in azurite silo-1 silo-2 gateway; do
        case "$name" in
            silo-*) url="http://127.0.0.1:518${name#silo-}/health/ready" ;;
            gateway) url="$GATEWAY_URL/health/ready" ;;
            *) url="" ;;
        esac
        if pid="$(running_pid "$name")"; then
            printf '  %-8s running (pid %s)%s\n' "$name" "$pid" "${url:+, $url -> $(http_status "$url")}"
        else
            printf '  %-8s stopped\n' "$name"
        fi
    done
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *)
        echo "usage: $0 start|stop|status" >&2
        exit 2
        ;;
esac
