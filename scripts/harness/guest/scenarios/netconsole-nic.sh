# netconsole-nic: guest side (sourced after /etc/lib.sh; the harness calls scenario).
scenario() {
	nic_up 0 10.0.0.2
	nic_up 1 10.0.1.2
	e0=$(vm_nic 0) e1=$(vm_nic 1)
	nc_load netconsole="6665@10.0.0.2/$e0,6666@10.0.0.1/$HOST_MAC0;6665@10.0.1.2/$e1,6666@10.0.1.1/$HOST_MAC1" || return
	markers nic "$N"
	nc_stats
	vm_rmmod cxx_netconsole
	# rmmod drains its targets; no device went away
	dmesg | grep "as it unregistered" && vm_fail "rmmod stopped targets as if their devices had gone"
	vm_rmmod cxx_netpoll
}
