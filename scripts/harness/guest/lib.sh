# shellcheck shell=dash
# Guest-side helpers for scenario scripts (busybox sh), sourced by /init before the
# scenario's own script (guest/scenarios/<name>.sh). Variables set here are for those scripts.
# shellcheck disable=SC2034
VM_FAILED=

# Debian's busybox runs its own applets before $PATH ("standalone shell"): call the real
# iproute2 by path, since busybox `ip` ignores bond options.
ip() { /usr/sbin/ip "$@"; }

# A line the host may wait for: drained (below) before anything else, so a printk the guest
# causes next cannot cut it (bond-failover's "ready-for-cut", cut by the flood it announces,
# left the host waiting for a cut it never made).
vm_log() { echo "VMTEST: $*"; vm_drain; }
# Wait until the console has sent what was written to it: the kernel writes its messages to
# the serial port directly, so a line still in the tty's buffer when a printk comes (a sysrq
# dump right after counters) is cut by it. Setting the console's own settings again goes
# through tcsetattr(TCSADRAIN), which waits for the port to empty. (Measured: 6 of 30
# 400-character lines came out whole before an `echo m > /proc/sysrq-trigger` without it, 30
# of 30 with it.)
vm_drain() { stty -F /dev/console "$(stty -F /dev/console -g)"; }
vm_fail() { echo "VMTEST-FAIL: $*"; VM_FAILED=1; }

# The verdict goes out through isa-debug-exit (port 0xf4): QEMU exits (value << 1) | 1.
vm_exit() {
	# shellcheck disable=SC2059 # the format is the byte, as an octal escape
	printf "\\$(printf %o "$1")" | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
	sleep 5
	echo "VMTEST: isa-debug-exit did not stop the VM"
	poweroff -f
}

# Interfaces in PCI order, i.e. the order of the scenario's links.
vm_nics() {
	for d in /sys/class/net/*; do
		# the full device path holds the PCI address (virtio NICs sit below theirs)
		[ -e "$d/device" ] && echo "$(readlink -f "$d/device") ${d##*/}"
	done | sort | cut -d' ' -f2
}
vm_nic() { vm_nics | sed -n "$(($1 + 1))p"; }

# Wait up to $1 seconds for the command in $2.. to succeed (a line every 10 s keeps the
# harness's idle timeout from firing while the guest waits).
vm_wait() {
	local t=$1 n=0
	shift
	while [ "$n" -lt "$t" ]; do
		"$@" && return 0
		sleep 1
		n=$((n + 1))
		[ $((n % 10)) = 0 ] && vm_log "waiting for '$*' (${n}s)"
	done
	return 1
}

vm_insmod() {
	local m=$1
	shift
	insmod "/lib/cxx/$m.ko" "$@" || { vm_fail "insmod $m $*"; return 1; }
}
vm_rmmod() { rmmod "$1" || vm_fail "rmmod $1"; }

# End of scenario: leak scan, taint, lockdep state, result line, exit code.
vm_finish() {
	if [ -e /sys/kernel/debug/kmemleak ]; then
		# An object is reported once two scans found it unreferenced and unchanged, and
		# only if it was 5 s old when the second began: a first scan, the rest of those 5 s
		# (a scan under KASAN takes longer than that), the second.
		local t0
		t0=$(cut -d' ' -f1 /proc/uptime)
		vm_log "leak scans from $t0"
		echo scan > /sys/kernel/debug/kmemleak || vm_fail "kmemleak scan refused"
		# the second begins 5 s (and a margin for jiffies against uptime) after the first
		sleep "$(awk -v t0="$t0" '{ d = t0 + 5.2 - $1; printf "%.2f", (d > 0 ? d : 0) }' \
			/proc/uptime)"
		echo scan > /sys/kernel/debug/kmemleak
		vm_log "leak scans until $(cut -d' ' -f1 /proc/uptime)"
		dmesg | grep -q "Kernel memory leak detector disabled" && vm_fail "kmemleak disabled itself"
		leaks=$(cat /sys/kernel/debug/kmemleak)
		[ -n "$leaks" ] && { echo "VMTEST-KMEMLEAK-BEGIN"; echo "$leaks"; echo "VMTEST-KMEMLEAK-END"; }
	fi
	echo "VMTEST-TAINT $(cat /proc/sys/kernel/tainted)"
	[ -e /proc/lockdep_stats ] &&
		echo "VMTEST-DEBUG-LOCKS $(sed -n 's/^ *debug_locks: *//p' /proc/lockdep_stats)"
	if [ -n "$VM_FAILED" ]; then
		echo "VMTEST-RESULT FAIL"
		vm_exit 17
	fi
	echo "VMTEST-RESULT PASS"
	vm_exit 16
}

# --- netpoll core (cxx_npclient) ---
npc=/sys/kernel/debug/cxx_npclient
np_send() { echo "$1 $2" > $npc/send || vm_fail "send $1 $2"; }
queued() { grep -q '^queued [1-9]' /sys/kernel/debug/cxx_netpoll/* 2>/dev/null; }
# Empty twice, a second apart: the work item may hold a dequeued skb for a moment.
drained() { ! queued && sleep 1 && ! queued; }
# Counters once every deferred datagram has gone out (or been dropped).
np_stats() {
	vm_wait 60 drained || vm_fail "deferred queues did not drain"
	sed 's/^/VMTEST-STATS /' $npc/stats
	vm_drain
}
has_carrier() { [ "$(cat "/sys/class/net/$1/carrier" 2>/dev/null)" = 1 ]; }
# The usual setup: NIC 0 as 10.0.0.2, the core, and a client with one target (the host on
# NIC 0, port 6666); extra arguments go to the client (e.g. kernel_netpoll=1).
one_nic_client() {
	nic_up 0 10.0.0.2
	e0=$(vm_nic 0)
	vm_insmod cxx_netpoll &&
		vm_insmod cxx_npclient "$@" targets="6665@10.0.0.2/$e0,6666@10.0.0.1/$HOST_MAC0"
}
nic_up() { # nic_up <index> <ipv4> <ipv6>: address, up, and carrier (e1000 takes a while)
	n=$(vm_nic "$1")
	ip addr add "$2/24" dev "$n"
	[ -n "$3" ] && ip -6 addr add "$3/64" dev "$n" nodad
	ip link set "$n" up
	vm_wait 150 has_carrier "$n" || vm_fail "no carrier on $n"
}

# --- bonds ---
# bond0 and both of its slaves report MII Status up in /proc/net/bonding.
all_up() { [ "$(grep -c '^MII Status: up' /proc/net/bonding/bond0)" = 3 ]; }
# bond_load <cxx|intree>: cxx_netpoll (cxx_bonding's slaves' netpoll, and the scenarios'
# netconsole) and the bonding driver, with no bond of its own.
bond_load() {
	vm_insmod cxx_netpoll || return 1
	if [ "$1" = cxx ]; then
		vm_insmod cxx_bonding max_bonds=0
	else
		insmod /lib/intree/bonding.ko max_bonds=0 || { vm_fail "insmod bonding"; return 1; }
	fi
}
# bond_make <mode> <ipv4> [<ipv6>]: bond0 (miimon 100) of the first two NICs, up, addressed,
# both links up (the bonding driver is loaded already).
bond_make() {
	ip link add bond0 type bond mode "$1" miimon 100 || { vm_fail "bond0 $1"; return 1; }
	for i in 0 1; do
		n=$(vm_nic $i)
		ip link set "$n" down
		ip link set "$n" master bond0 || vm_fail "enslave $n"
	done
	ip link set bond0 up
	ip addr add "$2/24" dev bond0
	[ -n "$3" ] && ip -6 addr add "$3/64" dev bond0 nodad
	vm_wait 150 all_up || { vm_fail "$1: links not up"; return 1; }
}

# --- cxx_netconsole ---
CFS=/sys/kernel/config/cxx_netconsole
NCDBG=/sys/kernel/debug/cxx_netconsole
nc_load() { # nc_load [netconsole=...]: the core and cxx_netconsole
	# shellcheck disable=SC2086 # NP_ARGS: parameters, one word each
	vm_insmod cxx_netpoll $NP_ARGS && vm_insmod cxx_netconsole "$@"
}
markers() { # markers <tag> <count>: "<5>nc-<tag>-<i>" lines into printk
	i=0
	while [ $i -lt "$2" ]; do echo "<5>nc-$1-$i" > /dev/kmsg; i=$((i + 1)); done
}
# Counters once every deferred datagram has gone out (or been dropped), as VMTEST-<tag> lines
# (default NCSTATS).
nc_stats() {
	vm_wait 60 drained || vm_fail "deferred queues did not drain"
	sed "s/^/VMTEST-${1:-NCSTATS} /" $NCDBG/stats
	vm_drain
}

# --- cxx_pongtest ---
PORT=7777
pst=/sys/kernel/debug/cxx_pongtest/stats
pong_val() { sed -n "s/^$1 //p" $pst; }
# At least $1 requests, and no more for $SETTLE s (default 3: random frames may be valid
# requests too; a real client that waited for every reply sends nothing late: 1).
settled() {
	local a
	a=$(pong_val received)
	[ "$a" -ge "$1" ] && sleep "${SETTLE:-3}" && [ "$a" = "$(pong_val received)" ]
}
pong_stats() { # pong_stats <label>: the counters, once every deferred reply went out
	vm_wait 60 drained || vm_fail "deferred replies did not drain"
	sed "s/^/VMTEST-PONG $1 /" $pst
	vm_drain
}
rx_packets() { cat "/sys/class/net/$1/statistics/rx_packets"; }
# One phase: pongtest on NIC <index> (IPv4, or IPv6 with "ipv6=1"), the host sends <count>
# requests after "pong-ready <label>", the counters are printed, pongtest unloaded.
pong_phase() { # pong_phase <label> <index> <count> [ipv6=1]
	local label=$1 n count=$3
	n=$(vm_nic "$2")
	shift 3
	pong_phase_dev "$label" "$n" "$count" "$@"
}
pong_phase_dev() { # pong_phase_dev <label> <device> <count> [ipv6=1]
	local label=$1 n=$2 count=$3
	shift 3
	vm_insmod cxx_pongtest dev="$n" port=$PORT "$@" || return
	vm_log "pong-ready $label"
	vm_wait 300 settled "$count" ||
		vm_fail "$label: pongtest received $(pong_val received) of $count requests"
	pong_stats "$label"
	vm_rmmod cxx_pongtest
	vm_log "pong-done $label"
}
