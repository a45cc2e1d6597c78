# netconsole-sysrq-keyboard: guest side (sourced after /etc/lib.sh; the harness calls scenario).
seen() { dmesg | grep -q "$1"; }
scenario() {
	nic_up 0 10.0.0.2
	e0=$(vm_nic 0)
	nc_load netconsole="6665@10.0.0.2/$e0,6666@10.0.0.1/$HOST_MAC0" || return
	echo 1 > /proc/sys/kernel/sysrq
	echo "<5>nc-kbd-begin" > /dev/kmsg
	vm_log "ready-for-t"
	vm_wait 120 seen "sysrq: Show State" || vm_fail "QMP send-key t: no dump"
	sleep 3
	vm_log "ready-for-m"
	vm_wait 120 seen "sysrq: Show Memory" || vm_fail "QMP send-key m: no dump"
	sleep 3
	echo "<5>nc-kbd-end" > /dev/kmsg
	nc_stats
	grep . /sys/kernel/debug/cxx_netpoll/*
	vm_rmmod cxx_netconsole
	vm_rmmod cxx_netpoll
}
