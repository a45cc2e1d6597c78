# netconsole-sysrq-trigger: guest side (sourced after /etc/lib.sh; the harness calls scenario).
scenario() {
	nic_up 0 10.0.0.2
	e0=$(vm_nic 0)
	nc_load netconsole="6665@10.0.0.2/$e0,6666@10.0.0.1/$HOST_MAC0" || return
	echo 1 > /proc/sys/kernel/sysrq
	echo "<5>nc-sysrq-begin" > /dev/kmsg
	echo t > /proc/sysrq-trigger
	echo m > /proc/sysrq-trigger
	echo "<5>nc-sysrq-end" > /dev/kmsg
	nc_stats
	grep . /sys/kernel/debug/cxx_netpoll/*
	vm_rmmod cxx_netconsole
	vm_rmmod cxx_netpoll
}
