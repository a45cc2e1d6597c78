# bond-events: guest side (sourced after /etc/lib.sh; the harness calls scenario).
# The netdev events a bonding driver sends (logged by the vmtest_netdev_events fixture with
# the device's IFF_MASTER, IFF_SLAVE and IFF_BONDING flags), step by step through a bond's
# life, first with cxx_bonding, then with in-tree bonding in the same boot, for the host to
# compare. The slave that is active first is named A in the report, the other B.
active() { sed -n 's/^Currently Active Slave: //p' /proc/net/bonding/bond0; }
active_is() { [ "$(active)" = "$1" ]; }
step() { dmesg -c | sed -n "s/.*vmtest-ev: /$1: /p" >> /tmp/ev; }

run_events() {	# $1: driver label
	drv=$1 e0=$(vm_nic 0) e1=$(vm_nic 1)
	: > /tmp/ev
	dmesg -c > /dev/null
	ip link add bond0 type bond mode active-backup miimon 100 || { vm_fail "$drv: bond0"; return; }
	step create
	for n in $e0 $e1; do
		ip link set "$n" down
		ip link set "$n" master bond0 || vm_fail "$drv: enslave $n"
	done
	step enslave
	ip link set bond0 up
	vm_wait 150 all_up || { vm_fail "$drv: links not up"; return; }
	sleep 1
	step up
	a=$(active)
	if [ "$a" = "$e0" ]; then b=$e1; else b=$e0; fi
	ip link set "$a" down
	vm_wait 30 active_is "$b" || vm_fail "$drv: no failover to $b"
	sleep 1
	step failover
	ip link set "$a" up
	vm_wait 60 all_up || vm_fail "$drv: $a not up again"
	sleep 1
	step back
	ip link set "$b" nomaster || vm_fail "$drv: release $b"
	vm_wait 30 active_is "$a" || vm_fail "$drv: $a not active after releasing $b"
	sleep 1
	step release-active
	ip link set "$a" nomaster || vm_fail "$drv: release $a"
	step release-last
	ip link del bond0 || vm_fail "$drv: ip link del bond0"
	step delete
	sed "s/\\b$a\\b/A/g; s/\\b$b\\b/B/g; s/^/VMTEST-EV $drv /" /tmp/ev
}

scenario() {
	vm_insmod cxx_netpoll || return
	vm_insmod vmtest_netdev_events || return
	vm_insmod cxx_bonding max_bonds=0 || return
	run_events cxx
	vm_rmmod cxx_bonding
	if [ "$INTREE" = 0 ]; then	# the debug kernel: cxx_bonding only (README, Tests)
		vm_rmmod vmtest_netdev_events
		vm_rmmod cxx_netpoll
		return
	fi
	insmod /lib/intree/bonding.ko max_bonds=0 || { vm_fail "insmod in-tree bonding"; return; }
	run_events intree
	vm_rmmod bonding
	vm_rmmod vmtest_netdev_events
	vm_rmmod cxx_netpoll
}
