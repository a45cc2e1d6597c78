# interop-intree-netconsole-on-cxx-bond, interop-cxx-netconsole-on-intree-bond: guest side
# (sourced after /etc/lib.sh; the harness calls scenario). BOND: cxx (cxx_bonding) or intree
# (bonding.ko); NC: intree (netconsole.ko) or cxx (cxx_netconsole). An active-backup bond of
# two NICs, netconsole on it: markers and a sysrq dump; then the backup slave is released and
# enslaved again while netconsole runs (it gets the bond's netpoll), more markers.
active() { sed -n 's/^Currently Active Slave: //p' /proc/net/bonding/bond0; }

scenario() {
	e0=$(vm_nic 0) e1=$(vm_nic 1)
	vm_insmod cxx_netpoll || return
	if [ "$BOND" = cxx ]; then
		vm_insmod cxx_bonding max_bonds=0 || return
	else
		insmod /lib/intree/bonding.ko max_bonds=0 || { vm_fail "insmod bonding"; return; }
	fi
	ip link add bond0 type bond mode active-backup miimon 100 || { vm_fail "bond0"; return; }
	for n in $e0 $e1; do
		ip link set "$n" down
		ip link set "$n" master bond0 || vm_fail "enslave $n"
	done
	ip link set bond0 up
	ip addr add 10.0.0.2/24 dev bond0
	vm_wait 150 all_up || { vm_fail "links not up"; return; }
	nc="6666@10.0.0.2/bond0,6666@10.0.0.1/$HOST_MAC0"
	if [ "$NC" = cxx ]; then
		vm_insmod cxx_netconsole netconsole="$nc" || return
	else
		insmod /lib/intree/netconsole.ko netconsole="$nc" || { vm_fail "netconsole"; return; }
	fi
	echo 1 > /proc/sys/kernel/sysrq
	echo "<5>nc-io-begin" > /dev/kmsg
	markers io "$N"
	echo m > /proc/sysrq-trigger
	echo "<5>nc-io-end" > /dev/kmsg
	# the backup slave released and enslaved again under netconsole
	a=$(active)
	if [ "$a" = "$e0" ]; then b=$e1; else b=$e0; fi
	ip link set "$b" nomaster || vm_fail "release $b"
	ip link set "$b" down
	ip link set "$b" master bond0 || vm_fail "enslave $b again"
	vm_wait 60 all_up || vm_fail "$b not up again"
	[ "$(active)" = "$a" ] || vm_fail "active slave changed: $(active), was $a"
	markers io2 "$N"
	echo "<5>nc-io2-end" > /dev/kmsg
	if [ "$NC" = cxx ]; then
		nc_stats
		vm_rmmod cxx_netconsole
	else
		sleep 2		# in-tree netpoll's own queue, if any
		vm_rmmod netconsole
	fi
	ip link del bond0 || vm_fail "ip link del bond0"
	if [ "$BOND" = cxx ]; then vm_rmmod cxx_bonding; else vm_rmmod bonding; fi
	vm_rmmod cxx_netpoll
}
