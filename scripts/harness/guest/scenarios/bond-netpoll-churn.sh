# bond-netpoll-churn: guest side (sourced after /etc/lib.sh; the harness calls scenario).
# cxx_netconsole (a configfs target) and cxx_pongtest on a cxx_bonding bond of both NICs while
# the bond churns: a slave released and enslaved again, the other's link flapped (admin down
# and up), and every third round both released (the target stops: NETDEV_RELEASE), the mode
# changed while the bond has no slaves, both enslaved again and the target enabled again. A
# printk flood runs throughout and the host sends PONG requests on both links.
put() { echo "$3" > "$CFS/$1/$2"; }
enabled() { [ "$(cat "$CFS/c/enabled")" = 1 ]; }
enslave() {
	ip link set "$1" down
	ip link set "$1" master bond0 || vm_fail "enslave $1"
}
flood() {
	i=0
	while [ ! -e /tmp/stop ]; do
		echo "<5>nc-churn-$i" > /dev/kmsg
		i=$((i + 1))
	done
	echo "$i" > /tmp/flooded
}

scenario() {
	e0=$(vm_nic 0) e1=$(vm_nic 1)
	vm_insmod cxx_netpoll || return
	vm_insmod cxx_bonding max_bonds=0 || return
	vm_insmod cxx_netconsole || return
	ip link add bond0 type bond mode active-backup miimon 50 || { vm_fail bond0; return; }
	enslave "$e0"; enslave "$e1"
	ip link set bond0 up
	ip addr add 10.0.0.2/24 dev bond0
	vm_wait 60 all_up || { vm_fail "links not up"; return; }
	mkdir "$CFS/c"
	put c dev_name bond0; put c remote_ip 10.0.0.1; put c remote_port 6666
	# Each flap would resend the window (bond-failover's subject): this one counts datagrams
	# and checks their order, so it runs without.
	put c resend_ms 0 || vm_fail "resend_ms 0"
	put c enabled 1 || { vm_fail "enable c"; return; }
	vm_insmod cxx_pongtest dev=bond0 port=$PORT || return
	dmesg -c > /dev/null
	echo "<5>nc-churn-begin" > /dev/kmsg
	flood &
	vm_log "churn-start"
	stops=0
	set -- broadcast balance-xor balance-rr active-backup
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		r=$((r + 1))
		ip link set "$e1" nomaster || vm_fail "round $r: release $e1"
		sleep 0.2
		enslave "$e1"
		ip link set "$e0" down; sleep 0.3; ip link set "$e0" up
		if [ $((r % 3)) = 0 ]; then
			mode=$1; shift; set -- "$@" "$mode"
			ip link set "$e0" nomaster || vm_fail "round $r: release $e0"
			ip link set "$e1" nomaster || vm_fail "round $r: release $e1 (the last)"
			# NETDEV_RELEASE stops it at once (the message itself: netconsole-events;
			# the flood rotates it out of dmesg here)
			enabled && vm_fail "round $r: the target is still enabled"
			stops=$((stops + 1))
			ip link set bond0 down
			ip link set bond0 type bond mode "$mode" || vm_fail "round $r: mode $mode"
			ip link set bond0 up
			enslave "$e0"; enslave "$e1"
			vm_wait 30 all_up || vm_fail "round $r: links not up"
			put c enabled 1 || vm_fail "round $r: enable c again"
			vm_log "VMTEST-CHURN round $r mode $mode"
		fi
		sleep 0.5
	done
	touch /tmp/stop
	wait
	vm_wait 30 all_up || vm_fail "links not up at the end"
	enabled || vm_fail "the target is not enabled at the end"
	echo "<5>nc-churn-end" > /dev/kmsg
	vm_log "VMTEST-CHURN stops $stops flooded $(cat /tmp/flooded)"
	vm_log "churn-done"
	nc_stats
	pong_stats churn
	put c enabled 0
	rmdir "$CFS/c"
	vm_rmmod cxx_pongtest
	vm_rmmod cxx_netconsole
	vm_rmmod cxx_bonding
	vm_rmmod cxx_netpoll
}
