#!/usr/bin/env bash
# Single-node Slurm cluster on this Debian 12 machine (run as root), for tests
# that submit jobs with sbatch. No systemd: daemons are started directly.
#   bash .ci/slurm.sh up     install (if needed), configure, start; idempotent
#   bash .ci/slurm.sh down   stop slurmd, slurmctld and munged
set -euo pipefail
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH"

HOST=$(hostname -s)
CONF=/etc/slurm/slurm.conf

# Node state as sinfo reports it ("idle", "idle*", "down", ...), or empty.
node_state() { timeout 10 sinfo -h -n "$HOST" -o %t 2>/dev/null | head -n1 || true; }
node_ok() { case "$(node_state)" in idle | mix | alloc) return 0 ;; *) return 1 ;; esac; }
# True if process $1 exists and is not a zombie (PID 1 here reaps exited
# daemons late, and kill -0 succeeds on a zombie).
running() { grep -q '^State:[[:space:]]*[^Z[:space:]]' "/proc/$1/status" 2>/dev/null; }
# True if the pid file names a running process (checked before sinfo, which
# retries for ~10 s when slurmctld is not running).
alive() { [ -s "$1" ] && running "$(cat "$1")"; }
# When slurmd last registered with slurmctld, in seconds since the epoch (0 if unknown).
slurmd_start() {
  local t
  t=$(scontrol show node -o "$HOST" 2>/dev/null | grep -o 'SlurmdStartTime=[^ ]*' | cut -d= -f2)
  { [ -n "$t" ] && date -d "$t" +%s 2>/dev/null; } || echo 0
}

# SIGTERM the processes named in the given pid files, wait up to 10 s for them
# to exit (then SIGKILL), and remove the pid files. Missing ones are ignored.
stop() {
  local f p pids=()
  for f in "$@"; do
    alive "$f" && { pids+=("$(cat "$f")"); kill "$(cat "$f")" 2>/dev/null || true; }
  done
  for _ in $(seq 50); do
    local left=0
    for p in "${pids[@]}"; do running "$p" && left=1; done
    [ "$left" = 0 ] && break
    sleep 0.2
  done
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  rm -f "$@"
}

fail() {
  echo "slurm.sh: $*" >&2
  for f in /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log; do
    [ -f "$f" ] && { echo "--- tail $f" >&2; tail -n 30 "$f" >&2; }
  done
  exit 1
}

install_packages() {
  local b
  for b in /usr/sbin/slurmctld /usr/sbin/slurmd /usr/bin/sbatch /usr/sbin/munged; do
    [ -x "$b" ] || {
      echo "slurm.sh: installing slurm and munge" >&2
      local apt='apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends slurmctld slurmd slurm-client munge'
      bash -c "$apt" || { sleep 5; bash -c "$apt"; } || fail "apt-get install failed twice"
      return
    }
  done
}

start_munge() {
  [ -s /etc/munge/munge.key ] || dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
  mkdir -p /run/munge /var/lib/munge /var/log/munge
  chown munge:munge /run/munge /var/lib/munge /var/log/munge
  if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    rm -f /run/munge/munged.pid /run/munge/munge.socket.2*   # stale leftovers
    su -s /bin/sh munge -c /usr/sbin/munged
    munge -n | unmunge >/dev/null || fail "munge does not work"
  fi
}

write_conf() {
  # RealMemory: 90% of MemTotal in MiB (slurmd drains a node that has less than configured).
  local mem_mib
  mem_mib=$(awk '/^MemTotal:/ {print int($2 / 1024 * 0.9)}' /proc/meminfo)
  mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
  # Never replace a slurm.conf this script did not write (a real cluster's).
  if [ -s "$CONF" ] && ! head -n1 "$CONF" | grep -q '^# Written by .ci/slurm.sh'; then
    echo "slurm.sh: $CONF exists and was not written by this script; refusing to replace it" >&2
    exit 1
  fi
  cat >"$CONF" <<EOF
# Written by .ci/slurm.sh: single-node test cluster, daemons run as root.
ClusterName=fupin
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
MailProg=/bin/true
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$mem_mib State=UNKNOWN
PartitionName=main Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
}

up() {
  if alive /run/munge/munged.pid && alive /run/slurmctld.pid && alive /run/slurmd.pid && node_ok; then
    echo "slurm.sh: node $HOST already $(node_state)"
    return 0
  fi
  install_packages
  start_munge
  write_conf
  # (Re)start both daemons so that they read the conf just written.
  stop /run/slurmd.pid /run/slurmctld.pid
  local t0
  t0=$(date +%s)
  slurmctld || fail "slurmctld did not start"
  slurmd || fail "slurmd did not start"

  local state=""
  for i in $(seq 60); do
    state=$(node_state)
    # A state recovered from StateSaveLocation can read "idle" before this slurmd
    # has registered: also require a registration from the slurmd just started.
    [ "$(slurmd_start)" -ge "$t0" ] || { sleep 1; continue; }
    case "$state" in
      idle | mix | alloc) echo "slurm.sh: node $HOST is $state after ${i}s"; return 0 ;;
      down | drain* | drng) scontrol update nodename="$HOST" state=resume 2>/dev/null || true ;;
    esac
    sleep 1
  done
  fail "node $HOST not ready after 60 s (state: '${state:-none}')"
}

down() {
  stop /run/slurmd.pid /run/slurmctld.pid /run/munge/munged.pid
  echo "slurm.sh: stopped"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
