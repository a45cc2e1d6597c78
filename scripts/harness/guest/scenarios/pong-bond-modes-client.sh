# pong-cxx-bond, its two-VM part, the client: an in-tree bond of both NICs toward the server's
# cxx_bonding bond, made anew for each server mode (MODES: server:client[:copies], copies the
# PONGs each request gets back), and udpclient, a connected UDP socket, IPv4 and IPv6 (sourced
# after /etc/lib.sh; the harness calls scenario).
scenario() {
	insmod /lib/intree/bonding.ko max_bonds=0 || { vm_fail "insmod bonding"; return; }
	for m in $MODES; do
		smode=${m%%:*}; rest=${m#*:}; cmode=${rest%%:*}; copies=1
		[ "$rest" != "$cmode" ] && copies=${rest#*:}
		bond_make "$cmode" 10.0.5.2 fd00:5::2 || return
		for p in v4:10.0.5.1 v6:fd00:5::1; do
			label=$smode-${p%%:*} addr=${p#*:}
			# the harness says when the server listens (one datagram to port 9), once udpclient
			# has bound the port and said so (client-wait)
			udpclient wait 9 "$label" || { vm_fail "$label: no go from the harness"; return; }
			out=$(udpclient "$addr" 7777 "$N" PONG "$copies") || vm_fail "$label: $out"
			echo "VMTEST-CLIENT $label $out"
		done
		ip link del bond0 || vm_fail "$cmode: ip link del bond0"
	done
	rmmod bonding || vm_fail "rmmod bonding"
}
