# netconsole-vs-intree: guest side (sourced after /etc/lib.sh; the harness calls scenario).
scenario() {
	nic_up 0 10.0.0.2
	e0=$(vm_nic 0)
	insmod /lib/intree/netconsole.ko netconsole="6665@10.0.0.2/$e0,6666@10.0.0.1/$HOST_MAC0" ||
		{ vm_fail "netconsole"; return; }
	nc_load netconsole="6668@10.0.0.2/$e0,6667@10.0.0.1/$HOST_MAC0" || return
	markers vs "$N"
	echo 1 > /proc/sys/kernel/sysrq
	echo m > /proc/sysrq-trigger
	echo "<5>nc-vs-end" > /dev/kmsg
	nc_stats
	vm_rmmod netconsole
	vm_rmmod cxx_netconsole
	vm_rmmod cxx_netpoll
	# the kernel's own order of the lines both sent
	dmesg | sed 's/^/VMTEST-DMESG /'
}
