# pong-cxx-bond, its two-VM part, the server: cxx_pongtest on a cxx_bonding bond of both
# NICs, made anew in each mode of MODES (sourced after /etc/lib.sh; the harness calls
# scenario). A second VM's real UDP client sends through its own bond over the same links.
scenario() {
	vm_insmod cxx_netpoll || return
	vm_insmod cxx_bonding max_bonds=0 || return
	for mode in $MODES; do
		bond_make "$mode" 10.0.5.1 fd00:5::1 || return
		pong_phase_dev "$mode-v4" bond0 "$N"
		pong_phase_dev "$mode-v6" bond0 "$N" ipv6=1
		ip link del bond0 || vm_fail "$mode: ip link del bond0"
	done
	vm_rmmod cxx_bonding
	vm_rmmod cxx_netpoll
}
