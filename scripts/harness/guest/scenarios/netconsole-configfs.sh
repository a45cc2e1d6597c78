# netconsole-configfs: guest side (sourced after /etc/lib.sh; the harness calls scenario).
put() { echo "$3" > "$CFS/$1/$2"; }
get() { cat "$CFS/$1/$2"; }
refused() { # refused <target> <attr> <value>: the write must fail
	if put "$1" "$2" "$3" 2>/dev/null; then
		vm_fail "$1/$2 accepted '$3'"
	else
		vm_log "$1/$2 refused '$3'"
	fi
}
expect() { # expect <target> <attr> <value>
	[ "$(get "$1" "$2")" = "$3" ] || vm_fail "$1/$2 is '$(get "$1" "$2")', want '$3'"
}

scenario() {
	nic_up 0 10.0.0.2
	e0=$(vm_nic 0)
	nc_load || return
	mkdir $CFS/t1 || { vm_fail "mkdir t1"; return; }
	# 6.1's defaults
	expect t1 enabled 0; expect t1 extended 0; expect t1 dev_name eth0
	expect t1 local_port 6665; expect t1 remote_port 6666
	expect t1 local_ip 0.0.0.0; expect t1 remote_ip 0.0.0.0
	expect t1 remote_mac ff:ff:ff:ff:ff:ff; expect t1 local_mac ff:ff:ff:ff:ff:ff
	# invalid values
	refused t1 enabled 2; refused t1 enabled x; refused t1 extended 5
	refused t1 local_port 70000; refused t1 remote_port -1; refused t1 remote_port abc
	refused t1 remote_ip 10.0.0.300; refused t1 remote_ip garbage; refused t1 local_ip 1.2.3
	refused t1 remote_ip fd00::zz; refused t1 remote_mac zz:zz:zz:zz:zz:zz
	refused t1 remote_mac 52:54:00; refused t1 dev_name averyveryverylongname
	refused t1 local_mac 52:54:00:00:00:01
	# beyond 6.1: the resend window (the module parameter's 1000 ms by default), 0 to 60 s
	expect t1 resend_ms 1000
	refused t1 resend_ms 60001; refused t1 resend_ms -1; refused t1 resend_ms x
	put t1 resend_ms 0 || vm_fail "resend_ms 0"; expect t1 resend_ms 0
	put t1 resend_ms 1000 || vm_fail "resend_ms 1000"
	# a device that does not exist: enable fails, the target stays disabled
	put t1 dev_name nosuchdev
	refused t1 enabled 1
	expect t1 enabled 0
	# configure and enable
	put t1 dev_name "$e0"; put t1 local_ip 10.0.0.2; put t1 remote_ip 10.0.0.1
	put t1 remote_mac "$HOST_MAC0"; put t1 remote_port 6670
	put t1 enabled 1 || vm_fail "enable t1"
	expect t1 enabled 1
	expect t1 local_mac "$(cat "/sys/class/net/$e0/address")"
	markers cfa 20
	# changes only while disabled
	refused t1 remote_port 6671; refused t1 dev_name lo; refused t1 extended 1
	refused t1 remote_ip 10.0.0.9; refused t1 remote_mac 52:54:00:00:00:09
	refused t1 resend_ms 500
	refused t1 enabled 1
	expect t1 remote_port 6670
	# disable, change port and format, enable again
	put t1 enabled 0 || vm_fail "disable t1"
	markers gone 5
	put t1 remote_port 6671; put t1 extended 1
	put t1 enabled 1 || vm_fail "re-enable t1"
	# a second target, IPv6, plain, beside it
	mkdir $CFS/t2
	ip -6 addr add fd00::2/64 dev "$e0" nodad
	put t2 dev_name "$e0"; put t2 local_ip fd00::2; put t2 remote_ip fd00::1
	refused t2 remote_ip 10.0.0.1
	put t2 remote_mac "$HOST_MAC0"; put t2 remote_port 6672
	put t2 enabled 1 || vm_fail "enable t2"
	markers cfb 20
	nc_stats
	sed 's/^/VMTEST-CFSSTATS /' $CFS/t1/stats
	vm_drain
	put t1 enabled 0; put t2 enabled 0
	markers gone2 5
	rmdir $CFS/t1 $CFS/t2 || vm_fail "rmdir"
	# an enabled target removed as is
	mkdir $CFS/t3
	put t3 dev_name "$e0"; put t3 remote_ip 10.0.0.1; put t3 remote_port 6673
	put t3 enabled 1 || vm_fail "enable t3"
	markers t3on 5
	rmmod cxx_netconsole 2>/dev/null && vm_fail "unloaded with a configfs target"
	rmdir $CFS/t3 || vm_fail "rmdir t3"
	markers gone3 5
	# targets come, go, and are switched while printk floods them (two writers)
	flood() { i=0; while [ ! -e /tmp/stop ]; do echo "<5>nc-flood-$1-$i" > /dev/kmsg; i=$((i + 1)); done; }
	flood a & fa=$!
	flood b & fb=$!
	for r in 1 2 3 4 5; do
		mkdir $CFS/s$r
		put s$r dev_name "$e0"; put s$r remote_ip 10.0.0.1; put s$r remote_port 6674
		[ $((r % 2)) = 0 ] && put s$r extended 1
		put s$r enabled 1 || vm_fail "enable s$r"
		[ $r -gt 1 ] && { put s$((r - 1)) enabled 0; rmdir $CFS/s$((r - 1)) || vm_fail "rmdir s$((r - 1))"; }
	done
	rmdir $CFS/s5 || vm_fail "rmdir s5 (enabled)"
	echo "<5>nc-s5-removed" > /dev/kmsg	# nothing printed after this may arrive
	sleep 1
	touch /tmp/stop
	wait $fa $fb
	left=$(ls /sys/kernel/debug/cxx_netpoll)
	[ -z "$left" ] || vm_fail "netpolls left after every target was removed: $left"
	vm_rmmod cxx_netconsole
	vm_rmmod cxx_netpoll
}
