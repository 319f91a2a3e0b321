#!/usr/bin/env bash
# Starts a one-node Slurm cluster on this machine for test/slurm/slurm.test.ts: installs Debian's
# slurm-wlm and munge with apt when missing, starts munged, writes a slurm.conf sized to the machine
# (CPUs from nproc, memory from /proc/meminfo), starts slurmctld and slurmd as root and waits until
# the node is idle. Called by .ci/run before the tests; safe to run again (returns at once when a
# cluster answers). A slurm.conf that this script did not write is never touched.
#
# State, logs and pid files: $EMBODIED_SLURM_DIR (default /tmp/embodied-slurm). The daemons keep
# running afterwards (ports 6817 and 6818 on 127.0.0.1); stop them with
#   kill $(cat /tmp/embodied-slurm/slurmd.pid /tmp/embodied-slurm/slurmctld.pid)
set -euo pipefail
CONF=/etc/slurm/slurm.conf
MARK='# written by embodied test/slurm/ensure-slurm.sh'
DIR=${EMBODIED_SLURM_DIR:-/tmp/embodied-slurm}

node_state() { timeout 10 sinfo -h -N -o %T 2>/dev/null | head -n 1; }
alive() { [ -s "$DIR/$1.pid" ] && kill -0 "$(cat "$DIR/$1.pid")" 2>/dev/null; }
ours() { [ -e "$CONF" ] && grep -qxF "$MARK" "$CONF"; }

# sinfo waits ~10 s for a controller that is not there, and reports a dead slurmd as idle for
# minutes: with our configuration, ask only when both daemons run.
if command -v sinfo >/dev/null 2>&1 && { ! ours || { alive slurmctld && alive slurmd; }; }; then
  case "$(node_state)" in
    idle* | mixed* | allocated* | completing*)
      echo "ensure-slurm: cluster up ($(sinfo -h -N -o '%N %c CPUs %m MB %T' | head -n 1))"
      exit 0
      ;;
  esac
fi

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
if ! command -v slurmctld >/dev/null 2>&1 || ! command -v slurmd >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-slurm: Slurm is missing and apt-get is not available" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  # The package lists may be stale or absent (a fresh container); refresh them only when needed.
  $SUDO apt-get install -y -q --no-install-recommends slurm-wlm munge || {
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q --no-install-recommends slurm-wlm munge
  }
fi

if [ -e "$CONF" ] && ! ours; then
  echo "ensure-slurm: $CONF exists and was not written by this script; not touching it, and no cluster answers (sinfo)" >&2
  exit 1
fi

# munge: Debian's postinst creates the key; create one if it is missing.
if [ ! -s /etc/munge/munge.key ]; then
  $SUDO mkdir -p /etc/munge
  $SUDO dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
  $SUDO chown munge:munge /etc/munge/munge.key
  $SUDO chmod 0400 /etc/munge/munge.key
fi
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  $SUDO mkdir -p /run/munge /var/log/munge /var/lib/munge
  $SUDO chown munge:munge /run/munge /var/log/munge /var/lib/munge
  $SUDO runuser -u munge -- munged
  for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
  munge -n | unmunge >/dev/null || { echo "ensure-slurm: munged does not answer" >&2; exit 1; }
fi

host=$(hostname -s)
cpus=$(nproc)
mem_mb=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)
# Leave 5 % (at least 256 MB) to the system; slurmd drains a node that reports less than RealMemory.
real_mb=$((mem_mb - (mem_mb / 20 > 256 ? mem_mb / 20 : 256)))
$SUDO mkdir -p "$DIR/ctld" "$DIR/d" /etc/slurm
$SUDO tee "$CONF" >/dev/null <<EOF
$MARK
# One node sized to this machine; rerun the script to regenerate (state in $DIR).
ClusterName=embodied
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$DIR/ctld
SlurmdSpoolDir=$DIR/d
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/slurmctld.log
SlurmdLogFile=$DIR/slurmd.log
SlurmctldPort=6817
SlurmdPort=6818
ProctrackType=proctrack/pgid
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=$((real_mb / cpus))
ReturnToService=2
SlurmdParameters=config_overrides
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$real_mb State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF

# A daemon left from an earlier start (with another configuration, or wedged) is stopped by its pid file.
for d in slurmd slurmctld; do
  if alive $d; then
    $SUDO kill "$(cat "$DIR/$d.pid")"
    for _ in $(seq 50); do alive $d || break; sleep 0.1; done
  fi
done
$SUDO slurmctld -i
$SUDO slurmd

for _ in $(seq 120); do
  case "$(node_state)" in
    idle*)
      echo "ensure-slurm: cluster up ($(sinfo -h -N -o '%N %c CPUs %m MB %T' | head -n 1)); logs in $DIR"
      exit 0
      ;;
  esac
  sleep 0.5
done
echo "ensure-slurm: the node did not become idle within 60 s; sinfo says: $(sinfo -N 2>&1 | tail -n +2)" >&2
tail -n 20 "$DIR/slurmctld.log" "$DIR/slurmd.log" >&2 || true
exit 1
