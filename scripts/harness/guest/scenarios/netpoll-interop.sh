# netpoll-interop: guest side (sourced after /etc/lib.sh; the harness calls scenario).
interop_markers() { # interop_markers <tag> <count>: "interop-<tag>-<i>" lines
	i=0
	while [ $i -lt "$2" ]; do echo "interop-$1-$i" > /dev/kmsg; i=$((i + 1)); done
}
client() {
	vm_insmod cxx_npclient targets="6670@10.0.0.2/$e0,6671@10.0.0.1/$HOST_MAC0"
}
writing() { [ -s /tmp/written ]; }
# The writer's count: `echo > file` truncates before it writes, so a read can find the file
# empty for a moment; read until it holds the number.
written() {
	local v=
	while [ -z "$v" ]; do v=$(cat /tmp/written); done
	echo "$v"
}

scenario() {
	nic_up 0 10.0.0.2
	e0=$(vm_nic 0)
	insmod /lib/intree/netconsole.ko netconsole="6665@10.0.0.2/$e0,6666@10.0.0.1/$HOST_MAC0" ||
		{ vm_fail "netconsole"; return; }
	# order 1: in-tree first, cxx second; the cxx side unloads while netconsole sends
	vm_insmod cxx_netpoll && client || return
	interop_markers a 20
	np_send "$N" irqsoff
	# a writer keeps netconsole busy from before the unload until after it
	(
		i=0
		while [ ! -e /tmp/stop ]; do
			echo "interop-b-$i" > /dev/kmsg
			i=$((i + 1))
			echo $i > /tmp/written
		done
	) &
	vm_wait 10 writing || vm_fail "the writer did not start"
	before=$(written)
	vm_rmmod cxx_npclient
	vm_rmmod cxx_netpoll
	after=$(written)
	touch /tmp/stop
	wait
	echo "VMTEST-WRITER before $before after $after total $(written)"
	interop_markers c 20
	# order 2: cxx loaded again beside it, then in-tree netconsole unloads first
	vm_insmod cxx_netpoll && client || return
	interop_markers d 20
	vm_rmmod netconsole
	np_send "$N" process
	sleep 1
	vm_rmmod cxx_npclient
	vm_rmmod cxx_netpoll
}
