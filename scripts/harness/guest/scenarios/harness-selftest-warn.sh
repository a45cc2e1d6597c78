# harness-selftest-warn: guest side (sourced after /etc/lib.sh; the harness calls scenario).
scenario() {
	vm_insmod vmtest_warn
}
