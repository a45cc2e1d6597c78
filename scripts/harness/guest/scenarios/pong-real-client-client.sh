# pong-real-client-client: guest side (sourced after /etc/lib.sh; the harness calls scenario).
scenario() {
	nic_up 0 10.0.5.2 fd00:5::2
	for p in $PHASES; do	# label:count:address
		label=${p%%:*}; rest=${p#*:}; count=${rest%%:*}; addr=${rest#*:}
		# the harness says when the server listens (one datagram to port 9), once udpclient
		# has bound the port and said so (client-wait)
		udpclient wait 9 "$label" || { vm_fail "$label: no go from the harness"; return; }
		out=$(udpclient "$addr" 7777 "$count") || vm_fail "$label: $out"
		echo "VMTEST-CLIENT $label $out"
	done
	# the positive control: a closed port does give ECONNREFUSED
	out=$(udpclient 10.0.5.1 7778 0) || vm_fail "closed port: $out"
	echo "VMTEST-CLIENT closed $out"
}
