# netconsole-oops: guest side (sourced after /etc/lib.sh; the harness calls scenario).
scenario() {
	nic_up 0 10.0.0.2
	e0=$(vm_nic 0)
	nc_load oops_only=1 netconsole="6665@10.0.0.2/$e0,6666@10.0.0.1/$HOST_MAC0" || return
	markers quiet 5		# oops_only: these must stay home
	sleep 1
	echo "<5>nc-oops-begin" > /dev/kmsg
	insmod /lib/cxx/vmtest_oops.ko	# killed by its own oops
	echo "<5>nc-oops-end" > /dev/kmsg
	sleep 2
	nc_stats
	grep . /sys/kernel/debug/cxx_netpoll/*
}
