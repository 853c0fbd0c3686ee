#!/bin/sh
# A stand-alone reproduction of "the background doveadm backup hangs" of the
# dovecot adapter (docs/dovecot.md): two Dovecot servers on loopback set up
# the way adapters/dovecot/dovecot_server.cc sets them up, a Maildir of N
# messages written straight into src's home, and `doveadm backup` of it to
# dst over tcp:, timed. It is not part of the test suite; run it by hand.
#
#   tests/adapters/dovecot/dsync_probe.sh [-n MESSAGES] [-r RUNS] [-f never|optimized]
#                                         [-s] [-d DELIVERIES] [-k]
#     -f  mail_fsync for both servers (default: Dovecot's own, "optimized")
#     -s  run the backup under `strace -c -f` (syscall counts and times, to
#         stderr): where its time goes
#     -d  deliver this many messages to dst over LMTP while the backup runs
#         (what the adapter's DUPLICATED test does)
#     -k  keep the temp dir (the servers' logs are DIR/{src,dst}/log/)
#
# Prints one line a run: "run K: backup exit E in S s". Leaves nothing
# behind (its temp dir, unless -k, and both masters are removed on exit).
set -eu

messages=1000 runs=3 fsync="" strace_it=0 deliveries=0 keep=0
while getopts n:r:f:sd:k opt; do
  case $opt in
    n) messages=$OPTARG ;;
    r) runs=$OPTARG ;;
    f) fsync=$OPTARG ;;
    s) strace_it=1 ;;
    d) deliveries=$OPTARG ;;
    k) keep=1 ;;
    *) sed -n '9,15p' "$0" >&2; exit 2 ;;
  esac
done

root=$(mktemp -d /tmp/dsync-probe.XXXXXX)
chmod 755 "$root"
uid=$(id -u) gid=$(id -g)
[ "$uid" = 0 ] && uid=4242 gid=4242
cleanup() {
  for s in src dst; do
    [ -f "$root/$s/run/master.pid" ] && kill "$(cat "$root/$s/run/master.pid")" 2>/dev/null || :
  done
  sleep 1
  if [ $keep = 1 ]; then echo "kept $root" >&2; else rm -rf "$root"; fi
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_server() {  # name
  d=$root/$1
  mkdir -p "$d/run" "$d/state" "$d/log" "$d/home"
  chown "$uid:$gid" "$d/home"
  lmtp=$(free_port) adm=$(free_port)
  {
    echo "instance_name = dsync-probe-$1-$$"
    echo "base_dir = $d/run"
    echo "state_dir = $d/state"
    echo "protocols = lmtp"
    echo "listen = 127.0.0.1"
    echo "log_path = $d/log/dovecot.log"
    echo "ssl = no"
    echo "first_valid_uid = 1"
    echo "mail_location = maildir:~/Maildir"
    [ -n "$fsync" ] && echo "mail_fsync = $fsync"
    echo "doveadm_password = probe-$$"
    echo "doveadm_port = $adm"
    echo "passdb {
  driver = static
  args = password=pass
}
userdb {
  driver = static
  args = uid=$uid gid=$gid home=$d/home/%u allow_all_users=yes
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $lmtp
  }
}
service doveadm {
  inet_listener {
    address = 127.0.0.1
    port = $adm
  }
}"
    if [ "$(id -u)" != 0 ]; then
      echo "default_internal_user = $(id -un)"
      echo "default_internal_group = $(id -gn)"
      echo "default_login_user = $(id -un)"
      echo "service anvil {
  chroot =
}"
    fi
  } >"$d/dovecot.conf"
  echo "$lmtp" >"$d/lmtp.port"
  echo "$adm" >"$d/doveadm.port"
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin dovecot -c "$d/dovecot.conf"
  i=0
  while ! python3 -c "import socket; socket.create_connection(('127.0.0.1', $adm), 1)" 2>/dev/null; do
    i=$((i + 1)); [ $i -lt 500 ] || { echo "dovecot $1 did not start" >&2; exit 3; }
    sleep 0.02
  done
}

write_maildir() {  # user
  md=$root/src/home/$1/Maildir
  mkdir -p "$md/cur" "$md/new" "$md/tmp"
  python3 - "$md/cur" "$messages" "$1" <<'EOF'
import sys
d, n, user = sys.argv[1], int(sys.argv[2]), sys.argv[3]
for i in range(1, n + 1):
    t = ("From: sender@intransit\r\nTo: %s@intransit\r\nSubject: intransit <p%d>\r\n"
         "Date: Thu, 01 Jan 2026 00:00:00 +0000\r\nMessage-ID: <p%d.%s@intransit>\r\n\r\n"
         "A test message of intransit.\r\n") % (user, i, i, user)
    with open("%s/1767225600.M%dP1.probe,S=%d:2," % (d, i, len(t)), "w") as f:
        f.write(t)
EOF
  chown -R "$uid:$gid" "$root/src/home/$1"
}

deliver() {  # user count
  python3 - "$(cat "$root/dst/lmtp.port")" "$1" "$2" <<'EOF'
import smtplib, sys, time
port, user, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
t0 = time.time()
c = smtplib.LMTP("127.0.0.1", port)
for i in range(n):
    msg = "Subject: m%d\r\nMessage-ID: <m%d.%s@intransit>\r\n\r\nhi\r\n" % (i, i, user)
    c.sendmail("sender@intransit", [user], msg)
    print("  delivery %d answered after %.2f s" % (i + 1, time.time() - t0))
c.quit()
EOF
}

start_server src
start_server dst
adm=$(cat "$root/dst/doveadm.port")
k=1
while [ $k -le "$runs" ]; do
  user=probe$k
  write_maildir "$user"
  set -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin doveadm -c "$root/src/dovecot.conf" \
    backup -u "$user" "tcp:127.0.0.1:$adm"
  tracer=
  if [ $strace_it = 1 ]; then
    # The writing is done by dst's doveadm-server (a child of its master):
    # follow the master's new children; the client mostly waits.
    strace -c -f -w -o "$root/strace-dst.$k" -p "$(cat "$root/dst/run/master.pid")" 2>/dev/null &
    tracer=$!
    sleep 1
    set -- strace -c -f -w -o "$root/strace-src.$k" "$@"
  fi
  t0=$(date +%s.%N)
  "$@" >"$root/out.$k" 2>&1 &
  pid=$!
  if [ "$deliveries" -gt 0 ]; then
    # dsync saves into new/: once 50 files are there, the copy is under way.
    while [ "$(ls "$root/dst/home/$user/Maildir/new" "$root/dst/home/$user/Maildir/cur" \
      2>/dev/null | wc -l)" -lt 55 ] &&
      kill -0 $pid 2>/dev/null; do sleep 0.01; done
    deliver "$user" "$deliveries"
    kill -0 $pid 2>/dev/null && echo "run $k: delivered during the backup" ||
      echo "run $k: delivered after the backup (it was faster)"
  fi
  rc=0
  wait $pid || rc=$?
  t1=$(date +%s.%N)
  echo "run $k: backup exit $rc in $(echo "$t1 - $t0" | bc) s"
  [ $rc = 0 ] || [ $rc = 2 ] || [ $rc = 75 ] || cat "$root/out.$k" >&2
  if [ -n "$tracer" ]; then
    kill -INT "$tracer"
    wait "$tracer" || :
    for side in src dst; do
      echo "strace -c -f of the $side side (doveadm backup on src, its server on dst):" >&2
      sed -n '1,2p;/fsync\|fdatasync\|epoll_wait\|total/p' "$root/strace-$side.$k" >&2
    done
  fi
  k=$((k + 1))
done
