# bond-modes: guest side (sourced after /etc/lib.sh; the harness calls scenario).
# The same bonds, built with ip only, first over cxx_bonding, then over in-tree bonding in
# the same boot: traffic per mode for the host to count, /proc/net/bonding and ip -d for the
# host to compare line for line. Between the two, each driver refuses to load beside the other.
# MODES (from the harness): mode or mode/xmit_hash_policy, in order.
# Carrier, and the operstate linkwatch derives from it (up to a second later, in both drivers:
# ip -d prints it).
carrier_up() {
	[ "$(cat /sys/class/net/bond0/carrier 2>/dev/null)" = 1 ] &&
		[ "$(cat /sys/class/net/bond0/operstate)" = up ]
}
active_known() { grep -q '^Currently Active Slave: eth' /proc/net/bonding/bond0; }

run_modes() {	# $1: driver label (cxx, intree), $2: base UDP port
	drv=$1 port=$2 nics=$(vm_nics)
	for mode in $MODES; do
		m=${mode%%/*} policy=
		[ "$m" != "$mode" ] && policy="xmit_hash_policy ${mode#*/}"
		# shellcheck disable=SC2086 # policy: two words or none
		ip link add bond0 type bond mode "$m" miimon 100 $policy ||
			{ vm_fail "$drv: ip link add bond0 mode $mode"; port=$((port + 1)); continue; }
		for n in $nics; do
			ip link set "$n" down
			ip link set "$n" master bond0 || vm_fail "$drv $mode: enslave $n"
		done
		ip link set bond0 up
		ip addr add 10.0.0.2/24 dev bond0
		vm_wait 30 carrier_up || vm_fail "$drv $mode: the bond has no carrier"
		[ "$mode" = active-backup ] && { vm_wait 30 active_known || vm_fail "$drv: no active slave"; }
		# MACs unlike the addresses, so the 2+3 hashes do not cancel out. One ip for all
		# (an exec of ip takes about a second on the debug kernel).
		for d in $(seq 10 25); do
			printf 'neigh replace 10.0.0.%d lladdr 02:00:00:00:00:%02x dev bond0\n' \
				"$d" $(((d * 37 + d / 2) % 256))
		done | ip -batch - || vm_fail "$drv $mode: neighbours"
		sed "s|^|VMTEST-PROC $drv $mode: |" /proc/net/bonding/bond0
		for dev in bond0 $nics; do
			ip -d link show "$dev" | sed "s/^[0-9]*: /N: /; s|^|VMTEST-IPD $drv $mode: |"
		done
		for d in $(seq 10 25); do
			udpclient send "10.0.0.$d" "$port" "$N" $((40000 + d * 3)) >/dev/null ||
				vm_fail "$drv $mode: send"
		done
		vm_log "VMTEST-SENT $drv $mode port=$port"
		sleep 1
		ip link del bond0 || vm_fail "$drv: ip link del bond0 ($mode)"
		for n in $nics; do
			[ -e "/sys/class/net/$n/master" ] && vm_fail "$drv $mode: $n still enslaved"
		done
		port=$((port + 1))
	done
}

scenario() {
	vm_insmod cxx_netpoll || return	# cxx_bonding's slaves' netpoll
	vm_insmod cxx_bonding max_bonds=0 || return
	[ -d /proc/net/bonding ] || vm_fail "cxx: no /proc/net/bonding"
	run_modes cxx 9000
	# In-tree bonding must be refused while cxx_bonding is loaded.
	if insmod /lib/intree/bonding.ko max_bonds=0 2>/dev/null; then
		vm_fail "in-tree bonding loaded beside cxx_bonding"
		rmmod bonding
	fi
	vm_rmmod cxx_bonding
	[ -d /proc/net/bonding ] && vm_fail "cxx: /proc/net/bonding left behind"
	insmod /lib/intree/bonding.ko max_bonds=0 || { vm_fail "insmod in-tree bonding"; return; }
	if insmod /lib/cxx/cxx_bonding.ko 2>/dev/null; then
		vm_fail "cxx_bonding loaded beside in-tree bonding"
		rmmod cxx_bonding
	fi
	[ "$INTREE" = 0 ] || run_modes intree 9100	# the debug kernel: cxx_bonding only
	rmmod bonding || vm_fail "rmmod bonding"
	# rmmod with a bond up deletes it.
	vm_insmod cxx_bonding max_bonds=1 miimon=100 mode=active-backup || return
	ip link set bond0 up || vm_fail "module-parameter bond0 missing"
	grep -q 'fault-tolerance (active-backup)' /proc/net/bonding/bond0 ||
		vm_fail "max_bonds=1 mode=active-backup: $(head -3 /proc/net/bonding/bond0)"
	vm_rmmod cxx_bonding
	[ -e /sys/class/net/bond0 ] && vm_fail "bond0 survived rmmod cxx_bonding"
	vm_log "bond-modes done"
}
