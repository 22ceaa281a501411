# What the --state tests share: a seeded log and the appends that write it.

# gen SEED N: N logfmt lines from a seeded generator.
gen() {
	awk -v seed="$1" -v n="$2" 'BEGIN { srand(seed); split("info warn error debug", lv, " ")
		for (i = 0; i < n; i++)
			printf "level=%s host=h%d bytes=%d\n", lv[1 + int(rand() * 4)], int(rand() * 7), int(rand() * 100000) }'
}

# put TEXT: appends TEXT to the live log and to the record of all lines.
put() {
	printf '%s' "$1" >>"$T/app.log"
	printf '%s' "$1" >>"$T/all.log"
}
