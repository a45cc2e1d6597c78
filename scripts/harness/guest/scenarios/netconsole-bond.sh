# netconsole-bond: guest side (sourced after /etc/lib.sh; the harness calls scenario).
# cxx_netconsole over a cxx_bonding bond of two NICs (virtio-net, e1000), one mode after the
# other, each with its own target port: kernel-message markers, a sysrq dump from the
# trigger, in active-backup also from the keyboard (hard IRQ); the target's counters after
# each mode.
put() { echo "$3" > "$CFS/$1/$2"; }
seen() { dmesg | grep -q "$1"; }

bond_up() {	# $1 mode
	ip link add bond0 type bond mode "$1" miimon 100 || { vm_fail "$1: ip link add"; return 1; }
	for n in $e0 $e1; do
		ip link set "$n" down
		ip link set "$n" master bond0 || vm_fail "$1: enslave $n"
	done
	ip link set bond0 up
	ip addr add 10.0.0.2/24 dev bond0
	vm_wait 150 all_up || { vm_fail "$1: links not up: $(cat /proc/net/bonding/bond0)"; return 1; }
}

target() {	# $1 name, $2 remote port
	mkdir "$CFS/$1"
	put "$1" dev_name bond0; put "$1" local_ip 10.0.0.2; put "$1" remote_ip 10.0.0.1
	put "$1" remote_mac "$HOST_MAC0"; put "$1" local_port "$2"; put "$1" remote_port "$2"
	put "$1" enabled 1 || vm_fail "enable $1"
}

run_mode() {	# $1 mode, $2 tag, $3 port
	bond_up "$1" || return
	target "$2" "$3"
	echo "<5>nc-$2-begin" > /dev/kmsg
	markers "$2" "$N"
	# the counters of the markers alone (paced writes: the host keeps up)
	nc_stats NCMARKS
	echo m > /proc/sysrq-trigger
	if [ "$1" = active-backup ]; then
		echo t > /proc/sysrq-trigger
		dmesg -c > /dev/null	# the keyboard's dumps are seen anew
		vm_log "ready-for-t"
		vm_wait 120 seen "sysrq: Show State" || vm_fail "QMP send-key t: no dump"
		sleep 3
		vm_log "ready-for-m"
		vm_wait 120 seen "sysrq: Show Memory" || vm_fail "QMP send-key m: no dump"
		sleep 3
	fi
	echo "<5>nc-$2-end" > /dev/kmsg
	nc_stats
	rmdir "$CFS/$2" || vm_fail "rmdir $2"
	ip link del bond0 || vm_fail "$1: ip link del bond0"
	dmesg -c > /dev/null
}

scenario() {
	e0=$(vm_nic 0) e1=$(vm_nic 1)
	echo 1 > /proc/sys/kernel/sysrq
	nc_load || return
	vm_insmod cxx_bonding max_bonds=0 || return
	port=6670
	for mode in $MODES; do
		run_mode "$mode" "$(echo "$mode" | tr -d -)" $port
		port=$((port + 1))
	done
	vm_rmmod cxx_bonding
	vm_rmmod cxx_netconsole
	vm_rmmod cxx_netpoll
}
