# bond-miimon: guest side (sourced after /etc/lib.sh; the harness calls scenario).
# An active-backup bond with miimon, updelay, downdelay and a primary: the host cuts the
# primary's link (QMP set_link) and restores it; the guest reports /proc/net/bonding after
# each step and the bond's kernel messages, first over cxx_bonding, then over in-tree bonding
# in the same boot, for the host to compare.
proc_has() { grep -q "^$1\$" /proc/net/bonding/bond0; }
active_is() { proc_has "Currently Active Slave: $1"; }
slave_mii() {	# $1 slave, $2 status: the slave's "MII Status" line
	awk -v s="$1" -v want="$2" '/^Slave Interface:/ { cur = $3 }
		cur == s && /^MII Status:/ { found = ($3 == want) } END { exit !found }' \
		/proc/net/bonding/bond0
}
kmsg() {	# the bond's kernel messages since the last call
	dmesg -c | grep -E 'bond0' | sed -E 's/^\[ *[0-9.]+\] //; s/^/VMTEST-KMSG '"$1 $2"': /'
}
snapshot() { sed "s/^/VMTEST-PROC $1 $2: /" /proc/net/bonding/bond0; }

run_failover() {	# $1: driver label
	drv=$1 e0=$(vm_nic 0) e1=$(vm_nic 1)
	ip link add bond0 type bond mode active-backup miimon 100 updelay 200 downdelay 200 ||
		{ vm_fail "$drv: ip link add bond0"; return; }
	for n in $e0 $e1; do
		ip link set "$n" down
		ip link set "$n" master bond0 || vm_fail "$drv: enslave $n"
	done
	ip link set bond0 type bond primary "$e0" || vm_fail "$drv: primary $e0"
	ip link set bond0 up
	ip addr add 10.0.0.2/24 dev bond0
	ip neigh replace 10.0.0.1 lladdr "$HOST_MAC0" dev bond0
	vm_wait 30 active_is "$e0" || vm_fail "$drv: $e0 never became active"
	# Both links up (updelay passed) before the cut, so the messages come in one order.
	vm_wait 30 slave_mii "$e1" up || vm_fail "$drv: $e1 never came up"
	snapshot "$drv" start
	# Bring-up messages: their order depends on when each link's carrier came (the host
	# compares them as a set); from the cut on, the order is the driver's.
	kmsg "$drv" up
	# The host pings the bond on both links: the active slave's requests are answered, the
	# backup's never reach the bond.
	vm_log "rx $drv"
	sleep 3
	vm_log "cut $drv"
	vm_wait 60 active_is "$e1" || vm_fail "$drv: no failover to $e1"
	vm_wait 30 slave_mii "$e0" down || vm_fail "$drv: $e0 not down"
	snapshot "$drv" cut
	ip -d link show "$e0" | grep -q 'mii_status DOWN link_failure_count 1' ||
		vm_fail "$drv: ip -d $e0: $(ip -d link show "$e0" | grep bond_slave)"
	vm_log "restore $drv"
	vm_wait 60 active_is "$e0" || vm_fail "$drv: no failback to the primary $e0"
	snapshot "$drv" restored
	ip link del bond0 || vm_fail "$drv: ip link del bond0"
	kmsg "$drv" failover
}

scenario() {
	vm_insmod cxx_netpoll || return	# cxx_bonding's slaves' netpoll
	dmesg -c >/dev/null
	vm_insmod cxx_bonding max_bonds=0 || return
	run_failover cxx
	vm_rmmod cxx_bonding
	[ "$INTREE" = 0 ] && return	# the debug kernel: cxx_bonding only (README, Tests)
	insmod /lib/intree/bonding.ko max_bonds=0 || { vm_fail "insmod in-tree bonding"; return; }
	run_failover intree
	rmmod bonding || vm_fail "rmmod bonding"
}
