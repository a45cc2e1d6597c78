# bond-iproute2: guest side (sourced after /etc/lib.sh; the harness calls scenario).
# A bond configured with ip only and read back through ip -d; valid and invalid changes, each
# with ip's own error text and what it changed; a bond into itself through a chain; first over
# cxx_bonding, then over in-tree bonding in the same boot, for the host to compare.
ipd() {	# $1 driver, $2 step
	for dev in bond0 bond1 $(vm_nics); do
		# bond1 never has slaves: its address is random (eth_hw_addr_random), in both drivers.
		ip -d link show "$dev" 2>/dev/null | sed "s/^[0-9]*: /N: /; s/^/VMTEST-IPD $1 $2: /" |
			if [ "$dev" = bond1 ]; then sed 's|link/ether [0-9a-f:]* |link/ether RANDOM |'; else cat; fi
	done
}

try() {	# $1 driver, then the ip command: its outcome, ip's message, and whether it changed
	d=$1
	shift
	before=$(ip -d link show "${TRY_DEV:-bond0}" | md5sum)
	if out=$(ip "$@" 2>&1); then r=ok; else r=refused; fi
	after=$(ip -d link show "${TRY_DEV:-bond0}" | md5sum)
	[ "$r" = refused ] && [ "$before" != "$after" ] && r="$r-but-changed"
	echo "VMTEST-IP $d tries: ip $*: $r: $(echo "$out" | tr '\n' '|')"
}

kmsg() {
	dmesg -c | sed -E 's/^\[ *[0-9.]+\] //; s/^(cxx_)?bonding: //' |
		grep -v -e '^IPv6:' -e 'loading out-of-tree' -e 'module verification' |
		sed "s/^/VMTEST-KMSG $1 $2: /"
}

active_is() { ip -d link show bond0 | grep -q "active_slave $1 "; }

# fail_over_mac: which address the bond and each slave carry at each step, the slaves'
# own addresses written P0 and P1 (any other: OTHER, a bond's random one).
fom_addrs() {	# $1 driver, $2 fail_over_mac, $3 step
	ip -o link show | sed -n "s/^[0-9]*: \($e0\|$e1\|bond2\)[:@].* link\/ether \([0-9a-f:]*\) .*/\1 \2/p" |
		sed "s/\b$p0\$/P0/; s/\b$p1\$/P1/; s/ [0-9a-f:]\{17\}\$/ OTHER/; s/^/VMTEST-FOM $1 $2-$3: /"
}
fom_active_is() { grep -q "^Currently Active Slave: $1\$" /proc/net/bonding/bond2; }

fom() {	# $1 driver, $2 fail_over_mac (active or follow)
	p0=$(cat "/sys/class/net/$e0/address") p1=$(cat "/sys/class/net/$e1/address")
	ip -batch - <<-EOF || vm_fail "$1: fail_over_mac $2: setup"
		link add bond2 type bond mode active-backup miimon 100 fail_over_mac $2
		link set $e0 down
		link set $e0 master bond2
		link set $e1 down
		link set $e1 master bond2
		link set bond2 up
	EOF
	vm_wait 30 fom_active_is "$e0" || vm_fail "$1: fail_over_mac $2: $e0 never active"
	fom_addrs "$1" "$2" enslaved
	sed -n 's/^Bonding Mode: /VMTEST-FOM '"$1 $2"'-proc: /p' /proc/net/bonding/bond2
	ip link set bond2 type bond active_slave "$e1" || vm_fail "$1: fail_over_mac $2: active $e1"
	fom_addrs "$1" "$2" active-e1
	ip link set bond2 type bond active_slave "$e0" || vm_fail "$1: fail_over_mac $2: active $e0"
	fom_addrs "$1" "$2" active-e0
	# 6.1: the bond's address is not the user's to set: success, nothing changed.
	ip link set bond2 address 02:00:00:00:00:01 || vm_fail "$1: fail_over_mac $2: address"
	fom_addrs "$1" "$2" set-address
	ip link set "$e0" nomaster || vm_fail "$1: fail_over_mac $2: release $e0"
	fom_addrs "$1" "$2" released-e0
	ip link set "$e1" nomaster || vm_fail "$1: fail_over_mac $2: release $e1"
	fom_addrs "$1" "$2" released-e1
	ip link del bond2 || vm_fail "$1: fail_over_mac $2: del bond2"
	# Each slave back at its own address for the next bond.
	ip -batch - <<-EOF || vm_fail "$1: fail_over_mac $2: addresses back"
		link set $e0 address $p0
		link set $e1 address $p1
	EOF
	kmsg "$1" "fom-$2"
}

# Offload features: what ethtool -k shows for the bond and a VLAN on it, and ip -d's TSO
# limits, as slaves come, change their own features (NETDEV_FEAT_CHANGE) and go. IPsec and
# TLS offload are left out: cxx_bonding does not pass them through (README).
feat_dump() {	# $1 driver, $2 step
	for dev in bond2 bond2.7; do
		ethtool -k "$dev" | grep -v -e '^Features for' -e esp -e tls |
			sed "s/^/VMTEST-FEAT $1 $2: $dev /"
	done
	ip -d link show bond2 | grep -o 'gso_max_size.*' | sed "s/^/VMTEST-FEAT $1 $2: bond2 /"
}

features() {	# $1 driver
	ip -batch - <<-EOF || vm_fail "$1: features: setup"
		link add bond2 type bond mode balance-xor miimon 100
		link add link bond2 name bond2.7 type vlan id 7
		link set $e0 down
		link set $e1 down
	EOF
	feat_dump "$1" none
	ip link set "$e0" master bond2 || vm_fail "$1: features: enslave $e0"
	feat_dump "$1" one
	# tx-nocache-copy: the bond has it only while every slave has it (NETIF_F_ALL_FOR_ALL).
	ethtool -K "$e0" tx-nocache-copy on || vm_fail "$1: features: ethtool -K $e0"
	feat_dump "$1" changed
	ip link set "$e1" master bond2 || vm_fail "$1: features: enslave $e1"
	feat_dump "$1" two
	ip link set "$e0" nomaster || vm_fail "$1: features: release $e0"
	feat_dump "$1" released
	ip link set "$e1" nomaster || vm_fail "$1: features: release $e1"
	feat_dump "$1" empty
	ethtool -K "$e0" tx-nocache-copy off || vm_fail "$1: features: ethtool -K $e0 back"
	ip link del bond2 || vm_fail "$1: features: del bond2"
	kmsg "$1" features
}

# Counters (ip -s, /sys/class/net/*/statistics: the same ndo_get_stats64): the bond counts
# what its slaves sent while enslaved, and keeps it when a slave leaves.
count() { cat "/sys/class/net/$1/statistics/tx_packets"; }
stats() {	# $1 driver
	ip -batch - <<-EOF || vm_fail "$1: stats: setup"
		link add bond2 type bond mode balance-rr
		link set $e0 down
		link set $e0 master bond2
		link set $e1 down
		link set $e1 master bond2
	EOF
	s0=$(($(count "$e0") + $(count "$e1"))) b0=$(count bond2)
	ip -batch - <<-EOF || vm_fail "$1: stats: up"
		link set bond2 up
		addr add 10.9.0.2/24 dev bond2
	EOF
	ping -c 2 -W 1 10.9.0.1 >/dev/null 2>&1	# nobody answers: ARP requests go out
	ip link set bond2 down
	s1=$(($(count "$e0") + $(count "$e1"))) b1=$(count bond2)
	echo "VMTEST-STATS $1 sent: bond $((b1 - b0)) slaves $((s1 - s0))"
	ip link set "$e0" nomaster || vm_fail "$1: stats: release $e0"
	echo "VMTEST-STATS $1 released: bond $(($(count bond2) - b1))"
	ip link del bond2 || vm_fail "$1: stats: del bond2"
	kmsg "$1" stats
}

# Slave options: prio picks the active slave while there is no primary; queue_id (set with ip
# and through sysfs, duplicates and out-of-range queues refused) lets tc steer frames to a
# slave: UDP to port 9 gets queue 2 (multiq + skbedit, as the bonding documentation does it)
# and leaves through the backup slave, port 10 through the active one (the host counts them).
slave_opts() {	# $1 driver
	ip -batch - <<-EOF || vm_fail "$1: slave options: setup"
		link add bond2 type bond mode active-backup miimon 100
		link set $e0 down
		link set $e0 master bond2
		link set $e1 down
		link set $e1 master bond2
		link set bond2 up
		addr add 10.9.1.2/24 dev bond2
		neigh replace 10.9.1.1 lladdr $HOST_MAC0 dev bond2
	EOF
	vm_wait 30 fom_active_is "$e0" || vm_fail "$1: slave options: $e0 never active"
	TRY_DEV=bond2
	try "$1" link set "$e1" type bond_slave prio 10
	echo "VMTEST-SLOPT $1 prio-e1-10: $(sed -n 's/^Currently Active Slave: //p' /proc/net/bonding/bond2)"
	try "$1" link set "$e1" type bond_slave prio -5
	echo "VMTEST-SLOPT $1 prio-e1-minus5: $(sed -n 's/^Currently Active Slave: //p' /proc/net/bonding/bond2)"
	ip link set bond2 type bond primary "$e0" || vm_fail "$1: slave options: primary"
	try "$1" link set "$e1" type bond_slave prio 20	# a primary is set: a warning
	echo > /sys/class/net/bond2/bonding/primary || vm_fail "$1: slave options: no primary"
	echo "VMTEST-SLOPT $1 primary-gone: $(sed -n 's/^Currently Active Slave: //p' /proc/net/bonding/bond2)"
	ip link set bond2 type bond active_slave "$e0" || vm_fail "$1: slave options: active $e0"
	try "$1" link set "$e1" type bond_slave queue_id 2
	try "$1" link set "$e0" type bond_slave queue_id 2	# another slave's
	try "$1" link set "$e0" type bond_slave queue_id 17	# beyond the 16 tx queues
	for w in "$e0:3" "$e0:17" "$e0" "nonexist:1" "$e0:x" "$e0:0"; do
		if echo "$w" > /sys/class/net/bond2/bonding/queue_id 2>/dev/null; then r=ok; else r=refused; fi
		echo "VMTEST-SLOPT $1 sysfs: queue_id <- '$w': $r"
	done
	echo "VMTEST-SLOPT $1 queues: $(cat /sys/class/net/bond2/bonding/queue_id)"
	ip -d link show "$e1" | grep -o 'bond_slave .*' | sed "s/^/VMTEST-SLOPT $1 ipd: /"
	sed -n 's/^Slave queue ID: /VMTEST-SLOPT '"$1"' proc: /p' /proc/net/bonding/bond2
	# iproute2's tc (busybox has a tc applet of its own, earlier in PATH).
	/usr/sbin/tc qdisc add dev bond2 root handle 1: multiq || vm_fail "$1: tc qdisc"
	/usr/sbin/tc filter add dev bond2 protocol ip parent 1: prio 1 u32 match ip dport 9 0xffff \
		action skbedit queue_mapping 2 || vm_fail "$1: tc filter"
	# Source port 4900 for cxx_bonding, 4901 for in-tree bonding: the host tells them apart.
	sport=4900
	[ "$1" = intree ] && sport=4901
	udpclient send 10.9.1.1 9 5 $sport >/dev/null || vm_fail "$1: send to port 9"
	udpclient send 10.9.1.1 10 5 $sport >/dev/null || vm_fail "$1: send to port 10"
	# With no monitor running, a slave set down keeps its link state: 6.1 makes it the active
	# slave when it becomes the primary (bond_choose_primary_or_current reads the link state
	# only).
	ip link set bond2 type bond miimon 0 || vm_fail "$1: slave options: miimon 0"
	ip link set "$e1" down
	ip link set bond2 type bond primary "$e1" || vm_fail "$1: slave options: primary $e1"
	echo "VMTEST-SLOPT $1 primary-down: $(sed -n 's/^Currently Active Slave: //p' /proc/net/bonding/bond2)"
	ip link set "$e1" up
	TRY_DEV=
	ip link del bond2 || vm_fail "$1: slave options: del bond2"
	kmsg "$1" slave-options
}

run() {	# $1 driver, $2 module path
	drv=$1 e0=$(vm_nic 0) e1=$(vm_nic 1)
	insmod "$2" max_bonds=0 || { vm_fail "$drv: insmod"; return; }
	ip link add bond0 type bond mode active-backup miimon 100 updelay 200 downdelay 200 \
		num_grat_arp 2 primary_reselect better || vm_fail "$drv: ip link add"
	for n in $e0 $e1; do
		ip link set "$n" down
		ip link set "$n" master bond0 || vm_fail "$drv: enslave $n"
	done
	ip link set bond0 type bond primary "$e1" || vm_fail "$drv: primary"
	ip link set bond0 up
	vm_wait 30 active_is "$e1" || vm_fail "$drv: $e1 never became active"
	kmsg "$drv" setup
	ipd "$drv" configured
	try "$drv" link set bond0 type bond mode balance-rr
	try "$drv" link set bond0 type bond packets_per_slave 5
	try "$drv" link set bond0 type bond miimon 200
	try "$drv" link set bond0 type bond updelay 450
	try "$drv" link set bond0 type bond active_slave "$e0"
	try "$drv" link set bond0 type bond primary_reselect failure
	try "$drv" link set bond0 type bond num_grat_arp 0
	try "$drv" link set bond0 type bond use_carrier 0
	try "$drv" link set bond0 type bond fail_over_mac follow
	try "$drv" link set "$e0" master bond0
	try "$drv" link set bond0 master bond0
	try "$drv" link set bond0 mtu 1400
	ip link add bond1 type bond || vm_fail "$drv: bond1"
	try "$drv" link set bond1 master bond0
	ip link set bond0 down
	try "$drv" link set bond0 master bond1
	try "$drv" link set bond0 type bond mode balance-xor
	try "$drv" link set bond1 nomaster
	ip link set "$e1" nomaster || vm_fail "$drv: nomaster $e1"
	try "$drv" link set bond0 type bond mode balance-xor
	kmsg "$drv" tries
	ipd "$drv" changed
	ip link del bond1 || vm_fail "$drv: del bond1"
	ip link del bond0 || vm_fail "$drv: del bond0"
	kmsg "$drv" teardown
	fom "$drv" active
	fom "$drv" follow
	features "$drv"
	stats "$drv"
	slave_opts "$drv"
	rmmod "$3" || vm_fail "rmmod $3"
}

scenario() {
	vm_insmod cxx_netpoll || return	# cxx_bonding's slaves' netpoll
	dmesg -c >/dev/null
	run cxx /lib/cxx/cxx_bonding.ko cxx_bonding
	[ "$INTREE" = 0 ] && return	# the debug kernel: cxx_bonding only (README, Tests)
	run intree /lib/intree/bonding.ko bonding
}
