# netpoll-tx: guest side (sourced after /etc/lib.sh; the harness calls scenario).
scenario() {
	nic_up 0 10.0.0.2 fd00::2
	nic_up 1 10.0.1.2 fd01::2
	e0=$(vm_nic 0) e1=$(vm_nic 1)
	vm_insmod cxx_netpoll || return
	# a VLAN on the virtio NIC: the frames must carry the tag
	ip link add link "$e0" name vlan100 type vlan id 100 || vm_fail "vlan100"
	ip addr add 10.0.100.2/24 dev vlan100
	ip link set vlan100 up
	vm_insmod cxx_npclient targets="6665@10.0.0.2/$e0,6666@10.0.0.1/$HOST_MAC0;6665@fd00::2/$e0,6667@fd00::1/$HOST_MAC0;6665@10.0.1.2/$e1,6666@10.0.1.1/$HOST_MAC1;6665@fd01::2/$e1,6667@fd01::1/$HOST_MAC1;6665@10.0.100.2/vlan100,6668@10.0.100.1/$HOST_MAC0" || return
	# From hard IRQ the VLAN target's datagrams are deferred by the core: its lower device
	# is reached through the kernel's own netpoll, which would poll virtio-net from there
	# (an in-tree lockdep report).
	for mode in process irqsoff hardirq; do
		np_send "$N" $mode
	done
	np_stats
	grep . /sys/kernel/debug/cxx_netpoll/*
	vm_rmmod cxx_npclient
	vm_rmmod cxx_netpoll
}
