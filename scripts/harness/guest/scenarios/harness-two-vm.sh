# harness-two-vm: guest side (sourced after /etc/lib.sh; the harness calls scenario).
aggregated() {
	f=/proc/net/bonding/bond0
	[ -e $f ] || return 1
	# both slaves in the active aggregator, each with a partner
	agg=$(sed -n '/Active Aggregator Info/,/^$/s/.*Aggregator ID: //p' $f)
	[ -n "$agg" ] || return 1
	[ "$(grep -c "Aggregator ID: $agg" $f)" -ge 3 ] || return 1
	sed -n '/Active Aggregator Info/,/^$/p' $f | grep -q "Number of ports: 2" || return 1
	! sed -n '/Active Aggregator Info/,/^$/p' $f | grep -q "Partner Mac Address: 00:00:00:00:00:00"
}

scenario() {
	insmod /lib/intree/bonding.ko max_bonds=0 || { vm_fail "insmod bonding"; return; }
	ip link add bond0 type bond mode 802.3ad miimon 100 lacp_rate fast || vm_fail "bond0"
	for n in $(vm_nics); do
		ip link set "$n" down
		ip link set "$n" master bond0 || vm_fail "enslave $n"
	done
	ip link set bond0 up
	ip addr add "$MY_IP/24" dev bond0
	vm_wait 150 aggregated || vm_fail "ports did not aggregate"
	if vm_wait 60 ping -c 1 -W 1 "$PEER_IP" >/dev/null; then
		vm_log "ping $PEER_IP ok"
	else
		vm_fail "no ping reply from $PEER_IP"
	fi
	cat /proc/net/bonding/bond0
	# stay up so the peer's pings are answered too
	sleep 20
}
