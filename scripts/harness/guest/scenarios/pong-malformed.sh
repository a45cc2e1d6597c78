# pong-malformed: guest side (sourced after /etc/lib.sh; the harness calls scenario).
scenario() {
	nic_up 0 10.0.0.2 fd00::2
	n=$(vm_nic 0)
	# promiscuous: frames for other MACs reach the hook too (and must be refused)
	ip link set "$n" promisc on
	vm_insmod cxx_netpoll || return
	for p in $PHASES; do	# label:count[:ipv6]
		label=${p%%:*}; rest=${p#*:}; count=${rest%%:*}; v6=; [ "$rest" != "$count" ] && v6=1
		vm_log "VMTEST-RXPKT $label before $(rx_packets "$n")"
		pong_phase "$label" 0 "$count" ${v6:+ipv6=1}
		vm_log "VMTEST-RXPKT $label after $(rx_packets "$n")"
	done
	vm_rmmod cxx_netpoll
}
