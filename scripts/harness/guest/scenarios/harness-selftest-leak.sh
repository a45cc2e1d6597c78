# harness-selftest-leak: guest side (sourced after /etc/lib.sh; the harness calls scenario).
scenario() {
	vm_insmod vmtest_leak
	vm_rmmod vmtest_leak
}
