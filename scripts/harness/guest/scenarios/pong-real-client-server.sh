# pong-real-client-server: guest side (sourced after /etc/lib.sh; the harness calls scenario).
scenario() {
	nic_up 0 10.0.5.1 fd00:5::1
	vm_insmod cxx_netpoll || return
	for p in $PHASES; do	# label:count[:ipv6]
		label=${p%%:*}; rest=${p#*:}; count=${rest%%:*}; v6=; [ "$rest" != "$count" ] && v6=1
		pong_phase "$label" 0 "$count" ${v6:+ipv6=1}
	done
	vm_rmmod cxx_netpoll
}
