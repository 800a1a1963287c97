#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-md.sh CSV
#
# Turn bench.sh's CSV into Markdown tables, one per scenario: a row per
# method, a column per file size, "median ms (ratio to the floor)", where
# the floor is max(alloc, io) of the same size in the same boot.
set -euo pipefail
csv=${1:?usage: bench-md.sh CSV}

awk -F, '
NR == 1 { next }
{
	sc = $1; b = $2; m = $3
	if (!(sc in seen_sc)) { seen_sc[sc] = 1; scs[++nsc] = sc }
	if (!((sc, b) in seen_b)) { seen_b[sc, b] = 1; nb[sc]++; bs[sc, nb[sc]] = b }
	ms[sc, b, m] = ($4 == "ok") ? $5 : $4
	x[sc, b, m] = $6
	cache[sc, b, m] = $7
}
END {
	split("read odirect-mmap udmabuf heap-sync heap-async alloc io", M, " ")
	for (i = 1; i <= nsc; i++) {
		sc = scs[i]
		printf "\n**%s**\n\n| method |", sc
		for (j = 1; j <= nb[sc]; j++)
			printf " %d MiB |", bs[sc, j] / 1048576
		printf "\n|---|"
		for (j = 1; j <= nb[sc]; j++)
			printf "---:|"
		printf "\n"
		for (k = 1; k <= 7; k++) {
			m = M[k]
			printf "| `%s` |", m
			for (j = 1; j <= nb[sc]; j++) {
				b = bs[sc, j]
				if (!((sc, b, m) in ms))
					printf " - |"
				else if (m == "alloc" || m == "io" || ms[sc, b, m] !~ /^[0-9.]+$/)
					printf " %s |", ms[sc, b, m]
				else
					printf " %s (%.2f) |", ms[sc, b, m], x[sc, b, m]
			}
			printf "\n"
		}
	}
}' "$csv"
