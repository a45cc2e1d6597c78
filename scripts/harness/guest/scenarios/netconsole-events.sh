# netconsole-events: guest side (sourced after /etc/lib.sh; the harness calls scenario).
put() { echo "$3" > "$CFS/$1/$2"; }
expect() {
	[ "$(cat "$CFS/$1/$2")" = "$3" ] || vm_fail "$1/$2 is '$(cat "$CFS/$1/$2")', want '$3'"
}
logged() { dmesg | grep -q "$1"; }
vlan_up() { # vlan_up <name>
	ip link add link "$e0" name "$1" type vlan id 100 || vm_fail "vlan $1"
	ip addr add 10.0.100.2/24 dev "$1"
	ip link set "$1" up
}

bond_events() {	# $1 driver label, then the command that loads it
	drv=$1
	shift
	dmesg -c > /dev/null
	ip link set dm0 up
	put d enabled 1 || vm_fail "$drv: enable d"
	markers evd 3
	"$@" || { vm_fail "$drv: load"; return; }
	ip link add bond0 type bond mode active-backup || vm_fail "$drv: bond0"
	ip link set dm0 down
	ip link set dm0 master bond0 || vm_fail "$drv: enslave dm0"
	vm_wait 10 logged "network logging stopped on interface dm0 as it is joining a master device" ||
		vm_fail "$drv: no join message"
	expect d enabled 0
	ip link set bond0 up
	ip addr add 10.0.8.2/24 dev bond0
	mkdir $CFS/b
	put b dev_name bond0; put b remote_ip 10.0.8.1
	put b enabled 1 || vm_fail "$drv: enable b"
	markers evb 3
	ip link set dm0 nomaster || vm_fail "$drv: release dm0"
	vm_wait 10 logged "network logging stopped on interface bond0 as it released slaves" ||
		vm_fail "$drv: no release message"
	expect b enabled 0
	rmdir $CFS/b || vm_fail "$drv: rmdir b"
	ip link del bond0 || vm_fail "$drv: ip link del bond0"
}

scenario() {
	nic_up 0 10.0.0.2
	e0=$(vm_nic 0)
	nc_load || return
	vlan_up vlan100
	mkdir $CFS/v
	put v dev_name vlan100; put v local_ip 10.0.100.2; put v remote_ip 10.0.100.1
	put v remote_mac "$HOST_MAC0"; put v remote_port 6680
	put v enabled 1 || vm_fail "enable v"
	markers ev1 10
	# rename (a VLAN must be down for it): the target follows the device; down is ignored
	ip link set vlan100 down
	expect v enabled 1
	markers evdown 3
	ip link set vlan100 name vlanx || vm_fail "rename"
	ip link set vlanx up
	expect v dev_name vlanx
	expect v enabled 1
	markers ev2 10
	# unregister: the target stops, can be enabled again once the device is back
	ip link del vlanx
	vm_wait 10 logged "network logging stopped on interface vlanx as it unregistered" ||
		vm_fail "no unregister message"
	expect v enabled 0
	markers evgone 3
	vlan_up vlanx
	put v enabled 1 || vm_fail "re-enable v"
	markers ev3 10
	# joining a bond: a target on a dummy device stops when it is enslaved;
	# a target on the bond stops when its last slave is released. In-tree bonding, then
	# cxx_bonding (whose slaves get their own netpoll while the bond's target runs).
	{ ip link add dm0 type dummy && ip link set dm0 up; } || vm_fail "dm0"
	mkdir $CFS/d
	put d dev_name dm0; put d local_ip 10.0.7.2; put d remote_ip 10.0.7.1
	bond_events intree insmod /lib/intree/bonding.ko max_bonds=0
	rmmod bonding
	bond_events cxx vm_insmod cxx_bonding max_bonds=0
	vm_rmmod cxx_bonding
	nc_stats
	rmdir $CFS/v $CFS/d || vm_fail "rmdir"
	# a reference the stopped targets kept would hang this
	ip link del dm0 || vm_fail "deleting dm0"
	vm_rmmod cxx_netconsole
	vm_rmmod cxx_netpoll
}
