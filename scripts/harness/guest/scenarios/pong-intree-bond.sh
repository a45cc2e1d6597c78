# pong-intree-bond, pong-cxx-bond: guest side (sourced after /etc/lib.sh; the harness calls
# scenario). BOND: intree (bonding.ko) or cxx (cxx_bonding).
active_slave() { sed -n 's/^Currently Active Slave: //p' /proc/net/bonding/bond0 | grep -v None; }
scenario() {
	bond_load "$BOND" || return
	ip link add bond0 type bond mode active-backup miimon 100 || vm_fail "bond0"
	for i in 0 1; do
		n=$(vm_nic $i)
		ip link set "$n" down
		ip link set "$n" master bond0 || vm_fail "enslave $n"
	done
	ip link set bond0 up
	ip addr add 10.0.0.2/24 dev bond0
	ip -6 addr add fd00::2/64 dev bond0 nodad
	vm_wait 60 active_slave >/dev/null || { vm_fail "no active slave"; return; }
	a=$(active_slave)
	if [ "$a" = "$(vm_nic 0)" ]; then vm_log "bond-active 0"; else vm_log "bond-active 1"; fi
	b=$(vm_nic 1)
	for p in v4 v6; do
		vm_log "VMTEST-RXPKT $p before $(rx_packets "$b")"
		if [ $p = v6 ]; then pong_phase_dev $p bond0 "$N" ipv6=1; else pong_phase_dev $p bond0 "$N"; fi
		vm_log "VMTEST-RXPKT $p after $(rx_packets "$b")"
	done
	if [ "$BOND" = cxx ]; then
		vm_rmmod cxx_bonding
	else
		rmmod bonding || vm_fail "rmmod bonding"
	fi
	vm_rmmod cxx_netpoll
}
