# netpoll-unload: guest side (sourced after /etc/lib.sh; the harness calls scenario).
scenario() {
	one_nic_client || return
	rmmod cxx_netpoll 2>/dev/null && vm_fail "cxx_netpoll unloaded while a user holds it"
	vm_rmmod cxx_npclient

	# a device that goes away: the core lets go of it and counts what follows
	ip link add d0 type dummy && ip addr add 10.0.5.2/24 dev d0 && ip link set d0 up
	vm_insmod cxx_npclient targets="6665@10.0.5.2/d0,6666@10.0.5.1/" || return
	np_send 10 irqsoff
	ip link del d0 || vm_fail "ip link del d0"
	np_send 7 irqsoff
	np_stats
	vm_rmmod cxx_npclient

	# a device that is down is brought up; the local address is taken from it
	ip link add d2 type dummy && ip addr add 10.0.7.2/24 dev d2
	vm_insmod cxx_npclient targets="@/d2,@10.0.7.1/" || return
	ip link show d2 | grep -q "[<,]UP[,>]" || vm_fail "d2 was not brought up"
	dmesg | grep -q "device d2 not up yet, forcing it" || vm_fail "no 'forcing it' message"
	dmesg | grep -q "local IP 10.0.7.2" || vm_fail "local address not taken from d2"
	np_send 5 irqsoff
	np_stats
	vm_rmmod cxx_npclient

	# refused: a bridge port (has a master), no such device, bad options
	ip link add br0 type bridge && ip link add d1 type dummy && ip link set d1 master br0
	for t in "@/d1,@10.0.6.1/" "@/nosuch,@10.0.6.1/" "garbage" "6665@10.0.0.2/$e0,6666@fd00::1/" \
		 "70000@/$e0,@10.0.0.1/" "@/$e0,@10.0.0.1/zz:zz"; do
		insmod /lib/cxx/cxx_npclient.ko targets="$t" 2>/dev/null &&
			{ vm_fail "target '$t' was accepted"; rmmod cxx_npclient; }
	done
	vm_rmmod cxx_netpoll
	lsmod | grep -q cxx_ && vm_fail "modules left: $(lsmod | grep cxx_)"
	dmesg | grep -q "d1 is a slave device" || vm_fail "no 'is a slave device' error"
	dmesg | grep -q "nosuch doesn't exist" || vm_fail "no 'doesn't exist' error"
	dmesg | grep -q "couldn't parse config at" || vm_fail "no parse error"
}
