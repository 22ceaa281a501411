#!/usr/bin/env bats
# Beyond one machine: --partial and --merge through the engines users
# already run. GNU parallel --pipepart on one machine and over ssh (-S),
# one ssh per host with a central merge, and a live MQTT source. sshd and
# mosquitto are started by the tests themselves on 127.0.0.1, each on a
# free port with its own configuration and keys in the test's directory;
# a test is skipped, saying why, where they are missing or cannot start.

load helpers

AGGS='count, sum(bytes), p99(bytes)'

# The answer for the generated log (60 copies of the bundled sample,
# 2.7 MB: three blocks of 1M).
ONE_RUN='status,count,sum_bytes,p99_bytes
200,11700,437801040,1079983
404,120,37080,324
304,120,,
301,60,20340,339
'

setup() {
	T=$BATS_TEST_TMPDIR
	for i in $(seq 60); do cat "$DATA/access_sample.log"; done > "$T/big.log"
}

teardown() {
	local p
	for p in "${SSHD_PID:-}" "${MQTT_PID:-}"; do
		[ -n "$p" ] || continue
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_log FILE TEXT PID: waits up to 5 s for TEXT in FILE while PID lives.
wait_log() {
	local i
	for i in $(seq 50); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		kill -0 "$3" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# start_sshd: an sshd of this test on 127.0.0.1:$SSH_PORT that takes the
# key $T/user_key; sets SSH to the ssh command line that reaches it.
# Skips the test when sshd cannot run here.
start_sshd() {
	[ -x /usr/sbin/sshd ] || skip "sshd is not installed (make deps installs openssh-server)"
	command -v ssh >/dev/null || skip "ssh is not installed (make deps installs openssh-client)"
	command -v ssh-keygen >/dev/null || skip "ssh-keygen is not installed (make deps installs openssh-client)"
	command -v parallel >/dev/null || skip "GNU parallel is not installed (make deps installs it)"
	# sshd run by root needs its privilege separation directory, which the
	# service would make.
	if [ "$(id -u)" = 0 ] && [ ! -d /run/sshd ]; then
		mkdir -p -m 0755 /run/sshd || skip "cannot make /run/sshd for sshd"
	fi
	ssh-keygen -q -t ed25519 -N '' -f "$T/host_key"
	ssh-keygen -q -t ed25519 -N '' -f "$T/user_key"
	cp "$T/user_key.pub" "$T/authorized_keys"
	SSH_PORT=$(free_port)
	cat > "$T/sshd_config" <<-EOF
		Port $SSH_PORT
		ListenAddress 127.0.0.1
		HostKey $T/host_key
		PidFile $T/sshd.pid
		AuthorizedKeysFile $T/authorized_keys
		StrictModes no
		UsePAM no
		PasswordAuthentication no
		KbdInteractiveAuthentication no
		PubkeyAuthentication yes
		PermitRootLogin prohibit-password
	EOF
	/usr/sbin/sshd -D -e -f "$T/sshd_config" 2>"$T/sshd.log" &
	SSHD_PID=$!
	wait_log "$T/sshd.log" 'Server listening' "$SSHD_PID" ||
		skip "sshd cannot start here: $(head -3 "$T/sshd.log")"
	SSH="ssh -p $SSH_PORT -i $T/user_key -o BatchMode=yes -o ConnectTimeout=5"
	SSH="$SSH -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"
}

# logins: how many sessions the test's sshd let in.
logins() {
	grep -c '^Accepted publickey' "$T/sshd.log"
}

one_run() {
	stream-agg -i clf -g status "$AGGS" "$T/big.log"
}

@test "distributed: the generated log's one run" {
	check 0 "$ONE_RUN" '' -- one_run
}

# parallel --pipepart on this machine: blocks of 1M, two at a time.
pipepart_local() {
	timeout 60 parallel --pipepart -a "$T/big.log" --block 1M -j 2 \
		stream-agg --partial -i clf -g status "'$AGGS'" > "$T/parts" || return
	stream-agg --merge -g status "$AGGS" < "$T/parts"
}

@test "distributed: parallel --pipepart, --partial per block, one --merge equals one run" {
	command -v parallel >/dev/null || skip "GNU parallel is not installed (make deps installs it)"
	check 0 "$ONE_RUN" '' -- pipepart_local
	# three blocks, so three partials, each with its header line
	check 0 $'3\n' '' -- grep -c '^status,' "$T/parts"
}

# parallel -S to the test's sshd: every block goes over ssh; the remote
# PATH has no bin/, so the tool is named by its absolute path.
pipepart_ssh() {
	timeout 60 parallel --pipepart -a "$T/big.log" --block 1M -j 2 \
		-S 127.0.0.1 --ssh "$SSH" \
		"$BIN/stream-agg" --partial -i clf -g status "'$AGGS'" > "$T/parts" || return
	stream-agg --merge -g status "$AGGS" < "$T/parts"
}

@test "distributed: parallel --pipepart -S over ssh, merged, equals one run" {
	start_sshd
	check 0 "$ONE_RUN" '' -- pipepart_ssh
	check 0 $'3\n' '' -- grep -c '^status,' "$T/parts"
	# the blocks went through sshd, not a local shell
	[ "$(logins)" -ge 3 ] || { echo "sshd let in $(logins) sessions:"; cat "$T/sshd.log"; false; }
}

# One ssh per "server", each with its own part of the log on its stdin,
# as `ssh web$i stream-agg --partial ... < access.log` would; the merge
# takes the partials as files, or catenated.
per_host() {
	local i
	(cd "$T" && split -n l/3 -d big.log part.) || return
	for i in 0 1 2; do
		timeout 30 $SSH 127.0.0.1 "$BIN/stream-agg" --partial -i clf -g status "'$AGGS'" \
			< "$T/part.0$i" > "$T/web$i.st" || return
	done
	stream-agg --merge -g status "$AGGS" "$T"/web0.st "$T"/web1.st "$T"/web2.st
}

catenated() {
	cat "$T"/web*.st | stream-agg --merge -g status "$AGGS"
}

@test "distributed: ssh per host with --partial, a central --merge, equals one run" {
	start_sshd
	check 0 "$ONE_RUN" '' -- per_host
	check 0 "3"$'\n' '' -- logins
	check 0 "$ONE_RUN" '' -- catenated
}

# start_mosquitto: a broker of this test on 127.0.0.1:$MQTT_PORT, anyone
# may publish and subscribe. Skips the test where mosquitto is missing.
start_mosquitto() {
	command -v mosquitto >/dev/null || skip "mosquitto is not installed (make deps installs it)"
	command -v mosquitto_sub >/dev/null || skip "mosquitto_sub is not installed (make deps installs mosquitto-clients)"
	MQTT_PORT=$(free_port)
	printf 'listener %s 127.0.0.1\nallow_anonymous true\nlog_dest stderr\nlog_type all\n' \
		"$MQTT_PORT" > "$T/mosquitto.conf"
	mosquitto -c "$T/mosquitto.conf" 2>"$T/mosquitto.log" &
	MQTT_PID=$!
	wait_log "$T/mosquitto.log" 'running' "$MQTT_PID" ||
		skip "mosquitto cannot start here: $(head -3 "$T/mosquitto.log")"
}

SENSORS='{"sensor":"a","temp":20.5}
{"sensor":"b","temp":18}
{"sensor":"a","temp":21.5}
{"sensor":"b","temp":19}
{"sensor":"a","temp":22}
{"sensor":"c","temp":-3.25}'

# The subscriber takes 6 messages then ends, and stream-agg with it; the
# messages are published once the broker has its subscription.
sensors() {
	timeout 20 mosquitto_sub -h 127.0.0.1 -p "$MQTT_PORT" -t 'sensors/#' -C 6 \
		| stream-agg -i jsonl -o csv -g sensor 'count, mean(temp), max(temp)' &
	local sub=$! m n=0
	wait_log "$T/mosquitto.log" 'Received SUBSCRIBE' "$MQTT_PID" || return
	while IFS= read -r m; do
		n=$((n + 1))
		mosquitto_pub -h 127.0.0.1 -p "$MQTT_PORT" -q 1 -t "sensors/room$n" -m "$m" || return
	done <<< "$SENSORS"
	wait "$sub"
}

@test "distributed: mosquitto_sub from a broker into stream-agg" {
	start_mosquitto
	check 0 'sensor,count,mean_temp,max_temp
a,3,21.333333333333332,22
b,2,18.5,19
c,1,-3.25,-3.25
' '' -- sensors
}
