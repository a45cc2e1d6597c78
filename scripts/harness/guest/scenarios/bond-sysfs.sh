# bond-sysfs: guest side (sourced after /etc/lib.sh; the harness calls scenario).
# Bonds configured through module parameters and sysfs only, read back through sysfs; invalid
# writes refused with nothing changed; first over cxx_bonding, then over in-tree bonding in
# the same boot, for the host to compare line for line (kernel messages without the module's
# prefix).
M=/sys/class/net/bonding_masters

dump() {	# $1 driver, $2 step: every file of bond1 and of its slaves
	echo "masters: $(cat $M)" | sed "s/^/VMTEST-SYS $1 $2: /"
	for f in /sys/class/net/bond1/bonding/*; do
		echo "$(basename "$f"): $(tr '\n' '|' < "$f")"
	done | sed "s/^/VMTEST-SYS $1 $2: /"
	for n in $(vm_nics); do
		[ -d "/sys/class/net/$n/bonding_slave" ] || continue
		for f in "/sys/class/net/$n/bonding_slave"/*; do
			echo "$n/$(basename "$f"): $(cat "$f")"
		done | sed "s/^/VMTEST-SYS $1 $2: /"
	done
}

try() {	# $1 driver, $2 file, $3 value: the outcome of one write, and what it changed
	before=$(cat /sys/class/net/bond1/bonding/* 2>/dev/null | md5sum)
	if echo "$3" > "$2" 2>/dev/null; then r=ok; else r=refused; fi
	after=$(cat /sys/class/net/bond1/bonding/* 2>/dev/null | md5sum)
	[ "$r" = refused ] && [ "$before" != "$after" ] && r="$r-but-changed"
	echo "VMTEST-SYS $1 writes: $(basename "$2") <- '$3': $r"
}

kmsg() {	# the kernel's messages since the last call, without timestamps and module prefix
	dmesg -c | sed -E 's/^\[ *[0-9.]+\] //; s/^(cxx_)?bonding: //' |
		grep -v -e '^IPv6:' -e 'loading out-of-tree' -e 'module verification' |
		sed "s/^/VMTEST-KMSG $1 $2: /"
}

active_is() { [ "$(cat /sys/class/net/bond1/bonding/active_slave)" = "$1" ]; }

run() {	# $1 driver, $2 module path
	drv=$1 ko=$2 e0=$(vm_nic 0) e1=$(vm_nic 1) B=/sys/class/net/bond1/bonding
	# Module parameters, with bad values 6.1 corrects (and says so).
	# fail_over_mac outside active-backup: a warning; primary_reselect without a primary:
	# ignored (always).
	insmod "$ko" max_bonds=1 miimon=-5 updelay=150 use_carrier=7 num_grat_arp=300 \
		packets_per_slave=70000 resend_igmp=-1 fail_over_mac=follow \
		primary_reselect=better || { vm_fail "$drv: insmod"; return; }
	kmsg "$drv" params
	echo "VMTEST-SYS $drv params: miimon $(cat /sys/class/net/bond0/bonding/miimon) use_carrier $(cat /sys/class/net/bond0/bonding/use_carrier) num_grat_arp $(cat /sys/class/net/bond0/bonding/num_grat_arp) packets_per_slave $(cat /sys/class/net/bond0/bonding/packets_per_slave) fail_over_mac $(cat /sys/class/net/bond0/bonding/fail_over_mac) primary_reselect $(cat /sys/class/net/bond0/bonding/primary_reselect)"
	echo -bond0 > $M || vm_fail "$drv: -bond0"
	echo +bond1 > $M || vm_fail "$drv: +bond1"
	echo +bond2 > $M || vm_fail "$drv: +bond2"
	echo active-backup > $B/mode || vm_fail "$drv: mode"
	echo 100 > $B/miimon || vm_fail "$drv: miimon"
	echo 200 > $B/updelay || vm_fail "$drv: updelay"
	echo 300 > $B/downdelay || vm_fail "$drv: downdelay"
	try "$drv" $B/fail_over_mac sometimes
	try "$drv" $B/fail_over_mac none	# the module parameter's follow, undone
	kmsg "$drv" created
	ip link set "$e0" down
	ip link set "$e1" down
	echo "+$e0" > $B/slaves || vm_fail "$drv: +$e0"
	echo "+$e1" > $B/slaves || vm_fail "$drv: +$e1"
	echo "$e1" > $B/primary || vm_fail "$drv: primary"
	ip link set bond1 up
	vm_wait 30 active_is "$e1" || vm_fail "$drv: $e1 never became active"
	kmsg "$drv" setup
	dump "$drv" configured
	try "$drv" $B/mode balance-rr		# up and has slaves
	try "$drv" $B/miimon -1
	try "$drv" $B/miimon abc
	try "$drv" $B/xmit_hash_policy foo
	try "$drv" $B/packets_per_slave 3	# not in active-backup
	try "$drv" $B/num_grat_arp 256
	try "$drv" $B/primary_reselect sometimes
	try "$drv" $B/fail_over_mac active	# has slaves
	try "$drv" $B/active_slave nonexist
	try "$drv" $B/slaves "bogus"
	try "$drv" /sys/class/net/bond2/bonding/slaves "+$e0"	# another bond's slave
	try "$drv" $M "bogus"
	try "$drv" $M "-nonexist"
	try "$drv" $B/use_carrier 0
	try "$drv" $B/primary_reselect failure
	try "$drv" $B/num_unsol_na 3
	try "$drv" $B/active_slave "$e0"
	kmsg "$drv" writes
	dump "$drv" written
	echo "-$e1" > $B/slaves || vm_fail "$drv: -$e1"
	dump "$drv" released
	echo -bond1 > $M || vm_fail "$drv: -bond1"
	echo -bond2 > $M || vm_fail "$drv: -bond2"
	kmsg "$drv" teardown
}

scenario() {
	vm_insmod cxx_netpoll || return	# cxx_bonding's slaves' netpoll
	dmesg -c >/dev/null
	run cxx /lib/cxx/cxx_bonding.ko
	vm_rmmod cxx_bonding
	[ "$INTREE" = 0 ] && return	# the debug kernel: cxx_bonding only (README, Tests)
	dmesg -c >/dev/null
	run intree /lib/intree/bonding.ko
	rmmod bonding || vm_fail "rmmod bonding"
}
