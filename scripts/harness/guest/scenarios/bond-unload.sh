# bond-unload: guest side (sourced after /etc/lib.sh; the harness calls scenario).
# rmmod with bonds up, enslaved slaves, a VLAN on a bond and traffic going out: every bond is
# deleted and every slave given back as it was (address, MTU, flags); loading again works.
# The same with in-tree bonding in the same boot; the host compares what the slaves look like.
state() {	# $1 driver, $2 step: the slaves as ip -d shows them, and what is left of bonding
	for n in $(vm_nics); do
		ip -d link show "$n" | sed "s/^[0-9]*: /N: /; s|^|VMTEST-UNLOAD $1 $2: |"
	done
	bonds=
	for d in /sys/class/net/bond*; do
		[ -e "$d" ] && bonds="$bonds ${d##*/}"
	done
	echo "VMTEST-UNLOAD $1 $2: bonds:$bonds"
	echo "VMTEST-UNLOAD $1 $2: masters file: $([ -e /sys/class/net/bonding_masters ] && echo yes || echo no)"
	echo "VMTEST-UNLOAD $1 $2: proc: $([ -e /proc/net/bonding ] && echo yes || echo no)"
}

run() {	# $1 driver, $2 module path, $3 module name
	drv=$1 e0=$(vm_nic 0) e1=$(vm_nic 1)
	state "$drv" before
	for round in 1 2; do
		insmod "$2" max_bonds=2 mode=balance-rr miimon=100 || { vm_fail "$drv: insmod"; return; }
		for n in $e0 $e1; do
			ip link set "$n" down
			ip link set "$n" master bond0 || vm_fail "$drv: enslave $n"
		done
		ip link set bond0 mtu 1400 || vm_fail "$drv: mtu"
		ip link set bond0 up
		ip link set bond1 up
		ip link add link bond0 name bond0.5 type vlan id 5 || vm_fail "$drv: vlan"
		ip link set bond0.5 up
		ip addr add 10.0.0.2/24 dev bond0
		ip neigh replace 10.0.0.1 lladdr "$HOST_MAC0" dev bond0
		[ "$round" = 1 ] && state "$drv" enslaved
		udpclient send 10.0.0.1 9000 400 >/dev/null &
		sleep 0.1
		rmmod "$3" || vm_fail "$drv: rmmod with bonds up (round $round)"
		wait
	done
	state "$drv" after
	for n in $e0 $e1; do
		ip link set "$n" up	# given back working
	done
}

scenario() {
	vm_insmod cxx_netpoll || return	# cxx_bonding's slaves' netpoll
	# Opened once, so the qdisc a first open attaches is there before as after.
	for n in $(vm_nics); do
		ip link set "$n" up
		ip link set "$n" down
	done
	run cxx /lib/cxx/cxx_bonding.ko cxx_bonding
	[ "$INTREE" = 0 ] && return	# the debug kernel: cxx_bonding only (README, Tests)
	for n in $(vm_nics); do ip link set "$n" down; done
	run intree /lib/intree/bonding.ko bonding
}
