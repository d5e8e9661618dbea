#!/usr/bin/env bash
# A 3-node MariaDB Galera cluster on loopback, from Debian's mariadb-server and galera-4 (rsync SST),
# for putting a province on a replicated engine (issue 17). Nothing leaves this machine.
#
#   scripts/galera.sh start    bootstrap node 1, then join nodes 2 and 3; prints each node's URL
#   scripts/galera.sh status   wsrep_cluster_size and state of each node
#   scripts/galera.sh stop     stop every node (data kept under GALERA_DIR)
#   scripts/galera.sh stop N   stop node N only (a failover drill); `start N` brings it back
#   scripts/galera.sh kill N   crash node N (SIGKILL, no clean shutdown); `start N` recovers its position and rejoins
#
# GALERA_DIR (default .galera/ in the project) holds the data; GALERA_BASE_PORT (default 33070): node N
# answers SQL on base+N, Galera replication on base+100+N, IST on base+200+N, rsync SST on base+300+N.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${GALERA_DIR:-$PWD/.galera}"
BASE="${GALERA_BASE_PORT:-33070}"
PROVIDER="${GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}"
NODES=(1 2 3)
# rsync SST's daemon drops root privileges, so the data belongs to the server's own user.
SERVER_USER="${GALERA_USER:-mysql}"

sql_port() { echo $((BASE + $1)); }
gcomm_port() { echo $((BASE + 100 + $1)); }
cluster_address() {
  local list=""
  for n in "${NODES[@]}"; do list+="127.0.0.1:$(gcomm_port "$n"),"; done
  echo "gcomm://${list%,}"
}
answers() { mariadb -h 127.0.0.1 -P "$(sql_port "$1")" -u root --connect-timeout=2 -N -e 'SELECT 1' >/dev/null 2>&1; }
# A node that crashed rejoins only after the others have declared its old instance gone (Galera's
# inactive timeout, 15 s) and sent it a full state (SST): under load that takes a minute or more.
SYNC_TIMEOUT_S="${GALERA_SYNC_TIMEOUT_S:-180}"
# A joiner whose state transfer fails exits (SST failed: aborting); starting it again is what an
# operator does, so a node gets this many tries.
START_ATTEMPTS=3

# Waits until node $1 (server pid $2) is Synced; fails at once if the server exits.
wait_synced() {
  for _ in $(seq 1 $((SYNC_TIMEOUT_S * 2))); do
    kill -0 "$2" 2>/dev/null || return 1
    if answers "$1" && [ "$(mariadb -h 127.0.0.1 -P "$(sql_port "$1")" -u root -N -e "SHOW STATUS LIKE 'wsrep_local_state_comment'" | cut -f2)" = Synced ]; then
      return 0
    fi
    sleep 0.5
  done
  return 1
}

start_node() {
  local n=$1 bootstrap=${2:-}
  local data="$DIR/node$n"
  if answers "$n"; then return 0; fi
  if [ ! -d "$data/mysql" ]; then
    mkdir -p "$data"
    mariadb-install-db --no-defaults --datadir="$data" --user="$SERVER_USER" --auth-root-authentication-method=normal --skip-test-db >"$DIR/node$n.install.log" 2>&1
  fi
  # A node that was the last to stop may bootstrap again; Galera records that in grastate.dat.
  [ -n "$bootstrap" ] && [ -f "$data/grastate.dat" ] && sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$data/grastate.dat"
  for attempt in $(seq 1 "$START_ATTEMPTS"); do
    # The log is appended to: what a failed start said stays there for a look afterwards.
    echo "--- start $attempt of node $n, $(date -u +%FT%TZ)" >>"$DIR/node$n.log"
    /usr/sbin/mariadbd --no-defaults --user="$SERVER_USER" --datadir="$data" \
      --port="$(sql_port "$n")" --bind-address=127.0.0.1 --socket="$DIR/node$n.sock" --pid-file="$DIR/node$n.pid" \
      --binlog-format=ROW --default-storage-engine=InnoDB --innodb-autoinc-lock-mode=2 --innodb-buffer-pool-size=64M \
      --max-connections=500 --skip-log-bin \
      --wsrep-on=ON --wsrep-provider="$PROVIDER" --wsrep-cluster-name=mutual_aid_35 \
      --wsrep-cluster-address="$(cluster_address)" --wsrep-node-name="node$n" --wsrep-node-address="127.0.0.1:$(gcomm_port "$n")" \
      --wsrep-provider-options="base_port=$(gcomm_port "$n");ist.recv_addr=127.0.0.1:$((BASE + 200 + n))" \
      --wsrep-sst-method=rsync --wsrep-sst-receive-address="127.0.0.1:$((BASE + 300 + n))" \
      ${bootstrap:+--wsrep-new-cluster} >>"$DIR/node$n.log" 2>&1 &
    local pid=$!
    if wait_synced "$n" "$pid"; then return 0; fi
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  echo "node $n did not reach Synced in $START_ATTEMPTS starts; see $DIR/node$n.log" >&2
  return 1
}

stop_node() {
  local pid_file="$DIR/node$1.pid" signal=${2:-TERM}
  [ -f "$pid_file" ] || return 0
  local pid
  pid=$(cat "$pid_file")
  kill "-$signal" "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  rm -f "$pid_file"
}

case "${1:-}" in
  start)
    mkdir -p "$DIR"
    chown "$SERVER_USER" "$DIR"
    if [ -n "${2:-}" ]; then start_node "$2"; exit 0; fi
    running=0
    for n in "${NODES[@]}"; do answers "$n" && running=1; done
    if [ "$running" = 0 ]; then start_node 1 bootstrap; fi
    for n in "${NODES[@]}"; do start_node "$n"; done
    for n in "${NODES[@]}"; do echo "node $n: mysql://root@127.0.0.1:$(sql_port "$n")"; done
    ;;
  status)
    for n in "${NODES[@]}"; do
      if answers "$n"; then
        echo "node $n: $(mariadb -h 127.0.0.1 -P "$(sql_port "$n")" -u root -N -e "SHOW STATUS WHERE Variable_name IN ('wsrep_cluster_size','wsrep_local_state_comment')" | tr '\t\n' '= ')"
      else
        echo "node $n: down"
      fi
    done
    ;;
  stop)
    if [ -n "${2:-}" ]; then stop_node "$2"; exit 0; fi
    for n in 3 2 1; do stop_node "$n"; done
    ;;
  kill)
    stop_node "${2:?kill needs a node number}" KILL
    ;;
  *)
    echo "usage: $0 start [N] | status | stop [N] | kill N" >&2
    exit 2
    ;;
esac
