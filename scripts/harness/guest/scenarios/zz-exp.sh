# shellcheck shell=dash
scenario() {
	echo "PROFILE-GO"
	i=0; while [ $i -lt 60 ]; do ${CMD:-ip -V} >/dev/null 2>&1; i=$((i+1)); done
	echo "PROFILE-END"
}
