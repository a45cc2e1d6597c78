# netconsole-ext: guest side (sourced after /etc/lib.sh; the harness calls scenario).
scenario() {
	nic_up 0 10.0.0.2
	e0=$(vm_nic 0)
	# an extended target and a plain one, to two ports
	nc_load netconsole="+6665@10.0.0.2/$e0,6666@10.0.0.1/$HOST_MAC0;6668@10.0.0.2/$e0,6667@10.0.0.1/$HOST_MAC0" || return
	markers ext "$N"
	# a real printk record longer than 1000 bytes once escaped: 900 backslashes -> \x5c each
	# shellcheck disable=SC1003 # tr's second set is one backslash
	printf '<6>nc-long-%s\n' "$(head -c 900 /dev/zero | tr '\0' '\\')" > /dev/kmsg
	# a 5 KiB record through the extended write path (printk caps text at 992 bytes), one write
	{ printf '6,999999,1,-;'; head -c 5120 /dev/zero | tr '\0' 'z'; echo; } > /tmp/rec
	dd if=/tmp/rec of=$NCDBG/write_ext bs=8192 count=1 2>/dev/null || vm_fail "write_ext"
	nc_stats
	vm_rmmod cxx_netconsole
	vm_rmmod cxx_netpoll
}
